//! The graded KV scenarios, one `#[test]` each (`part4a_...`, `part4b_...`,
//! `part4x_swarm_kv`), run against your `kv_lab::KvServer`: `cargo test --release` runs them
//! all, `cargo test --release 4b` one part, `cargo test --release restarts` the scenarios
//! whose name says so.
scenarios::kv_tests!(kv_lab::KvServer);
