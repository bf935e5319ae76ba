//! ReadIndex (§6.4 of the Raft dissertation) on the reference node: a read is handed out only
//! once an entry of the leader's own term is committed and a majority has acknowledged a round
//! sent after the read arrived; a follower refuses, a deposed leader drops its reads, and an
//! implementation without ReadIndex refuses with `Unsupported` by default.

mod common;

use common::*;
use raft::{
    Body, Command, Consensus, LogIndex, NotLeader, PersistedState, ReadRefused, ReadState, Ready,
    Role, Status, Term,
};

fn probe(from: u64, to: u64, term: u64, round: u64) -> raft::Message {
    message(from, to, term, Body::ReadProbe { round })
}

/// Node 1 leads term 2 of three servers and has committed an entry of that term at index 2.
fn leader_with_current_term_commit() -> raft::RaftNode {
    let mut n1 = leader(3, &persisted(1, None, &[1]));
    let term = n1.status().current_term.0;
    n1.propose(Command::from("w")).expect("leader");
    n1.ready();
    n1.step(append_ok(2, 1, term, 2));
    n1.ready();
    assert_eq!(n1.status().commit_index, LogIndex(2));
    n1
}

#[test]
fn a_read_is_confirmed_by_a_majority_acknowledging_a_later_round() {
    let mut n1 = leader_with_current_term_commit();
    let term = n1.status().current_term.0;
    n1.read_index(7).expect("a leader takes reads");
    let ready = n1.ready();
    assert!(ready.read_states.is_empty(), "not before a majority confirms the leadership");
    let sent = rounds(&ready);
    assert_eq!(sent.len(), 2, "one probe per follower: {:?}", lines(&ready));
    let round = sent[0];
    // An acknowledgement of an earlier round says nothing about leadership after the read.
    n1.step(probe_ack(2, 1, term, round - 1));
    assert!(n1.ready().read_states.is_empty());
    n1.step(probe_ack(2, 1, term, round));
    let ready = n1.ready();
    assert_eq!(ready.read_states, vec![ReadState { request: 7, index: LogIndex(2) }]);
    n1.step(probe_ack(3, 1, term, round));
    assert!(n1.ready().read_states.is_empty(), "each read is handed out once");
}

#[test]
fn a_new_leader_holds_reads_until_an_entry_of_its_term_commits() {
    // Node 1 holds entry 1 of term 1, perhaps committed by an earlier leader: a new leader's
    // commit index (0) does not show it.
    let mut n1 = leader(3, &persisted(1, None, &[1]));
    let term = n1.status().current_term.0;
    n1.read_index(1).expect("leader");
    let round = rounds(&n1.ready())[0];
    n1.step(probe_ack(2, 1, term, round));
    assert!(n1.ready().read_states.is_empty(), "no entry of term {term} is committed yet");
    n1.propose(Command::from("noop")).expect("leader");
    n1.ready();
    n1.step(append_ok(2, 1, term, 2));
    let ready = n1.ready();
    assert_eq!(ready.read_states, vec![ReadState { request: 1, index: LogIndex(2) }]);
}

#[test]
fn lost_probes_are_sent_again_with_the_heartbeat() {
    let mut n1 = leader_with_current_term_commit();
    let term = n1.status().current_term.0;
    n1.read_index(3).expect("leader");
    let first = rounds(&n1.ready())[0];
    let mut later = Vec::new();
    for _ in 0..10 {
        n1.tick();
        later.extend(rounds(&n1.ready()));
    }
    assert!(later.iter().all(|r| *r > first) && !later.is_empty(), "rounds: {later:?}");
    n1.step(probe_ack(3, 1, term, later[0]));
    assert_eq!(n1.ready().read_states, vec![ReadState { request: 3, index: LogIndex(2) }]);
}

#[test]
fn followers_refuse_reads_and_acknowledge_the_leader_of_their_term() {
    let mut n2 = node(2, 3, &persisted(4, None, &[1]));
    assert_eq!(n2.read_index(1), Err(ReadRefused::NotLeader(NotLeader { leader_hint: None })));
    let ready = step(&mut n2, probe(1, 2, 4, 9));
    assert_eq!(lines(&ready), vec!["n2->n1 ReadProbeReply t4 round=9"]);
    assert_eq!(n2.status().leader_hint, Some(id(1)), "a probe comes from the term's leader");
    // A probe of an older term is answered with round 0 and the newer term.
    let ready = step(&mut n2, probe(3, 2, 3, 5));
    assert_eq!(lines(&ready), vec!["n2->n3 ReadProbeReply t4 round=0"]);
}

#[test]
fn a_deposed_leader_drops_its_reads() {
    let mut n1 = leader_with_current_term_commit();
    let term = n1.status().current_term.0;
    n1.read_index(5).expect("leader");
    let round = rounds(&n1.ready())[0];
    // A newer term deposes it before the confirmation arrives.
    n1.step(append_ok(3, 1, term + 1, 0));
    assert_eq!(n1.status().role, Role::Follower);
    n1.ready();
    n1.step(probe_ack(2, 1, term, round));
    assert!(n1.ready().read_states.is_empty(), "a read must not outlive its leader");
}

#[test]
fn a_single_server_confirms_its_own_reads() {
    let mut n1 = node(1, 1, &PersistedState::default());
    time_out(&mut n1);
    n1.propose(Command::from("w")).expect("leader of one");
    n1.ready();
    n1.read_index(2).expect("leader");
    assert_eq!(n1.ready().read_states, vec![ReadState { request: 2, index: LogIndex(1) }]);
}

/// A Raft without ReadIndex: the trait's default refuses, so a service falls back to the log.
struct NoReads;

impl Consensus for NoReads {
    fn restart(_: raft::Config, _: &PersistedState) -> NoReads {
        NoReads
    }
    fn tick(&mut self) {}
    fn step(&mut self, _: raft::Message) {}
    fn propose(&mut self, _: Command) -> Result<(LogIndex, Term), NotLeader> {
        Err(NotLeader { leader_hint: None })
    }
    fn snapshot(&mut self, _: LogIndex, _: std::sync::Arc<[u8]>) {}
    fn ready(&mut self) -> Ready {
        Ready::default()
    }
    fn status(&self) -> Status {
        Status {
            id: id(1),
            current_term: Term::ZERO,
            role: Role::Leader,
            leader_hint: None,
            commit_index: LogIndex::ZERO,
            last_applied: LogIndex::ZERO,
            last_log_index: LogIndex::ZERO,
            snapshot_index: LogIndex::ZERO,
        }
    }
    fn log_term(&self, _: LogIndex) -> Option<Term> {
        None
    }
    fn log_entry(&self, _: LogIndex) -> Option<raft::Entry> {
        None
    }
}

#[test]
fn an_implementation_without_read_index_refuses_with_unsupported() {
    assert_eq!(NoReads.read_index(1), Err(ReadRefused::Unsupported));
}
