//! Delta debugging over a failing partition: the fewest operations whose recorded responses
//! still make it not linearizable.
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
    /// Wall-clock time for all the checks; once spent, likewise.
    pub max_time: Option<Duration>,
}

impl Default for MinimizeOptions {
    fn default() -> MinimizeOptions {
        MinimizeOptions {
            per_check: Options { max_steps: Some(200_000), ..Options::default() },
            max_checks: 2_000,
            max_time: Some(Duration::from_secs(60)),
        }
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
        deadline: options.max_time.map(|limit| Instant::now() + limit),
    };
    let mut per_check = options.per_check.clone();
    if tester.test(partition, &per_check) != Verdict::NotLinearizable {
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
        if !undecided || escalation == ESCALATIONS || tester.out_of_checks() {
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
    Some(Minimal { core, context, one_minimal, checks: tester.checks })
}

/// Checks candidate cores, counting the checks and the time against their limits.
struct Tester<'a, M: Model> {
    model: &'a M,
    history: &'a History<M::Input, M::Output>,
    partition: &'a [usize],
    checks: usize,
    max_checks: usize,
    deadline: Option<Instant>,
}

impl<M: Model> Tester<'_, M> {
    /// The verdict on the weakened history of `core`; Unknown once the checks are spent.
    fn test(&mut self, core: &[usize], options: &Options) -> Verdict {
        if self.out_of_checks() {
            return Verdict::Unknown;
        }
        self.checks += 1;
        let candidate: History<M::Input, M::Output> =
            weakened(self.model, self.history, self.partition, core)
                .into_iter()
                .map(|(_, op)| op)
                .collect();
        check(self.model, &candidate, options).verdict
    }

    fn out_of_checks(&self) -> bool {
        self.checks >= self.max_checks || self.deadline.is_some_and(|at| Instant::now() >= at)
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
