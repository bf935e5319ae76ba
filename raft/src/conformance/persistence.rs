//! Figure 2's persistent state: `currentTerm`, `votedFor` and `log[]` are on stable storage
//! before any reply that depends on them, so a crash forgets nothing a peer was told. Every
//! check's host already refuses a message sent ahead of its state (see `harness.rs`); this
//! check crashes the node and restarts it from exactly what it persisted.

use crate::consensus::{Consensus, Role};
use crate::types::{LogIndex, Term};

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::vote_answer;
use super::rpc::{append_answer, append_entries, entries_from, persisted, request_vote, shown};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    vec![Check {
        name: "a_restart_keeps_term_vote_and_log",
        group: Group::Persistence,
        summary: "a node restarted from what it persisted is a follower of the same term, \
                  still bound by its vote, with the entries it acknowledged",
        run: a_restart_keeps_term_vote_and_log::<C>,
    }]
}

fn a_restart_keeps_term_vote_and_log<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(0, None, &[]));
    let answer = vote_answer(&n2.step(request_vote(1, 2, 1, (0, 0)))?, 1);
    if answer != Some((Term(1), true)) {
        let what =
            format!("fresh n2 answered the first RequestVote of term 1 with {}", shown(answer));
        return Err(Violation::new(rules::VOTE_GRANT, what));
    }
    let ready = n2.step(append_entries(1, 2, 1, (0, 0), entries_from(1, &[1, 1]), 0))?;
    let answer = append_answer(&ready, 1);
    if answer != Some((Term(1), true)) {
        let what = format!(
            "n2 (empty log) answered AppendEntries prev 0/0 with entries 1/1 1/2 with {}: it \
             must accept",
            shown(answer)
        );
        return Err(Violation::new(rules::APPEND_CONFLICT, what));
    }
    n2.restart();
    n2.ready()?;
    let status = n2.status();
    let log = (n2.log_term(1), n2.log_term(2));
    if status.current_term != Term(1)
        || status.role != Role::Follower
        || status.last_log_index != LogIndex(2)
        || log != (Some(Term(1)), Some(Term(1)))
    {
        let what = format!(
            "n2 voted in term 1 and acknowledged entries 1/1 1/2, crashed and restarted from \
             what it persisted; it is {} in term {} with a log ending at {} (terms {log:?}): it \
             must be a follower in term 1 holding both entries",
            status.role, status.current_term, status.last_log_index
        );
        return Err(Violation::new(rules::RESTART, what));
    }
    let answer = vote_answer(&n2.step(request_vote(3, 2, 1, (1, 2)))?, 3);
    if answer != Some((Term(1), false)) {
        let what = format!(
            "n2 voted for n1 in term 1, crashed and restarted; it answered n3's RequestVote \
             of term 1 with {}: its vote of term 1 is spent",
            shown(answer)
        );
        return Err(Violation::new(rules::RESTART, what));
    }
    Ok(())
}
