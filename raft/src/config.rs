//! Construction parameters of one Raft server: identity, membership, timing in ticks, flow
//! control, the seed of its private random stream, and the mutation switches.

use crate::bugs::Bugs;
use crate::lease::Lease;
use crate::types::NodeId;

/// How to build one node. Times are in ticks: the host calls `tick()` every tick interval of
/// virtual time (10 ms is the suggested interval, which makes the defaults below 6.824-friendly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// This server.
    pub id: NodeId,
    /// Every member of the cluster. Including `id` is allowed and harmless; `id` is always a
    /// member. The cluster is fixed (no membership changes).
    pub peers: Vec<NodeId>,
    /// Election timeouts are drawn uniformly from `[election_ticks_min, election_ticks_max)`
    /// (§5.2). Default 30..60 ticks = 300..600 ms at 10 ms a tick.
    pub election_ticks_min: u32,
    pub election_ticks_max: u32,
    /// A leader sends heartbeats every `heartbeat_ticks` (default 10 = 100 ms: 10 per second, the
    /// 6.824 limit). Must be well below `election_ticks_min`.
    pub heartbeat_ticks: u32,
    /// Pipelining: AppendEntries carrying entries that may be outstanding per follower (default 8).
    pub max_inflight: usize,
    /// Batching: at most this many entries in one AppendEntries (default 64) ...
    pub max_batch_entries: usize,
    /// ... and at most about this many command bytes (default 64 KiB; one entry always fits).
    pub max_batch_bytes: usize,
    /// Seed of the node's private random stream (election timeouts). The host draws it from its
    /// per-node stream, so runs replay exactly.
    pub seed: u64,
    /// Leader leases (§6.4.1) and the clock bounds they assume; `None` (the default): reads
    /// always take a round of messages, and votes are never withheld.
    pub lease: Option<Lease>,
    /// Deliberate bugs for the bug zoo; all off by default.
    pub bugs: Bugs,
}

impl Config {
    /// A configuration with the documented defaults.
    pub fn new(id: NodeId, peers: Vec<NodeId>, seed: u64) -> Config {
        Config {
            id,
            peers,
            election_ticks_min: 30,
            election_ticks_max: 60,
            heartbeat_ticks: 10,
            max_inflight: 8,
            max_batch_entries: 64,
            max_batch_bytes: 64 * 1024,
            seed,
            lease: None,
            bugs: Bugs::none(),
        }
    }

    /// The same configuration with the given bugs switched on.
    pub fn with_bugs(mut self, bugs: Bugs) -> Config {
        self.bugs = bugs;
        self
    }

    /// The same configuration with leader leases that assume `lease`'s clock bounds.
    pub fn with_lease(mut self, lease: Lease) -> Config {
        self.lease = Some(lease);
        self
    }

    /// The members other than `id`, sorted and without duplicates.
    pub fn others(&self) -> Vec<NodeId> {
        let mut others: Vec<NodeId> =
            self.peers.iter().copied().filter(|p| *p != self.id).collect();
        others.sort();
        others.dedup();
        others
    }

    /// A copy with every limit made usable (nonzero, ordered), so a careless host cannot wedge a
    /// node: heartbeats stay faster than elections and batches hold at least one entry.
    pub(crate) fn normalized(&self) -> Config {
        let mut config = self.clone();
        config.heartbeat_ticks = config.heartbeat_ticks.max(1);
        config.election_ticks_min = config.election_ticks_min.max(config.heartbeat_ticks + 1);
        config.election_ticks_max = config.election_ticks_max.max(config.election_ticks_min + 1);
        config.max_inflight = config.max_inflight.max(1);
        config.max_batch_entries = config.max_batch_entries.max(1);
        config
    }
}
