//! Smoke test: a fresh three-node cluster elects a leader and commits a command.

use raft::testkit::Cluster;
use raft::{Command, LogIndex};

#[test]
fn three_nodes_elect_and_commit() {
    let mut cluster = Cluster::new(3, 7);
    assert!(cluster.run_until(500, |c| c.leader().is_some()), "{}", cluster.trace_tail(20));
    let index = cluster.one(Command::from("x"), 3, 500);
    assert_eq!(index, Some(LogIndex(1)), "{}", cluster.trace_tail(40));
}
