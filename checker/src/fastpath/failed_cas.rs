//! Failed compare-and-sets placed into a register linearization found without them.
//!
//! A failed CAS observes only "not the expected value": it may go anywhere in its interval
//! outside the run of that value, a choice the run order alone cannot make. Dropping failed
//! CASes keeps every linearization one (they change nothing), so a history without them that
//! is not linearizable decides the whole. Otherwise each failed CAS goes, in call order, into
//! the earliest gap of the order found that real time allows (after every operation that
//! returned before its call, after the failed CASes placed that did, and before every
//! operation called after its return) and that does not hold its expected value. Earliest
//! is best for this order: a gap constrains later ones only from below. When a CAS has no
//! such gap another order might still have one, so the caller falls back to the search.
use std::collections::HashMap;

use super::access::{Access, CasOutcome, Value, View};
use super::meter::Meter;
use crate::result::Undecided;

/// `order` (local indices) with every failed CAS inserted, or `None` when one does not fit.
pub(crate) fn place(
    views: &[View<'_>],
    order: &[usize],
    meter: &mut Meter,
) -> Result<Option<Vec<usize>>, Undecided> {
    let mut failed: Vec<usize> = (0..views.len())
        .filter(|&i| matches!(views[i].access, Access::Cas { outcome: CasOutcome::Failed, .. }))
        .collect();
    if failed.is_empty() {
        return Ok(Some(order.to_vec()));
    }
    failed.sort_by_key(|&i| (views[i].call, i));
    let gaps = Gaps::new(views, order);
    let mut failed_returns: Vec<u64> = failed.iter().filter_map(|&i| views[i].ret).collect();
    failed_returns.sort_unstable();
    let mut placed_before = PrefixMax::new(failed_returns.len());
    let mut placed = Vec::with_capacity(failed.len());
    for &f in &failed {
        meter.tick()?;
        let view = &views[f];
        let Access::Cas { expected, .. } = view.access else { unreachable!("a failed CAS") };
        let ret = view.ret.unwrap_or(u64::MAX);
        let earlier = failed_returns.partition_point(|&r| r < view.call);
        let mut gap = gaps.after_returns_before(view.call).max(placed_before.get(earlier));
        if let Some(&(start, end)) = gaps.holding.get(&expected) {
            if (start..=end).contains(&gap) {
                gap = end + 1;
            }
        }
        if gap > gaps.before_calls_after(ret) {
            return Ok(None);
        }
        placed_before.raise(failed_returns.partition_point(|&r| r < ret), gap);
        placed.push((gap, f));
    }
    Ok(Some(merge(order, &placed)))
}

/// The gaps of an order (gap `g` is just before `order[g]`) and where real time puts bounds.
struct Gaps {
    /// The gaps holding each value: a contiguous range, since values are written once.
    holding: HashMap<Value, (usize, usize)>,
    /// (return time, position) sorted by return, with the running maximum of positions.
    by_return: Vec<(u64, usize)>,
    /// (call time, position) sorted by call, with the minimum of positions from the end.
    by_call: Vec<(u64, usize)>,
    len: usize,
}

impl Gaps {
    fn new(views: &[View<'_>], order: &[usize]) -> Gaps {
        let mut holding = HashMap::new();
        let mut held = (Value::Initial, 0);
        for (position, &op) in order.iter().enumerate() {
            let written = match views[op].access {
                Access::Write(value) | Access::Cas { new: value, .. } => value,
                _ => continue,
            };
            holding.insert(held.0, (held.1, position));
            held = (written, position + 1);
        }
        holding.insert(held.0, (held.1, order.len()));
        let mut by_return: Vec<(u64, usize)> = order
            .iter()
            .enumerate()
            .filter_map(|(position, &op)| Some((views[op].ret?, position)))
            .collect();
        by_return.sort_unstable();
        for k in 1..by_return.len() {
            by_return[k].1 = by_return[k].1.max(by_return[k - 1].1);
        }
        let mut by_call: Vec<(u64, usize)> =
            order.iter().enumerate().map(|(position, &op)| (views[op].call, position)).collect();
        by_call.sort_unstable();
        for k in (0..by_call.len().saturating_sub(1)).rev() {
            by_call[k].1 = by_call[k].1.min(by_call[k + 1].1);
        }
        Gaps { holding, by_return, by_call, len: order.len() }
    }

    /// The first gap after every operation that returned before `call`.
    fn after_returns_before(&self, call: u64) -> usize {
        match self.by_return.partition_point(|&(ret, _)| ret < call) {
            0 => 0,
            k => self.by_return[k - 1].1 + 1,
        }
    }

    /// The last gap before every operation called after `ret`.
    fn before_calls_after(&self, ret: u64) -> usize {
        let k = self.by_call.partition_point(|&(call, _)| call <= ret);
        self.by_call.get(k).map_or(self.len, |&(_, position)| position)
    }
}

/// Prefix maxima over slots, raised one slot at a time (a Fenwick tree).
struct PrefixMax {
    tree: Vec<usize>,
}

impl PrefixMax {
    fn new(len: usize) -> PrefixMax {
        PrefixMax { tree: vec![0; len + 1] }
    }

    /// Raises slot `slot` (0-based) to at least `value`.
    fn raise(&mut self, slot: usize, value: usize) {
        let mut k = slot + 1;
        while k < self.tree.len() {
            self.tree[k] = self.tree[k].max(value);
            k += k & k.wrapping_neg();
        }
    }

    /// The largest value among the first `count` slots (0 for none).
    fn get(&self, count: usize) -> usize {
        let (mut k, mut best) = (count, 0);
        while k > 0 {
            best = best.max(self.tree[k]);
            k -= k & k.wrapping_neg();
        }
        best
    }
}

/// The order with each `(gap, op)` inserted before `order[gap]`, in the given sequence
/// within one gap (call order).
fn merge(order: &[usize], placed: &[(usize, usize)]) -> Vec<usize> {
    let mut placed = placed.to_vec();
    placed.sort_by_key(|&(gap, _)| gap);
    let mut merged = Vec::with_capacity(order.len() + placed.len());
    let mut next = placed.iter().peekable();
    for (position, &op) in order.iter().enumerate() {
        while let Some(&&(_, f)) = next.peek().filter(|(gap, _)| *gap == position) {
            merged.push(f);
            next.next();
        }
        merged.push(op);
    }
    merged.extend(next.map(|&(_, f)| f));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_max_answers_over_the_first_slots() {
        let mut max = PrefixMax::new(5);
        max.raise(3, 7);
        max.raise(1, 2);
        assert_eq!((max.get(0), max.get(1), max.get(2), max.get(3), max.get(4)), (0, 0, 2, 2, 7));
    }

    #[test]
    fn placed_operations_go_before_their_gap_in_call_order() {
        assert_eq!(merge(&[10, 11], &[(2, 5), (0, 3), (0, 4)]), vec![3, 4, 10, 11, 5]);
    }
}
