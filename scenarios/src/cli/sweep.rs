//! `tenrec sweep NAME|--all --seeds A..B [--jobs N] [--json]`: every (scenario, seed) pair in
//! parallel with rayon (each seed its own single-threaded world), a progress bar on stderr,
//! then the summary line "N passed, M failed" and each failure with its replay command.
use std::ops::Range;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use raft::RaftNode;
use rayon::prelude::*;
use scenarios::{catalog, Options, Report, Run, Scenario};

use super::run::{bug_switches, report_json};
use scenarios::seeds::parse_seeds;

#[derive(clap::Args)]
pub struct SweepArgs {
    /// Scenario name; omit with --all.
    name: Option<String>,
    /// Sweep every scenario in the catalog.
    #[arg(long)]
    all: bool,
    /// Seeds, `A..B` (B excluded) or one seed; decimal or 0x hex.
    #[arg(long, value_parser = parse_seeds, default_value = "0..20")]
    seeds: Range<u64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Turn on one of the mutation switches (repeatable): the reference Raft's, or kv's
    /// (`no_duplicate_detection`), which only the KV scenarios feel.
    #[arg(long = "bug")]
    bugs: Vec<String>,
}

pub fn run(args: &SweepArgs) -> ExitCode {
    let all = catalog::<RaftNode>();
    let chosen: Vec<&Scenario<RaftNode>> = match (&args.name, args.all) {
        (Some(name), false) => match all.iter().find(|s| s.name == name.as_str()) {
            Some(s) => vec![s],
            None => {
                eprintln!("error: no scenario `{name}` (see `tenrec list`)");
                return ExitCode::from(1);
            }
        },
        (None, true) => all.iter().collect(),
        _ => {
            eprintln!("error: give one scenario name or --all");
            return ExitCode::from(1);
        }
    };
    let (bugs, kv_bugs) = match bug_switches(&args.bugs) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let options = Options { bugs, kv_bugs, trace_capacity: 0 };
    let reports = sweep(&chosen, args.seeds.clone(), args.jobs, &options);
    print_summary(&reports, args.json)
}

/// Runs every scenario for every seed in parallel; reports come back in (scenario, seed) order.
/// kv's switches in `options` reach the KV scenarios only (a Raft scenario has no KV servers to
/// break, and runs as without them).
pub fn sweep(
    scenarios: &[&Scenario<RaftNode>],
    seeds: Range<u64>,
    jobs: Option<usize>,
    options: &Options,
) -> Vec<Report> {
    let work: Vec<(usize, u64)> =
        (0..scenarios.len()).flat_map(|k| seeds.clone().map(move |seed| (k, seed))).collect();
    let bar = ProgressBar::new(work.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {elapsed} elapsed, eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let run = || {
        work.par_iter()
            .map(|&(k, seed)| {
                let report = scenarios[k].run(Run::new(seed).options(*options).tail(0));
                bar.inc(1);
                report
            })
            .collect::<Vec<Report>>()
    };
    let reports = match jobs {
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    };
    bar.finish_and_clear();
    reports
}

/// Prints "N passed, M failed" and the failures; the exit code of the worst failure.
pub fn print_summary(reports: &[Report], json: bool) -> ExitCode {
    let failed: Vec<&Report> = reports.iter().filter(|r| !r.passed()).collect();
    let passed = reports.len() - failed.len();
    let code = failed.iter().map(|r| r.exit_code()).max().unwrap_or(0);
    if json {
        let value = serde_json::json!({
            "passed": passed,
            "failed": failed.len(),
            "failures": failed.iter().map(|r| report_json(r)).collect::<Vec<_>>(),
        });
        println!("{value}");
        return ExitCode::from(code);
    }
    for report in &failed {
        let what = report.failure.as_ref().map(|f| f.to_string()).unwrap_or_default();
        println!("FAIL {} seed {}: {what}", report.scenario, report.seed);
        println!("  replay: {}", report.replay_command());
    }
    println!("{passed} passed, {} failed", failed.len());
    ExitCode::from(code)
}
