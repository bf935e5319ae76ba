//! A small, stable 64-bit hasher (FxHash-style mixing) for the trace hash and message
//! fingerprints. std's `DefaultHasher` is not used: its algorithm may change between releases.
use std::hash::{Hash, Hasher};

const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// Folds one word into a running hash. Cheap (a rotate, a xor, a multiply) and fixed forever.
#[inline]
pub fn mix(hash: u64, word: u64) -> u64 {
    (hash.rotate_left(5) ^ word).wrapping_mul(K)
}

/// Final avalanche so that nearby inputs give unrelated outputs (from SplitMix64).
#[inline]
pub fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A `Hasher` over `mix`; integers are folded as whole words, bytes in 8-byte chunks.
#[derive(Clone, Copy, Debug, Default)]
pub struct StableHasher {
    hash: u64,
}

impl StableHasher {
    pub fn new() -> Self {
        StableHasher { hash: 0 }
    }
}

impl Hasher for StableHasher {
    fn finish(&self) -> u64 {
        finish(self.hash)
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.hash = mix(self.hash, u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.hash = mix(self.hash, u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.hash = mix(self.hash, u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.hash = mix(self.hash, u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.hash = mix(self.hash, u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.hash = mix(self.hash, i);
    }
    fn write_usize(&mut self, i: usize) {
        self.hash = mix(self.hash, i as u64);
    }
}

/// A message's fingerprint: its `Hash` fed through `StableHasher`.
#[inline]
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = StableHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Literal outputs, computed once from this code: any change to `mix`, `finish` or the way
    // `StableHasher` folds words or bytes changes every recorded trace hash, so it must fail
    // here, which a test comparing the code with itself never would.
    #[test]
    fn mix_and_finish_are_pinned() {
        assert_eq!(mix(1, 2), 0xd291_ba53_3285_67ca);
        assert_eq!(finish(1), 0x5692_161d_100b_05e5);
    }

    #[test]
    fn fingerprints_of_integers_are_pinned() {
        assert_eq!(fingerprint(&42u64), 0xe214_952e_5491_74e8);
        assert_eq!(fingerprint(&7u8), 0x359b_a911_6ccf_319f);
        assert_eq!(fingerprint(&u32::MAX), 0xcc8b_5df2_f765_32ff);
    }

    #[test]
    fn fingerprints_of_strings_and_tuples_are_pinned() {
        assert_eq!(fingerprint("abc"), 0xf2ee_a134_b0db_4ced);
        assert_eq!(fingerprint(&(1u32, 2u32)), 0x773c_92e2_5d7f_aef7);
        assert_eq!(fingerprint(&(3u64, "x")), 0xf826_fefa_6ec2_c793);
    }

    #[test]
    fn stable_hasher_of_bytes_is_pinned() {
        // 18 bytes: two whole 8-byte words and a 2-byte tail, so both paths of `write` count.
        let mut hasher = StableHasher::new();
        hasher.write(b"tenrec stable hash");
        assert_eq!(hasher.finish(), 0x2c5a_9311_ed30_9cb1);
        let mut hasher = StableHasher::new();
        hasher.write(&[1, 2, 3]);
        assert_eq!(hasher.finish(), 0xa3bf_b3de_039a_1cd0);
    }

    #[test]
    fn nearby_inputs_differ() {
        assert_ne!(fingerprint("abc"), fingerprint("abd"));
        assert_ne!(fingerprint(&(1u32, 2u32)), fingerprint(&(2u32, 1u32)));
    }

    #[test]
    fn byte_tails_of_different_length_differ() {
        assert_ne!(fingerprint(&[0u8; 3][..]), fingerprint(&[0u8; 4][..]));
    }
}
