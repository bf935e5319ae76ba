//! Limits on a check: search steps, wall-clock time and memo memory.
use std::time::Duration;

/// How much a check may spend, and whether to decide every partition.
///
/// [`check_sequential`](crate::check_sequential) is bounded by the same `max_steps`,
/// `max_time` and `max_memory` (its linearizability hint included); the other fields shape
/// only that hint, since sequential consistency is never decided key by key.
#[derive(Clone, Debug)]
pub struct Options {
    /// Search steps over all partitions (`None`: no limit).
    pub max_steps: Option<u64>,
    /// Wall-clock time (`None`: no limit).
    pub max_time: Option<Duration>,
    /// Bytes of memo and interned states over all partitions being searched at once. When
    /// the total passes it, the partition holding the most is given up as Unknown (and its
    /// memory freed) so the others can still be decided: a check never runs out of memory.
    pub max_memory: usize,
    /// Decide every partition even after one is found not linearizable.
    pub all_keys: bool,
    /// The most search steps a partition runs before the next one gets its turn, so one hard
    /// key does not starve the others. The first round gives each 1/64 of this, and each
    /// round doubles it.
    pub slice_steps: u64,
    /// Decide partitions whose history allows it (unique written values) by the polynomial
    /// precedence-graph check instead of the search. Off only to compare the two.
    pub fast_paths: bool,
    /// When a fast path finds a small partition not linearizable, also search it (briefly)
    /// for the longest linearizable prefix and the operation that cannot follow, which
    /// reports draw. Off where only the verdict matters (minimization's candidate checks).
    pub witness: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_steps: None,
            max_time: None,
            max_memory: 1 << 30,
            all_keys: false,
            slice_steps: 65_536,
            fast_paths: true,
            witness: true,
        }
    }
}
