//! `tenrec soak [--minutes M] [--scenarios PATTERN...] [--jobs J] [--from SEED] [--bug NAME]`:
//! fresh seeds of the swarm scenarios, run in parallel until the first failure or until the
//! wall-clock budget is spent, with a progress line on stderr. A failure prints its report
//! (rerun with a trace, for the events before it) and its replay command and exits with its
//! code; either way the soak ends with seeds/hour per scenario and the `--from` to go on with.
//!
//! Seeds start at `--from`, by default 1000000: fixed, so two soaks of one build run the same
//! seeds and find the same failure, and far above the ranges sweeps and CI use (0..10000), so
//! a soak spends its time on seeds nothing else runs. Which failure is reported, whatever the
//! number of jobs, is argued in `soak_loop.rs`: the lowest failing (seed, scenario).
use std::process::ExitCode;
use std::time::Duration;

use raft::RaftNode;
use scenarios::{catalog, Options, Run, Scenario};

use super::run::bug_switches;
use super::soak_loop::{soak, Soaked};
use scenarios::flags::parse_jobs;
use scenarios::seeds::parse_seed;

/// The first seed of a soak without `--from`.
const FROM: &str = "1000000";

#[derive(clap::Args)]
pub struct SoakArgs {
    /// Wall-clock budget in minutes; fractions are fine (0.1 is six seconds).
    #[arg(long, value_parser = parse_minutes, default_value = "10", allow_negative_numbers = true)]
    minutes: Duration,
    /// Scenarios to soak: names, or prefixes ending in `*` (`swarm.*`), in catalog order.
    #[arg(long, num_args = 1.., default_values = ["swarm.raft", "swarm.kv"])]
    scenarios: Vec<String>,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// The first seed, decimal or 0x hex; seeds go up from it.
    #[arg(long, value_parser = parse_seed, default_value = FROM)]
    from: u64,
    /// Turn on a mutation switch (repeatable), as in `sweep`, to see how fast a soak finds it.
    #[arg(long = "bug")]
    bugs: Vec<String>,
}

fn parse_minutes(text: &str) -> Result<Duration, String> {
    let minutes: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number"))?;
    if minutes.is_nan() || minutes <= 0.0 {
        return Err(format!("`{text}`: expected a positive number of minutes"));
    }
    Duration::try_from_secs_f64(minutes * 60.0).map_err(|_| format!("`{text}` is too long"))
}

pub fn run(args: &SoakArgs) -> ExitCode {
    let all = catalog::<RaftNode>();
    let chosen = match select(&all, &args.scenarios) {
        Ok(chosen) => chosen,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let (bugs, kv_bugs) = match bug_switches(&args.bugs) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let options = Options { bugs, kv_bugs, trace_capacity: 0, ..Options::default() };
    let jobs = args.jobs.unwrap_or_else(rayon::current_num_threads).max(1);
    let names: Vec<&str> = chosen.iter().map(|s| s.name).collect();
    eprintln!(
        "soak: {} from seed {} for {:.1} s on {jobs} job(s), until the first failure",
        names.join(", "),
        args.from,
        args.minutes.as_secs_f64()
    );
    let soaked = soak(&chosen, args.from, args.minutes, jobs, options);
    let code = match &soaked.first_failure {
        Some((_, report)) => print_failure(&chosen, report.seed, report.scenario, options),
        None => 0,
    };
    print_rates(&chosen, &soaked, args, jobs);
    ExitCode::from(code)
}

/// The scenarios the patterns name, in catalog order, each once; a pattern naming none is
/// an error, since a typo would otherwise soak nothing for an hour.
fn select<'a>(
    all: &'a [Scenario<RaftNode>],
    patterns: &[String],
) -> Result<Vec<&'a Scenario<RaftNode>>, String> {
    let matches = |pattern: &str, name: &str| match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    };
    if let Some(p) = patterns.iter().find(|p| !all.iter().any(|s| matches(p, s.name))) {
        return Err(format!("no scenario matches `{p}` (see `tenrec list`)"));
    }
    Ok(all.iter().filter(|s| patterns.iter().any(|p| matches(p, s.name))).collect())
}

/// Reruns the failing seed with a trace ring, so the report shows the events before the
/// failure (the soak ran without one, for speed), prints it and returns its exit code.
fn print_failure(chosen: &[&Scenario<RaftNode>], seed: u64, name: &str, options: Options) -> u8 {
    let Some(scenario) = chosen.iter().find(|s| s.name == name) else { return 1 };
    let options = Options { trace_capacity: 400, ..options };
    let report = scenario.run(Run::new(seed).options(options).tail(40));
    if report.passed() {
        // Same seed, same build, other verdict: the determinism rules are broken somewhere.
        println!("FAIL {name} seed {seed} in the soak, but its rerun passed: nondeterminism!");
        return 2;
    }
    print!("{}", report.failure_text());
    report.exit_code()
}

/// Seeds per hour per scenario, and where the next soak should start.
fn print_rates(chosen: &[&Scenario<RaftNode>], soaked: &Soaked, args: &SoakArgs, jobs: usize) {
    let secs = soaked.elapsed.as_secs_f64().max(1e-9);
    println!(
        "soak: {} seeds run in {secs:.1} s on {jobs} job(s), {} failed",
        soaked.runs, soaked.failures
    );
    let width = chosen.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for (scenario, &(runs, busy)) in chosen.iter().zip(&soaked.per_scenario) {
        let per_seed = busy.as_secs_f64() * 1e3 / runs.max(1) as f64;
        println!(
            "  {:width$}  {runs:>9} seeds  {:>10.0} seeds/hour  ({per_seed:.1} ms per seed per job)",
            scenario.name,
            runs as f64 / secs * 3600.0
        );
    }
    if soaked.first_failure.is_none() {
        // Units run are a prefix of seed-major order, so every seed below this one is done.
        let done = args.from.saturating_add(soaked.runs / chosen.len() as u64);
        let mut line = format!("go on with: tenrec soak --from {done}");
        if args.scenarios != ["swarm.raft", "swarm.kv"] {
            // Quoted, so the shell hands `swarm.*` to tenrec rather than globbing it.
            let quoted: Vec<String> = args.scenarios.iter().map(|p| format!("'{p}'")).collect();
            line.push_str(&format!(" --scenarios {}", quoted.join(" ")));
        }
        for bug in &args.bugs {
            line.push_str(&format!(" --bug {bug}"));
        }
        println!("{line}");
    }
}
