//! The bug zoo (issue 8): every classic Raft and KV mistake as a mutation switch, and the kill
//! matrix that proves the default suite catches each one quickly and replayably.
mod matrix;
mod mutants;

pub use matrix::{kill, kill_matrix, median_seeds_to_kill, reference_failures, suite, Kill};
pub use mutants::{find, Check as CaughtBy, Layer, Mutant, MUTANTS, READ_SWITCHES};
