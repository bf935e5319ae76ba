//! Delta debugging over a failing partition: the fewest operations whose recorded responses
//! still make it not linearizable.
//!
//! Minimizing is bounded by counts (candidate checks, and search steps summed over them), so
//! the same history gets the same explanation on every machine; a wall-clock bound is only an
//! outer safety net for a caller that has a deadline, and the result then says it was cut.
use std::fmt;
use std::time::{Duration, Instant};

use super::candidate::{context, weakened};
use super::ddmin::ddmin;
use crate::budget::Options;
use crate::history::History;
use crate::model::Model;
use crate::result::{CheckResult, Verdict};
use crate::search::check;

/// How much minimizing may spend.
#[derive(Clone, Debug)]
pub struct MinimizeOptions {
    /// The budget of each candidate's check. A candidate whose check runs out counts as
    /// passing, so a tight budget gives a larger (still sound) core, never a wrong one.
    pub per_check: Options,
    /// Candidate checks in all; once spent, the core found so far is returned as it is.
    pub max_checks: usize,
    /// Search steps over all the checks (the sum of their [`CheckResult::steps`]); a check
    /// gets at most what is left, and once spent, the core found so far is returned.
    pub max_steps: Option<u64>,
    /// Wall-clock time for all the checks, likewise. Not deterministic: only a safety bound
    /// for a caller with a deadline (`None` by default).
    pub max_time: Option<Duration>,
}

impl Default for MinimizeOptions {
    fn default() -> MinimizeOptions {
        MinimizeOptions {
            per_check: Options { max_steps: Some(200_000), ..Options::default() },
            max_checks: 2_000,
            max_steps: Some(DEFAULT_MAX_STEPS),
            max_time: None,
        }
    }
}

/// The default total: generous, for callers that want the smallest core and can wait (about
/// 45 s here; Knossos' cas-failure.edn needs 560 million steps, 25 s); `tenrec check` sets
/// its own.
pub const DEFAULT_MAX_STEPS: u64 = 1_000_000_000;

/// Which of [`MinimizeOptions`]' totals ran out before minimizing finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    Checks,
    Steps,
    Time,
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cut::Checks => "checks",
            Cut::Steps => "steps",
            Cut::Time => "time",
        })
    }
}

/// A minimal failing sub-history of one partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minimal {
    /// Operations kept exactly as recorded (history indices, in the partition's order).
    pub core: Vec<usize>,
    /// The partition's other state-changing operations the witness still contains, weakened
    /// to "took effect at some point after the call, or never" (history indices).
    pub context: Vec<usize>,
    /// Whether weakening any single core operation was checked to make the witness
    /// linearizable (false when a check ran out of budget instead).
    pub one_minimal: bool,
    /// Candidate histories checked.
    pub checks: usize,
    /// Search steps over all the candidate checks.
    pub steps: u64,
    /// The total that ran out, if one did (the core may then not be minimal).
    pub cut: Option<Cut>,
}

impl Minimal {
    /// The witness history: the core as recorded and the context without responses. Its
    /// check is NotLinearizable, and so is the original history's.
    pub fn history<M: Model>(
        &self,
        model: &M,
        history: &History<M::Input, M::Output>,
    ) -> History<M::Input, M::Output> {
        let mut all: Vec<usize> = self.core.iter().chain(&self.context).copied().collect();
        all.sort_unstable();
        weakened(model, history, &all, &self.core).into_iter().map(|(_, op)| op).collect()
    }
}

/// Times the per-check step budget grows when a core's 1-minimality rests on checks that ran
/// out of budget: a harder candidate then gets another chance to be decided.
const ESCALATIONS: u32 = 2;
const GROWTH: u64 = 10;

/// Minimizes the operations of `partition` (history indices) that make it not linearizable.
/// Returns `None` when the partition itself is not found NotLinearizable within the budget.
pub fn minimize<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &[usize],
    options: &MinimizeOptions,
) -> Option<Minimal> {
    let mut tester = Tester {
        model,
        history,
        partition,
        checks: 0,
        max_checks: options.max_checks,
        steps: 0,
        max_steps: options.max_steps,
        deadline: options.max_time.map(|limit| Instant::now() + limit),
        cut: None,
    };
    let mut per_check = options.per_check.clone();
    // The whole partition is the hardest candidate: it gets what the last escalation would.
    let most = per_check.max_steps.map(|steps| steps.saturating_mul(GROWTH.pow(ESCALATIONS)));
    let whole = Options { max_steps: most, ..per_check.clone() };
    if tester.test(partition, &whole) != Verdict::NotLinearizable {
        return None;
    }
    let mut core = partition.to_vec();
    for escalation in 0..=ESCALATIONS {
        let mut undecided = false;
        core = ddmin(&core, |candidate| match tester.test(candidate, &per_check) {
            Verdict::NotLinearizable => true,
            Verdict::Linearizable => false,
            Verdict::Unknown => {
                undecided = true;
                false
            }
        });
        if !undecided || escalation == ESCALATIONS || tester.spent().is_some() {
            break;
        }
        per_check.max_steps = per_check.max_steps.map(|steps| steps.saturating_mul(GROWTH));
    }
    let one_minimal = (0..core.len()).all(|skip| {
        let mut smaller = core.clone();
        smaller.remove(skip);
        tester.test(&smaller, &per_check) == Verdict::Linearizable
    });
    let context = context(model, history, partition, &core);
    let (checks, steps, cut) = (tester.checks, tester.steps, tester.cut);
    Some(Minimal { core, context, one_minimal, checks, steps, cut })
}

/// Checks candidate cores, counting the checks, their steps and the time against the totals.
struct Tester<'a, M: Model> {
    model: &'a M,
    history: &'a History<M::Input, M::Output>,
    partition: &'a [usize],
    checks: usize,
    max_checks: usize,
    steps: u64,
    max_steps: Option<u64>,
    deadline: Option<Instant>,
    /// The first total that cut a check short (or refused one).
    cut: Option<Cut>,
}

impl<M: Model> Tester<'_, M> {
    /// The verdict on the weakened history of `core`, within what is left of the totals;
    /// Unknown once they are spent.
    fn test(&mut self, core: &[usize], per_check: &Options) -> Verdict {
        if let Some(cut) = self.spent() {
            self.cut.get_or_insert(cut);
            return Verdict::Unknown;
        }
        self.checks += 1;
        // Only the verdict matters here: no witness search after a fast-path violation.
        let mut options = Options { witness: false, ..per_check.clone() };
        if let Some(max) = self.max_steps {
            let left = max.saturating_sub(self.steps);
            options.max_steps = Some(options.max_steps.map_or(left, |steps| steps.min(left)));
        }
        if let Some(deadline) = self.deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            options.max_time = Some(options.max_time.map_or(left, |time| time.min(left)));
        }
        let candidate: History<M::Input, M::Output> =
            weakened(self.model, self.history, self.partition, core)
                .into_iter()
                .map(|(_, op)| op)
                .collect();
        let result = check(self.model, &candidate, &options);
        self.steps += result.steps();
        if result.verdict == Verdict::Unknown {
            if let Some(cut) = self.spent() {
                self.cut.get_or_insert(cut);
            }
        }
        result.verdict
    }

    /// The total that is spent, if one is: time first, as the one a reader must know about.
    fn spent(&self) -> Option<Cut> {
        if self.deadline.is_some_and(|at| Instant::now() >= at) {
            Some(Cut::Time)
        } else if self.max_steps.is_some_and(|max| self.steps >= max) {
            Some(Cut::Steps)
        } else if self.checks >= self.max_checks {
            Some(Cut::Checks)
        } else {
            None
        }
    }
}

/// A minimal failing sub-history of a check's first NotLinearizable partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The partition's position in `result.partitions` (and in `model.partition(history)`).
    pub partition: usize,
    pub minimal: Minimal,
}

/// Minimizes the first partition `result` found not linearizable; `None` when there is none
/// (or it does not fail again within the per-check budget).
pub fn explain_first_failure<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    result: &CheckResult,
    options: &MinimizeOptions,
) -> Option<Explanation> {
    let partition = result.partitions.iter().position(|p| p.verdict == Verdict::NotLinearizable)?;
    // `check` reports partitions in the order `model.partition` gives them.
    let ops = model.partition(history).into_iter().nth(partition)?.ops;
    let minimal = minimize(model, history, &ops, options)?;
    Some(Explanation { partition, minimal })
}
