//! Running one scenario for one seed: build the world, run the story, catch what broke, and
//! report the verdict with the trace hash, virtual time, event count and trace tail.
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};

use kv::KvBugs;
use raft::{Bugs, Consensus};
use sim::SimTime;

use crate::failure::{Broke, Check, Failure};
use crate::tester::{EventLoop, Setup, Tester};

/// Knobs of one run that are not part of the scenario.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Mutation switches turned on in every server's `Config`.
    pub bugs: Bugs,
    /// Trace records kept for the failure report (0: hash only, fastest).
    pub trace_capacity: usize,
}

/// The outcome of one run.
#[derive(Clone, Debug)]
pub struct Report {
    pub scenario: &'static str,
    pub seed: u64,
    pub failure: Option<Failure>,
    pub trace_hash: u64,
    pub virtual_time: SimTime,
    pub events: u64,
    /// The last trace records (empty when the trace ring was off).
    pub trace_tail: Vec<String>,
    /// `--bug` switches the run used, for the replay command.
    pub bugs: Vec<&'static str>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// 0 on success, else the failure's exit code.
    pub fn exit_code(&self) -> u8 {
        self.failure.as_ref().map_or(0, |f| f.broke.exit_code())
    }

    /// The exact one-line command that replays this run.
    pub fn replay_command(&self) -> String {
        let mut line = format!(
            "cargo run --release -p scenarios --bin tenrec -- run {} --seed {}",
            self.scenario, self.seed
        );
        for bug in &self.bugs {
            line.push_str(&format!(" --bug {bug}"));
        }
        // A history that cannot be linearized reads best as a timeline (KV scenarios only).
        if self.failure.as_ref().is_some_and(|f| f.broke == Broke::NotLinearizable) {
            line.push_str(" --html out.html");
        }
        line
    }

    /// The failure report of DESIGN.md: scenario, seed, what broke, trace tail, replay.
    pub fn failure_text(&self) -> String {
        let Some(failure) = &self.failure else { return String::new() };
        let mut text = format!(
            "FAIL {} seed {} at {} (event {})\n  what broke: {}\n",
            self.scenario, self.seed, self.virtual_time, self.events, failure
        );
        if !self.trace_tail.is_empty() {
            text.push_str(&format!("  last {} events:\n", self.trace_tail.len()));
            for line in &self.trace_tail {
                text.push_str(&format!("    {line}\n"));
            }
        }
        text.push_str(&format!("  trace hash: {:016x}\n", self.trace_hash));
        text.push_str(&format!("  replay: {}\n", self.replay_command()));
        text
    }
}

/// Runs a Raft-cluster story: builds a `Tester` from `setup` and the options, runs `body`,
/// and turns a panic inside the implementation into a failure.
pub fn drive<R: Consensus>(
    name: &'static str,
    seed: u64,
    options: &Options,
    mut setup: Setup,
    tail: usize,
    body: fn(&mut Tester<R>) -> Check,
    trace_file: Option<Box<dyn Write + Send>>,
) -> Report {
    setup.bugs = options.bugs;
    setup.trace_capacity = options.trace_capacity;
    let mut tester: Tester<R> = Tester::new(seed, setup);
    let bugs = bug_names(options.bugs);
    run_story(name, seed, &mut tester, body, tail, trace_file, bugs)
}

/// Runs `body` on a freshly built `tester` and reports like every scenario: the verdict (a
/// panic inside the implementation becomes a failure), trace hash, virtual time, event count,
/// the trace tail and the `--bug` names for the replay command. Shared by the Raft and the KV
/// drivers so both report, and write trace files, the same way.
pub(crate) fn run_story<T: EventLoop>(
    name: &'static str,
    seed: u64,
    tester: &mut T,
    body: impl FnOnce(&mut T) -> Check,
    tail: usize,
    trace_file: Option<Box<dyn Write + Send>>,
    bugs: Vec<&'static str>,
) -> Report {
    let writing = trace_file.is_some();
    if writing {
        tester.event_sim_mut().set_trace_writer(trace_file);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| body(&mut *tester)));
    if writing {
        if let Some(mut writer) = tester.event_sim_mut().set_trace_writer(None) {
            // A trace file that cannot be flushed is reported, not fatal: the verdict stands.
            if let Err(e) = writer.flush() {
                eprintln!("warning: the trace file could not be written: {e}");
            }
        }
    }
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(failure)) => Some(failure),
        Err(panic) => Some(Failure { broke: Broke::Panic, message: panic_text(&panic) }),
    };
    let sim = tester.event_sim();
    Report {
        scenario: name,
        seed,
        failure,
        trace_hash: sim.trace_hash(),
        virtual_time: sim.now(),
        events: sim.events_processed(),
        trace_tail: trace_tail(sim, tail),
        bugs,
    }
}

/// The last `n` records without tick timers, which would crowd out everything else.
fn trace_tail<N: sim::Node>(sim: &sim::Sim<N>, n: usize) -> Vec<String> {
    let records: Vec<String> = sim
        .trace_records(usize::MAX)
        .filter(|r| !matches!(r.event, sim::TraceEvent::Timer { .. }))
        .map(|r| r.to_string())
        .collect();
    records[records.len().saturating_sub(n)..].to_vec()
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "a non-text panic".to_string());
    format!("the implementation panicked: {text}")
}

/// The names of the switches that are on: those that turning on again changes nothing.
pub fn bug_names(bugs: Bugs) -> Vec<&'static str> {
    Bugs::NAMES
        .iter()
        .copied()
        .filter(|name| combine(Bugs::none(), name) != Bugs::none())
        .filter(|name| combine(bugs, name) == bugs)
        .collect()
}

/// Resolves `--bug` names (for `tenrec run` and `tenrec sweep` alike): kv's switches
/// (`no_duplicate_detection`) go to the KV servers, the rest to Raft. One resolution for every
/// command, so a name one accepts the other does too.
pub fn parse_bugs(names: &[String]) -> Result<(Bugs, KvBugs), String> {
    let mut bugs = Bugs::none();
    let mut kv_bugs = KvBugs::none();
    for name in names {
        if let Some(one) = KvBugs::only(name) {
            kv_bugs = crate::kv::with_kv_bugs(kv_bugs, one);
        } else if Bugs::only(name).is_some() {
            bugs = combine(bugs, name);
        } else {
            return Err(format!(
                "unknown bug `{name}`; known: {}; kv: {}",
                Bugs::NAMES.join(", "),
                KvBugs::NAMES.join(", ")
            ));
        }
    }
    Ok((bugs, kv_bugs))
}

/// `bugs` with the named switch turned on too.
pub fn combine(bugs: Bugs, name: &str) -> Bugs {
    let Some(one) = Bugs::only(name) else { return bugs };
    Bugs {
        vote_without_up_to_date_check: bugs.vote_without_up_to_date_check
            || one.vote_without_up_to_date_check,
        commit_previous_term_by_counting: bugs.commit_previous_term_by_counting
            || one.commit_previous_term_by_counting,
        forget_voted_for: bugs.forget_voted_for || one.forget_voted_for,
        forget_current_term: bugs.forget_current_term || one.forget_current_term,
        accept_stale_vote_replies: bugs.accept_stale_vote_replies || one.accept_stale_vote_replies,
        truncate_on_any_append: bugs.truncate_on_any_append || one.truncate_on_any_append,
        no_step_down_on_higher_term: bugs.no_step_down_on_higher_term
            || one.no_step_down_on_higher_term,
        no_timer_reset_on_vote: bugs.no_timer_reset_on_vote || one.no_timer_reset_on_vote,
        skip_apply_after_snapshot: bugs.skip_apply_after_snapshot || one.skip_apply_after_snapshot,
        block_on_slow_peer: bugs.block_on_slow_peer || one.block_on_slow_peer,
    }
}
