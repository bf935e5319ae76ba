//! The KV server over a scripted Raft: exactly which requests it proposes, when it answers,
//! and with what, as leadership changes, entries commit, snapshots load and bugs switch on.

mod scripted;

use std::sync::Arc;

use kv::{
    encode_command, ClerkReply, ClientId, KvAnomaly, KvBugs, KvConfig, KvError, KvServer,
    KvStateMachine, Op, Reply, Request, Seq,
};
use raft::{Command, Config, LogIndex, NodeId, PersistedState, Snapshot, Term};
use scripted::{commit_other, commit_proposed, follow, lead, proposed_count, script, Scripted};

const CLERK: NodeId = NodeId(10);
const OTHER_CLERK: NodeId = NodeId(11);

fn config(bugs: KvBugs) -> KvConfig {
    KvConfig::new(Config::new(NodeId(1), vec![NodeId(1), NodeId(2), NodeId(3)], 1)).with_bugs(bugs)
}

fn server_with(config: KvConfig) -> KvServer<Scripted> {
    let mut server = KvServer::restart(config, &PersistedState::default());
    assert!(server.ready().is_empty());
    server
}

fn server() -> KvServer<Scripted> {
    server_with(config(KvBugs::none()))
}

fn request(client: u64, seq: u64, op: Op) -> Request {
    Request { client: ClientId(client), seq: Seq(seq), op, session_index: None }
}

fn append(client: u64, seq: u64, value: &str) -> Request {
    request(client, seq, Op::Append { key: "k".into(), value: value.into() })
}

fn get(client: u64, seq: u64) -> Request {
    request(client, seq, Op::Get { key: "k".into() })
}

fn answer(to: NodeId, request: &Request, result: Result<&str, KvError>) -> ClerkReply {
    let result = result.map(str::to_owned);
    let reply = Reply { client: request.client, seq: request.seq, result, applied_index: None };
    ClerkReply { to, reply }
}

fn replies(server: &mut KvServer<Scripted>) -> Vec<ClerkReply> {
    let ready = server.ready();
    assert_eq!(ready.anomalies, vec![]);
    ready.replies
}

#[test]
fn a_follower_refuses_at_once_and_proposes_nothing() {
    let mut server = server();
    follow(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Err(KvError::WrongLeader))]);
    assert_eq!(proposed_count(), 0);
}

#[test]
fn the_leader_answers_only_once_its_entry_applies() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    let ready = server.ready();
    assert!(ready.replies.is_empty());
    // The proposal is the encoded request, handed to the host to persist.
    assert_eq!(ready.raft.entries[0].command, encode_command(&a));
    assert_eq!(server.pending_count(), 1);
    commit_proposed(1);
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Ok(""))]);
    let g = get(2, 1);
    server.request(CLERK, g.clone());
    server.ready();
    commit_proposed(2);
    assert_eq!(replies(&mut server), vec![answer(CLERK, &g, Ok("a"))]);
    assert_eq!(server.applied_index(), LogIndex(2));
    assert_eq!(server.pending_count(), 0);
}

#[test]
fn another_command_at_the_index_means_wrong_leader() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    // A new leader of term 2 put client 2's append at index 1 and committed it.
    commit_other(1, 2, encode_command(&append(2, 1, "b")));
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Err(KvError::WrongLeader))]);
    // The other command was applied all the same.
    assert_eq!(server.state().get("k"), "b");
}

#[test]
fn losing_leadership_or_changing_term_fails_the_waiting_requests() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    assert!(replies(&mut server).is_empty());
    lead(2);
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Err(KvError::WrongLeader))]);
    let b = append(1, 2, "b");
    server.request(CLERK, b.clone());
    assert!(replies(&mut server).is_empty());
    follow(3);
    server.tick();
    assert_eq!(replies(&mut server), vec![answer(CLERK, &b, Err(KvError::WrongLeader))]);
}

#[test]
fn an_applied_write_is_answered_from_the_session_table_by_any_server() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    commit_proposed(1);
    server.ready();
    follow(2);
    // The clerk never saw the answer and retries here: no new proposal is needed.
    server.request(CLERK, a.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Ok(""))]);
    assert_eq!(proposed_count(), 1);
    // A retried Get is not: reads always go through the log.
    let g = get(1, 2);
    lead(3);
    server.request(CLERK, g.clone());
    server.ready();
    commit_proposed(2);
    server.ready();
    server.request(CLERK, g.clone());
    assert!(replies(&mut server).is_empty());
    assert_eq!(proposed_count(), 3);
}

#[test]
fn a_retry_of_a_waiting_request_joins_it() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.request(OTHER_CLERK, a.clone());
    assert_eq!(proposed_count(), 1);
    server.ready();
    commit_proposed(1);
    assert_eq!(
        replies(&mut server),
        vec![answer(CLERK, &a, Ok("")), answer(OTHER_CLERK, &a, Ok(""))]
    );
}

#[test]
fn a_request_that_does_not_commit_times_out() {
    let mut config = config(KvBugs::none());
    config.request_timeout_ticks = 3;
    let mut server = server_with(config);
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    for _ in 0..3 {
        server.tick();
        assert!(replies(&mut server).is_empty());
    }
    server.tick();
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Err(KvError::Timeout))]);
    assert_eq!(server.pending_count(), 0);
}

#[test]
fn the_server_snapshots_when_the_raft_state_reaches_the_limit() {
    let mut server = server_with(config(KvBugs::none()).with_max_raft_state(Some(60)));
    lead(1);
    for seq in 1..=3 {
        server.request(CLERK, append(1, seq, "x"));
        server.ready();
    }
    // 17 bytes of hard state and three entries of 16 + 7 bytes: 86 >= 60, but nothing is
    // applied yet, so there is nothing to snapshot.
    assert_eq!(server.raft_state_size(), 86);
    for seq in 1..=3 {
        commit_proposed(seq);
    }
    server.ready();
    assert_eq!(script(|s| s.snapshots.len()), 0);
    assert!(server.raft_state_size() >= 60);
    let ready = server.ready();
    let snapshots = script(|s| s.snapshots.clone());
    assert_eq!(snapshots.len(), 1);
    let (index, data) = &snapshots[0];
    assert_eq!(*index, LogIndex(3));
    let restored = KvStateMachine::decode_snapshot(data).unwrap();
    assert_eq!(&restored, server.state());
    assert_eq!(restored.last_seq(ClientId(1)), Seq(3));
    // The compaction went to the host in the same ready, and the Raft state shrank.
    assert_eq!(ready.raft.snapshot.unwrap().last_included_index, LogIndex(3));
    assert!(server.raft_state_size() < 60);
    server.ready();
    assert_eq!(script(|s| s.snapshots.len()), 1, "one snapshot per index");
}

#[test]
fn a_restart_loads_the_persisted_snapshot() {
    let mut state = KvStateMachine::new();
    state.apply(&append(1, 4, "abc"));
    let snapshot = Snapshot {
        last_included_index: LogIndex(9),
        last_included_term: Term(2),
        data: Arc::from(state.encode_snapshot()),
    };
    let persisted = PersistedState { snapshot: Some(snapshot), ..PersistedState::default() };
    let mut server: KvServer<Scripted> = KvServer::restart(config(KvBugs::none()), &persisted);
    assert_eq!(server.state().get("k"), "");
    server.ready();
    assert_eq!(server.state(), &state);
    assert_eq!(server.applied_index(), LogIndex(9));
}

#[test]
fn an_installed_snapshot_fails_the_requests_it_covers() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    let snapshot = Snapshot {
        last_included_index: LogIndex(5),
        last_included_term: Term(2),
        data: Arc::from(KvStateMachine::new().encode_snapshot()),
    };
    scripted::install(snapshot);
    follow(2);
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Err(KvError::WrongLeader))]);
    assert_eq!(server.applied_index(), LogIndex(5));
}

#[test]
fn garbage_in_the_log_or_a_snapshot_is_reported_not_fatal() {
    let mut server = server();
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    commit_other(1, 1, Command::from("not a kv command"));
    let ready = server.ready();
    assert_eq!(ready.replies, vec![answer(CLERK, &a, Err(KvError::WrongLeader))]);
    assert!(matches!(
        ready.anomalies.as_slice(),
        [KvAnomaly::UndecodableCommand { index: LogIndex(1), .. }]
    ));
    let snapshot = Snapshot {
        last_included_index: LogIndex(4),
        last_included_term: Term(1),
        data: Arc::from(&b"\x01\xff"[..]),
    };
    scripted::install(snapshot);
    let ready = server.ready();
    assert!(matches!(
        ready.anomalies.as_slice(),
        [KvAnomaly::UndecodableSnapshot { index: LogIndex(4), .. }]
    ));
}

#[test]
fn bug_reply_before_commit_answers_on_proposal() {
    let mut server = server_with(config(KvBugs::only("reply_before_commit").unwrap()));
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Ok(""))]);
    assert_eq!(server.state().get("k"), "", "answered before anything applied");
}

#[test]
fn bug_get_without_log_reads_locally() {
    let mut server = server_with(config(KvBugs::only("get_without_log_anywhere").unwrap()));
    follow(1);
    let g = get(1, 1);
    server.request(CLERK, g.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &g, Ok(""))]);
    let mut server = server_with(config(KvBugs::only("get_without_log_on_leader").unwrap()));
    follow(1);
    server.request(CLERK, g.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &g, Err(KvError::WrongLeader))]);
    lead(2);
    server.request(CLERK, g.clone());
    assert_eq!(replies(&mut server), vec![answer(CLERK, &g, Ok(""))]);
    assert_eq!(proposed_count(), 0);
}

#[test]
fn bug_no_duplicate_detection_applies_a_retry_twice() {
    let mut server = server_with(config(KvBugs::only("no_duplicate_detection").unwrap()));
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    commit_proposed(1);
    server.ready();
    server.request(CLERK, a.clone());
    server.ready();
    commit_proposed(2);
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Ok(""))]);
    assert_eq!(server.state().get("k"), "aa");
}

#[test]
fn bug_snapshot_without_sessions_forgets_the_sessions() {
    let bugs = KvBugs::only("snapshot_without_sessions").unwrap();
    let mut server = server_with(config(bugs).with_max_raft_state(Some(1)));
    lead(1);
    server.request(CLERK, append(1, 1, "a"));
    server.ready();
    commit_proposed(1);
    server.ready();
    server.ready();
    let data = script(|s| s.snapshots[0].1.clone());
    let restored = KvStateMachine::decode_snapshot(&data).unwrap();
    assert_eq!(restored.get("k"), "a");
    assert_eq!(restored.session_count(), 0);
}

#[test]
fn bug_reply_without_checking_command_acknowledges_an_overwritten_write() {
    let bugs = KvBugs::only("reply_without_checking_command").unwrap();
    let mut server = server_with(config(bugs));
    lead(1);
    let a = append(1, 1, "a");
    server.request(CLERK, a.clone());
    server.ready();
    follow(2);
    assert!(replies(&mut server).is_empty(), "still waiting after the term change");
    commit_other(1, 2, encode_command(&append(2, 1, "b")));
    assert_eq!(replies(&mut server), vec![answer(CLERK, &a, Ok(""))]);
    assert_eq!(server.state().get("k"), "b", "client 1's append was never applied");
}
