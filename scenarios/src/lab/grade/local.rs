//! Grading inside this process, on threads: for tests and for calibrating a corpus with
//! trusted code (no wall-clock cap: a hung implementation would hang it; the grading binary
//! isolates each test in a child process instead).
use kv::KvService;
use raft::Consensus;

use super::isolate::parallel;
use super::plan::{tasks, Grading};
use super::results::Grade;
use super::worker::run_task;

/// Grades in this process, on `grading.jobs` threads (no wall-clock cap: for trusted code).
pub fn grade<R: Consensus, K: KvService>(grading: &Grading) -> Grade {
    let tasks = tasks::<R, K>(&grading.parts);
    let tests = parallel(&tasks, grading.jobs, |task| {
        run_task::<R, K>(task, &grading.seeds, grading.options)
    });
    Grade { tests }
}
