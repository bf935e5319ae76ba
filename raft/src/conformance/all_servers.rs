//! Figure 2, Rules for Servers, All Servers (§5.1): terms only move forward. A server adopts
//! any later term it hears of and becomes a follower, whatever it was; a request from an
//! earlier term is refused with the server's own term, so its sender learns it is stale, and
//! changes nothing.

use crate::consensus::{Consensus, Role};
use crate::message::Body;
use crate::types::{LogIndex, Term};

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::{append_answer, append_entries, entries_from, message, persisted};
use super::rpc::{request_vote, shown, vote_answer};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::AllServers;
    vec![
        Check {
            name: "higher_term_makes_a_follower",
            group,
            summary: "a leader, or a follower, that hears of a later term adopts it and \
                      follows",
            run: higher_term_makes_a_follower::<C>,
        },
        Check {
            name: "stale_term_requests_are_refused",
            group,
            summary: "AppendEntries and RequestVote of an earlier term are refused with the \
                      current term and change nothing",
            run: stale_term_requests_are_refused::<C>,
        },
    ]
}

fn higher_term_makes_a_follower<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n1 = Node::<C>::start(setup, 1, 3, persisted(0, None, &[]));
    n1.win_election()?;
    // A reply from a server that has moved on to term 5 (a refusal, as any reply might be).
    let refusal = Body::AppendEntriesReply {
        success: false,
        index: LogIndex::ZERO,
        conflict_term: None,
        conflict_index: LogIndex(1),
    };
    n1.step(message(2, 1, 5, refusal))?;
    expect_follower_in(&n1, 5, "a reply of term 5 while leading term 1")?;
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(2, Some(3), &[1]));
    n2.step(append_entries(1, 2, 4, (1, 1), vec![], 0))?;
    expect_follower_in(&n2, 4, "AppendEntries of term 4 in term 2")
}

fn expect_follower_in<C: Consensus>(
    node: &Node<'_, C>,
    term: u64,
    after: &str,
) -> Result<(), Violation> {
    let status = node.status();
    if status.role != Role::Follower || status.current_term != Term(term) {
        let what = format!(
            "after {after}, {} is {} in term {}: it must be a follower in term {term}",
            node.id(),
            status.role,
            status.current_term
        );
        return Err(Violation::new(rules::HIGHER_TERM, what));
    }
    if node.durable().hard_state.current_term != Term(term) {
        let what = format!(
            "after {after}, {} holds term {} on stable storage: it must persist term {term}",
            node.id(),
            node.durable().hard_state.current_term
        );
        return Err(Violation::new(rules::PERSIST_BEFORE_REPLY, what));
    }
    Ok(())
}

fn stale_term_requests_are_refused<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(3, None, &[1]));
    let ready = n2.step(append_entries(1, 2, 2, (1, 1), entries_from(2, &[2]), 2))?;
    let answer = append_answer(&ready, 1);
    if answer != Some((Term(3), false)) {
        let what = format!(
            "n2 in term 3 answered AppendEntries of term 2 with {}: it must refuse it \
             (success = false) in term 3, so the stale leader learns it is stale",
            shown(answer)
        );
        return Err(Violation::new(rules::APPEND_STALE_TERM, what));
    }
    let status = n2.status();
    if n2.log_term(2).is_some() || status.commit_index != LogIndex::ZERO {
        let what = format!(
            "n2 took AppendEntries of term 2 while in term 3: its log now ends at {} and its \
             commit index is {}; nothing from a stale leader may be appended or committed",
            status.last_log_index, status.commit_index
        );
        return Err(Violation::new(rules::APPEND_STALE_TERM, what));
    }
    let ready = n2.step(request_vote(1, 2, 2, (2, 9)))?;
    let answer = vote_answer(&ready, 1);
    if answer != Some((Term(3), false)) || n2.durable().hard_state.voted_for.is_some() {
        let what = format!(
            "n2 in term 3 answered RequestVote of term 2 with {} and now votes for {:?}: it \
             must refuse it in term 3 and vote for nobody",
            shown(answer),
            n2.durable().hard_state.voted_for
        );
        return Err(Violation::new(rules::VOTE_STALE_TERM, what));
    }
    Ok(())
}
