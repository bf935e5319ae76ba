//! The set of linearized operations of a search, kept three ways at once: a bitset to test
//! membership, a Zobrist hash to find it in the memo, and a compact key to store there.
//!
//! Operations are numbered in call order, and the search linearizes them roughly in that
//! order: everything far enough back is linearized, nothing far enough ahead is. So the set
//! is described exactly by `top` (one past the highest linearized operation: everything from
//! `top` on is out) and the `holes` (the operations below `top` not linearized yet). There
//! are few holes: operations still pending (at most one per client, so bounded by the
//! concurrency) and unknown-outcome operations the search chose to leave out. Storing
//! `(top, holes)` instead of the whole bitset makes a memo entry cost O(concurrency) bytes
//! instead of O(history length), which is what let a 100,000-operation history exhaust
//! gigabytes before.
use super::fxhash::mix64;

pub(crate) struct LinearizedSet {
    bits: Vec<u64>,
    zobrist: Vec<u64>,
    hash: u64,
    top: u32,
    /// Ascending.
    holes: Vec<u32>,
}

impl LinearizedSet {
    pub(crate) fn new(ops: usize) -> LinearizedSet {
        LinearizedSet {
            bits: vec![0; ops.div_ceil(64).max(1)],
            zobrist: (0..ops as u64).map(|i| mix64(i.wrapping_add(0x2545_f491))).collect(),
            hash: 0,
            top: 0,
            holes: Vec::new(),
        }
    }

    pub(crate) fn contains(&self, op: u32) -> bool {
        self.bits[op as usize / 64] & (1 << (op % 64)) != 0
    }

    /// Adds `op` (not in the set); returns what `remove` needs to undo it.
    pub(crate) fn insert(&mut self, op: u32) -> u32 {
        self.flip(op);
        let previous_top = self.top;
        if op >= self.top {
            // Everything between the old top and `op` was out, and now lies below the top.
            self.holes.extend(self.top..op);
            self.top = op + 1;
        } else if let Ok(at) = self.holes.binary_search(&op) {
            self.holes.remove(at);
        }
        previous_top
    }

    /// Undoes the last `insert` still in effect (the search undoes in stack order), which
    /// added `op` and returned `previous_top`.
    pub(crate) fn remove(&mut self, op: u32, previous_top: u32) {
        self.flip(op);
        if previous_top <= op {
            let keep = self.holes.partition_point(|&hole| hole < previous_top);
            self.holes.truncate(keep);
            self.top = previous_top;
        } else {
            let at = self.holes.partition_point(|&hole| hole < op);
            self.holes.insert(at, op);
        }
    }

    fn flip(&mut self, op: u32) {
        self.bits[op as usize / 64] ^= 1 << (op % 64);
        self.hash ^= self.zobrist[op as usize];
    }

    /// The Zobrist hash: equal sets hash alike, whatever order they were built in.
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }

    /// `top` and the holes: two sets are equal exactly when their keys are.
    pub(crate) fn key(&self) -> (u32, &[u32]) {
        (self.top, &self.holes)
    }
}

#[cfg(test)]
mod tests {
    use super::LinearizedSet;

    /// The key describes the bitset exactly, through inserts and their undoing.
    #[test]
    fn key_tracks_membership_through_undo() {
        let mut set = LinearizedSet::new(200);
        let mut undo = Vec::new();
        for op in [0u32, 3, 1, 130, 2, 64, 129] {
            undo.push((op, set.insert(op)));
            let (top, holes) = set.key();
            for other in 0..200u32 {
                let in_key = other < top && holes.binary_search(&other).is_err();
                assert_eq!(set.contains(other), in_key, "op {other} after inserting {op}");
            }
        }
        assert_eq!(set.key().0, 131);
        while let Some((op, previous_top)) = undo.pop() {
            set.remove(op, previous_top);
        }
        assert_eq!(set.key(), (0, &[][..]));
        assert_eq!(set.hash(), 0);
    }
}
