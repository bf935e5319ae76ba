//! The `tenrec` command line: runs scenarios and sweeps, checks histories, benchmarks.
use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    match cli::Cli::try_parse() {
        Ok(cli) => cli.run(),
        // Exit code 2 means "safety violation" here, so clap's own usage errors (which exit 2)
        // are mapped to 1; --help and --version still print and exit 0.
        Err(err) => {
            let _ = err.print();
            if err.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
