//! `tenrec mutants [--seeds N] [--jobs J] [--json]`: the bug zoo's kill matrix. Each mutant runs
//! against its crate's part of the suite, seeds 0..N, stopping at the first kill; the table
//! says who caught it, after how many seeds, and how to replay the kill. Exit 0 when every
//! mutant was killed, 2 when one survived.
use std::process::ExitCode;

use scenarios::flags::parse_jobs;
use scenarios::zoo::{kill_matrix, median_seeds_to_kill, Kill};

#[derive(clap::Args)]
pub struct MutantsArgs {
    /// Seeds per mutant: 0..N, N at least 1 (no seeds would kill nothing and prove nothing).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    seeds: u64,
    /// Worker threads, 1 to 256 (default: all cores).
    #[arg(long, value_parser = parse_jobs)]
    jobs: Option<usize>,
    /// Print the matrix as one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &MutantsArgs) -> ExitCode {
    let kills = kill_matrix(0..args.seeds, args.jobs);
    let survivors = kills.iter().filter(|k| !k.killed()).count();
    if args.json {
        println!("{}", matrix_json(&kills, args.seeds));
    } else {
        print_matrix(&kills, args.seeds);
    }
    ExitCode::from(if survivors == 0 { 0 } else { 2 })
}

fn print_matrix(kills: &[Kill], seeds: u64) {
    println!(
        "{:<33} {:<5} {:<7} {:<63} {:>5} {:>5}  caught by (expected)",
        "mutant", "crate", "killed", "first failing scenario", "seed", "seeds"
    );
    for kill in kills {
        let m = kill.mutant;
        let (scenario, seed) = kill
            .report
            .as_ref()
            .map_or(("-", "-".to_string()), |r| (r.scenario, r.seed.to_string()));
        let caught = kill.caught_by().map_or("-".to_string(), |b| b.to_string());
        println!(
            "{:<33} {:<5} {:<7} {:<63} {:>5} {:>5}  {caught} ({})",
            m.name,
            m.crate_name(),
            if kill.killed() { "yes" } else { "NO" },
            scenario,
            seed,
            kill.seeds_run,
            m.expected.as_str()
        );
    }
    println!();
    for kill in kills.iter().filter(|k| k.killed()) {
        let report = kill.report.as_ref().expect("killed");
        println!("{}: {}", kill.mutant.name, report.replay_command());
    }
    let killed = kills.iter().filter(|k| k.killed()).count();
    let median = median_seeds_to_kill(kills).map_or("-".to_string(), |m| format!("{m}"));
    println!(
        "\n{killed} of {} mutants killed within seeds 0..{seeds}; median seeds to kill: {median}",
        kills.len()
    );
}

fn matrix_json(kills: &[Kill], seeds: u64) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = kills
        .iter()
        .map(|kill| {
            let report = kill.report.as_ref();
            serde_json::json!({
                "mutant": kill.mutant.name,
                "crate": kill.mutant.crate_name(),
                "breaks": kill.mutant.breaks,
                "expected": kill.mutant.expected.as_str(),
                "killed": kill.killed(),
                "scenario": report.map(|r| r.scenario),
                "seed": report.map(|r| r.seed),
                "seeds_run": kill.seeds_run,
                "runs": kill.runs,
                "caught_by": kill.caught_by().map(|b| b.to_string()),
                "message": report.and_then(|r| r.failure.as_ref()).map(|f| f.message.clone()),
                "replay": report.map(|r| r.replay_command()),
            })
        })
        .collect();
    serde_json::json!({
        "seeds": seeds,
        "killed": kills.iter().filter(|k| k.killed()).count(),
        "mutants": kills.len(),
        "median_seeds_to_kill": median_seeds_to_kill(kills),
        "matrix": rows,
    })
}
