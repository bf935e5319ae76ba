//! `--shard I/N`: which machine of N runs a given (scenario, seed).
//!
//! A run belongs to shard `fingerprint((scenario, seed)) mod N + 1`, with `sim::fingerprint`
//! (a hasher pinned by its own tests, so every machine and every build agrees). The run's
//! position in the work list plays no part, which is the point: growing the seed range or
//! the catalog leaves every run already swept on the shard it was on, a run's shard can be
//! recomputed from its own name and seed (so `sweep --merge` can tell a run that sits in the
//! wrong file), and a shard is not all one scenario or one block of seeds, so an expensive
//! scenario spreads over the machines. The price is that shards are equal only on average:
//! with thousands of runs each they differ by a few percent, not by one run.
//!
//! Every run has exactly one shard (a hash mod N is one number below N), so the shards of one
//! N are disjoint and their union is the unsharded sweep.
use std::fmt;

/// Shard `index` of `count`, both counted from 1 as people write them (`3/8`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// The one shard that holds everything (an unsharded sweep).
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Whether this shard runs `scenario` for `seed`.
    pub fn owns(&self, scenario: &str, seed: u64) -> bool {
        shard_of(scenario, seed, self.count) == self.index
    }
}

/// The shard (1-based) of `count` that runs `scenario` for `seed`.
pub fn shard_of(scenario: &str, seed: u64, count: u64) -> u64 {
    sim::fingerprint(&(scenario, seed)) % count.max(1) + 1
}

/// Parses `I/N` with 1 <= I <= N.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let expected = || format!("`{text}` is not a shard: expected I/N with 1 <= I <= N, e.g. 3/8");
    let (i, n) = text.split_once('/').ok_or_else(expected)?;
    let index: u64 = i.trim().parse().map_err(|_| expected())?;
    let count: u64 = n.trim().parse().map_err(|_| expected())?;
    if index == 0 || index > count {
        return Err(expected());
    }
    Ok(Shard { index, count })
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
