//! Seeded random streams: one ChaCha8 stream per purpose, derived from the run's seed, so a
//! change in how often one purpose draws never shifts the numbers another purpose sees.
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::hash::{finish, mix};
use crate::NodeId;

/// What a random stream is for. Each purpose (and each node) gets its own ChaCha8 stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    /// Network decisions (latency, loss, duplication) for messages sent by this node.
    Network(NodeId),
    /// The node's own stream (election timeouts and the like), reached through `Ctx::rng`.
    Node(NodeId),
    /// Delays of undeliverable notices to this node: kept apart from `Network` because how
    /// many notices there are depends on the faults.
    Notice(NodeId),
    /// The tester's fault schedule.
    Faults,
    /// The tester's workload (client operations, keys, values).
    Workload,
    /// Anything else the tester wants kept apart, numbered by the tester.
    Custom(u32),
    /// The node's machine clock (its rate, wander and step jumps): drawn only when clocks
    /// are not perfect, so perfect clocks leave every other stream as it was.
    Clock(NodeId),
}

impl Purpose {
    /// A 64-bit ChaCha stream number, unique per purpose.
    fn stream_number(self) -> u64 {
        match self {
            Purpose::Network(id) => (1 << 32) | u64::from(id.0),
            Purpose::Node(id) => (2 << 32) | u64::from(id.0),
            Purpose::Notice(id) => (6 << 32) | u64::from(id.0),
            Purpose::Faults => 3 << 32,
            Purpose::Workload => 4 << 32,
            Purpose::Custom(n) => (5 << 32) | u64::from(n),
            Purpose::Clock(id) => (7 << 32) | u64::from(id.0),
        }
    }
}

/// The ChaCha8 stream for `purpose` under `seed`. The seed becomes the 256-bit key and the
/// purpose selects ChaCha's stream number, so streams never overlap.
pub fn stream(seed: u64, purpose: Purpose) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    let mut state = seed;
    for (i, chunk) in key.chunks_exact_mut(8).enumerate() {
        state = finish(mix(state, i as u64 + 1));
        chunk.copy_from_slice(&state.to_le_bytes());
    }
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(purpose.stream_number());
    rng
}

/// A uniform draw in `[0, span)` by Lemire's multiply-shift (fixed algorithm, not rand's,
/// so the numbers never change with a rand upgrade). `span == 0` gives 0.
#[inline]
pub(crate) fn below(rng: &mut ChaCha8Rng, span: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(span)) >> 64) as u64
}

/// The threshold that `next_u64() < threshold` hits with probability `p`.
pub(crate) fn probability_threshold(p: f64) -> u64 {
    if p.is_nan() || p <= 0.0 {
        0
    } else if p >= 1.0 {
        u64::MAX
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_purpose_and_seed() {
        let a = stream(1, Purpose::Faults).next_u64();
        assert_eq!(a, stream(1, Purpose::Faults).next_u64());
        assert_ne!(a, stream(2, Purpose::Faults).next_u64());
        assert_ne!(a, stream(1, Purpose::Workload).next_u64());
        assert_ne!(
            stream(1, Purpose::Node(NodeId(1))).next_u64(),
            stream(1, Purpose::Node(NodeId(2))).next_u64()
        );
        assert_ne!(
            stream(1, Purpose::Clock(NodeId(1))).next_u64(),
            stream(1, Purpose::Node(NodeId(1))).next_u64()
        );
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = stream(7, Purpose::Custom(0));
        for _ in 0..1000 {
            assert!(below(&mut rng, 27) < 27);
        }
        assert_eq!(below(&mut rng, 0), 0);
    }
}
