//! The linearizability check of a KV history (SCENARIOS.md 40): the checker's kv model,
//! partitioned by key, under a deterministic step budget. Not linearizable fails the scenario;
//! a budget spent is Unknown, reported distinctly (exit code 4) and never a pass. A failure
//! says which key, its minimal failing sub-history and the operation that cannot be placed.
use std::time::Duration;

use checker::models::Kv;
use checker::{check, Verdict};

use super::explain::{explain, HEADLINE};
use super::history::KvHistory;
use crate::failure::{Broke, Check, Failure};

/// Search steps a history may cost. Steps, not wall time, so the verdict is the same on any
/// machine and the replay command reproduces it.
pub const CHECK_STEPS: u64 = 20_000_000;

/// Checks `history`; returns the verdict's check and the wall time the checker's search took,
/// as the checker measured it (for the suite benchmark, which reports checking separately
/// from simulation; it never feeds back into the verdict).
pub fn check_history(history: &KvHistory) -> (Check, Duration) {
    let ops = history.to_checker();
    let options = checker::Options { max_steps: Some(CHECK_STEPS), ..checker::Options::default() };
    let result = check(&Kv, &ops, &options);
    let verdict = match result.verdict {
        Verdict::Linearizable => Ok(()),
        // The explanation is deterministic (bounded by checks and steps), so the replay
        // command prints the very same text.
        Verdict::NotLinearizable => Err(Failure::not_linearizable(explain(&ops, &result))),
        Verdict::Unknown => {
            let undecided: Vec<String> = result
                .undecided()
                .map(|p| {
                    format!("{} ({})", p.label, p.undecided.map_or("?".into(), |u| u.to_string()))
                })
                .collect();
            Err(Failure::undecided(format!(
                "the checker could not decide {} of {} operations within {CHECK_STEPS} steps: {}",
                undecided.len(),
                ops.len(),
                undecided.join(", ")
            )))
        }
    };
    // Explaining a violation is part of checking, so it counts as checker time too.
    (verdict, result.elapsed())
}

/// `failure` with the checker's explanation of `history` added, when it is a failed read or
/// append check (the lab's checks name the symptom, a value read; the explanation names the
/// operations that cannot be ordered). The linearizability check explains its own failures,
/// and other failures are left as they are. Runs after the simulation stopped, so the run and
/// its trace are what they were.
pub fn with_explanation(failure: Failure, history: &KvHistory) -> Failure {
    if failure.broke != Broke::NotLinearizable || failure.message.starts_with(HEADLINE) {
        return failure;
    }
    let ops = history.to_checker();
    let options = checker::Options { max_steps: Some(CHECK_STEPS), ..checker::Options::default() };
    let result = check(&Kv, &ops, &options);
    match result.verdict {
        Verdict::NotLinearizable => Failure::not_linearizable(format!(
            "{}\n    the checker agrees: {}",
            failure.message,
            explain(&ops, &result)
        )),
        // The lab's check alone stands: the operations recorded so far can be ordered, or the
        // checker could not say within its budget.
        Verdict::Linearizable | Verdict::Unknown => failure,
    }
}
