//! Follower reads (`ReadPath::Follower`) over a scripted Raft: any server answers a `Get` from
//! its own state with no proposal, reports the index it reflects, and holds a read whose
//! session index it has not applied yet until it has (or until the request's patience runs
//! out); a clerk carries the index from its own write to its next read. The bug switch
//! `follower_reads_as_linearizable` does the same on a linearizable read path.

mod scripted;

use std::sync::Arc;

use kv::{
    encode_command, Clerk, ClerkEffect, ClerkReply, ClientId, KvBugs, KvConfig, KvError, KvServer,
    KvStateMachine, Op, ReadPath, Reply, Request, Seq,
};
use raft::{Config, LogIndex, NodeId, PersistedState, Snapshot, Term};
use scripted::{commit_other, commit_proposed, follow, install, lead, proposed_count, Scripted};

const SERVER: NodeId = NodeId(1);
const CLERK: NodeId = NodeId(10);

fn config() -> KvConfig {
    let raft = Config::new(SERVER, vec![SERVER, NodeId(2), NodeId(3)], 1);
    KvConfig::new(raft).with_read_path(ReadPath::Follower)
}

fn server_with(config: KvConfig) -> KvServer<Scripted> {
    let mut server = KvServer::restart(config, &PersistedState::default());
    assert!(server.ready().is_empty());
    server
}

fn put(client: u64, seq: u64, value: &str) -> Request {
    let op = Op::Put { key: "k".into(), value: value.into() };
    Request { client: ClientId(client), seq: Seq(seq), op, session_index: None }
}

fn get(client: u64, seq: u64, session_index: Option<u64>) -> Request {
    let op = Op::Get { key: "k".into() };
    let session_index = session_index.map(LogIndex);
    Request { client: ClientId(client), seq: Seq(seq), op, session_index }
}

/// The reply to `request`: a success reports the index it reflects.
fn answer(request: &Request, result: Result<&str, KvError>, applied: Option<u64>) -> ClerkReply {
    let reply = Reply {
        client: request.client,
        seq: request.seq,
        result: result.map(str::to_owned),
        applied_index: applied.map(LogIndex),
    };
    ClerkReply { to: CLERK, reply }
}

fn replies(server: &mut KvServer<Scripted>) -> Vec<ClerkReply> {
    let ready = server.ready();
    assert_eq!(ready.anomalies, vec![]);
    ready.replies
}

/// Another leader's write of `value` committed at `index`, as a follower learns it.
fn commit_put(index: u64, value: &str) {
    commit_other(index, 1, encode_command(&put(9, index, value)));
}

#[test]
fn a_follower_answers_a_get_from_its_own_state_without_proposing() {
    let mut server = server_with(config());
    follow(1);
    commit_put(1, "a");
    assert!(replies(&mut server).is_empty());
    let g = get(1, 1, None);
    server.request(CLERK, g.clone());
    assert_eq!(replies(&mut server), vec![answer(&g, Ok("a"), Some(1))]);
    // A session that has seen index 1 is served at once too.
    let g = get(1, 2, Some(1));
    server.request(CLERK, g.clone());
    assert_eq!(replies(&mut server), vec![answer(&g, Ok("a"), Some(1))]);
    assert_eq!(proposed_count(), 0, "no log entry, no Raft round");
    // Writes still go to the leader: a follower refuses them.
    let p = put(1, 3, "b");
    server.request(CLERK, p.clone());
    assert_eq!(replies(&mut server), vec![answer(&p, Err(KvError::WrongLeader), None)]);
}

#[test]
fn a_follower_behind_the_session_waits_until_it_applies_the_index() {
    let mut server = server_with(config());
    follow(1);
    commit_put(1, "a");
    server.ready();
    // The clerk has seen index 2 elsewhere: this server's state at 1 is older than that.
    let g = get(1, 1, Some(2));
    server.request(CLERK, g.clone());
    assert!(replies(&mut server).is_empty());
    assert_eq!(server.pending_count(), 1);
    server.tick();
    assert!(replies(&mut server).is_empty());
    commit_put(2, "b");
    assert_eq!(replies(&mut server), vec![answer(&g, Ok("b"), Some(2))]);
    assert_eq!(server.pending_count(), 0);
}

#[test]
fn a_snapshot_that_covers_the_session_index_serves_the_waiting_read() {
    let mut server = server_with(config());
    follow(1);
    let g = get(1, 1, Some(4));
    server.request(CLERK, g.clone());
    assert!(replies(&mut server).is_empty());
    // The leader sends a snapshot through index 6 instead of the entries.
    let mut state = KvStateMachine::new();
    state.apply(&put(9, 1, "s"));
    let data = Arc::from(state.encode_snapshot());
    install(Snapshot { last_included_index: LogIndex(6), last_included_term: Term(1), data });
    assert_eq!(replies(&mut server), vec![answer(&g, Ok("s"), Some(6))]);
}

#[test]
fn a_read_the_server_never_catches_up_for_times_out() {
    let mut config = config();
    config.request_timeout_ticks = 3;
    let mut server = server_with(config);
    follow(1);
    let g = get(1, 1, Some(5));
    server.request(CLERK, g.clone());
    for _ in 0..3 {
        server.tick();
        assert!(replies(&mut server).is_empty());
    }
    server.tick();
    assert_eq!(replies(&mut server), vec![answer(&g, Err(KvError::Timeout), None)]);
    assert_eq!(server.pending_count(), 0);
}

/// A clerk's own write, acknowledged by the leader at index 1, is seen by its next read even
/// at a server that has not applied it yet: the read carries the index and waits for it.
#[test]
fn a_clerk_sees_its_own_write_at_a_lagging_server() {
    let mut clerk = Clerk::new(ClientId(1), vec![SERVER]);
    let mut server = server_with(config());
    lead(1);
    let write = Op::Put { key: "k".into(), value: "mine".into() };
    let sent = sent_request(clerk.start(write).unwrap());
    server.request(CLERK, sent.clone());
    server.ready();
    commit_proposed(1);
    let written = replies(&mut server);
    assert_eq!(written, vec![answer(&sent, Ok(""), Some(1))]);
    clerk.on_reply(SERVER, written[0].reply.clone());
    assert_eq!(clerk.session_index(), Some(LogIndex(1)));

    // The same address, restarted with nothing applied: a follower that is behind.
    let mut server = server_with(config());
    follow(2);
    let read = sent_request(clerk.start(Op::Get { key: "k".into() }).unwrap());
    assert_eq!(read.session_index, Some(LogIndex(1)));
    assert_eq!(read.to_string(), r#"c1#2 Get "k" session=1"#);
    server.request(CLERK, read.clone());
    assert!(replies(&mut server).is_empty(), "an empty state must not answer");
    commit_other(1, 1, encode_command(&put(1, 1, "mine")));
    let answered = replies(&mut server);
    assert_eq!(answered, vec![answer(&read, Ok("mine"), Some(1))]);
    let done = clerk.on_reply(SERVER, answered[0].reply.clone());
    assert!(done.contains(&ClerkEffect::Completed {
        seq: Seq(2),
        op: Op::Get { key: "k".into() },
        value: "mine".into()
    }));
}

#[test]
fn the_bug_serves_a_linearizable_read_path_as_follower_reads() {
    for read_path in [ReadPath::Log, ReadPath::ReadIndex] {
        let bugs = KvBugs::only("follower_reads_as_linearizable").unwrap();
        let mut server = server_with(config().with_read_path(read_path).with_bugs(bugs));
        follow(1);
        commit_put(1, "a");
        server.ready();
        let g = get(1, 1, None);
        server.request(CLERK, g.clone());
        // A follower of a linearizable path must refuse; the bug answers from its state.
        assert_eq!(replies(&mut server), vec![answer(&g, Ok("a"), Some(1))], "{read_path:?}");
        assert_eq!(proposed_count(), 0);
    }
}

fn sent_request(effects: Vec<ClerkEffect>) -> Request {
    effects
        .into_iter()
        .find_map(|effect| match effect {
            ClerkEffect::Send { request, .. } => Some(request),
            _ => None,
        })
        .expect("the clerk sends its request")
}
