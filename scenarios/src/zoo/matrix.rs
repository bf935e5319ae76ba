//! The kill matrix: each mutant runs against the part of the suite that exercises its crate,
//! seed by seed, until some scenario fails; mutants run in parallel (rayon), each run is its
//! own single-threaded world, so the matrix is the same on any machine.
use std::ops::Range;

use raft::RaftNode;
use rayon::prelude::*;

use super::mutants::{Layer, Mutant, MUTANTS};
use crate::catalog::catalog;
use crate::failure::Broke;
use crate::report::Report;
use crate::run::{Options, Run};
use crate::scenario::Scenario;

/// What happened to one mutant.
#[derive(Clone, Debug)]
pub struct Kill {
    pub mutant: &'static Mutant,
    /// The first failing run, if any seed of the budget killed the mutant.
    pub report: Option<Report>,
    /// Seeds run up to and including the killing one (the whole budget if it survived).
    pub seeds_run: u64,
    /// Scenario runs made, over all seeds.
    pub runs: u64,
}

impl Kill {
    pub fn killed(&self) -> bool {
        self.report.is_some()
    }

    /// What caught it: the failure's class (invariant, linearizability, liveness, ...).
    pub fn caught_by(&self) -> Option<Broke> {
        self.report.as_ref().and_then(Report::broke)
    }
}

/// The scenarios that run against a mutant whose suite is `layer`: the Raft sections (A–E and
/// `swarm.raft`) for Raft switches, the KV sections (F, G and `swarm.kv`) for kv switches and
/// the Raft switches of reads.
pub fn suite(layer: Layer) -> Vec<Scenario<RaftNode>> {
    let kv = layer == Layer::Kv;
    catalog::<RaftNode>().into_iter().filter(|s| s.is_kv() == kv).collect()
}

/// Runs `mutant` over `seeds` (every suite scenario per seed) until the first failure.
pub fn kill(mutant: &'static Mutant, seeds: Range<u64>) -> Kill {
    let suite = suite(mutant.suite);
    let options = mutant.options();
    let mut runs = 0;
    for (k, seed) in seeds.clone().enumerate() {
        for scenario in &suite {
            runs += 1;
            let report = scenario.run(Run::new(seed).options(options).tail(0));
            if !report.passed() {
                return Kill { mutant, report: Some(report), seeds_run: k as u64 + 1, runs };
            }
        }
    }
    Kill { mutant, report: None, seeds_run: seeds.end.saturating_sub(seeds.start), runs }
}

/// Every mutant of the zoo against `seeds`, in parallel on `jobs` threads (default: all cores);
/// results come back in `MUTANTS` order.
pub fn kill_matrix(seeds: Range<u64>, jobs: Option<usize>) -> Vec<Kill> {
    in_pool(jobs, || MUTANTS.par_iter().map(|m| kill(m, seeds.clone())).collect())
}

/// The median number of seeds needed to kill, over the killed mutants.
pub fn median_seeds_to_kill(kills: &[Kill]) -> Option<f64> {
    let mut seeds: Vec<u64> = kills.iter().filter(|k| k.killed()).map(|k| k.seeds_run).collect();
    seeds.sort_unstable();
    let n = seeds.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(seeds[n / 2] as f64),
        _ => Some((seeds[n / 2 - 1] + seeds[n / 2]) as f64 / 2.0),
    }
}

/// The reference implementation against the same suites and seeds: every failing run (there
/// must be none, or the kills above would prove nothing).
pub fn reference_failures(seeds: Range<u64>, jobs: Option<usize>) -> Vec<Report> {
    let all = catalog::<RaftNode>();
    let work: Vec<(usize, u64)> =
        (0..all.len()).flat_map(|k| seeds.clone().map(move |seed| (k, seed))).collect();
    let options = Options { trace_capacity: 0, ..Options::default() };
    in_pool(jobs, || {
        work.par_iter()
            .map(|&(k, seed)| all[k].run(Run::new(seed).options(options).tail(0)))
            .filter(|report| !report.passed())
            .collect()
    })
}

/// Runs `work` on a pool of `jobs` threads, or on rayon's global pool.
fn in_pool<T: Send>(jobs: Option<usize>, work: impl FnOnce() -> T + Send) -> T {
    match jobs.map(|n| rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build()) {
        Some(Ok(pool)) => pool.install(work),
        _ => work(),
    }
}
