//! A small seeded PRNG (splitmix64) for the fuzzer: every input is a pure function of the run's
//! seed and the input's number, so a failure is reproduced by its number alone, whatever the
//! number of threads.

/// Sebastiano Vigna's splitmix64: one 64-bit add and a few mixing steps per draw, good enough
/// to pick mutations, and stable across platforms and Rust versions.
pub struct Rng(u64);

impl Rng {
    /// The generator for input `index` of the run seeded with `seed`.
    pub fn for_input(seed: u64, index: u64) -> Rng {
        let mut mixer = Rng(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f));
        Rng(mixer.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `1..=max`, small ones far more likely: most mutations should be small, a
    /// few huge (long tokens, deep nesting).
    pub fn skewed(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.max(1).leading_zeros() as usize + 1);
        (self.below(1 << bits) + 1).min(max.max(1))
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
