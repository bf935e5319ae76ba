//! Helpers for the narrated single-node tests: build nodes in a given state, send them
//! messages, and read back their effects as the one-line trace format.

#![allow(dead_code)] // Each test binary uses a different subset.

use std::sync::Arc;

use raft::{
    Body, Bugs, Command, Config, Consensus, Entry, HardState, LogIndex, Message, NodeId,
    PersistedState, RaftNode, Ready, Role, Snapshot, Term,
};

pub fn id(n: u64) -> NodeId {
    NodeId(n)
}

pub fn config(me: u64, size: u64) -> Config {
    Config::new(id(me), (1..=size).map(NodeId).collect(), 1000 + me)
}

/// Entries with the given terms at indices 1, 2, ...
pub fn entries(terms: &[u64]) -> Vec<Entry> {
    entries_from(1, terms)
}

pub fn entries_from(first: u64, terms: &[u64]) -> Vec<Entry> {
    terms
        .iter()
        .enumerate()
        .map(|(k, t)| Entry {
            term: Term(*t),
            index: LogIndex(first + k as u64),
            command: Command::from(format!("c{}", first + k as u64).as_str()),
        })
        .collect()
}

pub fn persisted(term: u64, voted_for: Option<u64>, log_terms: &[u64]) -> PersistedState {
    PersistedState {
        hard_state: HardState { current_term: Term(term), voted_for: voted_for.map(NodeId) },
        snapshot: None,
        log: entries(log_terms),
    }
}

/// Node `me` of a `size`-node cluster, restarted from the given persisted state.
pub fn node(me: u64, size: u64, state: &PersistedState) -> RaftNode {
    RaftNode::new(config(me, size), state)
}

pub fn buggy(me: u64, size: u64, state: &PersistedState, bug: &str) -> RaftNode {
    let bugs = Bugs::only(bug).expect("known bug");
    RaftNode::new(config(me, size).with_bugs(bugs), state)
}

pub fn message(from: u64, to: u64, term: u64, body: Body) -> Message {
    Message { from: id(from), to: id(to), term: Term(term), body }
}

pub fn vote(from: u64, to: u64, term: u64, last_index: u64, last_term: u64) -> Message {
    message(
        from,
        to,
        term,
        Body::RequestVote { last_log_index: LogIndex(last_index), last_log_term: Term(last_term) },
    )
}

pub fn vote_reply(from: u64, to: u64, term: u64, granted: bool) -> Message {
    message(from, to, term, Body::RequestVoteReply { vote_granted: granted })
}

pub fn append(
    from: u64,
    to: u64,
    term: u64,
    prev: (u64, u64),
    entries: Vec<Entry>,
    commit: u64,
) -> Message {
    message(
        from,
        to,
        term,
        Body::AppendEntries {
            prev_log_term: Term(prev.0),
            prev_log_index: LogIndex(prev.1),
            entries,
            leader_commit: LogIndex(commit),
        },
    )
}

pub fn append_ok(from: u64, to: u64, term: u64, index: u64) -> Message {
    message(
        from,
        to,
        term,
        Body::AppendEntriesReply {
            success: true,
            index: LogIndex(index),
            conflict_term: None,
            conflict_index: LogIndex(0),
        },
    )
}

pub fn append_reject(
    from: u64,
    to: u64,
    term: u64,
    prev: u64,
    conflict_term: Option<u64>,
    conflict_index: u64,
) -> Message {
    message(
        from,
        to,
        term,
        Body::AppendEntriesReply {
            success: false,
            index: LogIndex(prev),
            conflict_term: conflict_term.map(Term),
            conflict_index: LogIndex(conflict_index),
        },
    )
}

pub fn snapshot(index: u64, term: u64, data: &[u8]) -> Snapshot {
    Snapshot {
        last_included_index: LogIndex(index),
        last_included_term: Term(term),
        data: Arc::from(data),
    }
}

/// The messages of a `Ready`, one trace line each.
pub fn lines(ready: &Ready) -> Vec<String> {
    ready.messages.iter().map(ToString::to_string).collect()
}

/// Steps one message and returns the resulting effects.
pub fn step(node: &mut RaftNode, m: Message) -> Ready {
    node.step(m);
    node.ready()
}

/// Ticks until the node's election timeout fires; returns the effects of that tick.
pub fn time_out(node: &mut RaftNode) -> Ready {
    let start = node.status().current_term;
    for _ in 0..200 {
        node.tick();
        if node.status().current_term > start || node.status().role == Role::Leader {
            return node.ready();
        }
    }
    panic!("no election timeout within 200 ticks");
}

/// Makes node 1 of a `size`-node cluster the leader of `term + 1`, starting from `state`, and
/// drains the effects of winning.
pub fn leader(size: u64, state: &PersistedState) -> RaftNode {
    let mut n1 = node(1, size, state);
    time_out(&mut n1);
    let term = n1.status().current_term.0;
    for peer in 2..=size {
        n1.step(vote_reply(peer, 1, term, true));
    }
    assert_eq!(n1.status().role, Role::Leader);
    n1.ready();
    n1
}

pub fn commands(ready: &Ready) -> Vec<u64> {
    ready.committed_entries.iter().map(|e| e.index.0).collect()
}

/// An acknowledgement of leadership-check round `round` (ReadIndex and leases).
pub fn probe_ack(from: u64, to: u64, term: u64, round: u64) -> Message {
    message(from, to, term, Body::ReadProbeReply { round })
}

/// The leadership-check rounds a `Ready` sends, one per probe.
pub fn rounds(ready: &Ready) -> Vec<u64> {
    ready
        .messages
        .iter()
        .filter_map(|m| match m.body {
            Body::ReadProbe { round } => Some(round),
            _ => None,
        })
        .collect()
}
