//! Grading a submission: every test of the chosen parts over the instructor's corpus of seeds,
//! scored per test (a test passes when every corpus seed passes), with a per-part table, a
//! Gradescope `results.json` and a JUnit XML. The same implementation and corpus give the same
//! scores and the same trace digests on any machine: nothing here reads a clock into a result.
//!
//! `grade` runs the tests on threads inside this process (for tests and calibration);
//! `grade_main`, the grading binary's `main`, runs each test in a child process of its own so a
//! livelocked or hung implementation is killed at a wall-clock cap instead of hanging the
//! grader (the virtual-time budget already fails a story that never ends).
mod clock;
mod isolate;
mod main;
mod results;
mod worker;

use std::time::Duration;

use kv::KvService;
use raft::Consensus;

use super::parts::{part_of, test_name, Part};
use crate::catalog::catalog_with;
use crate::run::Options;

pub use main::{grade_command, grade_main};
pub use worker::TestResult;

/// What to grade and how.
#[derive(Clone, Debug)]
pub struct Grading {
    /// The parts graded (the Raft lab's, the KV lab's, or some of them).
    pub parts: Vec<Part>,
    /// The corpus: every test runs each of these seeds.
    pub seeds: Vec<u64>,
    /// Mutation switches of the reference implementations (to calibrate a corpus: every zoo
    /// mutant must lose points).
    pub options: Options,
    /// Tests run at once.
    pub jobs: usize,
    /// Wall-clock cap of one test (process isolation only).
    pub cap: Duration,
    /// Gradescope visibility of each test: `visible`, `hidden`, `after_due_date`,
    /// `after_published`.
    pub visibility: String,
}

impl Grading {
    /// Every part of `parts` over `seeds`, on every core, a 60 s cap per test.
    pub fn new(parts: &[Part], seeds: Vec<u64>) -> Grading {
        let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
        Grading {
            parts: parts.to_vec(),
            seeds,
            options: Options::default(),
            jobs,
            cap: Duration::from_secs(60),
            visibility: "visible".to_string(),
        }
    }
}

/// One lab test to grade.
#[derive(Clone, Debug)]
pub(crate) struct Task {
    pub part: Part,
    pub scenario: &'static str,
    pub test: String,
}

/// The tests of `parts`, in catalog order within each part.
pub(crate) fn tasks<R: Consensus, K: KvService>(parts: &[Part]) -> Vec<Task> {
    let mut tasks: Vec<Task> = catalog_with::<R, K>()
        .into_iter()
        .map(|s| {
            let part = part_of(s.name, &s.setup(0));
            Task { part, scenario: s.name, test: test_name(part, s.name) }
        })
        .filter(|task| parts.contains(&task.part))
        .collect();
    tasks.sort_by_key(|task| task.part);
    tasks
}

/// The graded tests, in part order.
#[derive(Clone, Debug)]
pub struct Grade {
    pub tests: Vec<TestResult>,
}

/// Grades in this process, on `grading.jobs` threads (no wall-clock cap: for trusted code).
pub fn grade<R: Consensus, K: KvService>(grading: &Grading) -> Grade {
    let tasks = tasks::<R, K>(&grading.parts);
    let tests = isolate::parallel(&tasks, grading.jobs, |task| {
        worker::run_task::<R, K>(task, &grading.seeds, grading.options)
    });
    Grade { tests }
}
