//! What a check found: a verdict overall and one per partition, with a witness.
use std::fmt;
use std::time::Duration;

use crate::consistency::{Consistency, Decision, Judgement};

/// Whether a history (or one partition of it) is linearizable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable,
    NotLinearizable,
    /// The check could not decide (budget, memory, or skipped): never a pass.
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Linearizable => "linearizable",
            Verdict::NotLinearizable => "not linearizable",
            Verdict::Unknown => "unknown",
        })
    }
}

impl From<Verdict> for Decision {
    fn from(verdict: Verdict) -> Decision {
        match verdict {
            Verdict::Linearizable => Decision::Holds,
            Verdict::NotLinearizable => Decision::Violated,
            Verdict::Unknown => Decision::Unknown,
        }
    }
}

/// Why a partition was left undecided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// The step budget ran out.
    Steps,
    /// The time budget ran out.
    Time,
    /// The memory limit was reached.
    Memory,
    /// Another partition was not linearizable and `all_keys` was off.
    Skipped,
}

impl fmt::Display for Undecided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Undecided::Steps => "out of steps",
            Undecided::Time => "out of time",
            Undecided::Memory => "out of memory",
            Undecided::Skipped => "skipped after another partition failed",
        })
    }
}

/// The outcome for one partition (one key, or the whole history).
#[derive(Clone, Debug)]
pub struct PartitionResult {
    /// The partition's label (`key "3"`, `all`).
    pub label: String,
    pub verdict: Verdict,
    /// Why the verdict is Unknown, if it is.
    pub undecided: Option<Undecided>,
    /// Operations searched (unknown-outcome reads are left out: they constrain nothing).
    pub ops: usize,
    pub steps: u64,
    pub elapsed: Duration,
    /// The longest sequence of operations (history indices, in linearization order) the
    /// search managed to linearize. For a linearizable partition, a full linearization of
    /// its operations with known outcomes and the unknown ones it chose to include.
    pub longest_prefix: Vec<usize>,
    /// After the longest prefix, an operation that had to come next but could not be placed
    /// (history index); set when the partition is not linearizable.
    pub blocked: Option<usize>,
    /// When the polynomial fast path decided the partition not linearizable: why, as a
    /// short cycle of forced orderings (Elle-style) or an impossible read.
    pub violation: Option<crate::fastpath::Explained>,
    /// Whether a fast path (not the search) decided the partition.
    pub fast_path: bool,
}

/// The outcome of a check.
#[derive(Clone, Debug)]
pub struct CheckResult {
    /// NotLinearizable if any partition is; else Unknown if any is undecided; else
    /// Linearizable.
    pub verdict: Verdict,
    pub partitions: Vec<PartitionResult>,
}

impl CheckResult {
    /// The partitions left undecided.
    pub fn undecided(&self) -> impl Iterator<Item = &PartitionResult> {
        self.partitions.iter().filter(|partition| partition.verdict == Verdict::Unknown)
    }

    /// The partitions found not linearizable.
    pub fn failed(&self) -> impl Iterator<Item = &PartitionResult> {
        self.partitions.iter().filter(|partition| partition.verdict == Verdict::NotLinearizable)
    }

    /// The verdict with the consistency it is about (always linearizability here), worded
    /// like the results of [`check_sequential`](crate::check_sequential).
    pub fn judgement(&self) -> Judgement {
        Judgement { consistency: Consistency::Linearizable, decision: self.verdict.into() }
    }

    /// Search steps over all partitions.
    pub fn steps(&self) -> u64 {
        self.partitions.iter().map(|partition| partition.steps).sum()
    }

    /// Wall-clock time the search spent over all partitions (the checker times itself, so
    /// callers inside a deterministic harness need not read a clock to report it).
    pub fn elapsed(&self) -> Duration {
        self.partitions.iter().map(|partition| partition.elapsed).sum()
    }
}
