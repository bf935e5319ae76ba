//! The sequential-consistency check of a KV history (issue 14): is there one order of every
//! operation that keeps each clerk's own order (not real time) and is a legal run of the kv
//! model? Follower reads promise this and not linearizability. The whole history is searched
//! at once, every key together, because sequential consistency is not local; the step budget
//! is the linearizability check's, so the verdict is the same on every machine, and a budget
//! spent is Unknown (exit code 4), never a pass.
use checker::models::Kv;
use checker::{check_sequential, Decision};

use super::budget::CHECK_STEPS;
use super::history::KvHistory;
use super::layer::CheckCost;
use crate::failure::{Check, Failure};

/// Checks `history` for sequential consistency; returns the verdict's check and its cost.
pub fn check_sequential_history(history: &KvHistory) -> (Check, CheckCost) {
    let ops = history.to_checker();
    let options = checker::Options { max_steps: Some(CHECK_STEPS), ..checker::Options::default() };
    let result = match check_sequential(&Kv, &ops, &options) {
        Ok(result) => result,
        // A clerk runs one operation at a time, so this is the history layer's own bug.
        Err(error) => {
            let failure = Failure::assertion(format!("the history has no program order: {error}"));
            return (Err(failure), CheckCost::default());
        }
    };
    let verdict = match result.verdict {
        Decision::Holds => Ok(()),
        Decision::Violated => {
            let blocked: Vec<String> = result
                .blocked
                .iter()
                .map(|b| format!("{} (op {} on {}, where {})", b.client, b.op, b.part, b.state))
                .collect();
            Err(Failure::not_linearizable(format!(
                "the history of {} operations is not even sequentially consistent: after the \
                 longest order found ({} operations), no client's next operation fits: {}",
                ops.len(),
                result.longest_prefix.len(),
                blocked.join("; ")
            )))
        }
        Decision::Unknown => Err(Failure::undecided(format!(
            "the sequential-consistency check of {} operations could not decide within \
             {CHECK_STEPS} steps",
            ops.len()
        ))),
    };
    (verdict, CheckCost { steps: result.steps, fast_path_keys: 0, time: result.elapsed })
}
