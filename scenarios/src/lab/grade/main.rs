//! The grading binary's `main`, for a student's crate (`fn main() -> ExitCode {
//! scenarios::lab::grade_main::<MyRaft, MyKv>(&Part::ALL) }`): the instructor's corpus in, a
//! score table out, `results.json` and `junit.xml` written; each test runs in a child process
//! of the same binary, killed at a wall-clock cap.
//!
//! ```text
//! grade --corpus FILE | --seeds LIST   [--out DIR] [--jobs N] [--cap SECS] [--part 3A]...
//!       [--visibility visible|hidden|after_due_date|after_published] [--bug NAME]...
//! ```
//! The corpus is a file of seeds and ranges (`0..20`, `0x2a`, `#` comments), or the file that
//! `TENREC_CORPUS` names; it belongs to the instructor and never sits in the student's repo.
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use kv::KvService;
use raft::Consensus;

use super::super::parts::Part;
use super::isolate::{in_child, parallel};
use super::plan::{tasks, Grading, Task};
use super::results::Grade;
use super::worker::{encode, run_task};
use crate::flags::{check_writable_dir, parse_jobs};
use crate::run::parse_bugs;
use crate::seeds::parse_seed_list;

/// Grades `parts` of this binary's implementations; exit 0 once graded, 1 on a usage error.
pub fn grade_main<R: Consensus, K: KvService>(parts: &[Part]) -> ExitCode {
    grade_command::<R, K>(parts, &std::env::args().skip(1).collect::<Vec<_>>(), &[])
}

/// `grade_main` inside a larger command line (`tenrec grade ...`): `args` are the grading
/// arguments, and `prefix` the arguments that lead this binary back here (`["grade"]`), which
/// every worker process is started with.
pub fn grade_command<R: Consensus, K: KvService>(
    parts: &[Part],
    args: &[String],
    prefix: &[&str],
) -> ExitCode {
    match Args::parse(args, parts) {
        Ok(args) if args.worker.is_some() => worker::<R, K>(&args),
        Ok(args) => grade_all::<R, K>(&args, prefix),
        Err(e) => {
            eprintln!("grade: {e}\n{USAGE}");
            ExitCode::from(1)
        }
    }
}

const USAGE: &str = "usage: grade --corpus FILE | --seeds LIST [--out DIR] [--jobs N] \
                     [--cap SECS] [--part 3A]... [--visibility V] [--bug NAME]...";

/// The command line.
struct Args {
    grading: Grading,
    out: PathBuf,
    /// Worker mode: run this one scenario and print its result.
    worker: Option<String>,
}

impl Args {
    fn parse(args: &[String], parts: &[Part]) -> Result<Args, String> {
        let mut grading = Grading::new(parts, Vec::new());
        let (mut out, mut worker, mut corpus, mut seeds) =
            (PathBuf::from("grade-results"), None, None, None);
        let (mut chosen, mut bugs) = (Vec::new(), Vec::new());
        let mut words = args.iter();
        while let Some(flag) = words.next() {
            let mut value = || words.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--corpus" => corpus = Some(value()?),
                "--seeds" => seeds = Some(value()?),
                "--out" => out = PathBuf::from(value()?),
                "--jobs" => {
                    grading.jobs = parse_jobs(&value()?).map_err(|e| format!("--jobs: {e}"))?
                }
                "--cap" => {
                    let secs: u64 = value()?.parse().map_err(|_| "--cap takes seconds")?;
                    grading.cap = Duration::from_secs(secs);
                }
                "--part" => {
                    let label = value()?;
                    let part = Part::parse(&label).filter(|p| parts.contains(p));
                    chosen.push(part.ok_or_else(|| format!("no part `{label}` in this lab"))?);
                }
                "--visibility" => grading.visibility = value()?,
                "--bug" => bugs.push(value()?),
                "--worker" => worker = Some(value()?),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        if !chosen.is_empty() {
            grading.parts = chosen;
        }
        let (raft_bugs, kv_bugs) = parse_bugs(&bugs)?;
        grading.options.bugs = raft_bugs;
        grading.options.kv_bugs = kv_bugs;
        grading.seeds = corpus_seeds(corpus, seeds)?;
        Ok(Args { grading, out, worker })
    }
}

/// The corpus: `--seeds`, else the file of `--corpus` or `TENREC_CORPUS`.
fn corpus_seeds(corpus: Option<String>, seeds: Option<String>) -> Result<Vec<u64>, String> {
    if let Some(list) = seeds {
        return parse_seed_list(&list).map_err(|e| format!("--seeds: {e}"));
    }
    let Some(path) = corpus.or_else(|| std::env::var("TENREC_CORPUS").ok()) else {
        return Err("no corpus: give --corpus FILE (or TENREC_CORPUS=FILE), or --seeds 0..20 \
                    for a practice run"
            .to_string());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    parse_seed_list(&text).map_err(|e| format!("{path}: {e}"))
}

/// Worker mode: one scenario over the seeds, its result on stdout for the grader.
fn worker<R: Consensus, K: KvService>(args: &Args) -> ExitCode {
    let name = args.worker.as_deref().unwrap_or_default();
    let Some(task) = tasks::<R, K>(&Part::ALL).into_iter().find(|t| t.scenario == name) else {
        eprintln!("grade: no scenario `{name}`");
        return ExitCode::from(1);
    };
    print!("{}", encode(&run_task::<R, K>(&task, &args.grading.seeds, args.grading.options)));
    ExitCode::SUCCESS
}

/// Grades every test in child processes, prints the table and writes the result files.
fn grade_all<R: Consensus, K: KvService>(args: &Args, prefix: &[&str]) -> ExitCode {
    let grading = &args.grading;
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("grade: cannot find this binary to start workers: {e}");
            return ExitCode::from(1);
        }
    };
    // Before grading, which takes minutes: the scores must not be lost to an unwritable --out.
    if let Err(e) = check_writable_dir(&args.out) {
        eprintln!("grade: --out: {e}");
        return ExitCode::from(1);
    }
    let tasks: Vec<Task> = tasks::<R, K>(&grading.parts);
    eprintln!(
        "grading {} tests over {} seeds each, {} at a time, {} s cap per test",
        tasks.len(),
        grading.seeds.len(),
        grading.jobs,
        grading.cap.as_secs()
    );
    let tests = parallel(&tasks, grading.jobs, |task| {
        in_child(&exe, prefix, task, &grading.seeds, grading.options, grading.cap)
    });
    let grade = Grade { tests };
    print!("{}", grade.table());
    if let Err(e) = write_results(&grade, &args.out, &grading.visibility) {
        eprintln!("grade: cannot write the results to {}: {e}", args.out.display());
        return ExitCode::from(1);
    }
    eprintln!("wrote {0}/results.json and {0}/junit.xml", args.out.display());
    ExitCode::SUCCESS
}

fn write_results(grade: &Grade, out: &PathBuf, visibility: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    std::fs::write(out.join("results.json"), grade.results_json(visibility))?;
    std::fs::write(out.join("junit.xml"), grade.junit_xml())
}
