//! The fault mix of one swarm run, drawn from the seed alone (its own random stream, so the
//! mix does not shift when a scenario's other randomness changes).
use std::fmt;
use std::time::Duration;

use kv::ReadPath;
use sim::rand::Rng;
use sim::{ChaCha8Rng, ClockConfig, Latency, NetConfig};

use crate::labels::seeded;

/// A partition shape the safety phase may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The leader alone on one side.
    IsolateLeader,
    /// A random two-way split.
    Split,
    /// Some directed links cut: a node hears but is not heard, or the reverse.
    OneWay,
    /// Two halves that cannot talk to each other, both talking to one bridge node.
    Bridge,
}

/// A targeted story for a bug that random storms rarely hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Story {
    /// Figure 8: an old-term entry is replicated onto a majority by a later leader, which
    /// must not count it as committed; then a node holding a newer-term entry wins.
    Figure8,
    /// A lagging candidate whose vote replies arrive seconds late, from an earlier term,
    /// while the others commit without it.
    StaleVotes,
    /// Messages take 110–140 ms, so a voter that does not reset its timer on granting a vote
    /// times out before the winner's first heartbeat arrives.
    SlowVotes,
    /// A follower misses entries a snapshot compacted away, then catches up by InstallSnapshot.
    SnapshotLag,
    /// KV: a clerk's Append takes effect but its reply is lost; every server snapshots past
    /// it and restarts from that snapshot; the clerk's retry must still apply only once.
    RetryAcrossSnapshot,
}

impl Story {
    /// Stories that only make sense with snapshots on.
    fn needs_snapshots(self) -> bool {
        matches!(self, Story::SnapshotLag | Story::RetryAcrossSnapshot)
    }
}

/// Everything a swarm run draws from its seed.
#[derive(Clone, Debug)]
pub struct Mix {
    pub servers: usize,
    /// Raft: snapshot every this many entries; KV: maxraftstate bytes.
    pub snapshots: bool,
    /// The network during the safety phase.
    pub net: NetConfig,
    pub shapes: Vec<Shape>,
    /// Per fault step, the chance (percent) to crash a node, and to restart a crashed one.
    pub crash_percent: u64,
    pub restart_percent: u64,
    /// Pause between fault steps, in milliseconds.
    pub step_ms: (u64, u64),
    /// Raft: commands started per step; KV: clerks.
    pub clients: usize,
    pub stories: Vec<Story>,
    pub safety: Duration,
    /// A node may stay down through the liveness phase (only a majority heals).
    pub leave_one_down: bool,
    /// The servers' clocks: drift, wander and step jumps, or perfect.
    pub clocks: ClockConfig,
    /// How KV servers serve `Get` (Raft mixes ignore it).
    pub reads: ReadPath,
}

impl Mix {
    /// The mix of `seed`; `kv` mixes have no Raft-only stories.
    pub fn draw(seed: u64, kv: bool) -> Mix {
        let mut rng = seeded(sim::fingerprint(&("swarm", seed, kv)));
        let stories = draw_stories(&mut rng, kv);
        let servers = if stories.is_empty() && rng.gen_bool(0.3) { 3 } else { 5 };
        // Short-circuits like the one-story check it replaced, so a seed's other draws are the
        // same as before the KV story existed.
        let snapshots = stories.iter().any(|s| s.needs_snapshots()) || rng.gen_bool(0.5);
        let all = [Shape::IsolateLeader, Shape::Split, Shape::OneWay, Shape::Bridge];
        let shapes = all.into_iter().filter(|_| rng.gen_bool(0.6)).collect();
        let crash_percent = [0, 5, 15, 30][rng.gen_range(0..4)];
        let fast = rng.gen_bool(0.5);
        Mix {
            servers,
            snapshots,
            net: draw_net(&mut rng),
            shapes,
            crash_percent,
            restart_percent: [20, 50, 90][rng.gen_range(0..3)],
            step_ms: if fast { (20, 200) } else { (200, 1500) },
            clients: rng.gen_range(1..=if kv { 6 } else { 4 }),
            stories,
            safety: Duration::from_millis(rng.gen_range(4_000..12_000)),
            leave_one_down: rng.gen_bool(0.3),
            clocks: draw_clocks(seed, kv),
            reads: draw_reads(seed),
        }
    }
}

/// A quarter of the mixes put every read in the log, a quarter serve reads by lease (with the
/// margin of the mix's clocks), the rest use ReadIndex, the default. Drawn from a stream of
/// their own, like the clocks; the log draw comes first, so its seeds are those of before.
fn draw_reads(seed: u64) -> ReadPath {
    let mut rng = seeded(sim::fingerprint(&("swarm reads", seed)));
    if rng.gen_bool(0.25) {
        ReadPath::Log
    } else if rng.gen_bool(1.0 / 3.0) {
        ReadPath::Lease
    } else {
        ReadPath::ReadIndex
    }
}

/// Half the mixes run on imperfect clocks. Drawn from a stream of their own, so every other
/// part of a seed's mix is what it was before clocks could drift.
fn draw_clocks(seed: u64, kv: bool) -> ClockConfig {
    let mut rng = seeded(sim::fingerprint(&("swarm clocks", seed, kv)));
    if rng.gen_bool(0.5) {
        return ClockConfig::off();
    }
    let drift = [100, 20_000, 50_000][rng.gen_range(0..3)];
    let mut clocks = ClockConfig::drift(drift);
    if rng.gen_bool(0.5) {
        clocks = clocks.with_wander(drift / 4, Duration::from_secs(1));
    }
    if rng.gen_bool(0.3) {
        let max_jump = Duration::from_millis([5, 20][rng.gen_range(0..2)]);
        clocks = clocks.with_jumps(Duration::from_secs(2), max_jump);
    }
    clocks
}

/// Each story is in with probability 1/2 (KV mixes get the one KV story: one draw, as when
/// they drew a snapshot story they never ran, so no other part of a KV mix moved).
fn draw_stories(rng: &mut ChaCha8Rng, kv: bool) -> Vec<Story> {
    let all: &[Story] = if kv {
        &[Story::RetryAcrossSnapshot]
    } else {
        &[Story::Figure8, Story::StaleVotes, Story::SlowVotes, Story::SnapshotLag]
    };
    all.iter().copied().filter(|_| rng.gen_bool(0.5)).collect()
}

/// Loss, duplication, reordering and latency, each on or off, with drawn rates.
fn draw_net(rng: &mut ChaCha8Rng) -> NetConfig {
    let mut net = NetConfig::reliable();
    if rng.gen_bool(0.5) {
        net.drop_requests = [0.02, 0.1, 0.25][rng.gen_range(0..3)];
        net.drop_replies = [0.02, 0.1, 0.25][rng.gen_range(0..3)];
        net.request_delay = Latency::millis(0, 27);
    }
    if rng.gen_bool(0.3) {
        net.duplicate = 0.05;
    }
    if rng.gen_bool(0.3) {
        net = net.with_long_reordering();
    }
    if rng.gen_bool(0.3) {
        net.latency = Latency::millis(1, rng.gen_range(5..60));
    }
    if rng.gen_bool(0.3) {
        net = net.with_long_delays();
    }
    net
}

impl fmt::Display for Mix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} servers, snapshots {}, shapes {:?}, crash {}% restart {}% every {}-{} ms, {} \
             clients, stories {:?}, safety {} ms, leave one down {}, reads {:?}, net {}, {}",
            self.servers,
            self.snapshots,
            self.shapes,
            self.crash_percent,
            self.restart_percent,
            self.step_ms.0,
            self.step_ms.1,
            self.clients,
            self.stories,
            self.safety.as_millis(),
            self.leave_one_down,
            self.reads,
            self.net,
            self.clocks
        )
    }
}
