//! The parallel loop behind `tenrec soak`, and why its first failure does not depend on the
//! number of jobs or on timing.
//!
//! The work is one endless list: unit `k` is scenario `k mod S` (in the order chosen) for
//! seed `from + k / S`, so it runs seed by seed, every scenario of a seed before the next
//! seed. Each worker claims the next unit from one atomic counter and always finishes what it
//! claimed; it stops claiming once the wall-clock budget is spent, or once the counter has
//! passed the lowest failing unit seen so far. So the units run are always a prefix
//! `0..K` of the list, and since units are claimed in order, every unit below a failing one
//! was claimed (and so run) before that failure could stop anyone. The failure reported is
//! the lowest failing unit of the prefix: the lowest failing (seed, scenario) from `from`
//! upward, the same with 1 job or 16, unless the time ran out before it was reached. A few
//! units past it may also run (those already claimed by other workers); their failures are
//! counted, not reported.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use raft::RaftNode;
use scenarios::{Options, Report, Run, Scenario};

use super::stopwatch::Stopwatch;

/// How often a plain progress line is printed when stderr is not a terminal (a CI log).
const PLAIN_EVERY: Duration = Duration::from_secs(60);

/// What a soak did.
pub struct Soaked {
    /// Units run: the prefix `0..runs` of the work list.
    pub runs: u64,
    /// Per chosen scenario: seeds run and the wall time its runs took, summed over jobs.
    pub per_scenario: Vec<(u64, Duration)>,
    pub failures: u64,
    /// The lowest failing unit and its report.
    pub first_failure: Option<(u64, Report)>,
    pub elapsed: Duration,
}

/// What the workers share.
struct Shared<'a> {
    scenarios: &'a [&'a Scenario<RaftNode>],
    from: u64,
    budget: Duration,
    options: Options,
    clock: Stopwatch,
    next: AtomicU64,
    lowest_failing: AtomicU64,
    tally: Mutex<Tally>,
    bar: ProgressBar,
}

#[derive(Default)]
struct Tally {
    runs: u64,
    per_scenario: Vec<(u64, Duration)>,
    failures: u64,
    first_failure: Option<(u64, Report)>,
    plain_printed: Duration,
}

/// Soaks `scenarios` from seed `from` on `jobs` threads until a failure or `budget`.
pub fn soak(
    scenarios: &[&Scenario<RaftNode>],
    from: u64,
    budget: Duration,
    jobs: usize,
    options: Options,
) -> Soaked {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let tally =
        Tally { per_scenario: vec![(0, Duration::ZERO); scenarios.len()], ..Tally::default() };
    let shared = Shared {
        scenarios,
        from,
        budget,
        options,
        clock: Stopwatch::start(),
        next: AtomicU64::new(0),
        lowest_failing: AtomicU64::new(u64::MAX),
        tally: Mutex::new(tally),
        bar,
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build() {
        Ok(pool) => {
            pool.broadcast(|_| work(&shared));
        }
        Err(_) => work(&shared),
    }
    shared.bar.finish_and_clear();
    let elapsed = shared.clock.elapsed();
    let tally = shared.tally.into_inner().unwrap_or_else(|poison| poison.into_inner());
    Soaked {
        runs: tally.runs,
        per_scenario: tally.per_scenario,
        failures: tally.failures,
        first_failure: tally.first_failure,
        elapsed,
    }
}

/// One worker: claim, run, record, until told to stop.
fn work(shared: &Shared) {
    let count = shared.scenarios.len() as u64;
    loop {
        // Checked before claiming, never after: a claimed unit is always run.
        let spent = shared.clock.elapsed() >= shared.budget;
        let past_failure =
            shared.next.load(Ordering::SeqCst) > shared.lowest_failing.load(Ordering::SeqCst);
        if spent || past_failure {
            return;
        }
        let k = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(seed) = shared.from.checked_add(k / count) else { return };
        let which = (k % count) as usize;
        let run = Stopwatch::start();
        let report = shared.scenarios[which].run(Run::new(seed).options(shared.options).tail(0));
        let busy = run.elapsed();
        if !report.passed() {
            shared.lowest_failing.fetch_min(k, Ordering::SeqCst);
        }
        record(shared, k, which, busy, report);
    }
}

fn record(shared: &Shared, k: u64, which: usize, busy: Duration, report: Report) {
    let mut tally = shared.tally.lock().unwrap_or_else(|poison| poison.into_inner());
    tally.runs += 1;
    tally.per_scenario[which].0 += 1;
    tally.per_scenario[which].1 += busy;
    if !report.passed() {
        tally.failures += 1;
        let lowest_yet = match &tally.first_failure {
            Some((lowest, _)) => k < *lowest,
            None => true,
        };
        if lowest_yet {
            tally.first_failure = Some((k, report));
        }
    }
    let elapsed = shared.clock.elapsed();
    let rate = tally.runs as f64 / elapsed.as_secs_f64().max(1e-9);
    let line = format!("{} seeds run, {rate:.1} seeds/s, {} failures", tally.runs, tally.failures);
    if shared.bar.is_hidden() {
        // No terminal to redraw on: a line now and then, so a CI log shows the soak alive.
        if elapsed >= tally.plain_printed + PLAIN_EVERY {
            tally.plain_printed = elapsed;
            eprintln!("soak: {:.0} s: {line}", elapsed.as_secs_f64());
        }
    } else {
        shared.bar.set_message(line);
    }
}
