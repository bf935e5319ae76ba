//! Grading a submission: every test of the chosen parts over the instructor's corpus of seeds,
//! scored per test (a test passes when every corpus seed passes), with a per-part table, a
//! Gradescope `results.json` and a JUnit XML. The same implementation and corpus give the same
//! scores and the same trace digests on any machine: nothing here reads a clock into a result.
//!
//! `grade` runs the tests on threads inside this process (for tests and calibration);
//! `grade_main`, the grading binary's `main`, runs each test in a child process of its own so a
//! livelocked or hung implementation is killed at a wall-clock cap instead of hanging the
//! grader (the virtual-time budget already fails a story that never ends).
mod isolate;
mod local;
mod main;
mod plan;
mod results;
mod worker;

pub use local::grade;
pub use main::{grade_command, grade_main};
pub use plan::Grading;
pub use results::Grade;
pub use worker::TestResult;
