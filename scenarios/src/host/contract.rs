//! The `Ready` contract as the host enforces it: every message a server sends must already be
//! backed by what it persisted (Figure 2: "updated on stable storage before responding to
//! RPCs"). A message that is ahead of the durable state is a contract violation.
use raft::{Body, Message, NodeId, PersistedState};

/// Checks one outgoing message against the durable state, after the `Ready` was persisted.
pub(crate) fn check_message(
    me: NodeId,
    durable: &PersistedState,
    m: &Message,
) -> Result<(), String> {
    let hard = durable.hard_state;
    if m.from != me {
        return Err(format!("{me} sends a message signed by {}: {m}", m.from));
    }
    if m.term > hard.current_term {
        return Err(format!(
            "{me} sends term {} but its durable current_term is {}: {m}",
            m.term, hard.current_term
        ));
    }
    match &m.body {
        Body::RequestVote { .. } if hard.voted_for != Some(me) || hard.current_term != m.term => {
            Err(format!(
                "{me} asks for votes in term {} before persisting its own vote (durable: term {} \
                 voted_for {:?}): {m}",
                m.term, hard.current_term, hard.voted_for
            ))
        }
        Body::RequestVoteReply { vote_granted: true }
            if hard.voted_for != Some(m.to) || hard.current_term != m.term =>
        {
            Err(format!(
                "{me} grants its vote in term {} to {} before persisting it (durable: term {} \
                 voted_for {:?}): {m}",
                m.term, m.to, hard.current_term, hard.voted_for
            ))
        }
        Body::AppendEntriesReply { success: true, index, .. } if durable.last_index() < *index => {
            Err(format!(
                "{me} acknowledges entries through {index} but persisted only through {}: {m}",
                durable.last_index()
            ))
        }
        Body::InstallSnapshotReply { last_included_index }
            if durable.last_index() < *last_included_index =>
        {
            Err(format!(
                "{me} acknowledges a snapshot through {last_included_index} but persisted only \
                 through {}: {m}",
                durable.last_index()
            ))
        }
        _ => Ok(()),
    }
}

/// The term of the durable entry at `index` (the snapshot's term at its index, 0 at index 0).
pub(crate) fn durable_term(durable: &PersistedState, index: raft::LogIndex) -> Option<raft::Term> {
    let snapshot_index = durable.snapshot_index();
    if index == snapshot_index {
        return Some(durable.snapshot.as_ref().map_or(raft::Term::ZERO, |s| s.last_included_term));
    }
    if index < snapshot_index {
        return None;
    }
    durable.log.get((index.0 - snapshot_index.0 - 1) as usize).map(|e| e.term)
}
