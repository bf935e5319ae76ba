//! Shrinking a failing run end to end, for any implementation: record the failing seed's
//! schedule, shrink it with candidate runs of the same scenario, and replay the result twice
//! to prove it fails the same way with one trace hash. The `tenrec shrink` command and a lab's
//! own failing tests both come through here, with the scenario's runner for their code.
use crate::failure::Broke;
use crate::report::Report;
use crate::run::{Options, Run};

use super::file::Schedule;
use super::kind::FailureKind;
use super::shrink::{shrink, Progress, ShrinkOptions, Shrunk};

/// Candidates may take this many times the original run's events before they count as
/// runaways (a schedule whose plain fates let a node retry without time passing).
const RUNAWAY_FACTOR: u64 = 20;

/// A shrunk failure and the proof that it replays.
#[derive(Debug)]
pub struct ShrunkFailure {
    /// The seed's own run (its schedule recorded).
    pub original: Report,
    pub shrunk: Shrunk,
    /// The shrunk schedule replayed from scratch.
    pub replay: Report,
    /// Whether a second replay gave the same trace hash and both the schedule's.
    pub deterministic: bool,
}

/// Why nothing could be shrunk.
#[derive(Debug)]
pub enum ShrinkError {
    /// The seed passes: there is no failure to keep.
    Passes(Box<Report>),
    /// The shrunk schedule does not replay to one failure with one hash (a determinism bug).
    Unstable(String),
}

/// Runs `seed` under `options`, then shrinks its failure. `run` runs the scenario (the
/// catalog's or a lab's, for any implementation); `keep_going` sees the progress before every
/// candidate and may stop the search (a time limit).
pub fn shrink_failure(
    run: &dyn Fn(Run) -> Report,
    seed: u64,
    options: Options,
    shrink_options: ShrinkOptions,
    keep_going: &mut dyn FnMut(&Progress) -> bool,
) -> Result<ShrunkFailure, ShrinkError> {
    let quiet = Options { trace_capacity: 0, ..options };
    let fresh = || Run::new(seed).options(quiet).tail(0).without_explanation();
    let original = run(fresh().record_schedule());
    let Some(broke) = original.broke() else {
        return Err(ShrinkError::Passes(Box::new(original)));
    };
    let schedule = original.schedule.clone().expect("the run recorded its schedule");
    let max_events = original.events.saturating_mul(RUNAWAY_FACTOR).max(1_000_000);
    let mut candidate = |s: &Schedule| -> (Option<Broke>, Schedule) {
        let mut attempt = fresh().schedule(s.clone()).record_schedule();
        attempt.max_events = Some(max_events);
        let report = run(attempt);
        (report.broke(), report.schedule.expect("the run recorded its schedule"))
    };
    let kind = FailureKind(broke);
    let shrunk = shrink(schedule, kind, shrink_options, &mut candidate, keep_going);
    let again = |s: &Schedule| run(Run::new(seed).options(options).schedule(s.clone()));
    let replay = again(&shrunk.schedule);
    let second = again(&shrunk.schedule);
    let hash = shrunk.schedule.trace_hash;
    if !kind.matches(replay.broke()) {
        let got = replay.broke().map_or("a pass".to_string(), |b| b.to_string());
        return Err(ShrinkError::Unstable(format!("the shrunk schedule replays to {got}")));
    }
    let deterministic = replay.trace_hash == hash && second.trace_hash == hash;
    Ok(ShrunkFailure { original, shrunk, replay, deterministic })
}
