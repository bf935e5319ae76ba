//! The order the search tries clients in: a hint from the linearizability check.
//!
//! A linearizable history is sequentially consistent (real time orders each client's
//! operations too), and the linearizable check is fast: it splits by key and has fast paths.
//! So before searching, each partition is checked for linearizability, and its
//! linearization (or, where there is none, its longest linearizable prefix followed by its
//! other operations by call time) is merged with the other partitions' into one global order.
//! The merge takes, while returned operations remain, the head of the partition of the
//! unmerged operation that returns first: by the locality theorem (Herlihy and Wing) that
//! head cannot be after any unmerged operation in real time, so a linearizable history gets
//! one of its linearizations. The search then tries, at each configuration, the client whose
//! next operation comes first in this order: when the order is sequentially consistent, the
//! search follows it without a single step back.
//!
//! A partition that is not linearizable gets its longest linearizable prefix from the
//! linearizable check's witness search (partitions up to 20,000 operations), so even a
//! history with a stale read near its end is followed in a good order up to that read.
//!
//! The hint decides nothing: the search still tries every move before saying no, so a wrong
//! or partial hint only costs time. Its steps count against the check's step budget.
use std::collections::VecDeque;
use std::time::Instant;

use crate::budget::Options;
use crate::history::History;
use crate::model::Model;
use crate::result::Verdict;
use crate::search::check;

/// The most search steps the hint may take (about half a second): past them, undecided
/// partitions give their longest prefix, which still guides the search.
const HINT_STEPS: u64 = 2_000_000;

/// Per history index, its position in the hint order; and the steps the hint took.
pub(crate) fn hint<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    options: &Options,
    started: Instant,
) -> (Vec<u32>, u64) {
    let max_time = options.max_time.map(|limit| limit.saturating_sub(started.elapsed()));
    let max_steps = Some(options.max_steps.map_or(HINT_STEPS, |max| max.min(HINT_STEPS)));
    let per_key = Options { max_steps, max_time, all_keys: true, witness: true, ..options.clone() };
    let result = check(model, history, &per_key);
    let partitions = model.partition(history);
    let mut sequences: Vec<VecDeque<usize>> = Vec::with_capacity(partitions.len());
    let mut part_of = vec![0usize; history.len()];
    for (index, (partition, decided)) in partitions.iter().zip(&result.partitions).enumerate() {
        let mut order: Vec<usize> = decided.longest_prefix.clone();
        let mut placed = vec![false; history.len()];
        for &op in &order {
            placed[op] = true;
        }
        let mut rest: Vec<usize> =
            partition.ops.iter().copied().filter(|&op| !placed[op]).collect();
        rest.sort_by_key(|&op| (history[op].call, op));
        // A linearizable partition's left-out unknown outcomes go last; otherwise the rest
        // follows the prefix by call time.
        if decided.verdict != Verdict::Linearizable {
            order.extend(rest.iter().copied());
            rest.clear();
        }
        order.extend(rest);
        for &op in &partition.ops {
            part_of[op] = index;
        }
        sequences.push(order.into());
    }
    (merge(history, &mut sequences, &part_of), result.steps())
}

/// One global order of the partitions' sequences: the head of the partition of the
/// unmerged operation that returns first, while any returned one is left; then the rest by
/// partition.
fn merge<I, O>(
    history: &History<I, O>,
    sequences: &mut [VecDeque<usize>],
    part_of: &[usize],
) -> Vec<u32> {
    let mut by_return: Vec<usize> =
        (0..history.len()).filter(|&op| history[op].return_time().is_some()).collect();
    by_return.sort_by_key(|&op| (history[op].return_time(), op));
    let mut rank = vec![u32::MAX; history.len()];
    let mut next = 0u32;
    let mut emit = |op: usize, rank: &mut Vec<u32>| {
        if rank[op] == u32::MAX {
            rank[op] = next;
            next += 1;
        }
    };
    for &first in &by_return {
        // Everything up to `first` in its partition's sequence goes now (a sequence holds
        // each operation once, so this ends).
        let sequence = &mut sequences[part_of[first]];
        while rank[first] == u32::MAX {
            let Some(head) = sequence.pop_front() else { break };
            emit(head, &mut rank);
        }
        emit(first, &mut rank);
    }
    for sequence in sequences.iter_mut() {
        while let Some(op) = sequence.pop_front() {
            emit(op, &mut rank);
        }
    }
    rank
}
