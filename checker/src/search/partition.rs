//! Checking a history partition by partition (P-compositionality), interleaved so that one
//! hard partition cannot starve the others, under a shared step, time and memory budget.
use std::time::{Duration, Instant};

use super::linearize::{Mode, Progress, Search, Start};
use super::segmented::Segmented;
use crate::budget::Options;
use crate::fastpath::{decide, FastBudget, FastResult};
use crate::history::History;
use crate::model::{Model, Partition};
use crate::result::{CheckResult, PartitionResult, Undecided, Verdict};

/// Checks `history` against `model`: splits it with `model.partition`, then searches the
/// partitions round-robin, `options.slice_steps` steps at a time.
pub fn check<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    options: &Options,
) -> CheckResult {
    let started = Instant::now();
    let partitions = model.partition(history);
    let mut results: Vec<PartitionResult> = partitions
        .iter()
        .map(|partition| PartitionResult {
            label: partition.label.clone(),
            verdict: Verdict::Unknown,
            undecided: None,
            ops: partition.ops.len(),
            steps: 0,
            elapsed: Duration::ZERO,
            longest_prefix: Vec::new(),
            blocked: None,
            violation: None,
            fast_path: false,
        })
        .collect();
    let mut searches: Vec<Option<Segmented<'_, M>>> = Vec::with_capacity(partitions.len());
    // Steps so far: the witness searches after fast-path violations count against the budget.
    let mut total_steps = 0u64;
    for (partition, result) in partitions.iter().zip(&mut results) {
        let steps_left = options.max_steps.map_or(u64::MAX, |max| max.saturating_sub(total_steps));
        let decided = options.fast_paths
            && try_fast_path(model, history, partition, options, started, steps_left, result);
        total_steps += result.steps;
        searches.push((!decided).then(|| Segmented::new(model, history, &partition.ops)));
    }
    let mut stop: Option<Undecided> = None;
    if !options.all_keys && results.iter().any(|result| result.verdict == Verdict::NotLinearizable)
    {
        stop = Some(Undecided::Skipped);
    } else if results.iter().any(|result| result.undecided == Some(Undecided::Time)) {
        stop = Some(Undecided::Time);
    }
    // Short slices first, so easy partitions (and an easy violation) are found at once;
    // doubling keeps the switching overhead small for the hard ones.
    let mut round_slice = (options.slice_steps / 64).max(1);
    while stop.is_none() && searches.iter().any(Option::is_some) {
        for index in 0..searches.len() {
            let Some(search) = searches[index].as_mut() else { continue };
            let slice = match options.max_steps {
                Some(max) => round_slice.min(max.saturating_sub(total_steps)),
                None => round_slice,
            };
            let slice_started = Instant::now();
            let before = search.steps();
            let progress = search.run(slice);
            total_steps += search.steps() - before;
            let result = &mut results[index];
            result.elapsed += slice_started.elapsed();
            result.ops = search.ops();
            if progress != Progress::Paused {
                finish(result, search, progress);
                searches[index] = None;
                if progress == Progress::NotLinearizable && !options.all_keys {
                    stop = Some(Undecided::Skipped);
                    break;
                }
            }
            stop = stop.or_else(|| out_of_budget(options, total_steps, started));
            if stop.is_some() {
                break;
            }
            enforce_memory(options, &mut searches, &mut results);
        }
        round_slice = (round_slice * 2).min(options.slice_steps.max(1));
    }
    for (index, search) in searches.iter().enumerate() {
        if let Some(search) = search {
            give_up(&mut results[index], search, stop.unwrap_or(Undecided::Memory));
        }
    }
    CheckResult { verdict: overall(&results), partitions: results }
}

/// Decides a partition by a polynomial fast path, if one applies and fits the budget: true
/// when `result` is then final. A violation is also searched for its witness (the longest
/// prefix and the operation that cannot follow it, which reports draw) when the partition is
/// small enough for that to be quick.
fn try_fast_path<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &Partition,
    options: &Options,
    started: Instant,
    steps_left: u64,
    result: &mut PartitionResult,
) -> bool {
    let fast_started = Instant::now();
    let deadline = options.max_time.map(|limit| started + limit);
    let budget = FastBudget { deadline, max_memory: options.max_memory };
    let found = decide(model, history, &partition.ops, &budget);
    result.elapsed += fast_started.elapsed();
    match found {
        None => false,
        // Out of budget: the search would have even less of it.
        Some(FastResult::Undecided(why)) => {
            result.undecided = Some(why);
            true
        }
        Some(FastResult::Linearizable { order }) => {
            result.verdict = Verdict::Linearizable;
            result.longest_prefix = order;
            result.fast_path = true;
            true
        }
        Some(FastResult::NotLinearizable(explained)) => {
            result.verdict = Verdict::NotLinearizable;
            result.violation = Some(explained);
            result.fast_path = true;
            if options.witness && partition.ops.len() <= WITNESS_SEARCH_OPS {
                let max_steps = WITNESS_SEARCH_STEPS.min(steps_left);
                witness(model, history, partition, max_steps, result);
            }
            true
        }
    }
}

/// The largest partition whose fast-path violation is searched again for a witness prefix.
const WITNESS_SEARCH_OPS: usize = 20_000;
/// The steps that witness search may take; past them the violation stands without one.
const WITNESS_SEARCH_STEPS: u64 = 200_000;

/// Fills in the longest prefix and the blocked operation of a partition the fast path found
/// not linearizable, from a bounded search.
fn witness<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &Partition,
    max_steps: u64,
    result: &mut PartitionResult,
) {
    let witness_started = Instant::now();
    let start = vec![Start { state: model.init(), done: Vec::new() }];
    let mut search = Search::new(model, history, &partition.ops, start, Mode::FirstLinearization);
    if search.run(max_steps) == Progress::NotLinearizable {
        result.longest_prefix = search.longest_prefix();
        result.blocked = search.blocked();
    }
    result.steps = search.steps();
    result.elapsed += witness_started.elapsed();
}

/// Why the whole check must stop now, if it must.
fn out_of_budget(options: &Options, total_steps: u64, started: Instant) -> Option<Undecided> {
    if options.max_steps.is_some_and(|max| total_steps >= max) {
        return Some(Undecided::Steps);
    }
    if options.max_time.is_some_and(|max| started.elapsed() >= max) {
        return Some(Undecided::Time);
    }
    None
}

/// While the searches together hold more than the limit, gives up the largest.
fn enforce_memory<M: Model>(
    options: &Options,
    searches: &mut [Option<Segmented<'_, M>>],
    results: &mut [PartitionResult],
) {
    loop {
        let held: usize = searches.iter().flatten().map(Segmented::bytes).sum();
        if held <= options.max_memory {
            return;
        }
        let largest = (0..searches.len())
            .filter(|&index| searches[index].is_some())
            .max_by_key(|&index| searches[index].as_ref().map_or(0, Segmented::bytes));
        let Some(largest) = largest else { return };
        if let Some(search) = searches[largest].take() {
            give_up(&mut results[largest], &search, Undecided::Memory);
        }
    }
}

fn finish<M: Model>(result: &mut PartitionResult, search: &Segmented<'_, M>, progress: Progress) {
    result.verdict = match progress {
        Progress::Linearizable => Verdict::Linearizable,
        _ => Verdict::NotLinearizable,
    };
    result.steps = search.steps();
    result.longest_prefix = search.longest_prefix();
    result.blocked = if progress == Progress::NotLinearizable { search.blocked() } else { None };
}

fn give_up<M: Model>(result: &mut PartitionResult, search: &Segmented<'_, M>, why: Undecided) {
    result.verdict = Verdict::Unknown;
    result.undecided = Some(why);
    result.steps = search.steps();
    result.longest_prefix = search.longest_prefix();
}

fn overall(results: &[PartitionResult]) -> Verdict {
    if results.iter().any(|result| result.verdict == Verdict::NotLinearizable) {
        Verdict::NotLinearizable
    } else if results.iter().any(|result| result.verdict == Verdict::Unknown) {
        Verdict::Unknown
    } else {
        Verdict::Linearizable
    }
}
