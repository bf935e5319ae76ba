//! A tiny deterministic cluster harness for tests (no simulator): nodes of any `Consensus`
//! implementation, a seeded shuffling network with partitions, crash and restart from exactly
//! what was persisted, and the safety checks run after every event.

mod checks;
mod network;

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use network::NetworkFaults;

use crate::config::Config;
use crate::consensus::{Consensus, NotLeader, Role, Status};
use crate::message::Message;
use crate::node::RaftNode;
use crate::persist::PersistedState;
use crate::types::{Command, LogIndex, NodeId, Term};
use checks::{encode_snapshot, Safety, ServiceRecord};
use network::Network;

/// Counters of what the network carried, for RPC-count and byte bounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Requests sent (replies are not RPCs of their own, as in labrpc).
    pub requests: u64,
    /// Bytes of every message sent.
    pub bytes: u64,
}

/// A cluster of `C` nodes driven in rounds: each round ticks every live node once, then
/// delivers the messages that are due, in a seeded random order.
pub struct Cluster<C: Consensus = RaftNode> {
    configs: BTreeMap<NodeId, Config>,
    nodes: BTreeMap<NodeId, Option<C>>,
    durable: BTreeMap<NodeId, PersistedState>,
    records: BTreeMap<NodeId, ServiceRecord>,
    safety: Safety,
    network: Network,
    rng: ChaCha8Rng,
    round: u64,
    traffic: Traffic,
    trace: Vec<String>,
    /// Snapshot every this many applied entries (None: never), like 6.824's SnapShotInterval.
    snapshot_every: Option<u64>,
}

impl Cluster<RaftNode> {
    /// `n` reference nodes `n1..=n{n}`, fresh, all parameters drawn from `seed`.
    pub fn new(n: u64, seed: u64) -> Cluster<RaftNode> {
        Cluster::with_configs(n, seed, |config| config)
    }
}

impl<C: Consensus> Cluster<C> {
    /// `n` fresh nodes of type `C`; `adjust` may change each node's default config.
    pub fn with_configs(n: u64, seed: u64, adjust: impl Fn(Config) -> Config) -> Cluster<C> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let ids: Vec<NodeId> = (1..=n).map(NodeId).collect();
        let configs: BTreeMap<NodeId, Config> =
            ids.iter().map(|id| (*id, adjust(Config::new(*id, ids.clone(), rng.gen())))).collect();
        let mut cluster = Cluster {
            nodes: BTreeMap::new(),
            durable: ids.iter().map(|id| (*id, PersistedState::default())).collect(),
            records: ids.iter().map(|id| (*id, ServiceRecord::default())).collect(),
            configs,
            safety: Safety::default(),
            network: Network::new(),
            rng,
            round: 0,
            traffic: Traffic::default(),
            trace: Vec::new(),
            snapshot_every: None,
        };
        for id in ids {
            cluster.start(id, false);
        }
        cluster
    }

    pub fn ids(&self) -> Vec<NodeId> {
        self.configs.keys().copied().collect()
    }

    pub fn set_faults(&mut self, faults: NetworkFaults) {
        self.network.faults = faults;
    }

    /// Services snapshot every `interval` applied entries (6.824 uses 10).
    pub fn snapshot_every(&mut self, interval: u64) {
        self.snapshot_every = Some(interval.max(1));
    }

    pub fn round(&self) -> u64 {
        self.round
    }

    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    pub fn node(&self, id: NodeId) -> Option<&C> {
        self.nodes.get(&id).and_then(Option::as_ref)
    }

    pub fn status(&self, id: NodeId) -> Option<Status> {
        self.node(id).map(C::status)
    }

    pub fn durable(&self, id: NodeId) -> &PersistedState {
        &self.durable[&id]
    }

    /// The last index each server's service has applied (kept across crashes).
    pub fn last_applied(&self, id: NodeId) -> LogIndex {
        self.records[&id].last_applied
    }

    /// The command the cluster committed at `index`, as some service applied it.
    pub fn committed_at(&self, index: LogIndex) -> Option<&Command> {
        self.safety.committed_at(index)
    }

    /// The last lines of the trace, for failure messages.
    pub fn trace_tail(&self, lines: usize) -> String {
        let start = self.trace.len().saturating_sub(lines);
        self.trace[start..].join("\n")
    }

    /// The live leader with the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.ids()
            .into_iter()
            .filter_map(|id| self.status(id))
            .filter(|s| s.role == Role::Leader)
            .max_by_key(|s| s.current_term)
            .map(|s| s.id)
    }

    /// The leader that a majority of connected nodes could follow: a leader no partition
    /// separates from a majority of the live nodes.
    pub fn connected_leader(&self) -> Option<NodeId> {
        let live: Vec<NodeId> =
            self.ids().into_iter().filter(|id| self.node(*id).is_some()).collect();
        let leaders: Vec<Status> = live
            .iter()
            .filter_map(|id| self.status(*id))
            .filter(|s| s.role == Role::Leader)
            .collect();
        leaders
            .into_iter()
            .filter(|s| {
                let reach = live.iter().filter(|p| !self.network.is_cut(s.id, **p)).count();
                2 * reach > self.configs.len()
            })
            .max_by_key(|s| s.current_term)
            .map(|s| s.id)
    }

    /// One round: tick every live node, then deliver what is due.
    pub fn run_round(&mut self) {
        self.round += 1;
        for id in self.ids() {
            if let Some(node) = self.nodes.get_mut(&id).and_then(Option::as_mut) {
                node.tick();
                self.process(id);
            }
        }
        let due = self.network.take_due(self.round, &mut self.rng);
        for message in due {
            let to = message.to;
            if let Some(node) = self.nodes.get_mut(&to).and_then(Option::as_mut) {
                self.trace.push(format!("r{} deliver {message}", self.round));
                node.step(message);
                self.process(to);
            }
        }
    }

    pub fn run(&mut self, rounds: u64) {
        for _ in 0..rounds {
            self.run_round();
        }
    }

    /// Runs until `done` holds (checked after each round), for at most `max_rounds`.
    pub fn run_until(&mut self, max_rounds: u64, mut done: impl FnMut(&Self) -> bool) -> bool {
        for _ in 0..max_rounds {
            if done(self) {
                return true;
            }
            self.run_round();
        }
        done(self)
    }

    /// Proposes `command` at node `id` and carries out the effects.
    pub fn propose(&mut self, id: NodeId, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        let node = self
            .nodes
            .get_mut(&id)
            .and_then(Option::as_mut)
            .ok_or(NotLeader { leader_hint: None })?;
        let result = node.propose(command);
        self.process(id);
        result
    }

    /// 6.824's `one()`: submit `command` to whichever node leads, retrying, until at least
    /// `expected` services applied it; returns its index.
    pub fn one(&mut self, command: Command, expected: usize, max_rounds: u64) -> Option<LogIndex> {
        let deadline = self.round + max_rounds;
        while self.round < deadline {
            let leader = self.connected_leader();
            if let Some(Ok((index, _))) = leader.map(|id| self.propose(id, command.clone())) {
                let until = (self.round + 200).min(deadline);
                while self.round < until {
                    if self.applied_count(index, &command) >= expected {
                        return Some(index);
                    }
                    self.run_round();
                }
            } else {
                self.run(5);
            }
        }
        None
    }

    /// How many services applied exactly `command` at `index`.
    pub fn applied_count(&self, index: LogIndex, command: &Command) -> usize {
        if self.committed_at(index) != Some(command) {
            return 0;
        }
        self.records.values().filter(|r| r.last_applied >= index).count()
    }

    /// Cuts every link between `id` and the others, both ways.
    pub fn isolate(&mut self, id: NodeId) {
        for other in self.ids() {
            if other != id {
                self.network.cut_link(id, other);
                self.network.cut_link(other, id);
            }
        }
    }

    /// Splits the cluster: links between `group` and the rest are cut both ways.
    pub fn partition(&mut self, group: &[NodeId]) {
        for a in group {
            for b in self.ids() {
                if !group.contains(&b) {
                    self.network.cut_link(*a, b);
                    self.network.cut_link(b, *a);
                }
            }
        }
    }

    pub fn heal(&mut self) {
        self.network.heal();
    }

    /// Crash: the node object is dropped; only what it persisted survives.
    pub fn crash(&mut self, id: NodeId) {
        self.nodes.insert(id, None);
        self.network.forget(id);
        self.trace.push(format!("r{} crash {id}", self.round));
    }

    /// Restart from exactly what was persisted.
    /// The service restarts empty too: it reapplies from the snapshot Raft hands back (if
    /// any), then from the log as entries are committed again.
    pub fn restart(&mut self, id: NodeId) {
        self.crash(id);
        self.records.insert(id, ServiceRecord::default());
        self.start(id, true);
    }

    fn start(&mut self, id: NodeId, after_restart: bool) {
        let node = C::restart(self.configs[&id].clone(), &self.durable[&id]);
        self.nodes.insert(id, Some(node));
        self.trace.push(format!("r{} start {id}", self.round));
        self.process_ready(id, after_restart);
    }

    /// Carries out a node's `Ready` in the contract's order and checks it.
    fn process(&mut self, id: NodeId) {
        self.process_ready(id, false);
    }

    fn process_ready(&mut self, id: NodeId, after_restart: bool) {
        let Some(node) = self.nodes.get_mut(&id).and_then(Option::as_mut) else { return };
        let ready = node.ready();
        let status = node.status();
        let mut failures = Vec::new();
        // 1. Persist.
        if let Err(violation) = self.durable.get_mut(&id).map_or(Ok(()), |d| d.apply(&ready)) {
            failures.push(format!("{id}: {violation}"));
        }
        // 2. Send.
        for message in ready.messages {
            self.send(message);
        }
        // 3. Apply.
        let record = self.records.entry(id).or_default();
        if let Some(snapshot) = &ready.snapshot_to_apply {
            self.trace.push(format!(
                "r{} {id} applies snapshot {}",
                self.round, snapshot.last_included_index
            ));
            if let Err(e) = self.safety.observe_snapshot(id, record, snapshot, after_restart) {
                failures.push(e);
            }
        }
        for entry in &ready.committed_entries {
            if let Err(e) = self.safety.observe_apply(id, record, entry) {
                failures.push(e);
            }
        }
        if let Err(e) = self.safety.observe_status(&status) {
            failures.push(e);
        }
        if let Some(failure) = failures.first() {
            panic!("round {}: {failure}\ntrace tail:\n{}", self.round, self.trace_tail(30));
        }
        self.maybe_snapshot(id);
    }

    /// The service side of compaction: after every `snapshot_every` applied entries, hand Raft
    /// a snapshot of the (digest) state.
    fn maybe_snapshot(&mut self, id: NodeId) {
        let Some(every) = self.snapshot_every else { return };
        let applied = self.records[&id].last_applied;
        let data = encode_snapshot(applied, self.safety.digest_through(applied));
        let Some(node) = self.nodes.get_mut(&id).and_then(Option::as_mut) else { return };
        if applied.0 >= node.status().snapshot_index.0 + every {
            node.snapshot(applied, data.into());
            self.process(id);
        }
    }

    fn send(&mut self, message: Message) {
        if !message.is_reply() {
            self.traffic.requests += 1;
        }
        self.traffic.bytes += message.size_bytes() as u64;
        self.trace.push(format!("r{} send {message}", self.round));
        if self.trace.len() > 4000 {
            self.trace.drain(..2000);
        }
        self.network.send(self.round, message, &mut self.rng);
    }
}
