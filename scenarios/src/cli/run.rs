//! `tenrec run NAME --seed N` and `tenrec replay NAME --seed N`: one scenario, one seed; the
//! verdict with trace hash, virtual time and event count, and on failure the report of
//! DESIGN.md. `replay` keeps a longer, verbose trace around the failure.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use raft::RaftNode;
use scenarios::{catalog, parse_bugs, Options, Report};

use super::seeds::parse_seed;

#[derive(clap::Args)]
pub struct RunArgs {
    /// Scenario name (see `tenrec list`).
    name: String,
    /// The seed, decimal or 0x hex.
    #[arg(long, value_parser = parse_seed)]
    seed: u64,
    /// Write every trace record as a JSON line to this file.
    #[arg(long)]
    trace: Option<PathBuf>,
    /// Print the verdict as one JSON object.
    #[arg(long)]
    json: bool,
    /// Turn on one of the reference Raft's mutation switches (repeatable), e.g.
    /// `--bug forget_voted_for`, to see the suite catch it.
    #[arg(long = "bug")]
    bugs: Vec<String>,
}

pub fn run(args: &RunArgs, tail: usize) -> ExitCode {
    let Some(scenario) = catalog::find::<RaftNode>(&args.name) else {
        eprintln!("error: no scenario `{}` (see `tenrec list`)", args.name);
        return ExitCode::from(1);
    };
    // kv's switches (`--bug no_duplicate_detection`) go to the KV servers, the rest to Raft.
    let (bugs, kv_bugs) = match parse_bugs(&args.bugs) {
        Ok(both) => both,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let options = Options { bugs, trace_capacity: (tail * 10).max(1) };
    if kv_bugs != kv::KvBugs::none() {
        let report = scenario.run_kv(args.seed, &options, kv_bugs, tail).0;
        print_report(&report, args.json);
        return ExitCode::from(report.exit_code());
    }
    let report = match &args.trace {
        None => scenario.run(args.seed, &options, tail),
        Some(path) => match File::create(path) {
            Ok(file) => run_with_trace_file(&scenario, args.seed, &options, tail, file),
            Err(e) => {
                eprintln!("error: cannot create {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
    };
    print_report(&report, args.json);
    ExitCode::from(report.exit_code())
}

fn run_with_trace_file(
    scenario: &scenarios::Scenario<RaftNode>,
    seed: u64,
    options: &Options,
    tail: usize,
    file: File,
) -> Report {
    let writer: Box<dyn Write + Send> = Box::new(BufWriter::new(file));
    scenario.run_with_trace(seed, options, tail, writer)
}

/// The verdict line (or JSON object), then the failure report if any.
pub fn print_report(report: &Report, json: bool) {
    if json {
        println!("{}", report_json(report));
        return;
    }
    let verdict = if report.passed() { "PASS" } else { "FAIL" };
    println!(
        "{verdict} {} seed {} trace {:016x} virtual {} events {}",
        report.scenario, report.seed, report.trace_hash, report.virtual_time, report.events
    );
    if !report.passed() {
        print!("{}", report.failure_text());
    }
}

pub fn report_json(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "scenario": report.scenario,
        "seed": report.seed,
        "passed": report.passed(),
        "exit_code": report.exit_code(),
        "trace_hash": format!("{:016x}", report.trace_hash),
        "virtual_time_ns": report.virtual_time.as_nanos(),
        "events": report.events,
        "broke": report.failure.as_ref().map(|f| f.broke.to_string()),
        "message": report.failure.as_ref().map(|f| f.message.clone()),
        "trace_tail": if report.passed() { Vec::new() } else { report.trace_tail.clone() },
        "replay": report.replay_command(),
    })
}
