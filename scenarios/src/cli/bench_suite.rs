//! `tenrec bench suite raft|kv`: one half of the catalog (the Raft sections, or the KV
//! sections) for one seed or a range, sequentially on one core, with wall time and virtual
//! time per seed, and for KV the checker's time shown apart (targets: under 0.08 s per seed for
//! Raft, under 0.4 s for KV).
use std::ops::Range;
use std::process::ExitCode;
use std::time::Duration;

use kv::ReadPath;
use raft::RaftNode;
use scenarios::{catalog, Options, Report, Run};

use scenarios::seeds::{parse_seed, parse_seeds};

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
    /// How KV servers serve `Get`: `read-index` (the default), `lease` (leader leases with the
    /// margin of each scenario's clocks) or `log` (every read a log entry), to measure what
    /// reads without the log save.
    #[arg(long, value_parser = parse_reads)]
    reads: Option<ReadPath>,
}

fn parse_reads(text: &str) -> Result<ReadPath, String> {
    match text {
        "log" => Ok(ReadPath::Log),
        "read-index" => Ok(ReadPath::ReadIndex),
        "lease" => Ok(ReadPath::Lease),
        _ => Err("expected `log`, `read-index` or `lease`".to_string()),
    }
}

pub fn run(args: &BenchSuiteArgs) -> ExitCode {
    let seeds = match (args.seed, &args.seeds) {
        // The largest seed has no range of its own (it would end past u64::MAX).
        (Some(seed), _) => match seed.checked_add(1) {
            Some(end) => seed..end,
            None => {
                eprintln!("error: --seed {seed}: too large for a benchmark range");
                return ExitCode::from(1);
            }
        },
        (None, Some(range)) => range.clone(),
        (None, None) => 0..1,
    };
    let kv = match args.suite.as_str() {
        "raft" => false,
        "kv" => true,
        other => {
            eprintln!("error: unknown suite `{other}`; known: raft, kv");
            return ExitCode::from(1);
        }
    };
    // Each suite is its own half of the catalog: Raft sections A-E, or KV sections F-G.
    let all: Vec<_> = catalog::<RaftNode>().into_iter().filter(|s| s.is_kv() == kv).collect();
    let options = Options { trace_capacity: 0, reads: args.reads, ..Options::default() };
    let mut total = Totals::default();
    for seed in seeds.clone() {
        let began = super::stopwatch::Stopwatch::start();
        let mut this = Totals::default();
        for scenario in &all {
            let report = scenario.run(Run::new(seed).options(options).tail(0));
            this.add(&report);
            if !report.passed() {
                eprintln!(
                    "FAIL {} seed {seed}: replay: {}",
                    report.scenario,
                    report.replay_command()
                );
            }
        }
        this.wall = began.elapsed();
        let checking = if kv {
            format!(" (checking {:.3} s)", this.checking.as_secs_f64())
        } else {
            String::new()
        };
        println!(
            "seed {seed}: {} scenarios, wall {:.3} s{checking}, virtual {:.1} s",
            all.len(),
            this.wall.as_secs_f64(),
            this.virtual_time
        );
        total.merge(&this);
    }
    let n = (seeds.end - seeds.start) as f64;
    // Clients run closed loops for fixed stretches of virtual time, so a faster read path
    // completes more operations in the same run: the cost per operation compares read paths.
    let checking = if kv {
        format!(
            " (of which checking {:.3} s), {:.0} operations per seed, {:.1} µs wall per operation",
            total.checking.as_secs_f64() / n,
            total.operations as f64 / n,
            total.wall.as_secs_f64() * 1e6 / (total.operations.max(1) as f64)
        )
    } else {
        String::new()
    };
    println!(
        "{} suite: {} seeds x {} scenarios, wall {:.3} s per seed{checking}, virtual {:.1} s per \
         seed, {:.0} events per seed, {:.0}x faster than real time, {} failed",
        args.suite,
        seeds.end - seeds.start,
        all.len(),
        total.wall.as_secs_f64() / n,
        total.virtual_time / n,
        total.events as f64 / n,
        total.virtual_time / total.wall.as_secs_f64().max(1e-9),
        total.failed,
    );
    ExitCode::from(if total.failed == 0 { 0 } else { 2 })
}

/// What a seed's runs (or all seeds') added up to.
#[derive(Default)]
struct Totals {
    wall: Duration,
    /// The linearizability checker's own measure of its search (KV scenarios).
    checking: Duration,
    virtual_time: f64,
    events: u64,
    /// Client operations recorded (KV scenarios).
    operations: u64,
    failed: u64,
}

impl Totals {
    fn add(&mut self, report: &Report) {
        self.virtual_time += report.virtual_time.as_secs_f64();
        self.events += report.events;
        self.checking += report.kv.map_or(Duration::ZERO, |kv| kv.check.time);
        self.operations += report.kv.map_or(0, |kv| kv.operations as u64);
        self.failed += u64::from(!report.passed());
    }

    fn merge(&mut self, other: &Totals) {
        self.wall += other.wall;
        self.checking += other.checking;
        self.virtual_time += other.virtual_time;
        self.events += other.events;
        self.operations += other.operations;
        self.failed += other.failed;
    }
}
