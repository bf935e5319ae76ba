//! The KV checks' budgets, in counts only (search steps, candidate checks), never wall time:
//! the verdict and the explanation of a failure are then the same on every machine and every
//! replay. One file, so the check and its explanation agree on them.
use checker::explain::MinimizeOptions;

/// Search steps a history may cost. Steps, not wall time, so the verdict is the same on any
/// machine and the replay command reproduces it.
pub const CHECK_STEPS: u64 = 20_000_000;

/// Candidate histories minimizing may check. Delta debugging needs a few checks per kept
/// operation; a few hundred shrink the partitions the KV scenarios record (tens to hundreds of
/// operations per key) to their core.
pub const MINIMIZE_CHECKS: usize = 400;

/// Search steps of one candidate's check (the checker escalates it at most twice, 10x each,
/// when a candidate could not be decided).
pub const MINIMIZE_STEPS: u64 = 20_000;

/// The minimizer's budget: counts only, no wall-clock bound. Each candidate's memo is kept
/// small, as `tenrec check` does: a weakened candidate with many unknown outcomes could
/// otherwise fill the default memory limit on every check.
pub fn minimize_options() -> MinimizeOptions {
    MinimizeOptions {
        per_check: checker::Options {
            max_steps: Some(MINIMIZE_STEPS),
            max_memory: 64 << 20,
            ..checker::Options::default()
        },
        max_checks: MINIMIZE_CHECKS,
        // The checks' count and their steps each bound it already.
        max_steps: None,
        max_time: None,
    }
}
