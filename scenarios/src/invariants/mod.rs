//! The always-on cluster invariants, one file per property, each citing the Raft paper
//! (Ongaro & Ousterhout, 2014), and the bundle that feeds them every output and every role
//! change after every event; each keeps just enough state to check incrementally.
mod bundle;
mod election_safety;
mod in_order_apply;
mod leader_completeness;
mod log_matching;
mod snapshot_consistency;
mod state_machine_safety;

pub use bundle::Invariants;
pub use election_safety::ElectionSafety;
pub use state_machine_safety::{CommittedEntry, History};
