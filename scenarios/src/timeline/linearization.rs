//! Where each KV operation took effect, as far as the checker can say: for every key, the
//! checker's linearization (for a key that is not linearizable, its longest linearizable
//! prefix and the operation that cannot come next), each placed operation's linearization
//! point in virtual time and the key's state after it.
//!
//! The checker returns an order, not instants. An order is a linearization exactly when
//! every operation can be given a point inside its call..return interval, in that order. The
//! earliest such points are `early[k] = max(call[k], early[k-1])`, the latest
//! `late[k] = min(return[k], late[k+1])` (an operation that never returned may take effect up
//! to the end of the run). Both stay inside each interval: if `early[k-1]` is the call of an
//! earlier operation `j` and that call came after `k` returned, `k` would have had to precede
//! `j` (and the same argument, mirrored, holds for `late`). Both sequences are nondecreasing
//! and `early <= late`, so any mix of them, such as their midpoint, is again a valid point
//! sequence: the tick drawn is a real point of a real linearization, and the window around it
//! says how far it could move. Keys are independent (the model is partitioned by key, and
//! linearizability composes), so each key gets its own sequence.
use checker::explain::replay;
use checker::models::Kv;
use checker::{check, Model, Verdict};
use sim::SimTime;

use super::text::shorten;
use crate::kv::{KvHistory, CHECK_STEPS};

/// Characters of a key's state kept per operation on the page.
pub const STATE_CHARS: usize = 96;

/// Where one operation was linearized and what its key held after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// The midpoint of `earliest` and `latest`.
    pub point: SimTime,
    /// The earliest and latest points the operation can take in this linearization.
    pub earliest: SimTime,
    pub latest: SimTime,
    /// The key and its state after the operation, as the model describes it (shortened).
    pub state_after: String,
}

/// One key's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyVerdict {
    /// The checker's label (`key "3"`).
    pub label: String,
    pub verdict: Verdict,
}

/// The placement of a whole history, indexed like its records.
#[derive(Clone, Debug, Default)]
pub struct Linearization {
    /// Per history record: where it was linearized, or `None` (an open operation the
    /// linearization left out, or one after a key's longest prefix).
    pub places: Vec<Option<Placed>>,
    /// History indices of operations no linearization can place next, one per failing key,
    /// in the checker's key order.
    pub blocked: Vec<usize>,
    pub keys: Vec<KeyVerdict>,
}

/// Checks every key of `history` (not just up to the first failure) and places its
/// operations; the run ended at `end`.
pub fn linearize(history: &KvHistory, end: SimTime) -> Linearization {
    let ops = history.to_checker();
    let options =
        checker::Options { max_steps: Some(CHECK_STEPS), all_keys: true, ..Default::default() };
    let result = check(&Kv, &ops, &options);
    let mut out = Linearization { places: vec![None; ops.len()], ..Default::default() };
    for partition in &result.partitions {
        out.keys.push(KeyVerdict { label: partition.label.clone(), verdict: partition.verdict });
        out.blocked.extend(partition.blocked);
        let states = replay(&Kv, &ops, &partition.longest_prefix);
        // `replay` stops where no state fits; the operations after that are not placed.
        let order =
            &partition.longest_prefix[..partition.longest_prefix.len().min(states.len() - 1)];
        let bounds = window(order.iter().map(|&i| {
            (ops[i].call, ops[i].return_time().unwrap_or(end.as_nanos()).max(ops[i].call))
        }));
        for ((&index, state), (earliest, latest)) in order.iter().zip(&states[1..]).zip(bounds) {
            let state = shorten(&Kv.describe_state(state), STATE_CHARS);
            out.places[index] = Some(Placed {
                point: SimTime::from_nanos(earliest + (latest - earliest) / 2),
                earliest: SimTime::from_nanos(earliest),
                latest: SimTime::from_nanos(latest),
                state_after: format!("{} = {state}", partition.label),
            });
        }
    }
    out
}

/// For intervals `(call, return)` in linearization order, each one's earliest and latest point.
fn window(intervals: impl Iterator<Item = (u64, u64)>) -> Vec<(u64, u64)> {
    let intervals: Vec<(u64, u64)> = intervals.collect();
    let mut bounds = Vec::with_capacity(intervals.len());
    let mut early = 0;
    for &(call, _) in &intervals {
        early = call.max(early);
        bounds.push((early, 0));
    }
    let mut late = u64::MAX;
    for (bound, &(_, ret)) in bounds.iter_mut().zip(&intervals).rev() {
        late = ret.min(late);
        bound.1 = late;
    }
    bounds
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn each_point_stays_inside_its_interval_and_in_order() {
        // Three overlapping operations, in the order the checker chose.
        let bounds = window([(0, 50), (10, 20), (15, 90)].into_iter());
        assert_eq!(bounds, vec![(0, 20), (10, 20), (15, 90)]);
    }
}
