//! `tenrec sweep NAME|--all --seeds A..B [--jobs N] [--json] [--shard I/N] [--jsonl FILE]`:
//! every (scenario, seed) pair in parallel with rayon (each seed its own single-threaded
//! world), a progress bar on stderr, then the summary line "N passed, M failed" and each
//! failure with its replay command. `--shard` runs one machine's share (see `shard.rs`),
//! `--jsonl` keeps every run for `tenrec sweep --merge FILE...` (see `merge.rs`).
use std::ops::Range;
use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use raft::RaftNode;
use rayon::prelude::*;
use scenarios::{catalog, Options, Report, Run, Scenario};

use super::jsonl::{self, Header};
use super::merge;
use super::outcome::{print_failures_and_count, Outcome};
use super::run::{bug_switches, report_json};
use super::shard::{parse_shard, Shard};
use scenarios::flags::{check_writable_file, parse_jobs};
use scenarios::seeds::parse_seeds;

#[derive(clap::Args)]
pub struct SweepArgs {
    /// Scenario name; omit with --all.
    name: Option<String>,
    /// Sweep every scenario in the catalog.
    #[arg(long)]
    all: bool,
    /// Seeds, `A..B` (B excluded, not empty) or one seed; decimal or 0x hex.
    #[arg(long, value_parser = parse_seeds, default_value = "0..20")]
    seeds: Range<u64>,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Turn on one of the mutation switches (repeatable): the reference Raft's, or kv's
    /// (`no_duplicate_detection`), which only the KV scenarios feel.
    #[arg(long = "bug")]
    bugs: Vec<String>,
    /// Run only shard I of N (`3/8`): each (scenario, seed) belongs to one shard by a hash of
    /// its name and seed, so N machines with 1/N..N/N run the whole sweep between them.
    #[arg(long, value_parser = parse_shard, value_name = "I/N")]
    shard: Option<Shard>,
    /// Also write every run to FILE, one JSON line each after a header line naming the
    /// sweep and shard, for `--merge`.
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    /// Run nothing: read the --jsonl files of a sweep's shards and print its summary (worst
    /// exit code; at least 1 when a shard or run is missing).
    #[arg(long, value_name = "FILE", num_args = 1..,
          conflicts_with_all = ["name", "all", "seeds", "jobs", "bugs", "shard", "jsonl"])]
    merge: Vec<PathBuf>,
}

pub fn run(args: &SweepArgs) -> ExitCode {
    if !args.merge.is_empty() {
        return merge::run(&args.merge, args.json);
    }
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
    // Before the sweep, not after it: a long sweep must not end in "cannot write".
    if let Some(path) = &args.jsonl {
        if let Err(e) = check_writable_file(path) {
            eprintln!("error: --jsonl: {e}");
            return ExitCode::from(1);
        }
    }
    let options = Options { bugs, kv_bugs, trace_capacity: 0, ..Options::default() };
    let shard = args.shard.unwrap_or(Shard::WHOLE);
    let reports = sweep(&chosen, args.seeds.clone(), shard, args.jobs, &options);
    if shard != Shard::WHOLE {
        let whole = chosen.len() as u128 * u128::from(args.seeds.end - args.seeds.start);
        eprintln!("shard {shard}: {} of the sweep's {whole} runs", reports.len());
    }
    let written = match &args.jsonl {
        Some(path) => write_jsonl(path, &chosen, args, shard, &reports),
        None => Ok(()),
    };
    let code = print_summary(&reports, args.json);
    match written {
        Ok(()) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// The `--jsonl` file: the whole sweep in the header, this shard's runs below it.
fn write_jsonl(
    path: &std::path::Path,
    chosen: &[&Scenario<RaftNode>],
    args: &SweepArgs,
    shard: Shard,
    reports: &[Report],
) -> Result<(), String> {
    let mut bugs = args.bugs.clone();
    bugs.sort();
    bugs.dedup();
    let header = Header {
        scenarios: chosen.iter().map(|s| s.name.to_string()).collect(),
        seeds: args.seeds.clone(),
        bugs,
        shard,
        runs: reports.len() as u64,
    };
    let outcomes: Vec<Outcome> = reports.iter().map(Outcome::of).collect();
    jsonl::write(path, &header, &outcomes)
}

/// Runs every scenario for every seed that `shard` owns, in parallel; reports come back in
/// (scenario, seed) order.
/// kv's switches in `options` reach the KV scenarios only (a Raft scenario has no KV servers to
/// break, and runs as without them).
pub fn sweep(
    scenarios: &[&Scenario<RaftNode>],
    seeds: Range<u64>,
    shard: Shard,
    jobs: Option<usize>,
    options: &Options,
) -> Vec<Report> {
    let work: Vec<(usize, u64)> = (0..scenarios.len())
        .flat_map(|k| seeds.clone().map(move |seed| (k, seed)))
        .filter(|&(k, seed)| shard.owns(scenarios[k].name, seed))
        .collect();
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
    let outcomes: Vec<Outcome> = reports.iter().map(Outcome::of).collect();
    ExitCode::from(print_failures_and_count(&outcomes))
}
