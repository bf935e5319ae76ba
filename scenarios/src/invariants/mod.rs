//! The always-on cluster invariants, one file per property, each citing the Raft paper
//! (Ongaro & Ousterhout, 2014). The tester feeds them every output and every role change, after
//! every event; each keeps just enough state to check incrementally.
mod election_safety;
mod in_order_apply;
mod leader_completeness;
mod log_matching;
mod state_machine_safety;

pub use election_safety::ElectionSafety;
pub use in_order_apply::ApplyOrder;
pub use leader_completeness::check_leader_completeness;
pub use log_matching::LogMatching;
pub use state_machine_safety::{CommittedEntry, History};
