//! The grading binary: the Raft lab's parts (3A-3D and 3X) over a corpus of seeds, each test
//! in a child process with a wall-clock cap, a score table on the terminal and
//! `results.json` (Gradescope) and `junit.xml` in `--out` (default `grade-results`).
//!
//! Practise with `cargo run --release --bin grade -- --seeds 0..20`; the instructor grades
//! with `--corpus FILE`, a list of seeds you do not see.
use std::process::ExitCode;

use scenarios::lab::{grade_main, Part, ReferenceKv};

fn main() -> ExitCode {
    // The Raft lab has no KV half: the reference KV server is named only to fill the slot.
    grade_main::<raft_lab::Raft, ReferenceKv<raft_lab::Raft>>(&[
        Part::Raft3A,
        Part::Raft3B,
        Part::Raft3C,
        Part::Raft3D,
        Part::Raft3X,
    ])
}
