//! Figure 2, Rules for Servers, Followers and Candidates (§5.2): a follower that hears from
//! no leader and grants no vote for an election timeout campaigns: a new term, its own vote
//! (on stable storage first), RequestVote to everyone; votes of a majority for that very term
//! make it leader, and it heartbeats at once; a leader of its term makes it a follower again.

use crate::consensus::{Consensus, Role};
use crate::message::{Body, Message};
use crate::types::{LogIndex, NodeId, Term};

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::vote_reply;
use super::rpc::{append_answer, append_entries, persisted, request_vote, shown, vote_answer};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::Elections;
    vec![
        Check {
            name: "election_timeout_starts_a_campaign",
            group,
            summary: "a follower campaigns within its election timeout and not before: next \
                      term, its own vote, RequestVote with its last log entry to every other \
                      server",
            run: election_timeout_starts_a_campaign::<C>,
        },
        Check {
            name: "granting_a_vote_resets_the_election_timer",
            group,
            summary: "a follower that keeps granting votes, each within the shortest timeout \
                      of the last, never campaigns",
            run: granting_a_vote_resets_the_election_timer::<C>,
        },
        Check {
            name: "a_majority_of_votes_makes_a_leader",
            group,
            summary: "votes of a majority make a leader that heartbeats every server; fewer \
                      do not",
            run: a_majority_of_votes_makes_a_leader::<C>,
        },
        Check {
            name: "votes_of_an_earlier_term_do_not_count",
            group,
            summary: "a vote granted in an earlier election does not count in this one",
            run: votes_of_an_earlier_term_do_not_count::<C>,
        },
        Check {
            name: "a_candidate_follows_a_leader_of_its_term",
            group,
            summary: "a candidate that hears AppendEntries of its own term becomes a follower \
                      and accepts it",
            run: a_candidate_follows_a_leader_of_its_term::<C>,
        },
    ]
}

fn election_timeout_starts_a_campaign<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n1 = Node::<C>::start(setup, 1, 3, persisted(1, None, &[1, 1]));
    let (min, max) = (n1.config().election_ticks_min, n1.config().election_ticks_max);
    let early = n1.ticks(min - 1)?;
    if n1.status().current_term != Term(1) || !early.is_empty() {
        let what = format!(
            "n1 campaigned (or sent {} messages) within {} ticks of its start, before the \
             shortest election timeout of {min} ticks",
            early.len(),
            min - 1
        );
        return Err(Violation::new(rules::FOLLOWER_TIMEOUT, what));
    }
    // A tick of slack at the end: whether a timer fires when the count reaches the timeout
    // or passes it is the implementation's choice.
    let mut sent = Vec::new();
    for _ in min..=max {
        sent.extend(n1.tick()?.messages);
        if n1.status().current_term > Term(1) {
            break;
        }
    }
    let status = n1.status();
    if status.role != Role::Candidate || status.current_term != Term(2) {
        let what = format!(
            "n1 heard from nobody for {max} ticks (the longest election timeout) and is {} in \
             term {}: it must be a candidate in term 2",
            status.role, status.current_term
        );
        return Err(Violation::new(rules::FOLLOWER_TIMEOUT, what));
    }
    expect_requests(&n1, &sent)
}

/// RequestVote of the candidate's term, with its last entry (term 1 at index 2), to each
/// other server. (The harness checked that its own vote was on stable storage first.)
fn expect_requests<C: Consensus>(n1: &Node<'_, C>, sent: &[Message]) -> Result<(), Violation> {
    for peer in [NodeId(2), NodeId(3)] {
        let asked = sent.iter().any(|m| {
            m.to == peer
                && m.term == Term(2)
                && m.body
                    == Body::RequestVote { last_log_index: LogIndex(2), last_log_term: Term(1) }
        });
        if !asked {
            let what = format!(
                "n1 started campaigning in term 2 but sent {peer} no RequestVote of term 2 \
                 with its last entry (last_log_term 1, last_log_index 2)"
            );
            return Err(Violation::new(rules::START_ELECTION, what));
        }
    }
    if n1.durable().hard_state.voted_for != Some(NodeId(1)) {
        let what = "n1 campaigns in term 2 but has not voted for itself".to_string();
        return Err(Violation::new(rules::START_ELECTION, what));
    }
    Ok(())
}

fn granting_a_vote_resets_the_election_timer<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(0, None, &[]));
    let (min, max) = (n2.config().election_ticks_min, n2.config().election_ticks_max);
    // Each gap is shorter than any timeout, and together they outlast the longest one.
    let rounds = u64::from(max / (min - 1) + 2);
    for term in 1..=rounds {
        let sent = n2.ticks(min - 1)?;
        if n2.status().role != Role::Follower || !sent.is_empty() {
            let what = format!(
                "n2 granted a vote {} ticks ago, fewer than the shortest election timeout \
                 ({min}), and campaigned (or sent {} messages) anyway",
                min - 1,
                sent.len()
            );
            return Err(Violation::new(rules::FOLLOWER_TIMEOUT, what));
        }
        let ready = n2.step(request_vote(1, 2, term, (0, 0)))?;
        let answer = vote_answer(&ready, 1);
        if answer != Some((Term(term), true)) {
            let what = format!(
                "n2 (empty log) answered the first RequestVote of term {term} with {}: it must \
                 grant it",
                shown(answer)
            );
            return Err(Violation::new(rules::VOTE_GRANT, what));
        }
    }
    Ok(())
}

fn a_majority_of_votes_makes_a_leader<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // Five servers: one other vote is two of five, not a majority.
    let mut n1 = Node::<C>::start(setup, 1, 5, persisted(0, None, &[]));
    n1.time_out()?;
    let term = n1.status().current_term.0;
    n1.step(vote_reply(2, 1, term, true))?;
    n1.step(vote_reply(2, 1, term, true))?; // a duplicate is still one vote
    if n1.status().role == Role::Leader {
        let what = format!("n1 of five servers leads term {term} with two votes (its own, n2's)");
        return Err(Violation::new(rules::WIN_ELECTION, what));
    }
    let mut sent = n1.step(vote_reply(3, 1, term, true))?.messages;
    if n1.status().role != Role::Leader {
        let what = format!(
            "n1 of five servers holds the votes of n1, n2 and n3 for term {term}, a majority, \
             and is {}",
            n1.status().role
        );
        return Err(Violation::new(rules::WIN_ELECTION, what));
    }
    sent.extend(n1.ticks(n1.config().heartbeat_ticks)?);
    for peer in 2..=5 {
        let heartbeat = sent.iter().any(|m| {
            m.to == NodeId(peer)
                && m.term == Term(term)
                && matches!(m.body, Body::AppendEntries { .. })
        });
        if !heartbeat {
            let what = format!(
                "n1 won term {term} but sent n{peer} no AppendEntries of term {term} within a \
                 heartbeat interval ({} ticks)",
                n1.config().heartbeat_ticks
            );
            return Err(Violation::new(rules::HEARTBEAT_ON_ELECTION, what));
        }
    }
    Ok(())
}

fn votes_of_an_earlier_term_do_not_count<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n1 = Node::<C>::start(setup, 1, 3, persisted(1, Some(1), &[]));
    n1.time_out()?;
    let term = n1.status().current_term;
    // n2's grant from the election of term 1 arrives late.
    n1.step(vote_reply(2, 1, 1, true))?;
    if n1.status().role == Role::Leader {
        let what = format!(
            "n1 became leader of term {term} by counting n2's vote of term 1, granted for an \
             earlier election"
        );
        return Err(Violation::new(rules::WIN_ELECTION, what));
    }
    Ok(())
}

fn a_candidate_follows_a_leader_of_its_term<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n1 = Node::<C>::start(setup, 1, 3, persisted(0, None, &[]));
    n1.time_out()?;
    let term = n1.status().current_term.0;
    let ready = n1.step(append_entries(2, 1, term, (0, 0), vec![], 0))?;
    let answer = append_answer(&ready, 2);
    if n1.status().role != Role::Follower || answer != Some((Term(term), true)) {
        let what = format!(
            "candidate n1 of term {term} got AppendEntries of term {term} from n2, which won \
             that term; n1 is {} and answered {}: it must follow n2 and accept",
            n1.status().role,
            shown(answer)
        );
        return Err(Violation::new(rules::NEW_LEADER, what));
    }
    Ok(())
}
