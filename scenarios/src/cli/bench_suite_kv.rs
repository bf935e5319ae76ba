//! `tenrec bench suite kv`: the whole KV catalog (sections F and G) for one seed or a range,
//! sequentially on one core, with wall time per seed and the linearizability checking time
//! shown apart from it (the target: under 0.4 s per seed in release mode).
use std::ops::Range;
use std::process::ExitCode;
use std::time::Duration;

use kv::KvBugs;
use raft::RaftNode;
use scenarios::{catalog, Options};

/// Runs the KV suite over `seeds`; exit 0 if every run passed, else 2.
pub fn run(seeds: Range<u64>) -> ExitCode {
    let all: Vec<_> = catalog::<RaftNode>().into_iter().filter(|s| s.is_kv()).collect();
    let options = Options::default();
    let (mut wall, mut checking, mut virtual_time, mut events, mut ops_failed) =
        (Duration::ZERO, Duration::ZERO, 0.0, 0u64, 0);
    for seed in seeds.clone() {
        let began = super::stopwatch::Stopwatch::start();
        let (mut seed_virtual, mut seed_checking) = (0.0, Duration::ZERO);
        for scenario in &all {
            let (report, check_time) = scenario.run_kv(seed, &options, KvBugs::none(), 0);
            seed_virtual += report.virtual_time.as_secs_f64();
            seed_checking += check_time;
            events += report.events;
            if !report.passed() {
                ops_failed += 1;
                eprintln!(
                    "FAIL {} seed {seed}: replay: {}",
                    report.scenario,
                    report.replay_command()
                );
            }
        }
        let took = began.elapsed();
        println!(
            "seed {seed}: {} scenarios, wall {:.3} s (checking {:.3} s), virtual {:.1} s",
            all.len(),
            took.as_secs_f64(),
            seed_checking.as_secs_f64(),
            seed_virtual
        );
        wall += took;
        checking += seed_checking;
        virtual_time += seed_virtual;
    }
    let n = (seeds.end - seeds.start) as f64;
    println!(
        "kv suite: {} seeds x {} scenarios, wall {:.3} s per seed (of which checking {:.3} s), \
         virtual {:.1} s per seed, {:.0} events per seed, {:.0}x faster than real time, \
         {ops_failed} failed",
        seeds.end - seeds.start,
        all.len(),
        wall.as_secs_f64() / n,
        checking.as_secs_f64() / n,
        virtual_time / n,
        events as f64 / n,
        virtual_time / wall.as_secs_f64().max(1e-9),
    );
    ExitCode::from(if ops_failed == 0 { 0 } else { 2 })
}
