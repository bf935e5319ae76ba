//! The KV tester, in virtual time: it owns the `Sim` of KV servers and clerks, steps it one
//! event at a time, feeds every server output and role change to the always-on Raft
//! invariants, records every clerk operation in the history and keeps the clerks' workloads
//! going. Verbs and workloads live in sibling files.
use std::time::Duration;

use kv::{ClientId, KvBugs, KvConfig};
use raft::{Bugs, Config, Consensus, LogIndex, Role, Term};
use sim::{ChaCha8Rng, NetConfig, NodeId, Purpose, Sim, SimConfig, SimTime};

use super::history::KvHistory;
use super::node::{KvEvent, KvNode};
use super::workload::ClerkSlot;
use crate::failure::{Check, Failure};
use crate::host::{ClerkOutput, Disk, KvServerHost, KvServerOutput};
use crate::invariants::LogMatching;
use crate::invariants::{ApplyOrder, ElectionSafety, History};
use crate::tester::{check_new_leader, EventLoop};

/// How a KV scenario's cluster is built.
#[derive(Clone, Debug)]
pub struct KvSetup {
    pub servers: usize,
    pub net: NetConfig,
    /// Snapshot at this many bytes of Raft state (the lab's maxraftstate); `None`: never.
    pub max_raft_state: Option<usize>,
    pub kv_bugs: KvBugs,
    pub raft_bugs: Bugs,
    pub trace_capacity: usize,
}

impl KvSetup {
    /// `servers` KV servers on a reliable network whose failed calls return within U[0,100) ms.
    pub fn reliable(servers: usize) -> KvSetup {
        KvSetup {
            servers,
            net: NetConfig::reliable(),
            max_raft_state: None,
            kv_bugs: KvBugs::none(),
            raft_bugs: Bugs::none(),
            trace_capacity: 200,
        }
    }

    /// labrpc unreliable: requests delayed U[0,27) ms, 10% of requests and replies lost.
    pub fn unreliable(servers: usize) -> KvSetup {
        KvSetup { net: NetConfig::unreliable(), ..KvSetup::reliable(servers) }
    }

    pub fn snapshots(mut self, max_raft_state: usize) -> KvSetup {
        self.max_raft_state = Some(max_raft_state);
        self
    }
}

/// Clerk addresses start here, well clear of the servers.
const FIRST_CLERK: u32 = 100;

/// A KV cluster and its clerks under test.
pub struct KvTester<R: Consensus> {
    pub(super) sim: Sim<KvNode<R>>,
    pub(super) setup: KvSetup,
    pub(super) servers: Vec<NodeId>,
    pub(super) clerks: Vec<ClerkSlot>,
    pub(super) kv_history: KvHistory,
    applied: History,
    order: ApplyOrder,
    log_matching: LogMatching,
    elections: ElectionSafety,
    observed: Vec<Option<(Role, Term)>>,
    /// Per snapshot index, the fingerprint of the first snapshot data seen for it: the state
    /// through an index is determined by the log, so every snapshot at it must be the same.
    snapshot_data: std::collections::BTreeMap<LogIndex, u64>,
    pub(super) workload: ChaCha8Rng,
    pub(super) faults: ChaCha8Rng,
    pub(super) timing: ChaCha8Rng,
    /// A failure found while reacting to an event (a wrong Get), reported by the next check.
    pub(super) pending_failure: Option<Failure>,
    /// Wall time spent in the linearizability checker (for the suite benchmark).
    pub check_time: Duration,
}

impl<R: Consensus> KvTester<R> {
    /// A fresh cluster of `setup.servers` KV servers `n0..`, started at time 0, no clerks.
    pub fn new(seed: u64, setup: KvSetup) -> KvTester<R> {
        let config =
            SimConfig { seed, net: setup.net.clone(), trace_capacity: setup.trace_capacity };
        let sim = Sim::with_config(config);
        let n = setup.servers;
        let mut tester = KvTester {
            timing: sim.rng_stream(Purpose::Custom(1)),
            workload: sim.rng_stream(Purpose::Workload),
            faults: sim.rng_stream(Purpose::Faults),
            sim,
            setup,
            servers: (0..n as u32).map(NodeId).collect(),
            clerks: Vec::new(),
            kv_history: KvHistory::default(),
            applied: History::default(),
            order: ApplyOrder::default(),
            log_matching: LogMatching::default(),
            elections: ElectionSafety::default(),
            observed: vec![None; n],
            snapshot_data: Default::default(),
            pending_failure: None,
            check_time: Duration::ZERO,
        };
        for id in tester.servers.clone() {
            let host = KvServerHost::new(tester.config_for(id), &Disk::default());
            tester.sim.add_node(id, KvNode::Server(host));
        }
        tester
    }

    /// The KV configuration of server `id`; Raft's seed differs per incarnation.
    pub(super) fn config_for(&self, id: NodeId) -> KvConfig {
        let peers = self.servers.iter().map(|s| raft::NodeId(u64::from(s.0))).collect();
        let incarnation = self.sim.incarnation(id).unwrap_or(0);
        let seed = sim::fingerprint(&(self.sim.seed(), id.0, incarnation));
        let raft =
            Config::new(raft::NodeId(u64::from(id.0)), peers, seed).with_bugs(self.setup.raft_bugs);
        KvConfig::new(raft)
            .with_max_raft_state(self.setup.max_raft_state)
            .with_bugs(self.setup.kv_bugs)
    }

    /// The address of the next clerk to be added, and its client id.
    pub(super) fn next_clerk_ids(&self) -> (NodeId, ClientId) {
        let k = self.clerks.len() as u32;
        (NodeId(FIRST_CLERK + k), ClientId(u64::from(k) + 1))
    }

    pub fn sim(&self) -> &Sim<KvNode<R>> {
        &self.sim
    }

    pub fn servers(&self) -> &[NodeId] {
        &self.servers
    }

    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    pub fn history(&self) -> &KvHistory {
        &self.kv_history
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.sim.note(text);
    }

    pub fn set_trace_writer(
        &mut self,
        writer: Option<Box<dyn std::io::Write + Send>>,
    ) -> Option<Box<dyn std::io::Write + Send>> {
        self.sim.set_trace_writer(writer)
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

    /// Runs until `done` holds (checked after every event) or `within` passes; true if it held.
    pub fn run_while_not(
        &mut self,
        within: Duration,
        done: impl FnMut(&KvTester<R>) -> bool,
    ) -> Check<bool> {
        EventLoop::run_while_not(self, within, done)
    }

    /// Drains the outputs of the last event (and of the operations they start), then looks at
    /// `node`'s role. Inherent (and `EventLoop`'s hook calls it) so the sibling verbs and
    /// workloads that run an event by hand need not import the trait.
    pub(super) fn after_event(&mut self, node: NodeId) -> Check {
        loop {
            let outputs: Vec<(NodeId, KvEvent)> = self.sim.drain_outputs().collect();
            if outputs.is_empty() {
                break;
            }
            for (id, output) in outputs {
                self.absorb(id, output)?;
            }
        }
        if let Some(failure) = self.pending_failure.take() {
            return Err(failure);
        }
        self.observe(node)
    }

    fn absorb(&mut self, node: NodeId, output: KvEvent) -> Check {
        match output {
            KvEvent::Server(KvServerOutput::LogWrite { prev_term, entries }) => {
                self.log_matching.observe_write(node, prev_term, &entries)
            }
            KvEvent::Server(KvServerOutput::Applied { entry, applier_term }) => {
                self.order.apply(node, entry.index)?;
                self.applied.observe_apply(node, &entry, applier_term)
            }
            KvEvent::Server(KvServerOutput::SnapshotLoaded { snapshot }) => {
                self.check_snapshot(node, &snapshot)?;
                self.order.snapshot(node, snapshot.last_included_index)
            }
            KvEvent::Server(KvServerOutput::Violation(text)) => Err(Failure::contract(text)),
            KvEvent::Clerk(ClerkOutput::Called { client, seq, op }) => {
                self.kv_history.called(client, seq, op, self.sim.now());
                Ok(())
            }
            KvEvent::Clerk(ClerkOutput::Returned { client, seq, op: _, value }) => {
                let now = self.sim.now();
                let Some(record) = self.kv_history.returned(client, seq, value, now).cloned()
                else {
                    return Err(Failure::contract(format!(
                        "clerk {client} completed #{seq}, which is not its open operation"
                    )));
                };
                self.on_returned(&record)
            }
        }
    }

    /// A snapshot handed to a service claims an index some server applied, and carries the
    /// same state as every other snapshot at that index (§7).
    fn check_snapshot(&mut self, node: NodeId, snapshot: &raft::Snapshot) -> Check {
        let index = snapshot.last_included_index;
        if index > self.applied.last_index() {
            return Err(Failure::invariant(
                "snapshot consistency",
                format!(
                    "{node} got a snapshot through {index} but no server applied index {index}"
                ),
            ));
        }
        let data = sim::fingerprint(&snapshot.data[..]);
        match self.snapshot_data.entry(index) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(data);
                Ok(())
            }
            std::collections::btree_map::Entry::Occupied(slot) if *slot.get() == data => Ok(()),
            std::collections::btree_map::Entry::Occupied(_) => Err(Failure::invariant(
                "snapshot consistency",
                format!(
                    "{node} got a snapshot through {index} that differs from another one there"
                ),
            )),
        }
    }

    /// Election safety and leader completeness, when a server becomes leader.
    fn observe(&mut self, node: NodeId) -> Check {
        let raft = self.sim.node(node).and_then(|host| host.consensus());
        check_new_leader(node, raft, &mut self.observed, &mut self.elections, &self.applied)
    }

    /// Marks `id` as restarted for the invariants that track incarnations.
    pub(super) fn forget_incarnation(&mut self, id: NodeId) {
        self.order.restart(id);
        if let Some(slot) = self.observed.get_mut(id.0 as usize) {
            *slot = None;
        }
    }

    /// The highest log index any server applied.
    pub fn applied_index(&self) -> LogIndex {
        self.applied.last_index()
    }

    /// A goal the scenario must reach to count as a real test of its fault.
    pub fn goal(&mut self, reached: bool, what: &str) -> Check {
        EventLoop::goal(self, reached, what)
    }
}

impl<R: Consensus> EventLoop for KvTester<R> {
    type Node = KvNode<R>;

    fn event_sim(&self) -> &Sim<KvNode<R>> {
        &self.sim
    }

    fn event_sim_mut(&mut self) -> &mut Sim<KvNode<R>> {
        &mut self.sim
    }

    /// The inherent `after_event` above: one body for the loop and for the verbs.
    fn after_event(&mut self, node: NodeId) -> Check {
        KvTester::after_event(self, node)
    }
}
