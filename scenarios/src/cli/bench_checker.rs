//! `tenrec bench checker DIR`: times the linearizability checker alone (parsing excluded) on
//! every history file under a directory; with `--generated`, on a fixed table of generated
//! long histories instead (`bench_generated.rs`).
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::bench_generated::{self, Generated};
use super::stopwatch::Stopwatch;

use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::parse_file;
use checker::{check, History, Model, Options, Verdict};

#[derive(clap::Args)]
pub struct BenchCheckerArgs {
    /// A directory of histories (searched recursively), or one history file.
    #[arg(required_unless_present = "generated")]
    dir: Option<PathBuf>,
    /// Timed runs per file; the median is reported.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Decide every key, instead of stopping at the first one that is not linearizable.
    #[arg(long)]
    all_keys: bool,
    /// Give up on a file after this many milliseconds (its verdict is then unknown).
    #[arg(long)]
    max_ms: Option<u64>,
    /// Instead of files: generated register and cas-register histories (1M concurrent
    /// operations, 200k sequential ones, with and without a violation near the end), each
    /// case in a fresh process: verdict, time, peak memory and search steps.
    #[arg(long, conflicts_with = "dir")]
    generated: bool,
    /// With --generated: only this case (its name as the table prints it).
    #[arg(long, requires = "generated", value_name = "NAME")]
    case: Option<String>,
    /// With --generated: at most this many operations per case, to scale the table down.
    #[arg(long, requires = "generated", value_name = "N")]
    ops: Option<usize>,
    /// With --generated: write each case's history to DIR/NAME.json (tenrec JSON, for
    /// `tenrec check`) instead of checking it.
    #[arg(long, requires = "generated", value_name = "DIR")]
    write: Option<PathBuf>,
    /// With --generated --case: print the row only (the parent process prints the header).
    #[arg(long, hide = true, requires = "case")]
    child: bool,
}

/// Checks one typed history `runs` times.
struct Timed<'a> {
    runs: usize,
    options: &'a Options,
}

/// What the timed runs of one file found.
struct Measured {
    model: &'static str,
    ops: usize,
    verdict: Verdict,
    median: Duration,
}

impl WithModel for Timed<'_> {
    type Output = Measured;

    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Measured {
        let mut times = Vec::with_capacity(self.runs);
        let mut verdict = Verdict::Unknown;
        for _ in 0..self.runs.max(1) {
            let started = Stopwatch::start();
            verdict = check(&model, &history, self.options).verdict;
            times.push(started.elapsed());
        }
        times.sort();
        Measured {
            model: model.name(),
            ops: history.len(),
            verdict,
            median: times[times.len() / 2],
        }
    }
}

pub fn run(args: &BenchCheckerArgs) -> ExitCode {
    let Some(dir) = &args.dir else {
        return bench_generated::run(&Generated {
            case: args.case.as_deref(),
            ops: args.ops,
            max_ms: args.max_ms,
            write: args.write.as_deref(),
            child: args.child,
        });
    };
    let mut files = Vec::new();
    if let Err(error) = collect(dir, &mut files) {
        eprintln!("tenrec bench checker: {}: {error}", dir.display());
        return ExitCode::from(1);
    }
    files.sort();
    let options = Options {
        all_keys: args.all_keys,
        max_time: args.max_ms.map(Duration::from_millis),
        ..Options::default()
    };
    let mut total = Duration::ZERO;
    let mut failures = 0;
    println!("{:<48} {:<14} {:>6} {:<17} {:>10}", "file", "model", "ops", "verdict", "median ms");
    for file in &files {
        let measured = parse_file(file, None).and_then(|raw| {
            let model = default_model(&raw)?;
            with_model(&raw, model, Timed { runs: args.runs, options: &options })
        });
        match measured {
            Ok(measured) => {
                total += measured.median;
                println!(
                    "{:<48} {:<14} {:>6} {:<17} {:>10.3}",
                    shown(dir, file),
                    measured.model,
                    measured.ops,
                    measured.verdict.to_string(),
                    measured.median.as_secs_f64() * 1e3
                );
            }
            Err(error) => {
                failures += 1;
                eprintln!("{error}");
            }
        }
    }
    println!(
        "total (sum of medians over {} files): {:.3} ms",
        files.len() - failures,
        total.as_secs_f64() * 1e3
    );
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Every history file under `path` (a file counts as itself); READMEs and verdict tables are
/// not histories.
fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(path)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if !matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "tsv")) {
            files.push(path);
        }
    }
    Ok(())
}

/// A file's path relative to the benchmarked directory, for a compact table.
fn shown(dir: &Path, file: &Path) -> String {
    match file.strip_prefix(dir) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => file.display().to_string(),
    }
}
