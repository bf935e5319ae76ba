//! The subcommands of `tenrec`, one file each; this file only routes to them.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench_checker;
mod bench_sim;
mod check;

/// Deterministic simulation testing for Raft and a KV service, with a linearizability checker.
#[derive(Parser)]
#[command(name = "tenrec", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a recorded history for linearizability (exit 0 yes, 2 no, 4 undecided, 1 error).
    Check(check::CheckArgs),
    /// Microbenchmarks, in release mode.
    #[command(subcommand)]
    Bench(Bench),
}

#[derive(Subcommand)]
enum Bench {
    /// The linearizability checker alone, on every history file under a directory.
    Checker(bench_checker::BenchCheckerArgs),
    /// The simulator alone: many nodes exchanging messages with random latency and loss.
    Sim(bench_sim::BenchSimArgs),
}

impl Cli {
    pub fn run(self) -> ExitCode {
        match self.command {
            Command::Check(args) => check::run(&args),
            Command::Bench(Bench::Sim(args)) => bench_sim::run(&args),
            Command::Bench(Bench::Checker(args)) => bench_checker::run(&args),
        }
    }
}
