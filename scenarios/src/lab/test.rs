//! One lab test: a scenario run over the seeds the environment asks for, against the student's
//! code. A failing seed is run again with the trace on, and the test fails with the report of
//! DESIGN.md whose replay command reruns exactly that test and seed on the student's own code
//! (`TENREC_SEED=0x2a cargo test --release part3c_persist_figure8_crash_storm -- --exact`),
//! and, when asked, the HTML timeline of the run or every trace record as JSON lines.
//!
//! The environment: `TENREC_SEED` (one seed, decimal or 0x hex) or `TENREC_SEEDS` (a list or
//! ranges: `0..20`, `1,5,0x2a`); by default seeds 0..5. `TENREC_HTML=out.html` writes the
//! run's timeline, `TENREC_TRACE=trace.jsonl` every trace record as JSON lines: for the failing
//! seed, or for the one seed of `TENREC_SEED` when it passes. `TENREC_SHRINK=1` (or a number
//! of candidate runs) shrinks a failing seed's fault schedule and writes it; `TENREC_SCHEDULE=F`
//! replays such a schedule on the student's code (see `lab::shrink`).
use std::fs::File;
use std::io::BufWriter;

use kv::KvService;
use raft::Consensus;

use super::conformance::{find_check, lab_checks, run_check};
use super::parts::{part_of, test_name};
use super::shrink::{run_schedule_file, shrink_lab_failure, shrink_runs_from_env};
use crate::catalog::{catalog_with, find_with};
use crate::report::Report;
use crate::run::{Options, Run};
use crate::scenario::Scenario;
use crate::seeds::{parse_seed, parse_seed_list};

/// Seeds a lab test runs when the environment names none.
pub const DEFAULT_SEEDS: std::ops::Range<u64> = 0..5;

/// Trace records a failure report keeps around the failure.
const TAIL: usize = 40;

/// Runs lab test `test`, scenario `scenario`, over the environment's seeds; fails the test
/// with the failure report (and the student's replay command) at the first failing seed.
/// With one seed and `TENREC_HTML` or `TENREC_TRACE` set, a passing run writes them too.
pub fn run_test<R: Consensus, K: KvService>(scenario: &str, test: &str) {
    if let Some(check) = find_check::<R>(scenario) {
        let seeds = seeds_from_env().unwrap_or_else(|e| fail(e));
        let run = run_check(&check, &seeds, raft::Bugs::none(), |seed| replay_command(seed, test));
        if !run.passed {
            fail(run.output);
        }
        return;
    }
    let Some(found) = find_with::<R, K>(scenario) else {
        fail(format!("no scenario `{scenario}` in the catalog: the lab's test list is out of date"))
    };
    if let Ok(path) = std::env::var("TENREC_SCHEDULE") {
        let (report, schedule) = run_schedule_file(&found, &path).unwrap_or_else(|e| fail(e));
        let replay = format!("TENREC_SCHEDULE={path} cargo test --release {test} -- --exact");
        if report.trace_hash == schedule.trace_hash {
            eprintln!("replayed {path}: the same trace hash as recorded");
        } else {
            eprintln!("replayed {path}: another trace than recorded (the code has changed)");
        }
        if !report.passed() {
            fail(report.failure_text_replaying(&replay));
        }
        return;
    }
    let seeds = seeds_from_env().unwrap_or_else(|e| fail(e));
    let shrink = shrink_runs_from_env().unwrap_or_else(|e| fail(e));
    let quiet = Options { trace_capacity: 0, ..Options::default() };
    for &seed in &seeds {
        let first = found.run(Run::new(seed).options(quiet).tail(0).without_explanation());
        if !first.passed() {
            let replay = replay_command(seed, test);
            let report = rerun_traced(&found, seed, &replay);
            let mut text = report.failure_text_replaying(&replay);
            match shrink {
                Some(max_runs) => text.push_str(&shrink_lab_failure(&found, test, seed, max_runs)),
                None => text.push_str(&format!("  shrink its faults: TENREC_SHRINK=1 {replay}\n")),
            }
            fail(text);
        }
    }
    let asked =
        std::env::var_os("TENREC_HTML").is_some() || std::env::var_os("TENREC_TRACE").is_some();
    if let ([seed], true) = (&seeds[..], asked) {
        rerun_traced(&found, *seed, &replay_command(*seed, test));
    }
}

/// Fails the test with `text`, said once: straight to the test's output, then an unwind that
/// skips the panic hook, so no "panicked at" line in the harness and no backtrace (students
/// often run with `RUST_BACKTRACE=1`) bury the report.
fn fail(text: String) -> ! {
    eprintln!("{text}");
    std::panic::resume_unwind(Box::new(text))
}

/// The seeds `TENREC_SEED` or `TENREC_SEEDS` name, else the default ones.
pub fn seeds_from_env() -> Result<Vec<u64>, String> {
    if let Ok(text) = std::env::var("TENREC_SEED") {
        return parse_seed(&text).map(|seed| vec![seed]).map_err(|e| format!("TENREC_SEED: {e}"));
    }
    match std::env::var("TENREC_SEEDS") {
        Ok(text) => parse_seed_list(&text).map_err(|e| format!("TENREC_SEEDS: {e}")),
        Err(_) => Ok(DEFAULT_SEEDS.collect()),
    }
}

/// The command that reruns lab test `test` for `seed` on the student's own code.
pub fn replay_command(seed: u64, test: &str) -> String {
    format!("TENREC_SEED={seed:#x} cargo test --release {test} -- --exact")
}

/// Runs `seed` again with the trace ring on (and the history kept and the trace written, if
/// the environment asks), for the failure report; `replay` is what the HTML page prints.
fn rerun_traced<R: Consensus, K: KvService>(
    scenario: &Scenario<R, K>,
    seed: u64,
    replay: &str,
) -> Report {
    let options = Options { trace_capacity: TAIL * 100, ..Options::default() };
    let mut run = Run::new(seed).options(options).tail(TAIL);
    let html = std::env::var("TENREC_HTML").ok();
    if html.is_some() {
        run = run.timeline();
    }
    if let Ok(path) = std::env::var("TENREC_TRACE") {
        match File::create(&path) {
            Ok(file) => run = run.trace_to(Box::new(BufWriter::new(file))),
            Err(e) => eprintln!("TENREC_TRACE: cannot create {path}: {e}"),
        }
    }
    let report = scenario.run(run);
    if let Some(path) = html {
        match crate::timeline::write_html_replaying(&report, path.as_ref(), replay) {
            Ok(()) => eprintln!("wrote the timeline of {} seed {seed:#x} to {path}", scenario.name),
            Err(e) => eprintln!("TENREC_HTML: cannot write {path}: {e}"),
        }
    }
    if let Ok(path) = std::env::var("TENREC_TRACE") {
        eprintln!("wrote the trace of {} seed {seed:#x} to {path}", scenario.name);
    }
    report
}

/// Fails unless `pairs` (test name, scenario) are exactly the `kind` ("raft" or "kv") half of
/// the catalog (for "raft", with the conformance checks), each under the name its part gives
/// it.
pub fn check_coverage<R: Consensus, K: KvService>(kind: &str, pairs: &[(&str, &str)]) {
    let want_kv = kind == "kv";
    let mut missing = Vec::new();
    for scenario in catalog_with::<R, K>() {
        let setup = scenario.setup(0);
        if setup.is_kv() != want_kv {
            continue;
        }
        let test = test_name(part_of(scenario.name, &setup), scenario.name);
        if !pairs.contains(&(test.as_str(), scenario.name)) {
            missing.push(format!("{test} => \"{}\",", scenario.name));
        }
    }
    if !want_kv {
        for (name, part) in lab_checks() {
            let test = test_name(*part, name);
            if !pairs.contains(&(test.as_str(), name)) {
                missing.push(format!("{test} => \"{name}\","));
            }
        }
    }
    let mut catalog: Vec<&'static str> = catalog_with::<R, K>().iter().map(|s| s.name).collect();
    if !want_kv {
        catalog.extend(lab_checks().iter().map(|(name, _)| *name));
    }
    let stale: Vec<&str> =
        pairs.iter().map(|(_, name)| *name).filter(|name| !catalog.contains(name)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "the lab's {kind} test list (scenarios/src/lab/macros.rs) and the catalog disagree; \
         add: {missing:?}; remove: {stale:?}"
    );
}
