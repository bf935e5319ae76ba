//! The cluster under test, in virtual time: it owns the `Sim` of hosted processes (servers of
//! whatever the setup says, and clerks), the invariant bundle, the applied-log record per
//! server, the optional KV layer (clerks, their history, its checks) and the tester's own
//! random streams. Stepping lives in `events`, verbs in sibling files.
use std::time::Duration;

use kv::{KvConfig, KvServer, KvService};
use raft::{Command, Config, Consensus};
use sim::{ChaCha8Rng, NodeId, Purpose, Sim, SimConfig, SimTime};

use super::record::AppliedRecord;
use super::setup::{Service, Setup};
use crate::host::{all_to_raft, to_raft, Disk, Host, KvServerHost, RaftServer, TICK_INTERVAL};
use crate::invariants::Invariants;
use crate::kv::layer::KvLayer;
use crate::labels::cmd;
use crate::schedule::{ActionTape, ClientTape, Schedule};
use crate::timeline::RoleTrack;

/// A cluster under test: servers running any `Consensus` (`R`), with or without a KV service
/// (`K`, the reference `KvServer<R>` unless another is plugged in) and its clerks.
pub struct Cluster<R: Consensus, K: KvService = KvServer<R>> {
    pub(crate) sim: Sim<Host<R, K>>,
    pub(crate) setup: Setup,
    pub(crate) servers: Vec<NodeId>,
    pub(crate) invariants: Invariants,
    pub(crate) record: AppliedRecord,
    pub(crate) kv: KvLayer,
    /// The tester's own randomness: pauses, workload values, fault choices.
    pub(crate) timing: ChaCha8Rng,
    pub(crate) workload: ChaCha8Rng,
    pub(crate) faults: ChaCha8Rng,
    /// Round-robin position of `one()`'s search for a leader.
    pub(crate) starts: usize,
    /// Snapshots handed to services (installed from a leader or loaded after a restart).
    pub(crate) snapshots_loaded: u64,
    /// The fault mix a swarm scenario drew, for the report.
    pub(crate) fault_mix: Option<String>,
    /// The goals the story reached, in order, for the report.
    pub(crate) goals: Vec<String>,
    /// Outputs drained from the last event, kept to reuse its allocation.
    pub(crate) outputs: Vec<(NodeId, crate::host::Output)>,
    /// The fault verbs called so far, and the schedule's say over them when one is replayed.
    pub(crate) actions: ActionTape,
    /// Operations each clerk started from its plan, and the schedule's limits on them.
    pub(crate) clients: ClientTape,
    /// Events the run may take before it fails as a runaway (a shrinker's candidates).
    pub(crate) max_events: Option<u64>,
    /// Each server's role and term changes, when the run records a timeline.
    pub(crate) roles: Option<RoleTrack>,
}

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// A fresh cluster of `setup.servers` servers `n0..`, all started at time 0, no clerks.
    pub fn new(seed: u64, setup: Setup) -> Cluster<R, K> {
        Cluster::scheduled(seed, setup, None, false)
    }

    /// A fresh cluster whose network decisions and fault actions come from `replay` (when
    /// given) instead of the seed's draws, and are recorded (when `record`) for
    /// [`Cluster::recorded_schedule`]. Both take effect before any server starts.
    pub fn scheduled(
        seed: u64,
        setup: Setup,
        replay: Option<&Schedule>,
        record: bool,
    ) -> Cluster<R, K> {
        let config = SimConfig {
            net: setup.net.clone(),
            trace_capacity: setup.trace_capacity,
            clocks: setup.clocks.clone(),
            ..SimConfig::new(seed)
        };
        let mut sim = Sim::with_config(config);
        if let Some(schedule) = replay {
            sim.replay_schedule(schedule.net.clone());
        }
        if record {
            sim.record_schedule();
        }
        let actions =
            replay.map_or_else(ActionTape::default, |s| ActionTape::replaying(s.actions.clone()));
        let clients =
            replay.map_or_else(ClientTape::default, |s| ClientTape::replaying(&s.clients));
        let test_service = !setup.is_kv();
        let mut cluster = Cluster {
            timing: sim.rng_stream(Purpose::Custom(1)),
            workload: sim.rng_stream(Purpose::Workload),
            faults: sim.rng_stream(Purpose::Faults),
            sim,
            servers: (0..setup.servers as u32).map(NodeId).collect(),
            setup,
            invariants: Invariants::new(test_service),
            record: AppliedRecord::default(),
            kv: KvLayer::default(),
            starts: 0,
            snapshots_loaded: 0,
            fault_mix: None,
            goals: Vec::new(),
            outputs: Vec::new(),
            actions,
            clients,
            max_events: None,
            roles: None,
        };
        for id in cluster.servers.clone() {
            let host = cluster.server_factory(id)(&Disk::default());
            cluster.sim.add_node(id, host);
        }
        cluster
    }

    /// Builds the next incarnation of server `id` from its disk, running what the setup says.
    /// A factory rather than a host, so a restart hands it the disk in place (no copy).
    pub(crate) fn server_factory(&self, id: NodeId) -> impl FnOnce(&Disk) -> Host<R, K> {
        let raft = self.raft_config(id);
        let service = self.setup.service;
        let kv_bugs = self.setup.kv_bugs;
        let read_path = self.setup.read_path;
        move |disk| match service {
            Service::Raft { snapshot_every } => {
                Host::Raft(RaftServer::new(raft, &disk.raft, snapshot_every))
            }
            Service::Kv { max_raft_state } => {
                let config = KvConfig::new(raft)
                    .with_max_raft_state(max_raft_state)
                    .with_read_path(read_path)
                    .with_bugs(kv_bugs);
                Host::Kv(KvServerHost::new(config, disk))
            }
        }
    }

    /// The Raft configuration of server `id`; its random seed differs per incarnation.
    fn raft_config(&self, id: NodeId) -> Config {
        let incarnation = self.sim.incarnation(id).unwrap_or(0);
        let seed = sim::fingerprint(&(self.sim.seed(), id.0, incarnation));
        let config =
            Config::new(to_raft(id), all_to_raft(&self.servers), seed).with_bugs(self.setup.bugs);
        match self.setup.lease(TICK_INTERVAL) {
            Some(lease) => config.with_lease(lease),
            None => config,
        }
    }

    /// The simulator, for inspection (counters, trace, durable state, nodes).
    pub fn sim(&self) -> &Sim<Host<R, K>> {
        &self.sim
    }

    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    pub fn servers(&self) -> &[NodeId] {
        &self.servers
    }

    /// Server `i` (lab numbering: 0..n).
    pub fn server(&self, i: usize) -> NodeId {
        self.servers[i % self.servers.len()]
    }

    /// The servers in lab order starting at `first` and wrapping around (`ring[k]` is the
    /// server k places after `first`).
    pub fn ring_from(&self, first: NodeId) -> Vec<NodeId> {
        let at = self.servers.iter().position(|s| *s == first).unwrap_or(0);
        let mut ring = self.servers.clone();
        ring.rotate_left(at);
        ring
    }

    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// The cluster's applied history (every index some server applied).
    pub fn history(&self) -> &crate::invariants::History {
        self.invariants.applied()
    }

    pub fn elections(&self) -> &crate::invariants::ElectionSafety {
        self.invariants.elections()
    }

    /// How many snapshots services have loaded so far.
    pub fn snapshots_loaded(&self) -> u64 {
        self.snapshots_loaded
    }

    /// The schedule of this run so far (its network decisions and fault actions), if the
    /// cluster was built recording; `scenario` and `bugs` name the run in the file.
    pub fn recorded_schedule(&self, scenario: &str, bugs: &[&str]) -> Option<Schedule> {
        Some(Schedule {
            scenario: scenario.to_string(),
            seed: self.sim.seed(),
            bugs: bugs.iter().map(|b| b.to_string()).collect(),
            trace_hash: self.sim.trace_hash(),
            actions: self.actions.recorded().to_vec(),
            clients: self.clients.recorded(),
            net: self.sim.recorded_schedule()?,
        })
    }

    /// Fails the run as a runaway once it has taken more than `events` events.
    pub fn set_max_events(&mut self, events: Option<u64>) {
        self.max_events = events;
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

    /// Records the fault mix a scenario drew from its seed (the report carries it) and
    /// narrates it in the trace.
    pub fn set_fault_mix(&mut self, mix: impl Into<String>) {
        let mix = mix.into();
        self.note(format!("fault mix: {mix}"));
        self.fault_mix = Some(mix);
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
}
