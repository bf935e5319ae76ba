//! `Get` by ReadIndex on a real (reference) Raft: a read adds no log entry (only one no-op per
//! term, so the leader can commit in its own term), sees every write acknowledged before it,
//! and the log path still puts every read in the log.

use kv::{ClientId, KvConfig, KvServer, Op, ReadPath, Reply, Request, Seq};
use raft::{Config, LogIndex, NodeId, PersistedState, RaftNode, Role};

const CLERK: NodeId = NodeId(10);

/// A one-server cluster (its own majority) that has elected itself.
fn leader(read_path: ReadPath) -> KvServer<RaftNode> {
    let config =
        KvConfig::new(Config::new(NodeId(1), vec![NodeId(1)], 7)).with_read_path(read_path);
    let mut server = KvServer::restart(config, &PersistedState::default());
    for _ in 0..100 {
        server.tick();
        server.ready();
        if server.status().role == Role::Leader {
            return server;
        }
    }
    panic!("a single server elects itself within 100 ticks");
}

fn call(server: &mut KvServer<RaftNode>, seq: u64, op: Op) -> Reply {
    let request = Request { client: ClientId(1), seq: Seq(seq), op, session_index: None };
    server.request(CLERK, request);
    let mut replies = server.ready().replies;
    assert_eq!(replies.len(), 1, "one server answers at once: {replies:?}");
    replies.remove(0).reply
}

fn get() -> Op {
    Op::Get { key: "k".into() }
}

#[test]
fn reads_by_read_index_add_no_log_entries_and_see_every_acknowledged_write() {
    let mut server = leader(ReadPath::ReadIndex);
    // The first read of the term finds no entry of the term committed: one no-op goes in.
    assert_eq!(call(&mut server, 1, get()).result, Ok(String::new()));
    let after_first = server.status().last_log_index;
    assert_eq!(after_first, LogIndex(1), "the term's no-op, and nothing for the read");
    let put = Op::Put { key: "k".into(), value: "v".into() };
    assert_eq!(call(&mut server, 2, put).result, Ok(String::new()));
    for seq in 3..10 {
        assert_eq!(call(&mut server, seq, get()).result, Ok("v".to_string()));
    }
    assert_eq!(server.status().last_log_index, LogIndex(2), "the Put alone was logged");
    assert_eq!(server.pending_count(), 0);
}

#[test]
fn reads_through_the_log_are_log_entries() {
    let mut server = leader(ReadPath::Log);
    for seq in 1..5 {
        assert_eq!(call(&mut server, seq, get()).result, Ok(String::new()));
    }
    assert_eq!(server.status().last_log_index, LogIndex(4));
}
