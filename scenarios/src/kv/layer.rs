//! The KV layer's state inside a cluster: the clerks as the tester sees them (their plans,
//! models and append records), the history of every clerk operation, a failure found while
//! reacting to an event, and what the linearizability checks cost. Empty in a Raft-only run.
use std::collections::BTreeMap;
use std::time::Duration;

use kv::ClientId;
use sim::NodeId;

use super::history::KvHistory;
use crate::failure::Failure;

/// What a clerk does while it runs.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Only what the scenario starts by hand.
    Manual,
    /// GenericTest: on its own key, append (half the time) or get; every get must read
    /// exactly the clerk's model of the key.
    OwnKey { key: String },
    /// The linearizability tests: put, append or get on one of `keys` random keys.
    RandomKeys { keys: u64 },
    /// `left` more appends to `key`, then stop (the one-key concurrent appends test).
    Appends { key: String, left: u64 },
}

/// One clerk as the tester sees it.
#[derive(Clone, Debug)]
pub struct ClerkSlot {
    pub id: NodeId,
    pub client: ClientId,
    pub plan: Plan,
    /// Starts a new operation whenever the previous returns.
    pub running: bool,
    /// What the clerk's own writes made of each key it owns (OwnKey plans).
    pub model: BTreeMap<String, String>,
    /// Per key, the append numbers this clerk made, and whether each returned.
    pub appends: BTreeMap<String, Vec<(u64, bool)>>,
    pub(crate) next_append: u64,
    pub completed: u64,
}

/// What the linearizability checks of a run cost (the report carries it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckCost {
    /// Search steps, deterministic for a seed.
    pub steps: u64,
    /// Keys decided by the checker's polynomial fast path instead of the search (unique
    /// appended values: no search steps), deterministic for a seed.
    pub fast_path_keys: u64,
    /// The checker's own measure of its search time (outside the simulation's determinism).
    pub time: Duration,
}

/// The KV layer of a cluster.
#[derive(Clone, Debug)]
pub struct KvLayer {
    pub(crate) clerks: Vec<ClerkSlot>,
    pub(crate) history: KvHistory,
    /// A failure found while reacting to an event (a wrong Get), reported by the next check.
    pub(crate) pending_failure: Option<Failure>,
    pub(crate) cost: CheckCost,
    /// Explain a failed check with its minimal failing sub-history (the costly part).
    pub(crate) explain: bool,
}

impl Default for KvLayer {
    fn default() -> KvLayer {
        KvLayer {
            clerks: Vec::new(),
            history: KvHistory::default(),
            pending_failure: None,
            cost: CheckCost::default(),
            explain: true,
        }
    }
}
