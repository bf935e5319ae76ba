//! Where things go on a timeline: times compressed to ranks, clients to rows, and
//! linearization points placed inside their operations' intervals.
//!
//! Only the order of times matters (history.rs), so the axis shows the order of calls and
//! returns rather than their distance, as Porcupine's visualizer does: bursts stay readable
//! and long idle gaps cost nothing.
use super::data::OpView;

/// The x extent of each operation in rank units, and the total number of ranks.
pub struct Axis {
    /// Per operation: (call rank, return rank); an unknown outcome returns at `end`.
    pub spans: Vec<(f64, f64)>,
    /// One past the last rank.
    pub end: f64,
}

/// Ranks every call and return of `ops` (the selected ones, by index); at equal times a
/// call comes before a return, so operations that touch at one instant overlap.
pub fn axis(ops: &[OpView], selected: &[usize]) -> Axis {
    let mut events: Vec<(u64, u8)> = Vec::with_capacity(selected.len() * 2);
    for &index in selected {
        events.push((ops[index].call, 0));
        if let Some(ret) = ops[index].ret {
            events.push((ret, 1));
        }
    }
    events.sort_unstable();
    events.dedup();
    let rank = |event: (u64, u8)| events.binary_search(&event).unwrap_or(0) as f64;
    let end = events.len() as f64 + 1.0;
    let mut spans = vec![(0.0, 0.0); ops.len()];
    for &index in selected {
        let op = &ops[index];
        let ret = op.ret.map_or(end, |ret| rank((ret, 1)));
        spans[index] = (rank((op.call, 0)), ret);
    }
    Axis { spans, end }
}

/// The clients of the selected operations in order; an operation's row is its client's
/// position here.
pub fn rows(ops: &[OpView], selected: &[usize]) -> Vec<u64> {
    let mut clients: Vec<u64> = selected.iter().map(|&index| ops[index].client).collect();
    clients.sort_unstable();
    clients.dedup();
    clients
}

/// An x (in rank units) for each operation of `order`, increasing, each inside its
/// operation's span: each point goes in the gap after the later of its call and the previous
/// point, and points sharing a gap spread evenly across it. A valid linearization never
/// places an operation after one that returned before it was called, so every point lands
/// before its own operation's return.
pub fn points(axis: &Axis, order: &[usize]) -> Vec<f64> {
    let mut slots: Vec<f64> = Vec::with_capacity(order.len());
    for &op in order {
        let previous = slots.last().copied().unwrap_or(0.0);
        slots.push(previous.max(axis.spans[op].0));
    }
    let mut xs = vec![0.0; order.len()];
    let mut start = 0;
    while start < slots.len() {
        let end = start + slots[start..].iter().take_while(|&&s| s == slots[start]).count();
        let share = (end - start) as f64 + 1.0;
        for (offset, x) in xs[start..end].iter_mut().enumerate() {
            *x = slots[start] + (offset as f64 + 1.0) / share;
        }
        start = end;
    }
    xs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(client: u64, call: u64, ret: Option<u64>) -> OpView {
        OpView { client, call, ret, text: String::new(), line: 0, place: String::new() }
    }

    #[test]
    fn ranks_put_calls_before_returns_at_equal_times() {
        let ops = vec![op(0, 0, Some(10)), op(1, 10, Some(20)), op(2, 30, None)];
        let axis = axis(&ops, &[0, 1, 2]);
        assert_eq!(axis.spans, vec![(0.0, 2.0), (1.0, 3.0), (4.0, 6.0)]);
        assert_eq!(axis.end, 6.0);
        assert_eq!(rows(&ops, &[2, 0]), vec![0, 2]);
    }

    #[test]
    fn points_increase_and_stay_inside_their_operations() {
        // Three overlapping operations linearized in the order 1, 0, 2.
        let ops = vec![op(0, 0, Some(10)), op(1, 1, Some(5)), op(2, 2, Some(20))];
        let axis = axis(&ops, &[0, 1, 2]);
        let order = [1, 0, 2];
        let xs = points(&axis, &order);
        for (at, &op) in order.iter().enumerate() {
            let (call, ret) = axis.spans[op];
            assert!(call < xs[at] && xs[at] < ret, "op {op} at {} in {call}..{ret}", xs[at]);
            assert!(at == 0 || xs[at - 1] < xs[at]);
        }
    }
}
