//! Shrinking and replaying schedules from a lab test, on the student's own code: with
//! `TENREC_SHRINK` set, a failing seed's fault schedule is shrunk (by delta debugging, within
//! a number of candidate runs: `TENREC_SHRINK=300`, or `1` for the default) and written to a
//! file; `TENREC_SCHEDULE=FILE` runs a test's scenario under that schedule instead of seeds.
use kv::KvService;
use raft::Consensus;

use crate::report::Report;
use crate::run::{Options, Run};
use crate::scenario::Scenario;
use crate::schedule::{shrink_failure, Schedule, ShrinkError, ShrinkOptions};

/// Candidate runs a lab shrink takes when `TENREC_SHRINK=1` names no number.
pub const DEFAULT_LAB_RUNS: usize = 500;

/// The candidate budget `TENREC_SHRINK` asks for, if set.
pub fn shrink_runs_from_env() -> Result<Option<usize>, String> {
    let Ok(text) = std::env::var("TENREC_SHRINK") else { return Ok(None) };
    match text.trim().parse::<usize>() {
        Ok(0) => Ok(None),
        Ok(1) => Ok(Some(DEFAULT_LAB_RUNS)),
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(format!("TENREC_SHRINK: expected a number of candidate runs, got {text:?}")),
    }
}

/// Shrinks the failure of `seed`, writes the schedule next to the build (or to
/// `TENREC_SHRINK_OUT`), and says what it found in lines for the failure report.
pub fn shrink_lab_failure<R: Consensus, K: KvService>(
    scenario: &Scenario<R, K>,
    test: &str,
    seed: u64,
    max_runs: usize,
) -> String {
    let run = |r: Run| scenario.run(r);
    let options = ShrinkOptions { max_runs };
    let done = match shrink_failure(&run, seed, Options::default(), options, &mut |_| true) {
        Ok(done) => done,
        Err(ShrinkError::Passes(_)) => return "shrink: the seed passed when run again\n".into(),
        Err(ShrinkError::Unstable(why)) => return format!("shrink: {why}\n"),
    };
    let path = std::env::var("TENREC_SHRINK_OUT")
        .unwrap_or_else(|_| format!("shrunk-{test}-{seed:#x}.json"));
    let s = &done.shrunk.schedule;
    if let Err(e) = std::fs::write(&path, s.to_json()) {
        return format!("shrink: cannot write {path}: {e}\n");
    }
    let mut text = format!(
        "  shrunk: fault events {} -> {} in {} runs ({}); still {}\n",
        done.shrunk.original_events,
        s.fault_events(),
        done.shrunk.runs,
        done.shrunk.stop.as_str(),
        done.shrunk.kind
    );
    for action in s.actions.iter().filter(|a| !a.skipped) {
        text.push_str(&format!("    {} {}\n", action.at, action.verb));
    }
    text.push_str(&format!(
        "  schedule: {path}\n  replay it: TENREC_SCHEDULE={path} cargo test --release {test} -- --exact\n"
    ));
    text
}

/// Runs `scenario` under the schedule in file `path` (the schedule names its seed).
pub fn run_schedule_file<R: Consensus, K: KvService>(
    scenario: &Scenario<R, K>,
    path: &str,
) -> Result<(Report, Schedule), String> {
    let schedule = Schedule::read(path.as_ref()).map_err(|e| format!("TENREC_SCHEDULE: {e}"))?;
    if schedule.scenario != scenario.name {
        return Err(format!(
            "TENREC_SCHEDULE: {path} is a schedule of {}, not of {}",
            schedule.scenario, scenario.name
        ));
    }
    let options = Options { trace_capacity: 4_000, ..Options::default() };
    let report = scenario.run(Run::new(schedule.seed).options(options).schedule(schedule.clone()));
    Ok((report, schedule))
}
