//! The linearizability check of a KV history (SCENARIOS.md 40): the checker's kv model,
//! partitioned by key, under a deterministic step budget. Not linearizable fails the scenario;
//! a budget spent is Unknown, reported distinctly (exit code 4) and never a pass. A failure
//! says which key, its minimal failing sub-history and the operation that cannot be placed.
use checker::models::Kv;
use checker::{check, Verdict};

use super::budget::CHECK_STEPS;
use super::explain::{explain, HEADLINE};
use super::history::KvHistory;
use super::layer::CheckCost;
use crate::failure::{Broke, Check, Failure};

/// Checks `history`; returns the verdict's check and what the search cost: its steps, and the
/// wall time the checker measured (for the suite benchmark, which reports checking apart from
/// simulation; it never feeds back into the verdict).
/// With `explain` off, a failure names the failing keys only: minimizing the history is the
/// costly part of a failure, and a sweep or a grader that will rerun the seed for its report
/// need not pay it twice.
pub fn check_history(history: &KvHistory, explain_failure: bool) -> (Check, CheckCost) {
    let ops = history.to_checker();
    let options = checker::Options { max_steps: Some(CHECK_STEPS), ..checker::Options::default() };
    let result = check(&Kv, &ops, &options);
    let verdict = match result.verdict {
        Verdict::Linearizable => Ok(()),
        // The explanation is deterministic (bounded by checks and steps), so the replay
        // command prints the very same text.
        Verdict::NotLinearizable if explain_failure => {
            Err(Failure::not_linearizable(explain(&ops, &result)))
        }
        Verdict::NotLinearizable => {
            let keys: Vec<&str> = result.failed().map(|p| p.label.as_str()).collect();
            Err(Failure::not_linearizable(format!(
                "{HEADLINE}{} operations is not linearizable on {} (unexplained: run this seed \
                 alone for the minimal failing sub-history)",
                ops.len(),
                keys.join(", ")
            )))
        }
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
    let fast_path_keys = result.partitions.iter().filter(|p| p.fast_path).count() as u64;
    (verdict, CheckCost { steps: result.steps(), fast_path_keys, time: result.elapsed() })
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
