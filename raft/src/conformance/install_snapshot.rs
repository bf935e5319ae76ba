//! Figure 13, InstallSnapshot receiver (§7): a snapshot from the leader replaces the log it
//! covers (keeping a matching suffix, discarding a conflicting log), is persisted and handed
//! to the service, and moves the commit and apply indices to its last entry; entries after
//! it apply from there. A stale term, or an older snapshot, never moves anything back.

use crate::consensus::Consensus;
use crate::types::{LogIndex, Term};

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::rpc::snapshot_answer;
use super::rpc::{append_entries, entries_from, install_snapshot, persisted, snapshot};
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::InstallSnapshot;
    vec![
        Check {
            name: "a_snapshot_replaces_a_shorter_log",
            group,
            summary: "a snapshot beyond the log is persisted, handed to the service, and \
                      becomes the log's start; commit and apply indices move to it; the \
                      entries after it then apply from there",
            run: a_snapshot_replaces_a_shorter_log::<C>,
        },
        Check {
            name: "a_snapshot_keeps_a_matching_suffix",
            group,
            summary: "entries after a snapshot whose last entry the log holds are kept",
            run: a_snapshot_keeps_a_matching_suffix::<C>,
        },
        Check {
            name: "a_snapshot_discards_a_conflicting_log",
            group,
            summary: "a log that does not hold the snapshot's last entry is discarded whole",
            run: a_snapshot_discards_a_conflicting_log::<C>,
        },
        Check {
            name: "stale_snapshots_change_nothing",
            group,
            summary: "a snapshot of an earlier term is refused with the current term; an \
                      older snapshot than the state is answered but never rolls it back",
            run: stale_snapshots_change_nothing::<C>,
        },
        Check {
            name: "a_restart_hands_back_the_snapshot",
            group,
            summary: "a node restarted from a snapshot hands it to the service first, and \
                      counts it as applied",
            run: a_restart_hands_back_the_snapshot::<C>,
        },
    ]
}

fn a_snapshot_replaces_a_shorter_log<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(1, None, &[1, 1]));
    install(&mut n2, 1, 5, rules::SNAPSHOT_DISCARD_LOG)?;
    expect_log_end(&n2, 5, "installing snapshot 1/5 over its log 1/1 1/2")?;
    n2.step(append_entries(1, 2, 1, (1, 5), entries_from(6, &[1, 1]), 7))?;
    let status = n2.status();
    if status.commit_index != LogIndex(7) || status.last_applied != LogIndex(7) {
        let what = format!(
            "n2 installed snapshot 1/5, then accepted entries 1/6 1/7 with leaderCommit 7; its \
             commit index is {} and it applied through {}: both must be 7",
            status.commit_index, status.last_applied
        );
        return Err(Violation::new(rules::APPLY_IN_ORDER, what));
    }
    Ok(())
}

fn a_snapshot_keeps_a_matching_suffix<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(1, None, &[1; 7]));
    install(&mut n2, 1, 5, rules::SNAPSHOT_KEEP_SUFFIX)?;
    expect_log_end(&n2, 7, "installing snapshot 1/5 over its log of seven entries of term 1")
}

fn a_snapshot_discards_a_conflicting_log<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(3, None, &[1, 1, 1, 1, 1, 2, 2]));
    install(&mut n2, 3, 5, rules::SNAPSHOT_DISCARD_LOG)?;
    expect_log_end(&n2, 5, "installing snapshot 3/5 over its log holding 1/5")
}

/// The leader of `term` installs its snapshot through `index` (of `term`) on `n2`, whose commit
/// index is below it: persisted, handed to the service, the indices moved.
fn install<C: Consensus>(
    n2: &mut Node<'_, C>,
    term: u64,
    index: u64,
    rule: &'static str,
) -> Result<(), Violation> {
    let sent = snapshot(index, term);
    let ready = n2.step(install_snapshot(1, 2, term, sent.clone()))?;
    // The service may get the snapshot in the Ready of the reply, or in the next one.
    let handed = match ready.snapshot_to_apply {
        Some(_) => ready.snapshot_to_apply.clone(),
        None => n2.ready()?.snapshot_to_apply,
    };
    let at = format!("snapshot {term}/{index}");
    let fail = |what: String| Err(Violation::new(rule, format!("n2 got {at} from n1: {what}")));
    if snapshot_answer(&ready, 1) != Some(Term(term)) {
        return fail(format!("it sent no InstallSnapshot reply of term {term}"));
    }
    if n2.durable().snapshot.as_ref() != Some(&sent) {
        return fail("the snapshot is not on stable storage after the reply".to_string());
    }
    if handed.as_ref() != Some(&sent) {
        return fail("it did not hand the snapshot to the service (snapshot_to_apply)".into());
    }
    let status = n2.status();
    if status.commit_index < LogIndex(index) || status.snapshot_index != LogIndex(index) {
        return fail(format!(
            "its commit index is {} and its snapshot index {}: both must reach {index}",
            status.commit_index, status.snapshot_index
        ));
    }
    if n2.log_term(index) != Some(Term(term)) {
        return fail(format!("log_term({index}) is {:?}, not Some({term})", n2.log_term(index)));
    }
    Ok(())
}

/// After `what`, the log ends at `last`, in memory and on stable storage.
fn expect_log_end<C: Consensus>(n2: &Node<'_, C>, last: u64, what: &str) -> Result<(), Violation> {
    let status = n2.status();
    let durable = n2.durable().last_index();
    let rule = if last > 5 { rules::SNAPSHOT_KEEP_SUFFIX } else { rules::SNAPSHOT_DISCARD_LOG };
    if status.last_log_index != LogIndex(last) || durable != LogIndex(last) {
        let what = format!(
            "after {what}, n2's log ends at {} (on stable storage at {durable}): it must end at \
             {last}",
            status.last_log_index
        );
        return Err(Violation::new(rule, what));
    }
    let kept = (6..=last).all(|i| n2.log_term(i) == Some(Term(1)));
    if !kept || n2.log_term(last + 1).is_some() {
        let what = format!("after {what}, n2's entries after the snapshot are not 6..={last}");
        return Err(Violation::new(rule, what));
    }
    Ok(())
}

fn stale_snapshots_change_nothing<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut n2 = Node::<C>::start(setup, 2, 3, persisted(3, None, &[]));
    let ready = n2.step(install_snapshot(1, 2, 2, snapshot(5, 2)))?;
    let answer = snapshot_answer(&ready, 1);
    let installed = n2.status().snapshot_index != LogIndex::ZERO
        || n2.durable().snapshot.is_some()
        || ready.snapshot_to_apply.is_some();
    if answer != Some(Term(3)) || installed {
        let what = format!(
            "n2 in term 3 got snapshot 2/5 from a leader of term 2: it answered {} and {} it; \
             it must answer in term 3 and install nothing",
            answer.map_or("nothing".to_string(), |t| format!("in term {t}")),
            if installed { "installed" } else { "did not install" }
        );
        return Err(Violation::new(rules::SNAPSHOT_STALE_TERM, what));
    }
    install(&mut n2, 3, 5, rules::SNAPSHOT_DISCARD_LOG)?;
    // A delayed, older snapshot: the harness refuses any that moves the service back.
    n2.step(install_snapshot(1, 2, 3, snapshot(3, 3)))?;
    let status = n2.status();
    if status.snapshot_index != LogIndex(5) || status.commit_index != LogIndex(5) {
        let what = format!(
            "n2 installed snapshot 3/5, then got the older snapshot 3/3: its snapshot index is \
             {} and its commit index {}: both must stay 5",
            status.snapshot_index, status.commit_index
        );
        return Err(Violation::new(rules::SNAPSHOT_NO_ROLLBACK, what));
    }
    Ok(())
}

fn a_restart_hands_back_the_snapshot<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    let mut state = persisted(7, Some(3), &[]);
    state.snapshot = Some(snapshot(4, 2));
    state.log = entries_from(5, &[6, 7]);
    let mut n2 = Node::<C>::start(setup, 2, 3, state);
    let ready = n2.ready()?;
    if ready.snapshot_to_apply != Some(snapshot(4, 2)) {
        let what = "n2 restarted from snapshot 2/4 and log 6/5 7/6; its first Ready does not \
                    hand the snapshot to the service"
            .to_string();
        return Err(Violation::new(rules::SNAPSHOT_RESTART, what));
    }
    let status = n2.status();
    let log = (n2.log_term(4), n2.log_term(5), n2.log_term(6));
    if status.current_term != Term(7)
        || status.snapshot_index != LogIndex(4)
        || status.last_log_index != LogIndex(6)
        || log != (Some(Term(2)), Some(Term(6)), Some(Term(7)))
    {
        let what = format!(
            "n2 restarted from term 7, snapshot 2/4 and log 6/5 7/6, and reports term {}, \
             snapshot index {}, last log index {}, terms at 4..6 {log:?}",
            status.current_term, status.snapshot_index, status.last_log_index
        );
        return Err(Violation::new(rules::RESTART, what));
    }
    Ok(())
}
