//! Figure 2, AppendEntries receiver (§5.3): the consistency check at `prevLogIndex`, deleting
//! only a real conflict (so a delayed, shorter request never erases entries already
//! acknowledged), and a commit index that follows the leader's only as far as the entries this
//! request proved to match.

use crate::consensus::Consensus;
use crate::types::{LogIndex, Term};

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::{append_answer, append_entries, entries_from, persisted, shown};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::AppendEntries;
    vec![
        Check {
            name: "a_mismatching_prev_entry_is_refused",
            group,
            summary: "AppendEntries whose prevLogIndex is missing or holds another term is \
                      refused and appends nothing",
            run: a_mismatching_prev_entry_is_refused::<C>,
        },
        Check {
            name: "a_conflicting_suffix_is_replaced",
            group,
            summary: "a conflicting entry and all after it are replaced by the leader's; the \
                      matching entries before it stay",
            run: a_conflicting_suffix_is_replaced::<C>,
        },
        Check {
            name: "matching_entries_are_kept",
            group,
            summary: "a delayed, shorter AppendEntries whose entries all match truncates \
                      nothing",
            run: matching_entries_are_kept::<C>,
        },
        Check {
            name: "commit_index_follows_the_leader_to_the_last_new_entry",
            group,
            summary: "commitIndex becomes min(leaderCommit, index of last new entry), and the \
                      newly committed entries are applied",
            run: commit_index_follows_the_leader::<C>,
        },
    ]
}

fn a_mismatching_prev_entry_is_refused<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // A log too short: n2 holds 2 entries, the leader's prev is index 5.
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(1, None, &[1, 1]));
    let ready = n2.step(append_entries(1, 2, 1, (1, 5), entries_from(6, &[1]), 0))?;
    expect_refused(&n2, append_answer(&ready, 1), 1, 6, "prevLogIndex 5 beyond its log (2)")?;
    // A term mismatch: n2 holds term 2 at index 4, the leader says term 3.
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(3, None, &[1, 2, 2, 2]));
    let ready = n2.step(append_entries(1, 2, 3, (3, 4), entries_from(5, &[3]), 0))?;
    expect_refused(&n2, append_answer(&ready, 1), 3, 5, "term 3 at prevLogIndex 4 (it has 2)")
}

fn expect_refused<C: Consensus>(
    n2: &Node<'_, C>,
    answer: Option<(Term, bool)>,
    term: u64,
    new_index: u64,
    why: &str,
) -> Result<(), Violation> {
    if answer != Some((Term(term), false)) {
        let what = format!(
            "n2 answered AppendEntries with {why} with {}: it must refuse (success = false) \
             in term {term}",
            shown(answer)
        );
        return Err(Violation::new(rules::APPEND_PREV_MISMATCH, what));
    }
    if n2.log_term(new_index).is_some() {
        let what = format!(
            "n2 refused AppendEntries with {why}, but appended its entry at index {new_index} \
             anyway"
        );
        return Err(Violation::new(rules::APPEND_PREV_MISMATCH, what));
    }
    Ok(())
}

fn a_conflicting_suffix_is_replaced<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // n2 holds 1, 1, 2, 2; the leader of term 3 holds 1, 1, 3: index 2 matches, 3 conflicts.
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(3, None, &[1, 1, 2, 2]));
    let ready = n2.step(append_entries(1, 2, 3, (1, 1), entries_from(2, &[1, 3]), 0))?;
    let answer = append_answer(&ready, 1);
    if answer != Some((Term(3), true)) {
        let what = format!(
            "n2 (log 1 1 2 2) answered AppendEntries prev 1/1 with entries 1/2 3/3 with {}: \
             its entry at 1 matches, so it must accept (success = true) in term 3",
            shown(answer)
        );
        return Err(Violation::new(rules::APPEND_CONFLICT, what));
    }
    expect_log(&n2, &[1, 1, 3], "its log 1 1 2 2 took entries 1/2 3/3 after 1/1")
}

fn matching_entries_are_kept<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // The leader sent 1/1, then 1/1..1/3; the first request arrives last.
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(1, None, &[1, 1, 1]));
    let ready = n2.step(append_entries(1, 2, 1, (0, 0), entries_from(1, &[1]), 0))?;
    let answer = append_answer(&ready, 1);
    if answer != Some((Term(1), true)) {
        let what = format!(
            "n2 (log 1 1 1) answered AppendEntries prev 0/0 with entry 1/1 with {}: it must \
             accept (success = true) in term 1",
            shown(answer)
        );
        return Err(Violation::new(rules::APPEND_CONFLICT, what));
    }
    expect_log(&n2, &[1, 1, 1], "a delayed AppendEntries with entry 1/1 (already held)")
}

/// The node's log, in memory and on stable storage, holds exactly entries of `terms`.
fn expect_log<C: Consensus>(n2: &Node<'_, C>, terms: &[u64], after: &str) -> Result<(), Violation> {
    let last = terms.len() as u64;
    let memory: Vec<Option<Term>> = (1..=last + 1).map(|i| n2.log_term(i)).collect();
    let want: Vec<Option<Term>> = terms.iter().map(|t| Some(Term(*t))).chain([None]).collect();
    let durable: Vec<u64> = n2.durable().log.iter().map(|e| e.term.0).collect();
    if memory != want || n2.status().last_log_index != LogIndex(last) || durable != terms {
        let what = format!(
            "after {after}, n2's log holds terms {} (on stable storage {durable:?}): it must \
             hold exactly {terms:?}",
            terms_text(&memory)
        );
        return Err(Violation::new(rules::APPEND_CONFLICT, what));
    }
    Ok(())
}

fn terms_text(terms: &[Option<Term>]) -> String {
    let known: Vec<String> = terms.iter().map_while(|t| t.map(|t| t.to_string())).collect();
    format!("[{}]", known.join(", "))
}

fn commit_index_follows_the_leader<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(1, None, &[1, 1, 1, 1]));
    // The leader has committed 4, but this request proves n2's log matches only through 2:
    // entries 3 and 4 may not be the leader's.
    n2.step(append_entries(1, 2, 1, (1, 2), vec![], 4))?;
    expect_commit(&n2, 2, "AppendEntries prev 1/2, no entries, leaderCommit 4")?;
    n2.step(append_entries(1, 2, 1, (1, 4), vec![], 3))?;
    expect_commit(&n2, 3, "AppendEntries prev 1/4, no entries, leaderCommit 3")?;
    n2.step(append_entries(1, 2, 1, (1, 4), vec![], 4))?;
    expect_commit(&n2, 4, "AppendEntries prev 1/4, no entries, leaderCommit 4")
}

fn expect_commit<C: Consensus>(n2: &Node<'_, C>, want: u64, after: &str) -> Result<(), Violation> {
    let status = n2.status();
    if status.commit_index != LogIndex(want) || status.last_applied != LogIndex(want) {
        let what = format!(
            "after {after}, n2's commit index is {} and it applied through {}: both must be \
             {want}",
            status.commit_index, status.last_applied
        );
        return Err(Violation::new(rules::APPEND_COMMIT, what));
    }
    Ok(())
}
