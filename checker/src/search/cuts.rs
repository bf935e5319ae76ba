//! Where a long history may be cut into segments searched one after another.
//!
//! A cut is a moment no operation with a known outcome spans: every one called before it has
//! returned before it (strictly: at equal times a call comes before a return). Real-time
//! order then puts everything before the cut ahead of everything after it in any
//! linearization, so the configurations that matter at the cut are only the model states
//! the first part can end in, and the unknown-outcome operations it left out (they may still
//! take effect later). The search can then forget the first part: its memory and time follow
//! the concurrency of the history, not its length.
use crate::history::History;

/// The partition's operations (history indices, in call order) split into chunks: the start
/// of each chunk in `order`, then `order.len()`. A chunk holds at least `min_ops` operations
/// (the last one may hold fewer), so a sequential history is not cut into a search per
/// operation; each chunk ends at a cut.
pub(crate) fn chunk_starts<I, O>(
    history: &History<I, O>,
    order: &[usize],
    min_ops: usize,
) -> Vec<usize> {
    let mut starts = vec![0];
    // The latest known return so far; `None` until an operation with a known outcome.
    let mut latest_return: Option<u64> = None;
    for (position, &index) in order.iter().enumerate() {
        let op = &history[index];
        let chunk_len = position - starts.last().copied().unwrap_or(0);
        if chunk_len >= min_ops && latest_return.is_some_and(|latest| latest < op.call) {
            starts.push(position);
        }
        if let Some(at) = op.return_time() {
            // A return recorded before its call is read as returning at the call.
            let at = at.max(op.call);
            latest_return = Some(latest_return.map_or(at, |latest| latest.max(at)));
        }
    }
    starts.push(order.len());
    starts
}

#[cfg(test)]
mod tests {
    use super::chunk_starts;
    use crate::history::{ClientId, Operation, Outcome};

    fn op(call: u64, ret: Option<u64>) -> Operation<(), ()> {
        let outcome = ret.map_or(Outcome::Unknown, |at| Outcome::Returned { at, output: () });
        Operation { client: ClientId(0), input: (), call, outcome, line: 0 }
    }

    #[test]
    fn cuts_only_where_nothing_known_is_pending() {
        // [0,2] [1,5] | [6,7] [7,9] (7 is called as 6..7 returns: they overlap) | [10,11]
        let history =
            vec![op(0, Some(2)), op(1, Some(5)), op(6, Some(7)), op(7, Some(9)), op(10, Some(11))];
        let order: Vec<usize> = (0..history.len()).collect();
        assert_eq!(chunk_starts(&history, &order, 1), vec![0, 2, 4, 5]);
        assert_eq!(chunk_starts(&history, &order, 3), vec![0, 4, 5], "chunks of 3 or more");
    }

    #[test]
    fn unknown_outcomes_do_not_block_cuts() {
        // An operation that never returned may take effect at any later point: it is carried
        // across the cut, not a reason to refuse it.
        let history = vec![op(0, None), op(1, Some(2)), op(3, Some(4))];
        let order: Vec<usize> = (0..history.len()).collect();
        assert_eq!(chunk_starts(&history, &order, 1), vec![0, 2, 3]);
    }
}
