//! The scenario catalog (SCENARIOS.md sections A–G, and H: reads without the log), by name. Each scenario is a story in the
//! lab's vocabulary with the same assertions and bounds, plus goals proving its faults
//! happened. One file per section (section F's read-path stories have their own, `kv_reads`);
//! each exports `scenarios()`.
mod agree;
mod election;
mod figure8;
mod kv;
mod kv_reads;
mod lin;
mod persist;
mod reads;
mod snap;
mod swarm;
mod unreliable;

use ::kv::{KvServer, KvService};
use raft::Consensus;

use crate::scenario::Scenario;

pub use reads::{deposed_leader_on, lease_beyond_margin, LEASE_DRIFT_PPM};

/// Every scenario, in catalog order, for the reference KV server on `R`.
pub fn catalog<R: Consensus>() -> Vec<Scenario<R>> {
    catalog_with::<R, KvServer<R>>()
}

/// Every scenario, in catalog order, for any Raft `R` and KV service `K`.
pub fn catalog_with<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    let mut all = election::scenarios();
    all.extend(agree::scenarios());
    all.extend(persist::scenarios());
    all.extend(unreliable::scenarios());
    all.extend(snap::scenarios());
    all.extend(kv::scenarios());
    all.extend(kv_reads::scenarios());
    all.extend(lin::scenarios());
    all.extend(reads::scenarios());
    all.extend(swarm::scenarios());
    all
}

/// The scenario called `name`.
pub fn find<R: Consensus>(name: &str) -> Option<Scenario<R>> {
    catalog().into_iter().find(|s| s.name == name)
}

/// The scenario called `name`, for any Raft `R` and KV service `K`.
pub fn find_with<R: Consensus, K: KvService>(name: &str) -> Option<Scenario<R, K>> {
    catalog_with().into_iter().find(|s| s.name == name)
}
