//! The graded Raft scenarios, one `#[test]` each (`part3a_...` to `part3x_swarm_raft`), run
//! against your `raft_lab::Raft`: `cargo test --release` runs them all, `cargo test --release
//! 3c` one part, `cargo test --release figure8` the scenarios whose name says so.
scenarios::raft_tests!(raft_lab::Raft);
