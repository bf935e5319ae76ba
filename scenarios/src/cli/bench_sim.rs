//! `tenrec bench sim`: events per second of the bare simulator (owned by the sim work).
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BenchSimArgs {}

pub fn run(_args: &BenchSimArgs) -> ExitCode {
    eprintln!("tenrec bench sim: the simulator benchmark is not built yet");
    ExitCode::from(1)
}
