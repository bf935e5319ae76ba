//! The memo of configurations already explored: (set of linearized operations, state).
//!
//! An open-addressing table over an arena of compact set keys (`LinearizedSet::key`: the top
//! and the holes, a few words however long the history). Lookups use the set's incrementally
//! kept Zobrist hash, and compare the full key on a hash match, so a collision can never
//! merge two different configurations.
use super::fxhash::mix64;

pub(crate) struct Memo {
    /// 0 for an empty slot, else entry index + 1. Its length is a power of two.
    slots: Vec<u32>,
    hashes: Vec<u64>,
    states: Vec<u32>,
    /// Entry i's key is `keys[starts[i]..starts[i + 1]]`: its top, then its holes.
    starts: Vec<usize>,
    keys: Vec<u32>,
}

impl Memo {
    pub(crate) fn new() -> Memo {
        Memo {
            slots: vec![0; 1024],
            hashes: Vec::new(),
            states: Vec::new(),
            starts: vec![0],
            keys: Vec::new(),
        }
    }

    /// Inserts the configuration; false when it was already there.
    pub(crate) fn insert(
        &mut self,
        set_hash: u64,
        state: u32,
        (top, holes): (u32, &[u32]),
    ) -> bool {
        let hash = mix64(set_hash ^ u64::from(state).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mask = self.slots.len() - 1;
        let mut slot = (hash as usize) & mask;
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                break;
            }
            let index = (entry - 1) as usize;
            if self.hashes[index] == hash && self.states[index] == state {
                let key = &self.keys[self.starts[index]..self.starts[index + 1]];
                if key[0] == top && &key[1..] == holes {
                    return false;
                }
            }
            slot = (slot + 1) & mask;
        }
        let index = self.hashes.len();
        self.hashes.push(hash);
        self.states.push(state);
        self.keys.push(top);
        self.keys.extend_from_slice(holes);
        self.starts.push(self.keys.len());
        self.slots[slot] = u32::try_from(index + 1).expect("memo holds fewer than 2^32 entries");
        if self.hashes.len() * 2 > self.slots.len() {
            self.grow();
        }
        true
    }

    /// Doubles the table, re-placing every entry (load factor stays at most one half).
    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (index, hash) in self.hashes.iter().enumerate() {
            let mut slot = (*hash as usize) & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = (index + 1) as u32;
        }
        self.slots = slots;
    }

    /// Bytes held (capacities, so the figure tracks what the allocator really gave us).
    pub(crate) fn bytes(&self) -> usize {
        self.slots.capacity() * 4
            + self.hashes.capacity() * 8
            + self.states.capacity() * 4
            + self.starts.capacity() * 8
            + self.keys.capacity() * 4
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Memo;

    #[test]
    fn same_hash_different_sets_are_different_configurations() {
        let mut memo = Memo::new();
        assert!(memo.insert(7, 1, (5, &[1])));
        assert!(memo.insert(7, 1, (5, &[2])), "a hash collision must not merge two sets");
        assert!(memo.insert(7, 1, (6, &[1])), "nor two tops");
        assert!(memo.insert(7, 1, (5, &[1, 2])), "nor a key and its prefix");
        assert!(memo.insert(7, 2, (5, &[1])), "another state is another configuration");
        assert!(!memo.insert(7, 1, (5, &[1])));
        for i in 0..5000u32 {
            assert!(memo.insert(u64::from(i) * 31, 0, (i, &[1])));
        }
        assert!(!memo.insert(4999 * 31, 0, (4999, &[1])), "still found after growing");
        assert_eq!(memo.len(), 5005);
    }
}
