//! Conformance checks: the rules of Figure 2 (and §7's InstallSnapshot), each written once,
//! generic over any [`Consensus`](crate::Consensus), each driving a single node through the
//! trait alone and asserting only what the paper requires of it: what it may vote, append,
//! truncate, acknowledge, commit and apply, and what must be on stable storage before it
//! speaks. Replies are found by their `Body` variant and Figure 2's fields, never by their
//! layout, and the reference's extras (the fast back-up hints) are never required, so the
//! same checks grade a student's Raft in lab mode and hold the reference to its own paper.
//!
//! ```
//! use raft::conformance::{checks, Setup};
//! use raft::RaftNode;
//!
//! for check in checks::<RaftNode>() {
//!     let setup = Setup::new(7);
//!     check.run(&setup).unwrap_or_else(|v| panic!("{}: {v}", check.name));
//! }
//! ```
//!
//! A failure is a [`Violation`]: what the node did, and the rule's words. The [`Setup`] keeps
//! a transcript of everything the check delivered and the node did, for the report.
mod all_servers;
mod append_entries;
mod check;
mod commit;
mod elections;
mod harness;
mod install_snapshot;
mod list;
mod peer;
mod persistence;
mod request_vote;
mod rpc;
mod rules;

pub use check::{Check, Group, Setup, Violation};
pub use list::{checks, find};
