//! The KV tester's verbs: one operation at a time and waiting for clerks, full-cluster crash
//! and restart, partitions of servers and of clerks, and the measurements the lab asserts on
//! (Raft state size, snapshot size, InstallSnapshot deliveries, the current leader).
use std::time::Duration;

use kv::Op;
use raft::{Consensus, Role};
use sim::NodeId;

use super::linearize::check_history;
use super::node::KvNode;
use super::tester::KvTester;
use crate::failure::{Check, Failure};
use crate::host::KvServerHost;

impl<R: Consensus> KvTester<R> {
    /// Runs `op` on clerk `k` and waits up to `within` for it to return; returns what it read.
    pub fn run_op(&mut self, k: usize, op: Op, within: Duration) -> Check<String> {
        let what = format!("{op}");
        self.start_op(k, op)?;
        if !self.run_while_not(within, |t| !t.clerk_busy(k))? {
            return Err(Failure::liveness(format!(
                "clerk {} did not complete {what} within {} ms",
                self.clerks[k].client,
                within.as_millis()
            )));
        }
        let client = self.clerks[k].client;
        let record = self.kv_history.records().iter().rev().find(|r| r.client == client);
        Ok(record.and_then(|r| r.ret.as_ref()).map_or(String::new(), |(_, v)| v.clone()))
    }

    /// `Get(key)` on clerk `k` must read `expected` (the lab's `check`).
    pub fn check_get(&mut self, k: usize, key: &str, expected: &str) -> Check {
        let value = self.run_op(k, Op::Get { key: key.into() }, Duration::from_secs(10))?;
        if value != expected {
            return Err(Failure::not_linearizable(format!(
                "Get({key:?}) read {value:?}, expected {expected:?}"
            )));
        }
        Ok(())
    }

    /// Waits up to `within` for every clerk to finish its current operation.
    pub fn wait_clients(&mut self, within: Duration) -> Check {
        if !self.run_while_not(within, |t| t.open_ops() == 0)? {
            return Err(Failure::liveness(format!(
                "{} operations still open {} ms after the clients were told to stop",
                self.open_ops(),
                within.as_millis()
            )));
        }
        Ok(())
    }

    /// Crashes every server (the lab's ShutdownServer on all): delivery stops at once, only
    /// what each persisted survives. Returns how many clerk operations were open then.
    pub fn crash_all(&mut self) -> usize {
        let open = self.open_ops();
        self.note(format!("crash every server with {open} operations open"));
        for id in self.servers.clone() {
            self.sim.crash(id);
            self.forget_incarnation(id);
        }
        open
    }

    /// Restarts every server from what it persisted, connected.
    pub fn restart_all(&mut self) -> Check {
        for id in self.servers.clone() {
            let config = self.config_for(id);
            self.sim.restart(id, |disk| KvNode::Server(KvServerHost::new(config, disk)));
            self.after_event(id)?;
        }
        self.sim.heal();
        Ok(())
    }

    /// Crashes one server: delivery stops at once, only what it persisted survives.
    pub fn crash_server(&mut self, id: NodeId) {
        self.sim.crash(id);
        self.forget_incarnation(id);
    }

    /// Restarts one crashed server from what it persisted (connected).
    pub fn restart_server(&mut self, id: NodeId) -> Check {
        let config = self.config_for(id);
        self.sim.restart(id, |disk| KvNode::Server(KvServerHost::new(config, disk)));
        self.after_event(id)
    }

    pub fn is_alive(&self, id: NodeId) -> bool {
        self.sim.is_alive(id)
    }

    /// Splits the servers into `groups`; clerks keep their links to every server.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) {
        self.sim.partition(groups);
    }

    /// A random 2-way split of the servers (the lab's partitioner); returns the two groups.
    pub fn random_partition(&mut self) -> [Vec<NodeId>; 2] {
        let mut groups = [Vec::new(), Vec::new()];
        for id in self.servers.clone() {
            let side = sim::rand::Rng::gen_range(&mut self.faults, 0..2usize);
            groups[side].push(id);
        }
        self.sim.partition(&groups);
        groups
    }

    /// Every link up, every node connected.
    pub fn heal(&mut self) {
        self.sim.heal();
    }

    /// One direction of one link (one-way cuts and bridges for swarm testing).
    pub fn set_link(&mut self, from: NodeId, to: NodeId, up: bool) {
        self.sim.set_link(from, to, up);
    }

    pub fn set_net(&mut self, net: sim::NetConfig) {
        self.sim.set_net_config(net);
    }

    /// Lets clerk `k` reach only `servers` (both directions), as the lab's per-clerk ends.
    pub fn connect_clerk_to(&mut self, k: usize, servers: &[NodeId]) {
        let clerk = self.clerks[k].id;
        for id in self.servers.clone() {
            let up = servers.contains(&id);
            self.sim.set_link(clerk, id, up);
            self.sim.set_link(id, clerk, up);
        }
    }

    /// A random duration in `[lo, hi)` from the tester's timing stream.
    pub fn random_duration(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = hi.saturating_sub(lo).as_nanos() as u64;
        lo + Duration::from_nanos(sim::rand::Rng::gen_range(&mut self.timing, 0..span.max(1)))
    }

    /// The live server that leads in the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter_map(|&id| Some((id, self.sim.node(id)?.consensus()?.status())))
            .filter(|(_, status)| status.role == Role::Leader)
            .max_by_key(|(_, status)| status.current_term)
            .map(|(id, _)| id)
    }

    /// The largest persisted Raft state (bytes, as the lab's RaftStateSize).
    pub fn max_raft_state_size(&self) -> usize {
        self.servers
            .iter()
            .filter_map(|&id| self.sim.durable(id))
            .map(|disk| disk.raft.size_bytes())
            .max()
            .unwrap_or(0)
    }

    /// The largest persisted snapshot (bytes of service data).
    pub fn max_snapshot_size(&self) -> usize {
        self.servers
            .iter()
            .filter_map(|&id| self.sim.durable(id))
            .filter_map(|disk| disk.raft.snapshot.as_ref().map(|s| s.data.len()))
            .max()
            .unwrap_or(0)
    }

    /// The configured snapshot threshold (maxraftstate).
    pub fn max_raft_state(&self) -> Option<usize> {
        self.setup.max_raft_state
    }

    /// Messages the network dropped so far (lost at random, or cut by a partition or crash).
    pub fn lost_messages(&self) -> u64 {
        self.sim.counters().total().dropped
    }

    /// InstallSnapshot RPCs delivered so far.
    pub fn snapshots_installed(&self) -> u64 {
        self.sim.counters().kind("Snap").delivered
    }

    /// The lab's size assertions after a phase: with snapshots, Raft state ≤ 8×maxraftstate;
    /// without, nothing was ever snapshotted.
    pub fn check_sizes(&mut self) -> Check {
        match self.setup.max_raft_state {
            Some(max) => {
                let size = self.max_raft_state_size();
                if size > 8 * max {
                    return Err(Failure::assertion(format!(
                        "Raft state is {size} bytes, more than 8 × maxraftstate {max}"
                    )));
                }
            }
            None if self.max_snapshot_size() > 0 => {
                return Err(Failure::assertion(
                    "a snapshot was persisted although maxraftstate is -1",
                ));
            }
            None => {}
        }
        Ok(())
    }

    /// The end of every KV scenario: the whole history checked for linearizability.
    pub fn check_linearizable(&mut self) -> Check {
        let (verdict, elapsed) = check_history(&self.kv_history);
        self.check_time += elapsed;
        let ops = self.kv_history.records().len();
        self.note(format!("linearizability check of {ops} operations: {verdict:?}"));
        verdict
    }
}
