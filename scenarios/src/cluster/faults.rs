//! The fault verbs, one set for every scenario, with labrpc/config.go semantics: connect and
//! disconnect, crash (which also disconnects, like `crash1`), restart from exactly what was
//! persisted (left disconnected, like `start1`), revive, partitions, one-way links, per-link
//! latency, network presets; and the network counters the lab asserts on. Each fault verb
//! goes through the cluster's action tape, so a schedule can record, replay or skip it.
use kv::KvService;
use raft::Consensus;
use sim::{NetConfig, NodeId};

use super::core::Cluster;
use crate::failure::Check;
use crate::schedule::Verb;

impl<R: Consensus, K: KvService> Cluster<R, K> {
    pub fn connect(&mut self, id: NodeId) {
        self.sim.connect(id);
    }

    pub fn disconnect(&mut self, id: NodeId) {
        if !self.sim.is_connected(id) {
            return self.sim.disconnect(id);
        }
        if let Some(Verb::Disconnect(id)) = self.act(Verb::Disconnect(id)) {
            self.sim.disconnect(id);
        }
    }

    /// crash1: cut the server off, then kill it. Only what it persisted survives.
    pub fn crash(&mut self, id: NodeId) {
        if !self.sim.is_alive(id) {
            return self.crash_now(id);
        }
        if let Some(Verb::Crash(id)) = self.act(Verb::Crash(id)) {
            self.crash_now(id);
        }
    }

    fn crash_now(&mut self, id: NodeId) {
        self.sim.disconnect(id);
        self.sim.crash(id);
        self.invariants.crashed(id);
    }

    /// start1: crash the server if it is up, then start a new incarnation from what it
    /// persisted. It stays disconnected until `connect`, as in the lab. Restarting a server
    /// that is up is a fault a schedule may skip; restarting one that is down never is.
    pub fn restart(&mut self, id: NodeId) -> Check {
        let id = if self.sim.is_alive(id) {
            match self.act(Verb::Restart(id)) {
                Some(Verb::Restart(id)) => id,
                _ => return Ok(()),
            }
        } else {
            id
        };
        self.crash_now(id);
        self.invariants.restarted(id);
        let factory = self.server_factory(id);
        self.sim.restart(id, factory);
        self.after_event(id)
    }

    /// Restarts the server if it is down, and connects it (the churn tests' idiom).
    pub fn revive(&mut self, id: NodeId) -> Check {
        if !self.sim.is_alive(id) {
            self.restart(id)?;
        }
        self.connect(id);
        Ok(())
    }

    /// A fault verb call through the schedule: what to apply (`None`: skip it). Every call
    /// takes the tape's next position, whether a schedule is replayed or not.
    fn act(&mut self, verb: Verb) -> Option<Verb> {
        let now = self.sim.now();
        let sim = &self.sim;
        self.actions.next(verb, now, |id| sim.incarnation(id).is_some())
    }

    pub fn is_alive(&self, id: NodeId) -> bool {
        self.sim.is_alive(id)
    }

    pub fn is_connected(&self, id: NodeId) -> bool {
        self.sim.is_connected(id)
    }

    /// Whether server `id` is up and connected (the lab's `connected[i]` with a live raft).
    pub fn is_up(&self, id: NodeId) -> bool {
        self.sim.is_alive(id) && self.sim.is_connected(id)
    }

    /// Splits the nodes into groups that only talk among themselves (clerks not named keep
    /// their links).
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        if let Some(Verb::Partition(groups)) = self.act(Verb::Partition(groups.to_vec())) {
            self.sim.partition(&groups);
        }
    }

    /// A random 2-way split of the servers (the lab's partitioner); returns the two groups.
    pub fn random_partition(&mut self) -> [Vec<NodeId>; 2] {
        let mut groups = [Vec::new(), Vec::new()];
        for id in self.servers.clone() {
            let side = sim::rand::Rng::gen_range(&mut self.faults, 0..2usize);
            groups[side].push(id);
        }
        self.partition(&groups);
        groups
    }

    /// Every link up, every node connected.
    pub fn heal(&mut self) {
        self.sim.heal();
    }

    /// One direction of one link (one-way cuts and bridges for swarm testing).
    pub fn set_link(&mut self, from: NodeId, to: NodeId, up: bool) {
        if up {
            return self.sim.set_link(from, to, up);
        }
        if let Some(Verb::LinkDown(from, to)) = self.act(Verb::LinkDown(from, to)) {
            self.sim.set_link(from, to, false);
        }
    }

    /// The latency of one directed link; `None` restores the network's.
    pub fn set_link_latency(&mut self, from: NodeId, to: NodeId, latency: Option<sim::Latency>) {
        self.sim.set_link_latency(from, to, latency);
    }

    pub fn set_net(&mut self, net: NetConfig) {
        self.sim.set_net_config(net);
    }

    pub fn net(&self) -> &NetConfig {
        self.sim.net_config()
    }

    /// rpcCount(i): RPCs (requests) actually dispatched to server `id`.
    pub fn rpc_count(&self, id: NodeId) -> u64 {
        self.sim.counters().sent_to(id).requests_delivered
    }

    /// The sum of `rpc_count` over all servers.
    pub fn rpc_total(&self) -> u64 {
        self.servers.iter().map(|id| self.rpc_count(*id)).sum()
    }

    /// bytesTotal: request bytes at send plus reply bytes at delivery.
    pub fn bytes_total(&self) -> u64 {
        self.sim.counters().total().rpc_bytes
    }

    /// How many messages of a kind (`Snap`, `Append`...) were delivered.
    pub fn delivered(&self, kind: &str) -> u64 {
        self.sim.counters().kind(kind).delivered
    }

    /// Messages the network dropped so far (lost at random, or cut by a partition or crash).
    pub fn lost_messages(&self) -> u64 {
        self.sim.counters().total().dropped
    }
}
