//! Running one scenario for one seed: build the cluster from the scenario's setup and the
//! run's switches, run the story, turn a panic inside the implementation into a failure, and
//! report the verdict with the facts a `Report` carries. The one run path of every scenario.
use std::io::Write;

use kv::{KvBugs, KvService};
use raft::{Bugs, Consensus};

use crate::cluster::{Cluster, Setup};
use crate::failure::{Check, Failure};
use crate::kv::with_explanation;
use crate::panics::capture;
use crate::report::{KvFacts, Report};
use crate::schedule::Schedule;
use crate::timeline::record::{self, TRACE_ALL};

/// Knobs of one run that are not part of the scenario.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Mutation switches turned on in every server's Raft `Config`.
    pub bugs: Bugs,
    /// Mutation switches turned on in every KV server (KV scenarios only).
    pub kv_bugs: KvBugs,
    /// Trace records kept for the failure report (0: hash only, fastest).
    pub trace_capacity: usize,
    /// How KV servers serve `Get`, overriding the scenario's choice (`tenrec bench suite kv
    /// --reads log` measures what ReadIndex saves).
    pub reads: Option<kv::ReadPath>,
}

/// One run of a scenario: the seed and everything else a caller may ask for.
pub struct Run {
    pub seed: u64,
    pub options: Options,
    /// Trace records (timers left out) a failure report shows.
    pub tail: usize,
    /// Every trace record as a JSON line, when set.
    pub trace_file: Option<Box<dyn Write + Send>>,
    /// Keep the client history in the report (`tenrec run --html`).
    pub keep_history: bool,
    /// Explain a KV history that is not linearizable (its minimal failing sub-history): on by
    /// default; sweeps and graders that rerun a failing seed for its report turn it off.
    pub explain: bool,
    /// Take the network's decisions and the fault actions from this schedule instead of the
    /// seed's draws (`tenrec replay --schedule`, the shrinker's candidates).
    pub schedule: Option<Schedule>,
    /// Record the run's schedule into the report (`--save-schedule`, the shrinker).
    pub record_schedule: bool,
    /// Fail the run as a runaway past this many events.
    pub max_events: Option<u64>,
    /// Record the run's timeline in the report (`tenrec run --html`): every trace record,
    /// roles and terms, the placed client history. Off by default: it keeps the whole trace.
    pub timeline: bool,
}

impl Run {
    /// A run of `seed` with no switches, a 40-record failure tail and a trace ring to fill it.
    pub fn new(seed: u64) -> Run {
        let options = Options { trace_capacity: 400, ..Options::default() };
        Run {
            seed,
            options,
            tail: 40,
            trace_file: None,
            keep_history: false,
            explain: true,
            schedule: None,
            record_schedule: false,
            max_events: None,
            timeline: false,
        }
    }

    /// Replays `schedule`'s faults instead of drawing them.
    pub fn schedule(mut self, schedule: Schedule) -> Run {
        self.schedule = Some(schedule);
        self
    }

    /// Records the run's schedule into `Report::schedule`.
    pub fn record_schedule(mut self) -> Run {
        self.record_schedule = true;
        self
    }

    pub fn options(mut self, options: Options) -> Run {
        self.options = options;
        self
    }

    pub fn tail(mut self, tail: usize) -> Run {
        self.tail = tail;
        self
    }

    pub fn trace_to(mut self, writer: Box<dyn Write + Send>) -> Run {
        self.trace_file = Some(writer);
        self
    }

    pub fn keep_history(mut self) -> Run {
        self.keep_history = true;
        self
    }

    /// Records the run's timeline (`report.timeline`, drawn by `timeline::write_html`).
    pub fn timeline(mut self) -> Run {
        self.timeline = true;
        self
    }

    /// Leaves a failed linearizability check unexplained (the verdict is the same).
    pub fn without_explanation(mut self) -> Run {
        self.explain = false;
        self
    }
}

/// Runs `body` on a cluster built from `setup` and the run's switches, and reports it.
pub(crate) fn run_story<R: Consensus, K: KvService>(
    name: &'static str,
    mut setup: Setup,
    body: fn(&mut Cluster<R, K>) -> Check,
    run: Run,
) -> Report {
    setup.bugs = run.options.bugs;
    setup.kv_bugs = run.options.kv_bugs;
    if let Some(reads) = run.options.reads {
        setup.read_path = reads;
    }
    setup.trace_capacity = run.options.trace_capacity;
    if run.timeline {
        setup.trace_capacity = TRACE_ALL;
    }
    let is_kv = setup.is_kv();
    let mut bugs = run.options.bugs.names();
    if is_kv {
        bugs.extend(run.options.kv_bugs.names());
    }
    let seed = run.seed;
    // Building the cluster runs the implementation (`restart`, the first `ready`), so a
    // panic there is the implementation's failure like any other.
    let (replay, record) = (run.schedule.as_ref(), run.record_schedule);
    let mut cluster = match capture(|| Cluster::<R, K>::scheduled(seed, setup, replay, record)) {
        Ok(cluster) => cluster,
        Err(failure) => return unstarted(name, seed, failure, bugs),
    };
    cluster.kv.explain = run.explain;
    cluster.set_max_events(run.max_events);
    if run.timeline {
        record::start(&mut cluster);
    }
    let writing = run.trace_file.is_some();
    if writing {
        cluster.set_trace_writer(run.trace_file);
    }
    let outcome = capture(|| body(&mut cluster));
    if writing {
        if let Some(mut writer) = cluster.set_trace_writer(None) {
            // A trace file that cannot be flushed is reported, not fatal: the verdict stands.
            if let Err(e) = writer.flush() {
                eprintln!("warning: the trace file could not be written: {e}");
            }
        }
    }
    let mut failure = outcome.and_then(|check| check).err();
    if is_kv && run.explain {
        // After the run, so the run and its trace are what they were.
        failure = failure.map(|failure| with_explanation(failure, &cluster.kv.history));
    }
    let schedule = cluster.recorded_schedule(name, &bugs);
    let timeline = run.timeline.then(|| record::finish(&mut cluster, failure.as_ref()));
    let sim = cluster.sim();
    let kv = is_kv.then(|| KvFacts {
        operations: cluster.kv.history.records().len(),
        check: cluster.kv.cost,
    });
    Report {
        scenario: name,
        seed,
        failure,
        trace_hash: sim.trace_hash(),
        virtual_time: sim.now(),
        events: sim.events_processed(),
        trace_tail: trace_tail(sim, run.tail),
        bugs,
        fault_mix: cluster.fault_mix.take(),
        goals: std::mem::take(&mut cluster.goals),
        kv,
        history: (is_kv && run.keep_history).then(|| std::mem::take(&mut cluster.kv.history)),
        schedule,
        timeline,
    }
}

/// The report of a run whose cluster could not even be built.
fn unstarted(name: &'static str, seed: u64, failure: Failure, bugs: Vec<&'static str>) -> Report {
    Report {
        scenario: name,
        seed,
        failure: Some(failure),
        trace_hash: 0,
        virtual_time: sim::SimTime::ZERO,
        events: 0,
        trace_tail: Vec::new(),
        bugs,
        fault_mix: None,
        goals: Vec::new(),
        kv: None,
        history: None,
        schedule: None,
        timeline: None,
    }
}

/// The last `n` records without tick timers, which would crowd out everything else.
fn trace_tail<N: sim::Node>(sim: &sim::Sim<N>, n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let records: Vec<String> = sim
        .trace_records(usize::MAX)
        .filter(|r| !matches!(r.event, sim::TraceEvent::Timer { .. }))
        .map(|r| r.to_string())
        .collect();
    records[records.len().saturating_sub(n)..].to_vec()
}

/// Resolves `--bug` names (for `tenrec run` and `tenrec sweep` alike): kv's switches
/// (`no_duplicate_detection`) go to the KV servers, the rest to Raft. One resolution for every
/// command, so a name one accepts the other does too.
pub fn parse_bugs(names: &[String]) -> Result<(Bugs, KvBugs), String> {
    let (kv, raft): (Vec<&String>, Vec<&String>) =
        names.iter().partition(|name| KvBugs::only(name).is_some());
    let bugs = Bugs::parse(&raft).map_err(|e| format!("{e}; kv: {}", KvBugs::NAMES.join(", ")))?;
    Ok((bugs, KvBugs::parse(&kv)?))
}
