//! The linearizability check of a KV history (SCENARIOS.md 40): the checker's kv model,
//! partitioned by key, under a deterministic step budget. Not linearizable fails the scenario;
//! a budget spent is Unknown, reported distinctly (exit code 4) and never a pass.
use std::time::{Duration, Instant};

use checker::models::Kv;
use checker::{check, Model, Verdict};

use super::history::KvHistory;
use crate::failure::{Check, Failure};

/// Search steps a history may cost. Steps, not wall time, so the verdict is the same on any
/// machine and the replay command reproduces it.
pub const CHECK_STEPS: u64 = 20_000_000;

/// Checks `history`; returns the verdict's check and the wall time the checker took (for the
/// suite benchmark, which reports checking separately from simulation).
pub fn check_history(history: &KvHistory) -> (Check, Duration) {
    // The checker runs after the simulation and its wall time is only reported (the suite
    // benchmark shows it apart from simulating), never fed back into the verdict.
    #[allow(clippy::disallowed_methods)]
    let started = Instant::now();
    let ops = history.to_checker();
    let options = checker::Options { max_steps: Some(CHECK_STEPS), ..checker::Options::default() };
    let model = Kv;
    let result = check(&model, &ops, &options);
    let elapsed = started.elapsed();
    let verdict = match result.verdict {
        Verdict::Linearizable => Ok(()),
        Verdict::NotLinearizable => {
            let failed = result.failed().next().expect("a failed partition");
            let blocked = failed.blocked.map(|i| &ops[i]).map_or(String::new(), |op| {
                let output = match &op.outcome {
                    checker::Outcome::Returned { output, .. } => Some(output),
                    checker::Outcome::Unknown => None,
                };
                format!(
                    "; no linearization places {} by {} (called at {} ns)",
                    model.describe_operation(&op.input, output),
                    op.client,
                    op.call
                )
            });
            Err(Failure::not_linearizable(format!(
                "the history of {} operations is not linearizable on {} ({} operations \
                 linearized before the search got stuck){blocked}",
                ops.len(),
                failed.label,
                failed.longest_prefix.len()
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
    (verdict, elapsed)
}
