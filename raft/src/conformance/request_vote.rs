//! Figure 2, RequestVote receiver (§5.2, §5.4.1): a server grants at most one vote per term,
//! and only to a candidate whose log is at least as up-to-date as its own, so two leaders
//! never share a term and a leader never lacks a committed entry.

use crate::consensus::Consensus;
use crate::types::Term;

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::{persisted, request_vote, shown, vote_answer};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::RequestVote;
    vec![
        Check {
            name: "one_vote_per_term",
            group,
            summary: "a server grants its vote of a term to one candidate, and refuses every \
                      other candidate of that term",
            run: one_vote_per_term::<C>,
        },
        Check {
            name: "votes_only_for_an_up_to_date_log",
            group,
            summary: "a vote goes only to a candidate whose last entry has a later term, or \
                      the same term and an index at least as high",
            run: votes_only_for_an_up_to_date_log::<C>,
        },
    ]
}

fn one_vote_per_term<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(0, None, &[]));
    expect_vote(&mut n2, 1, 1, (0, 0), true, "the first candidate of term 1")?;
    expect_vote(&mut n2, 3, 1, (0, 0), false, "a second candidate of term 1")?;
    // A new term frees the vote again.
    expect_vote(&mut n2, 3, 2, (0, 0), true, "the first candidate of term 2")
}

fn votes_only_for_an_up_to_date_log<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // n2's log ends with term 2 at index 2.
    let state = persisted(2, None, &[1, 2]);
    let mut n2 = Node::<C>::start(setup, 2, 3, state.clone());
    let older = "a candidate whose log is longer but ends in an earlier term (1 at 5)";
    expect_vote(&mut n2, 1, 3, (1, 5), false, older)?;
    let shorter = "a candidate whose log ends in the same term but is shorter (2 at 1)";
    expect_vote(&mut n2, 3, 3, (2, 1), false, shorter)?;
    let equal = "a candidate whose log ends exactly where n2's does (2 at 2)";
    expect_vote(&mut n2, 3, 3, (2, 2), true, equal)?;
    let mut n2 = Node::<C>::start(setup, 2, 3, state);
    let later = "a candidate whose log is shorter but ends in a later term (3 at 1)";
    expect_vote(&mut n2, 1, 4, (3, 1), true, later)
}

/// Candidate `from` asks for `node`'s vote in `term` with its log ending at `last` (term,
/// index); the vote must be granted or refused as `grant` says.
fn expect_vote<C: Consensus>(
    node: &mut Node<'_, C>,
    from: u64,
    term: u64,
    last: (u64, u64),
    grant: bool,
    who: &str,
) -> Result<(), Violation> {
    let ready = node.step(request_vote(from, node.id().0, term, last))?;
    let answer = vote_answer(&ready, from);
    if answer == Some((Term(term), grant)) {
        return Ok(());
    }
    let own = (node.status().last_log_index, node.log_term(node.status().last_log_index.0));
    let what = format!(
        "{} (log ending at index {}, term {}) answered {who}, n{from}, with {}: it must answer \
         {} in term {term}",
        node.id(),
        own.0,
        own.1.map_or("?".to_string(), |t| t.to_string()),
        shown(answer),
        if grant { "yes" } else { "no" }
    );
    let rule = if last.0 > 0 && !grant { rules::UP_TO_DATE } else { rules::VOTE_GRANT };
    Err(Violation::new(rule, what))
}
