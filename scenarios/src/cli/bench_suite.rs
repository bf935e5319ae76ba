//! `tenrec bench suite raft`: the whole Raft catalog for one seed or a range, sequentially on
//! one core, with wall time and virtual time per seed (the target: under 0.08 s per seed).
use std::ops::Range;
use std::process::ExitCode;
use std::time::Duration;

use raft::RaftNode;
use scenarios::{catalog, Options};

use super::seeds::{parse_seed, parse_seeds};

#[derive(clap::Args)]
pub struct BenchSuiteArgs {
    /// Which suite: `raft` or `kv`.
    suite: String,
    /// One seed (decimal or 0x hex).
    #[arg(long, value_parser = parse_seed, conflicts_with = "seeds")]
    seed: Option<u64>,
    /// A seed range `A..B`.
    #[arg(long, value_parser = parse_seeds)]
    seeds: Option<Range<u64>>,
}

pub fn run(args: &BenchSuiteArgs) -> ExitCode {
    let seeds = match (args.seed, &args.seeds) {
        (Some(seed), _) => seed..seed + 1,
        (None, Some(range)) => range.clone(),
        (None, None) => 0..1,
    };
    if args.suite == "kv" {
        return super::bench_suite_kv::run(seeds);
    }
    if args.suite != "raft" {
        eprintln!("error: unknown suite `{}`; known: raft, kv", args.suite);
        return ExitCode::from(1);
    }
    // The KV scenarios have their own suite (`kv`).
    let all: Vec<_> = catalog::<RaftNode>().into_iter().filter(|s| !s.is_kv()).collect();
    let options = Options::default();
    let (mut wall, mut virtual_time, mut events, mut failed) = (Duration::ZERO, 0.0, 0u64, 0);
    for seed in seeds.clone() {
        let began = super::stopwatch::Stopwatch::start();
        let mut seed_virtual = 0.0;
        for scenario in &all {
            let report = scenario.run(seed, &options, 0);
            seed_virtual += report.virtual_time.as_secs_f64();
            events += report.events;
            if !report.passed() {
                failed += 1;
                eprintln!(
                    "FAIL {} seed {}: replay: {}",
                    report.scenario,
                    seed,
                    report.replay_command()
                );
            }
        }
        let took = began.elapsed();
        println!(
            "seed {seed}: {} scenarios, wall {:.3} s, virtual {:.1} s",
            all.len(),
            took.as_secs_f64(),
            seed_virtual
        );
        wall += took;
        virtual_time += seed_virtual;
    }
    let n = (seeds.end - seeds.start) as f64;
    println!(
        "raft suite: {} seeds x {} scenarios, wall {:.3} s per seed, virtual {:.1} s per seed, \
         {:.0} events per seed, {:.0}x faster than real time, {failed} failed",
        seeds.end - seeds.start,
        all.len(),
        wall.as_secs_f64() / n,
        virtual_time / n,
        events as f64 / n,
        virtual_time / wall.as_secs_f64().max(1e-9),
    );
    ExitCode::from(if failed == 0 { 0 } else { 2 })
}
