//! The KV layer's verbs on a cluster: one operation at a time and waiting for clerks,
//! full-cluster crash and restart, a clerk's own links, the measurements the lab asserts on
//! (snapshot size, InstallSnapshot deliveries, the current leader, a server's applied index)
//! and the final checks: linearizability, or for follower reads its absence and sequential
//! consistency. Faults on single servers are the cluster's own verbs.
use std::time::Duration;

use kv::{KvService, Op};
use raft::{Consensus, LogIndex};
use sim::NodeId;

use super::layer::CheckCost;
use super::linearize::check_history;
use super::sequential::check_sequential_history;
use crate::cluster::Cluster;
use crate::failure::{Broke, Check, Failure};
use crate::host::Host;

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// Runs `op` on clerk `k` and waits up to `within` for it to return; returns what it read.
    pub fn run_op(&mut self, k: usize, op: Op, within: Duration) -> Check<String> {
        let what = format!("{op}");
        self.start_op(k, op)?;
        if !self.run_while_not(within, |t| !t.clerk_busy(k))? {
            return Err(Failure::liveness(format!(
                "clerk {} did not complete {what} within {} ms",
                self.kv.clerks[k].client,
                within.as_millis()
            )));
        }
        let client = self.kv.clerks[k].client;
        let record = self.kv.history.records().iter().rev().find(|r| r.client == client);
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
            self.crash(id);
        }
        open
    }

    /// Restarts every server from what it persisted, and heals the network.
    pub fn restart_all(&mut self) -> Check {
        for id in self.servers.clone() {
            self.restart(id)?;
        }
        self.heal();
        Ok(())
    }

    /// Lets clerk `k` reach only `servers` (both directions), as the lab's per-clerk ends.
    pub fn connect_clerk_to(&mut self, k: usize, servers: &[NodeId]) {
        let clerk = self.kv.clerks[k].id;
        for id in self.servers.clone() {
            let up = servers.contains(&id);
            self.sim.set_link(clerk, id, up);
            self.sim.set_link(id, clerk, up);
        }
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
        self.setup.max_raft_state()
    }

    /// InstallSnapshot RPCs delivered so far.
    pub fn snapshots_installed(&self) -> u64 {
        self.sim.counters().kind("Snap").delivered
    }

    /// The lab's size assertions after a phase: with snapshots, Raft state ≤ 8×maxraftstate;
    /// without, nothing was ever snapshotted.
    pub fn check_sizes(&mut self) -> Check {
        match self.setup.max_raft_state() {
            Some(max) => {
                let size = self.log_size();
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
        let (verdict, cost) = check_history(&self.kv.history, self.kv.explain);
        self.add_cost(cost);
        let ops = self.kv.history.records().len();
        let outcome = match &verdict {
            Ok(()) => "linearizable".to_string(),
            Err(failure) => failure.broke.to_string(),
        };
        self.note(format!("linearizability check of {ops} operations: {outcome}"));
        verdict
    }

    /// The opposite check, for a story whose reads are meant to be stale (follower reads): the
    /// linearizability checker must find the history NOT linearizable. The verdict is noted
    /// in the report either way; an undecided check fails as undecided.
    pub fn check_not_linearizable(&mut self) -> Check {
        // Unexplained: the violation is the story's point, its minimal sub-history is not.
        let (verdict, cost) = check_history(&self.kv.history, false);
        self.add_cost(cost);
        let ops = self.kv.history.records().len();
        let found = match verdict {
            Ok(()) => "linearizable",
            Err(failure) if failure.broke == Broke::NotLinearizable => "not linearizable",
            Err(failure) => return Err(failure),
        };
        self.note(format!("linearizability check of {ops} operations: {found} (expected not)"));
        if found == "linearizable" {
            return Err(Failure::assertion(format!(
                "the checker linearized all {ops} operations, although a read returned a value \
                 older than a write that had already completed"
            )));
        }
        Ok(())
    }

    /// The whole history checked for sequential consistency (what follower reads promise),
    /// every key in one order; the verdict is noted in the report.
    pub fn check_sequential(&mut self) -> Check {
        let (verdict, cost) = check_sequential_history(&self.kv.history);
        self.add_cost(cost);
        let ops = self.kv.history.records().len();
        let outcome = match &verdict {
            Ok(()) => "sequentially consistent".to_string(),
            Err(failure) if failure.broke == Broke::NotLinearizable => {
                "not sequentially consistent".to_string()
            }
            Err(failure) => failure.broke.to_string(),
        };
        self.note(format!("sequential consistency check of {ops} operations: {outcome}"));
        verdict
    }

    fn add_cost(&mut self, cost: CheckCost) {
        self.kv.cost.steps += cost.steps;
        self.kv.cost.fast_path_keys += cost.fast_path_keys;
        self.kv.cost.time += cost.time;
    }

    /// The last log index server `id` has applied (zero if it is down or runs no KV service).
    pub fn applied_index(&self, id: NodeId) -> LogIndex {
        match self.sim.node(id) {
            Some(Host::Kv(host)) => host.service().applied_index(),
            _ => LogIndex::ZERO,
        }
    }
}
