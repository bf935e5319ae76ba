//! `tenrec run NAME --seed N` and `tenrec replay NAME --seed N`: one scenario, one seed; the
//! verdict with trace hash, virtual time and event count, and on failure the report of
//! DESIGN.md. `replay` keeps a longer, verbose trace around the failure. `--schedule F` runs
//! a recorded fault schedule instead of the seed's draws; the run can leave its timeline page,
//! ShiViz log and schedule behind (`outputs`).
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use kv::KvBugs;
use raft::{Bugs, RaftNode};
use scenarios::{catalog, parse_bugs, Options, Report, Run};

use super::outputs::OutputArgs;
use super::target::Target;
use scenarios::seeds::parse_seed;

#[derive(clap::Args)]
pub struct RunArgs {
    /// Scenario name (see `tenrec list`); with --schedule, the file's if left out.
    #[arg(required_unless_present = "schedule")]
    name: Option<String>,
    /// The seed, decimal or 0x hex; with --schedule, the file's if left out.
    #[arg(long, value_parser = parse_seed, required_unless_present = "schedule")]
    seed: Option<u64>,
    /// Replay this fault schedule (from --save-schedule or `tenrec shrink`) instead of
    /// drawing faults from the seed; the file names the scenario, seed and --bug switches.
    #[arg(long, value_name = "FILE.json")]
    schedule: Option<PathBuf>,
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
    #[command(flatten)]
    outputs: OutputArgs,
}

/// The `--bug` names of `run` and `sweep`, split into Raft's and kv's switches; an unknown
/// name is a usage error (exit 1).
pub(super) fn bug_switches(names: &[String]) -> Result<(Bugs, KvBugs), ExitCode> {
    parse_bugs(names).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(1)
    })
}

pub fn run(args: &RunArgs, tail: usize) -> ExitCode {
    let target = match Target::resolve(
        args.name.as_deref(),
        args.seed,
        &args.bugs,
        args.schedule.as_deref(),
    ) {
        Ok(target) => target,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let Some(scenario) = catalog::find::<RaftNode>(&target.name) else {
        eprintln!("error: no scenario `{}` (see `tenrec list`)", target.name);
        return ExitCode::from(1);
    };
    // kv's switches (`--bug no_duplicate_detection`) go to the KV servers, the rest to Raft.
    let (bugs, kv_bugs) = match bug_switches(&target.bugs) {
        Ok(both) => both,
        Err(code) => return code,
    };
    // Before the run: its verdict must not be lost to an unwritable file at the end.
    if let Err(code) = args.outputs.check() {
        return code;
    }
    let options =
        Options { bugs, kv_bugs, trace_capacity: (tail * 10).max(1), ..Options::default() };
    let mut run = Run::new(target.seed).options(options).tail(tail);
    if let Some(schedule) = &target.schedule {
        run = run.schedule(schedule.clone());
    }
    if let Some(path) = &args.trace {
        match File::create(path) {
            Ok(file) => run = run.trace_to(Box::new(BufWriter::new(file))),
            Err(e) => {
                eprintln!("error: cannot create {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }
    let report = scenario.run(args.outputs.prepare(run));
    print_report(&report, args.json);
    if let Some(schedule) = &target.schedule {
        target.say_how_the_replay_went(schedule, &report);
    }
    let replay = match &args.schedule {
        Some(path) => format!(
            "cargo run --release -p scenarios --bin tenrec -- replay --schedule {}",
            path.display()
        ),
        None => report.replay_command(),
    };
    if let Err(code) = args.outputs.write(&report, &replay) {
        return code;
    }
    ExitCode::from(report.exit_code())
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
        "fault_mix": report.fault_mix,
        "goals": report.goals,
        "kv": report.kv.map(|kv| serde_json::json!({
            "operations": kv.operations,
            "check_steps": kv.check.steps,
            "check_fast_path_keys": kv.check.fast_path_keys,
            "check_ms": kv.check.time.as_secs_f64() * 1e3,
        })),
        "trace_tail": if report.passed() { Vec::new() } else { report.trace_tail.clone() },
        "replay": report.replay_command(),
    })
}
