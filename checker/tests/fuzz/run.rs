//! The fuzzer's driver: inputs numbered 0..n spread over a few threads, each input run under
//! `catch_unwind`, and a watchdog on the test's own thread that notices an input running past
//! the time limit (a hang cannot be interrupted, only reported). A failing input is written to
//! target/fuzz-failures/<hash>.bin for `TENREC_FUZZ_REPLAY`. A crash that no `catch_unwind`
//! stops (a stack overflow aborts the process) saves nothing; with `trace` set, each input's
//! number is printed before it runs, and the last ones printed name the culprit.
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::corpus::Seed;
use super::exercise::{exercise, Stats};
use super::mutate;
use super::rng::Rng;

/// A run: how many inputs, from which seed, on how many threads.
pub struct Plan {
    pub inputs: u64,
    pub seed: u64,
    pub threads: u64,
    /// An input running longer than this is a hang.
    pub limit: Duration,
    /// Print each input's number before running it.
    pub trace: bool,
}

/// What a run found: its counts, and the files holding the inputs that failed.
pub struct Outcome {
    pub stats: Stats,
    pub failures: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// What a worker thread is doing, for the watchdog: the input it is on (plus one; 0 when
/// idle), when it started it, in microseconds since the run began, and how many it has done.
#[derive(Default)]
struct Busy {
    input: AtomicU64,
    since_micros: AtomicU64,
    done: AtomicU64,
}

/// The inputs that failed, by number, and why: a worker sends these when it finishes.
type Report = (Stats, Vec<(u64, String)>);

/// The failure count past which a worker stops: enough to see a pattern.
const MAX_FAILURES: usize = 10;

pub fn run(plan: &Plan, seeds: Vec<Seed>) -> Outcome {
    let seeds = Arc::new(seeds);
    let started = Instant::now();
    let (done, reports) = mpsc::channel::<Report>();
    let mut busy = Vec::new();
    for worker in 0..plan.threads {
        let slot = Arc::new(Busy::default());
        busy.push(Arc::clone(&slot));
        let (seeds, done) = (Arc::clone(&seeds), done.clone());
        let (inputs, seed, threads, trace) = (plan.inputs, plan.seed, plan.threads, plan.trace);
        std::thread::spawn(move || {
            let numbers = (worker..inputs).step_by(threads as usize);
            let _ = done.send(work(numbers, seed, &seeds, &slot, started, trace));
        });
    }
    drop(done);
    let mut stats = Stats::default();
    let mut failed = Vec::new();
    let mut finished = 0;
    while finished < plan.threads {
        match reports.recv_timeout(Duration::from_millis(100)) {
            Ok((part, failures)) => {
                stats.add(&part);
                failed.extend(failures);
                finished += 1;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(hung) = overdue(&busy, started, plan.limit) {
                    let done: u64 = busy.iter().map(|b| b.done.load(Ordering::SeqCst)).sum();
                    let why = format!("still running after {:?} ({done} inputs done)", plan.limit);
                    failed.push((hung, why));
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    failed.sort();
    let failures = failed.iter().map(|(n, why)| save(plan.seed, *n, why, &seeds)).collect();
    Outcome { stats, failures, elapsed: started.elapsed() }
}

/// Runs inputs `numbers`, keeping `busy` up to date; stops early after a few failures.
fn work(
    numbers: impl Iterator<Item = u64>,
    seed: u64,
    seeds: &[Seed],
    busy: &Busy,
    started: Instant,
    trace: bool,
) -> Report {
    let mut stats = Stats::default();
    let mut failures = Vec::new();
    for n in numbers {
        let bytes = mutate::input(seeds, &mut Rng::for_input(seed, n));
        if trace {
            eprintln!("fuzz: input {n}");
        }
        let since = started.elapsed();
        busy.since_micros.store(since.as_micros() as u64, Ordering::SeqCst);
        busy.input.store(n + 1, Ordering::SeqCst);
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&bytes, &mut stats)));
        busy.input.store(0, Ordering::SeqCst);
        busy.done.fetch_add(1, Ordering::SeqCst);
        stats.timed(n, started.elapsed() - since);
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push((n, format!("panicked: {message}")));
            if failures.len() >= MAX_FAILURES {
                break;
            }
        }
    }
    (stats, failures)
}

/// The input some worker has been running for longer than `limit`, if any.
fn overdue(busy: &[Arc<Busy>], started: Instant, limit: Duration) -> Option<u64> {
    let now = started.elapsed().as_micros() as u64;
    busy.iter().find_map(|slot| {
        let input = slot.input.load(Ordering::SeqCst);
        let since = slot.since_micros.load(Ordering::SeqCst);
        let running = Duration::from_micros(now.saturating_sub(since));
        (input > 0 && running > limit).then(|| input - 1)
    })
}

/// Writes input `n` (generated again from its number) to target/fuzz-failures/<hash>.bin and
/// says so on stderr.
pub fn save(seed: u64, n: u64, why: &str, seeds: &[Seed]) -> PathBuf {
    let bytes = mutate::input(seeds, &mut Rng::for_input(seed, n));
    let dir = failure_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(format!("{:016x}.bin", fnv1a(&bytes)));
    std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eprintln!("fuzz: input {n} (seed {seed}) {why}; saved to {}", path.display());
    path
}

/// target/fuzz-failures, beside cargo's scratch directory for integration tests.
pub fn failure_dir() -> PathBuf {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    scratch.parent().unwrap_or(scratch).join("fuzz-failures")
}

/// FNV-1a: a name for a failing input that is the same on every machine and Rust version.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}
