//! The subcommands of `tenrec`, one file each; this file only routes to them.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench_checker;
mod bench_generated;
mod bench_sim;
mod bench_suite;
mod check;
mod check_sequential;
mod jsonl;
mod list;
mod main_job;
mod merge;
mod mutants;
mod op_view;
mod outcome;
mod outputs;
mod run;
mod shard;
mod shrink;
mod shrink_summary;
mod soak;
mod soak_loop;
mod stopwatch;
mod sweep;
mod target;

/// Deterministic simulation testing for Raft and a KV service, with a linearizability checker.
#[derive(Parser)]
#[command(name = "tenrec", version, about)]
pub struct Cli {
    /// With no subcommand: a seeded fault sweep over the whole catalog (seeds 0..20).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// List the scenarios of the catalog.
    List,
    /// Run one scenario for one seed (exit 0 pass, 2 safety, 3 liveness, 1 usage).
    Run(run::RunArgs),
    /// Sweep scenarios over a seed range in parallel (or one shard of it; or merge shards).
    Sweep(sweep::SweepArgs),
    /// Run fresh seeds of the swarm scenarios until the first failure or the time is up.
    Soak(soak::SoakArgs),
    /// Run one scenario for one seed with a long trace around the failure.
    Replay(run::RunArgs),
    /// Shrink a failing seed's fault schedule to the faults that still make it fail the same
    /// way (delta debugging, bounded in time); writes the schedule and its replay command.
    Shrink(shrink::ShrinkArgs),
    /// Check a recorded history for linearizability (exit 0 yes, 2 no, 4 undecided, 1 error).
    Check(check::CheckArgs),
    /// Grade the reference implementations as a lab submission (with --bug, a mutant): every
    /// part over a corpus, per-part scores, results.json and junit.xml; see `scenarios::lab`.
    Grade(GradeArgs),
    /// The bug zoo's kill matrix: every mutant against the suite (exit 0 all killed, 2 not).
    Mutants(mutants::MutantsArgs),
    /// Microbenchmarks, in release mode.
    #[command(subcommand)]
    Bench(Bench),
}

/// `tenrec grade`'s arguments, handed to the lab grader as they are (`--corpus FILE`,
/// `--seeds LIST`, `--out DIR`, `--jobs N`, `--cap SECS`, `--part 3A`, `--bug NAME`...).
#[derive(clap::Args)]
struct GradeArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Subcommand)]
enum Bench {
    /// A whole scenario suite (`raft`) for one seed or a range: wall and virtual time.
    Suite(bench_suite::BenchSuiteArgs),
    /// The linearizability checker alone, on every history file under a directory (or, with
    /// --generated, on generated long histories).
    Checker(bench_checker::BenchCheckerArgs),
    /// The simulator alone: many nodes exchanging messages with random latency and loss.
    Sim(bench_sim::BenchSimArgs),
}

impl Cli {
    pub fn run(self) -> ExitCode {
        let Some(command) = self.command else { return main_job::run() };
        match command {
            Command::List => list::run(),
            Command::Run(args) => run::run(&args, 40),
            Command::Sweep(args) => sweep::run(&args),
            Command::Soak(args) => soak::run(&args),
            Command::Replay(args) => run::run(&args, 400),
            Command::Bench(Bench::Suite(args)) => bench_suite::run(&args),
            Command::Check(args) => check::run(&args),
            Command::Shrink(args) => shrink::run(&args),
            Command::Mutants(args) => mutants::run(&args),
            Command::Grade(GradeArgs { args }) => scenarios::lab::grade_command::<
                raft::RaftNode,
                kv::KvServer<raft::RaftNode>,
            >(
                &scenarios::lab::Part::ALL, &args, &["grade"]
            ),
            Command::Bench(Bench::Sim(args)) => bench_sim::run(&args),
            Command::Bench(Bench::Checker(args)) => bench_checker::run(&args),
        }
    }
}
