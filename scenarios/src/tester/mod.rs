//! The lab-style tester, in virtual time: it owns the `Sim` of hosted processes, steps it one
//! event at a time, feeds every output and role change to the cluster invariants, and keeps
//! the applied-log record per server. Verbs live in sibling files (`verbs`, `one`, `faults`).
mod event_loop;
mod faults;
mod one;
mod record;
mod verbs;

use std::time::Duration;

use raft::{Bugs, Command, Config, Consensus, Role, Term};
use sim::rand::SeedableRng;
use sim::{ChaCha8Rng, NetConfig, NodeId, Purpose, Sim, SimConfig, SimTime};

use crate::failure::{Check, Failure};
use crate::host::{Host, Output, RaftServer};
use crate::invariants::LogMatching;
use crate::invariants::{check_leader_completeness, ApplyOrder, ElectionSafety, History};

pub use event_loop::{EventLoop, BUDGET};
pub use one::OneCall;
pub use record::AppliedRecord;

/// The lab's election timeout constant (RaftElectionTimeout), used for the scenarios' sleeps.
pub const ELECTION_TIMEOUT: Duration = Duration::from_millis(1000);

/// How a scenario's cluster is built.
#[derive(Clone, Debug)]
pub struct Setup {
    pub servers: usize,
    pub net: NetConfig,
    /// Snapshot every this many applied entries (the lab's SnapShotInterval); `None`: never.
    pub snapshot_every: Option<u64>,
    /// Mutation switches of the reference Raft (ignored by other implementations' configs
    /// only if they ignore `Config::bugs`).
    pub bugs: Bugs,
    /// Trace records kept for failure reports; 0 keeps only the hash (fast sweeps).
    pub trace_capacity: usize,
}

impl Setup {
    /// `servers` Raft servers on the Raft labs' network: reliable, with long delays for
    /// requests to unreachable peers.
    pub fn raft(servers: usize) -> Setup {
        Setup {
            servers,
            net: NetConfig::long_delays(),
            snapshot_every: None,
            bugs: Bugs::none(),
            trace_capacity: 200,
        }
    }
}

/// A cluster under test, driven in virtual time.
pub struct Tester<R: Consensus> {
    sim: Sim<Host<R>>,
    setup: Setup,
    servers: Vec<NodeId>,
    record: AppliedRecord,
    history: History,
    order: ApplyOrder,
    log_matching: LogMatching,
    elections: ElectionSafety,
    /// The (role, term) each server was last seen in, to spot new leaders.
    observed: Vec<Option<(Role, Term)>>,
    outputs: Vec<(NodeId, Output)>,
    /// The tester's own randomness: pauses, workload values, fault choices.
    timing: ChaCha8Rng,
    workload: ChaCha8Rng,
    faults: ChaCha8Rng,
    /// Round-robin position of `one()`'s search for a leader.
    starts: usize,
    /// Snapshots handed to services (installed from a leader or loaded after a restart).
    snapshots_loaded: u64,
}

impl<R: Consensus> Tester<R> {
    /// A fresh cluster of `setup.servers` servers `n0..`, all started at time 0.
    pub fn new(seed: u64, setup: Setup) -> Tester<R> {
        let config =
            SimConfig { seed, net: setup.net.clone(), trace_capacity: setup.trace_capacity };
        let sim = Sim::with_config(config);
        let n = setup.servers;
        let mut tester = Tester {
            timing: sim.rng_stream(Purpose::Custom(1)),
            workload: sim.rng_stream(Purpose::Workload),
            faults: sim.rng_stream(Purpose::Faults),
            sim,
            servers: (0..n as u32).map(NodeId).collect(),
            setup,
            record: AppliedRecord::default(),
            history: History::default(),
            order: ApplyOrder::default(),
            log_matching: LogMatching::default(),
            elections: ElectionSafety::default(),
            observed: vec![None; n],
            outputs: Vec::new(),
            starts: 0,
            snapshots_loaded: 0,
        };
        for id in tester.servers.clone() {
            let server = RaftServer::new(
                tester.config_for(id),
                &raft::PersistedState::default(),
                tester.setup.snapshot_every,
            );
            tester.sim.add_node(id, Host::Raft(server));
        }
        tester
    }

    /// The Raft configuration of server `id`; its random seed differs per incarnation.
    fn config_for(&self, id: NodeId) -> Config {
        let peers = self.servers.iter().map(|s| raft::NodeId(u64::from(s.0))).collect();
        let incarnation = self.sim.incarnation(id).unwrap_or(0);
        let seed = sim::fingerprint(&(self.sim.seed(), id.0, incarnation));
        Config::new(raft::NodeId(u64::from(id.0)), peers, seed).with_bugs(self.setup.bugs)
    }

    /// The simulator, for inspection (counters, trace, durable state).
    pub fn sim(&self) -> &Sim<Host<R>> {
        &self.sim
    }

    pub fn servers(&self) -> &[NodeId] {
        &self.servers
    }

    /// Server `i` (lab numbering: 0..n).
    pub fn server(&self, i: usize) -> NodeId {
        self.servers[i % self.servers.len()]
    }

    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// The cluster's applied history (every index some server applied).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// How many snapshots services have loaded so far.
    pub fn snapshots_loaded(&self) -> u64 {
        self.snapshots_loaded
    }

    pub fn elections(&self) -> &ElectionSafety {
        &self.elections
    }

    /// Sends every trace record from now on to `writer` as JSON lines; returns the old one.
    pub fn set_trace_writer(
        &mut self,
        writer: Option<Box<dyn std::io::Write + Send>>,
    ) -> Option<Box<dyn std::io::Write + Send>> {
        self.sim.set_trace_writer(writer)
    }

    /// A narration line in the trace (`isolate leader n1`).
    pub fn note(&mut self, text: impl Into<String>) {
        self.sim.note(text);
    }

    /// Runs every event up to `until`, checking the invariants after each one (the loop is
    /// `EventLoop`'s; this spares scenarios importing the trait).
    pub fn run_until(&mut self, until: SimTime) -> Check {
        EventLoop::run_until(self, until)
    }

    /// Lets `d` of virtual time pass (the lab's `time.Sleep`).
    pub fn sleep(&mut self, d: Duration) -> Check {
        EventLoop::sleep(self, d)
    }

    fn absorb(&mut self, node: NodeId, output: Output) -> Check {
        match output {
            Output::LogWrite { prev_term, entries } => {
                self.log_matching.observe_write(node, prev_term, &entries)
            }
            Output::Applied { entry, applier_term } => {
                self.order.apply(node, entry.index)?;
                self.history.observe_apply(node, &entry, applier_term)?;
                self.record.applied(node, entry.index);
                Ok(())
            }
            Output::SnapshotApplied { snapshot } => {
                let index = snapshot.last_included_index;
                self.history.check_snapshot(node, &snapshot)?;
                self.order.snapshot(node, index)?;
                self.record.ingest_snapshot(node, index);
                self.snapshots_loaded += 1;
                Ok(())
            }
            Output::Violation(text) => Err(Failure::contract(text)),
        }
    }

    /// Election safety and leader completeness, checked when a server becomes leader.
    fn observe(&mut self, node: NodeId) -> Check {
        let raft = self.sim.node(node).and_then(|host| host.consensus());
        check_new_leader(node, raft, &mut self.observed, &mut self.elections, &self.history)
    }

    /// A fresh random number below `n` from the workload stream.
    pub fn random(&mut self, n: u64) -> u64 {
        sim::rand::Rng::gen_range(&mut self.workload, 0..n.max(1))
    }

    /// A fresh random command (the lab's `rand.Int()`).
    pub fn random_command(&mut self) -> Command {
        let x: u64 = sim::rand::Rng::gen(&mut self.workload);
        cmd(x >> 1)
    }

    /// A random number below `n` from the fault stream (which nodes to hit, when).
    pub fn fault_random(&mut self, n: u64) -> u64 {
        sim::rand::Rng::gen_range(&mut self.faults, 0..n.max(1))
    }

    /// A random duration in `[lo, hi)` from the tester's timing stream.
    pub fn random_duration(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = hi.saturating_sub(lo).as_nanos() as u64;
        lo + Duration::from_nanos(sim::rand::Rng::gen_range(&mut self.timing, 0..span.max(1)))
    }

    /// A goal the scenario must reach to count as a real test of its fault.
    pub fn goal(&mut self, reached: bool, what: &str) -> Check {
        EventLoop::goal(self, reached, what)
    }
}

impl<R: Consensus> EventLoop for Tester<R> {
    type Node = Host<R>;

    fn event_sim(&self) -> &Sim<Host<R>> {
        &self.sim
    }

    fn event_sim_mut(&mut self) -> &mut Sim<Host<R>> {
        &mut self.sim
    }

    /// Drains the outputs of the last event into the invariants, then looks at `node`'s role.
    fn after_event(&mut self, node: NodeId) -> Check {
        self.outputs.extend(self.sim.drain_outputs());
        if !self.outputs.is_empty() {
            let mut outputs = std::mem::take(&mut self.outputs);
            let result = outputs.drain(..).try_for_each(|(id, out)| self.absorb(id, out));
            self.outputs = outputs;
            result?;
        }
        self.observe(node)
    }
}

/// Election safety and leader completeness, checked when `node` (running `raft`; `None` for
/// a down server or a clerk) is first seen as leader of a term. `observed` holds each server's
/// last (role, term), so a leader is checked once per term. Shared by both testers.
pub(crate) fn check_new_leader<R: Consensus>(
    node: NodeId,
    raft: Option<&R>,
    observed: &mut [Option<(Role, Term)>],
    elections: &mut ElectionSafety,
    applied: &History,
) -> Check {
    let (Some(raft), Some(slot)) = (raft, observed.get_mut(node.0 as usize)) else {
        return Ok(());
    };
    let status = raft.status();
    let now = (status.role, status.current_term);
    if *slot == Some(now) {
        return Ok(());
    }
    *slot = Some(now);
    if status.role != Role::Leader {
        return Ok(());
    }
    elections.observe_leader(status.current_term, node)?;
    check_leader_completeness(node, raft, &status, applied)
}

/// The lab's integer commands, as 8 little-endian bytes.
pub fn cmd(x: u64) -> Command {
    Command::from(x.to_le_bytes().to_vec())
}

/// A short label for a command in messages: the integer if it is one, else its size.
pub fn label(command: &Command) -> String {
    match <[u8; 8]>::try_from(command.as_bytes()) {
        Ok(bytes) => u64::from_le_bytes(bytes).to_string(),
        Err(_) => format!("<{} bytes>", command.len()),
    }
}

/// A seeded generator for helpers that need one outside a tester.
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}
