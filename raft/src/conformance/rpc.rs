//! The messages a check sends, built from Figure 2's fields, and the replies it looks for,
//! found by their `Body` variant and the fields the paper defines (`term`, `vote_granted`,
//! `success`), never by their layout or the reference's optional hints.

use std::sync::Arc;

use crate::message::{Body, Message};
use crate::persist::PersistedState;
use crate::ready::Ready;
use crate::types::{Command, Entry, HardState, LogIndex, NodeId, Snapshot, Term};

pub(crate) fn message(from: u64, to: u64, term: u64, body: Body) -> Message {
    Message { from: NodeId(from), to: NodeId(to), term: Term(term), body }
}

/// RequestVote from candidate `from` of `term` whose log ends at `last` (term, index).
pub(crate) fn request_vote(from: u64, to: u64, term: u64, last: (u64, u64)) -> Message {
    let body = Body::RequestVote { last_log_index: LogIndex(last.1), last_log_term: Term(last.0) };
    message(from, to, term, body)
}

/// A vote granted (or not) by `from` in `term`.
pub(crate) fn vote_reply(from: u64, to: u64, term: u64, vote_granted: bool) -> Message {
    message(from, to, term, Body::RequestVoteReply { vote_granted })
}

/// AppendEntries from leader `from` of `term`: `prev` is (term, index), as traces write it.
pub(crate) fn append_entries(
    from: u64,
    to: u64,
    term: u64,
    prev: (u64, u64),
    entries: Vec<Entry>,
    leader_commit: u64,
) -> Message {
    let body = Body::AppendEntries {
        prev_log_index: LogIndex(prev.1),
        prev_log_term: Term(prev.0),
        entries,
        leader_commit: LogIndex(leader_commit),
    };
    message(from, to, term, body)
}

pub(crate) fn install_snapshot(from: u64, to: u64, term: u64, snapshot: Snapshot) -> Message {
    message(from, to, term, Body::InstallSnapshot { snapshot })
}

/// Entries with the given terms at indices `first`, `first + 1`, ...
pub(crate) fn entries_from(first: u64, terms: &[u64]) -> Vec<Entry> {
    terms
        .iter()
        .zip(first..)
        .map(|(term, index)| Entry {
            term: Term(*term),
            index: LogIndex(index),
            command: Command::from(format!("c{index}").as_str()),
        })
        .collect()
}

/// A snapshot through `index`, whose last entry has `term`.
pub(crate) fn snapshot(index: u64, term: u64) -> Snapshot {
    Snapshot {
        last_included_index: LogIndex(index),
        last_included_term: Term(term),
        data: Arc::from(format!("state@{index}").as_bytes()),
    }
}

/// What a node persisted: its term, its vote and a log with the given terms from index 1.
pub(crate) fn persisted(term: u64, voted_for: Option<u64>, log_terms: &[u64]) -> PersistedState {
    PersistedState {
        hard_state: HardState { current_term: Term(term), voted_for: voted_for.map(NodeId) },
        snapshot: None,
        log: entries_from(1, log_terms),
    }
}

/// The replies in `ready` addressed to `to` (the check's own sender).
fn replies_to(ready: &Ready, to: u64) -> impl Iterator<Item = &Message> {
    ready.messages.iter().filter(move |m| m.to == NodeId(to))
}

/// The first RequestVote reply to `to`: (its term, vote_granted).
pub(crate) fn vote_answer(ready: &Ready, to: u64) -> Option<(Term, bool)> {
    replies_to(ready, to).find_map(|m| match m.body {
        Body::RequestVoteReply { vote_granted } => Some((m.term, vote_granted)),
        _ => None,
    })
}

/// The first AppendEntries reply to `to`: (its term, success).
pub(crate) fn append_answer(ready: &Ready, to: u64) -> Option<(Term, bool)> {
    replies_to(ready, to).find_map(|m| match m.body {
        Body::AppendEntriesReply { success, .. } => Some((m.term, success)),
        _ => None,
    })
}

/// The term of the first InstallSnapshot reply to `to`.
pub(crate) fn snapshot_answer(ready: &Ready, to: u64) -> Option<Term> {
    replies_to(ready, to).find_map(|m| match m.body {
        Body::InstallSnapshotReply { .. } => Some(m.term),
        _ => None,
    })
}

/// A reply as (term, yes/no), or the lack of one, for a failure message.
pub(crate) fn shown(answer: Option<(Term, bool)>) -> String {
    match answer {
        Some((term, true)) => format!("yes in term {term}"),
        Some((term, false)) => format!("no in term {term}"),
        None => "no reply at all".to_string(),
    }
}
