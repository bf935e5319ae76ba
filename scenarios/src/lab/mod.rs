//! Lab mode: a student's Raft (any `raft::Consensus`) or KV server (any `kv::KvService`) runs
//! the graded suite from the student's own crate. One macro line generates a `#[test]` per
//! scenario named by part (`cargo test 3c`, `cargo test figure8`); a failure prints the command
//! that replays that very seed on the student's code; and an instructor grades a submission
//! over a hidden corpus of seeds, deterministically, with Gradescope and JUnit results.
mod conformance;
mod grade;
mod macros;
mod parts;
mod shrink;
mod test;

pub use conformance::{lab_checks, part_of_group};
pub use grade::{grade, grade_command, grade_main, Grade, Grading, TestResult};
pub use parts::{part_of, test_name, Part};
pub use shrink::{run_schedule_file, shrink_lab_failure, shrink_runs_from_env, DEFAULT_LAB_RUNS};
pub use test::{check_coverage, replay_command, run_test, seeds_from_env, DEFAULT_SEEDS};

/// The KV service a Raft-only lab names for its (never built) KV half.
pub type ReferenceKv<R> = kv::KvServer<R>;

/// The Raft a KV-only lab names for its (never built) Raft half: the student's KV server
/// carries its own Raft inside.
pub type ReferenceRaft = raft::RaftNode;
