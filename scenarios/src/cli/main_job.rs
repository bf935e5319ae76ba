//! `tenrec` with no subcommand: the default main job, a seeded fault sweep over the whole
//! catalog for seeds 0..20, ending in a verdict line and the exit code of the worst failure.
use std::process::ExitCode;

use raft::RaftNode;
use scenarios::{catalog, Options, Scenario};

use super::shard::Shard;
use super::sweep::{print_summary, sweep};

const SEEDS: std::ops::Range<u64> = 0..20;

pub fn run() -> ExitCode {
    let all = catalog::<RaftNode>();
    let chosen: Vec<&Scenario<RaftNode>> = all.iter().collect();
    eprintln!(
        "tenrec: sweeping {} scenarios over seeds {}..{} (see `tenrec --help` for more)",
        chosen.len(),
        SEEDS.start,
        SEEDS.end
    );
    let reports = sweep(&chosen, SEEDS, Shard::WHOLE, None, &Options::default());
    let code = print_summary(&reports, false);
    let ok = reports.iter().all(|r| r.passed());
    println!("verdict: {}", if ok { "all scenarios pass" } else { "FAILURES (replay above)" });
    code
}
