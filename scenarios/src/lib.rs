//! `scenarios`: hosts any implementation of raft's `Consensus` trait as simulated nodes, drives
//! them with a lab-style tester in virtual time, checks the cluster invariants of the Raft paper
//! after every event, and runs the scenario catalog (SCENARIOS.md sections A–E).
//!
//! ```
//! use raft::RaftNode;
//! use scenarios::{catalog, Options};
//!
//! let scenario = catalog::find::<RaftNode>("agree.basic_indices").expect("in the catalog");
//! let report = scenario.run(42, &Options::default(), 0);
//! assert!(report.passed(), "{}", report.failure_text());
//! // Same seed, same trace.
//! assert_eq!(report.trace_hash, scenario.run(42, &Options::default(), 0).trace_hash);
//! ```
pub mod catalog;
mod failure;
pub mod host;
pub mod invariants;
pub mod kv;
mod runner;
pub mod tester;
pub mod zoo;

pub use catalog::{catalog, Scenario};
pub use failure::{Broke, Check, Failure};
pub use runner::{bug_names, combine, parse_bugs, Options, Report};
pub use tester::{Setup, Tester};
