//! The `tenrec` command line: runs scenarios and sweeps, checks histories, benchmarks.
use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    cli::Cli::parse().run()
}
