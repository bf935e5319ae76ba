//! Raft as a sans-IO state machine: the consensus contract a host drives, and a reference
//! implementation of Figure 2 of the Raft paper (Ongaro & Ousterhout, 2014) with snapshots.
//!
//! The crate has no clock, no threads, no IO and no dependency on the simulator: a host feeds a
//! node ticks, messages and proposals, and carries out the [`Ready`] effects it returns
//! (persist, then send, then apply). See [`Consensus`] for the full contract.
//!
//! ```
//! use raft::{Command, Config, Consensus, NodeId, PersistedState, RaftNode, Role};
//!
//! // A one-node cluster is its own majority: it elects itself once its timeout fires.
//! let config = Config::new(NodeId(1), vec![NodeId(1)], 42);
//! let mut durable = PersistedState::default();
//! let mut node = RaftNode::restart(config.clone(), &durable);
//! while node.status().role != Role::Leader {
//!     node.tick();
//! }
//! let (index, _term) = node.propose(Command::from("put x 1")).unwrap();
//! let ready = node.ready();
//! durable.apply(&ready).unwrap(); // 1. persist
//! assert!(ready.messages.is_empty()); // 2. send (nobody to send to)
//! assert_eq!(ready.committed_entries[0].index, index); // 3. apply
//!
//! // A crash keeps only `durable`; the restarted node remembers its term, vote and log.
//! let restarted = RaftNode::restart(config, &durable);
//! assert_eq!(restarted.status().current_term, node.status().current_term);
//! assert_eq!(restarted.status().last_log_index, index);
//! ```
//!
//! [`conformance`] holds the rules of Figure 2 (and §7) as checks generic over any
//! [`Consensus`], each driving one node through the trait alone: the reference passes them,
//! and the lab grades a student's Raft with them.
//!
//! Clusters of any [`Consensus`] implementation run in the `scenarios` crate's one cluster core,
//! which drives them through partitions, crashes and an unreliable network in virtual time and
//! checks the cluster invariants after every event; this crate's own tests need no network.

mod bugs;
mod config;
pub mod conformance;
mod consensus;
mod effects;
mod election;
mod follower;
mod lease;
mod lease_reads;
mod log;
mod message;
mod node;
mod persist;
mod progress;
mod read_index;
mod reads;
mod ready;
mod replication;
mod snapshot;
mod switches;
mod types;

pub use bugs::Bugs;
pub use config::Config;
pub use consensus::{Consensus, NotLeader, ReadRefused, Role, Status};
pub use lease::Lease;
pub use message::{Body, Message};
pub use node::RaftNode;
pub use persist::{ContractViolation, PersistedState};
pub use ready::Ready;
pub use switches::Switch;
pub use types::{Command, Entry, HardState, LogIndex, NodeId, ReadState, Snapshot, Term};
