//! Raft as a sans-IO state machine: the consensus contract a host drives, and a reference
//! implementation of Figure 2 of the Raft paper (Ongaro & Ousterhout, 2014) with snapshots.
//!
//! The crate has no clock, no threads, no IO and no dependency on the simulator: a host feeds a
//! node ticks, messages and proposals, and carries out the [`Ready`] effects it returns
//! (persist, then send, then apply). See [`Consensus`] for the full contract.

mod bugs;
mod config;
mod consensus;
mod effects;
mod election;
mod follower;
mod log;
mod message;
mod node;
mod persist;
mod progress;
mod ready;
mod replication;
mod snapshot;
pub mod testkit;
mod types;

pub use bugs::Bugs;
pub use config::Config;
pub use consensus::{Consensus, NotLeader, Role, Status};
pub use message::{Body, Message};
pub use node::RaftNode;
pub use persist::{ContractViolation, HardState, PersistedState, Snapshot};
pub use ready::Ready;
pub use types::{Command, Entry, LogIndex, NodeId, Term};
