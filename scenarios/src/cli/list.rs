//! `tenrec list`: every scenario in the catalog with its one-line summary.
use std::process::ExitCode;

use raft::RaftNode;
use scenarios::catalog;

pub fn run() -> ExitCode {
    let all = catalog::<RaftNode>();
    let width = all.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for scenario in &all {
        println!("{:width$}  {}", scenario.name, scenario.summary);
    }
    println!("{} scenarios", all.len());
    ExitCode::SUCCESS
}
