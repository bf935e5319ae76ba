//! `tenrec shrink NAME --seed N [--bug ...]`: the failing seed's fault schedule, shrunk by
//! delta debugging to the faults that still make it fail the same way, within a time limit;
//! writes the shrunk schedule and prints the counts before and after and the one command that
//! replays it; `--html` and `--shiviz` draw the shrunk run.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use raft::RaftNode;
use scenarios::flags::check_writable_file;
use scenarios::schedule::{shrink_failure, Progress, ShrinkError, ShrinkOptions};
use scenarios::seeds::parse_seed;
use scenarios::{catalog, Options, Run};

use super::outputs::OutputArgs;
use super::run::bug_switches;
use super::shrink_summary::Summary;
use super::stopwatch::Stopwatch;

#[derive(clap::Args)]
pub struct ShrinkArgs {
    /// Scenario name (see `tenrec list`).
    name: String,
    /// The failing seed, decimal or 0x hex.
    #[arg(long, value_parser = parse_seed)]
    seed: u64,
    /// A mutation switch of the reference Raft or KV server (repeatable).
    #[arg(long = "bug")]
    bugs: Vec<String>,
    /// Stop shrinking after this many seconds of wall time, keeping the best so far.
    #[arg(long, default_value_t = 60.0, value_parser = parse_limit)]
    time_limit: f64,
    /// Stop after this many candidate runs (deterministic, unlike the time limit).
    #[arg(long, default_value_t = ShrinkOptions::default().max_runs)]
    max_runs: usize,
    /// Where to write the shrunk schedule (default: shrunk-NAME-SEED.json here).
    #[arg(long, value_name = "FILE.json")]
    out: Option<PathBuf>,
    /// Print the outcome as one JSON object.
    #[arg(long)]
    json: bool,
    /// Write the shrunk run's timeline as a self-contained HTML page.
    #[arg(long, value_name = "OUT.html")]
    html: Option<PathBuf>,
    /// Write the shrunk run's trace as a ShiViz log (docs/shiviz.md).
    #[arg(long, value_name = "OUT.log")]
    shiviz: Option<PathBuf>,
}

fn parse_limit(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err(format!("expected seconds between 0 and 86400, got {text:?}")),
    }
}

pub fn run(args: &ShrinkArgs) -> ExitCode {
    let Some(scenario) = catalog::find::<RaftNode>(&args.name) else {
        eprintln!("error: no scenario `{}` (see `tenrec list`)", args.name);
        return ExitCode::from(1);
    };
    let (bugs, kv_bugs) = match bug_switches(&args.bugs) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("shrunk-{}-{}.json", args.name, args.seed)));
    if let Err(e) = check_writable_file(&out) {
        eprintln!("error: --out: {e}");
        return ExitCode::from(1);
    }
    let outputs =
        OutputArgs { html: args.html.clone(), shiviz: args.shiviz.clone(), save_schedule: None };
    if let Err(code) = outputs.check() {
        return code;
    }
    let options = Options { bugs, kv_bugs, trace_capacity: 400, ..Options::default() };
    let clock = Stopwatch::start();
    let limit = Duration::from_secs_f64(args.time_limit);
    let bar = ProgressBar::new(args.max_runs as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {pos} runs: {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut keep_going = |p: &Progress| {
        bar.set_position(p.runs as u64);
        bar.set_message(format!(
            "fault events {} -> {} ({} kept, removing {} at a time)",
            p.original_events, p.fault_events, p.accepted, p.chunk
        ));
        clock.elapsed() < limit
    };
    let shrink_options = ShrinkOptions { max_runs: args.max_runs };
    let result = shrink_failure(
        &|run| scenario.run(run),
        args.seed,
        options,
        shrink_options,
        &mut keep_going,
    );
    bar.finish_and_clear();
    let elapsed = clock.elapsed();
    let done = match result {
        Ok(done) => done,
        Err(ShrinkError::Passes(report)) => {
            eprintln!(
                "error: {} seed {} passes (trace {:016x}): there is no failure to shrink",
                report.scenario, report.seed, report.trace_hash
            );
            return ExitCode::from(1);
        }
        Err(ShrinkError::Unstable(why)) => {
            eprintln!(
                "error: {why}: the run is not deterministic (a bug in tenrec, please report it)"
            );
            return ExitCode::from(1);
        }
    };
    let schedule = &done.shrunk.schedule;
    if let Err(e) = std::fs::write(&out, schedule.to_json()) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return ExitCode::from(1);
    }
    if !done.deterministic {
        eprintln!(
            "error: the shrunk schedule replays to trace {:016x}, recorded as {:016x}: the run \
             is not deterministic (a bug in tenrec, please report it)",
            done.replay.trace_hash, schedule.trace_hash
        );
        return ExitCode::from(1);
    }
    let original = done.original.schedule.as_ref().expect("recorded");
    let replay = format!(
        "cargo run --release -p scenarios --bin tenrec -- replay --schedule {}",
        out.display()
    );
    let summary = Summary {
        name: &args.name,
        seed: args.seed,
        bugs: &args.bugs,
        done: &done,
        original,
        out: &out,
        replay: &replay,
        elapsed,
    };
    if args.json {
        println!("{}", summary.json());
    } else {
        summary.print();
    }
    if outputs.html.is_some() || outputs.shiviz.is_some() {
        // The shrunk run once more, recording what the pages need (the same trace hash).
        let run = Run::new(args.seed).options(options).schedule(schedule.clone());
        let report = scenario.run(outputs.prepare(run));
        if let Err(code) = outputs.write(&report, &replay) {
            return code;
        }
    }
    ExitCode::SUCCESS
}
