//! `scenarios`: one cluster core that hosts any implementation of raft's `Consensus` trait
//! (with or without a KV service on top) and clients as simulated nodes, drives them in
//! virtual time with the lab tester's verbs, checks the cluster invariants of the Raft paper
//! after every event, records and checks the clients' history, and runs the scenario catalog
//! (SCENARIOS.md sections A–G); `lab` turns a student's crate into the graded suite
//! (`raft_tests!`, `kv_tests!`, `lab::grade_main`).
//!
//! ```
//! use raft::RaftNode;
//! use scenarios::{catalog, Run};
//!
//! let scenario = catalog::find::<RaftNode>("agree.basic_indices").expect("in the catalog");
//! let report = scenario.run(Run::new(42));
//! assert!(report.passed(), "{}", report.failure_text());
//! // Same seed, same trace.
//! assert_eq!(report.trace_hash, scenario.run(Run::new(42)).trace_hash);
//! ```
pub mod catalog;
pub mod cluster;
pub mod export;
mod failure;
pub mod flags;
pub mod host;
pub mod invariants;
pub mod kv;
pub mod lab;
pub mod labels;
mod panics;
mod report;
mod run;
mod scenario;
pub mod schedule;
pub mod seeds;
pub mod timeline;
// The zoo runs its kill matrix in parallel (rayon): a CLI tool, not part of the library.
#[cfg(feature = "cli")]
pub mod zoo;

pub use catalog::catalog;
pub use cluster::{Cluster, Setup};
pub use failure::{Broke, Check, Failure};
pub use report::{KvFacts, Report};
pub use run::{parse_bugs, Options, Run};
pub use scenario::Scenario;
pub use timeline::Timeline;
