//! What a grading covers: the parts, the corpus of seeds, the switches (to calibrate a corpus
//! on known mistakes), the parallelism and the wall-clock cap; and the list of lab tests it
//! runs, one per scenario of those parts.
use std::time::Duration;

use kv::KvService;
use raft::Consensus;

use super::super::conformance::lab_checks;
use super::super::parts::{part_of, test_name, Part};
use crate::catalog::catalog_with;
use crate::run::Options;

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

/// The tests of `parts`, in catalog order within each part, then the part's conformance
/// checks.
pub(crate) fn tasks<R: Consensus, K: KvService>(parts: &[Part]) -> Vec<Task> {
    let mut tasks: Vec<Task> = catalog_with::<R, K>()
        .into_iter()
        .map(|s| {
            let part = part_of(s.name, &s.setup(0));
            Task { part, scenario: s.name, test: test_name(part, s.name) }
        })
        .chain(lab_checks().iter().map(|(name, part)| Task {
            part: *part,
            scenario: name,
            test: test_name(*part, name),
        }))
        .filter(|task| parts.contains(&task.part))
        .collect();
    tasks.sort_by_key(|task| task.part);
    tasks
}
