//! The lab's GenericTest in virtual time: clients run for a phase while a partitioner splits
//! the servers; at the end of each phase the clients are told to stop, the whole cluster may be
//! crashed and restarted while they are mid-operation, and once every client finished, each
//! client's key is read back and checked (appends exactly once and in order), and so are the
//! Raft state and snapshot sizes. Every run ends with the linearizability check.
use std::time::Duration;

use kv::{KvService, Op};
use raft::Consensus;

use super::appends::check_appends;
use super::layer::Plan;
use crate::cluster::{Cluster, ELECTION_TIMEOUT};
use crate::failure::{Check, Failure};

/// The GenericTest knobs (the network and maxraftstate are in the cluster's `Setup`).
#[derive(Clone, Copy, Debug)]
pub struct Generic {
    pub clients: usize,
    /// Crash and restart every server at the end of each phase.
    pub crash: bool,
    /// Run the partitioner during each phase.
    pub partitions: bool,
    /// Clients use random keys (the linearizability tests) instead of one key each.
    pub random_keys: bool,
    pub phases: usize,
    /// How long the clients run in each phase (1 s in the 2025+ lab).
    pub phase: Duration,
}

impl Generic {
    pub const fn new(clients: usize) -> Generic {
        Generic {
            clients,
            crash: false,
            partitions: false,
            random_keys: false,
            phases: 3,
            phase: Duration::from_secs(1),
        }
    }

    pub const fn crash(mut self) -> Generic {
        self.crash = true;
        self
    }

    /// The partitioner repartitions every 1–1.2 s, so partitioned phases run 3 s to see a few.
    pub const fn partitions(mut self) -> Generic {
        self.partitions = true;
        self.phase = Duration::from_secs(3);
        self
    }

    pub const fn random_keys(mut self) -> Generic {
        self.random_keys = true;
        self
    }

    /// Runs the test on `t`, which must have no clerks yet.
    pub fn run<R: Consensus, K: KvService>(&self, t: &mut Cluster<R, K>) -> Check {
        let keys = self.clients as u64;
        for k in 0..self.clients {
            let plan = if self.random_keys {
                Plan::RandomKeys { keys }
            } else {
                Plan::OwnKey { key: k.to_string() }
            };
            t.add_clerk(plan);
        }
        let checker = t.add_clerk(Plan::Manual);
        let mut reached = Reached::default();
        for phase in 0..self.phases {
            t.note(format!("phase {phase}"));
            t.start_clients()?;
            self.run_phase(t, &mut reached)?;
            t.stop_clients();
            if self.partitions {
                t.heal();
            }
            if self.crash {
                reached.open_at_crash += t.crash_all();
                t.sleep(ELECTION_TIMEOUT)?;
                t.restart_all()?;
            }
            t.wait_clients(Duration::from_secs(30))?;
            if !self.random_keys {
                check_phase_appends(t, checker, self.clients)?;
            }
            t.check_sizes()?;
        }
        let ops: u64 = (0..self.clients).map(|k| t.clerk(k).completed).sum();
        t.goal(ops >= self.clients as u64, "every client completed operations")?;
        if self.crash {
            let open = reached.open_at_crash;
            t.goal(open > 0, "a full restart happened while operations were open")?;
        }
        if self.partitions {
            let cuts = reached.cuts_with_open_ops;
            t.goal(cuts > 0, "a partition split the servers while operations were open")?;
        }
        if t.setup().max_raft_state().is_some() {
            t.goal(t.max_snapshot_size() > 0, "a snapshot was taken")?;
        }
        t.check_linearizable()
    }

    /// One phase of client traffic, with the partitioner if asked for.
    fn run_phase<R: Consensus, K: KvService>(
        &self,
        t: &mut Cluster<R, K>,
        reached: &mut Reached,
    ) -> Check {
        let end = t.now() + self.phase;
        if !self.partitions {
            return t.run_until(end);
        }
        while t.now() < end {
            let [a, b] = t.random_partition();
            if !a.is_empty() && !b.is_empty() && t.open_ops() > 0 {
                reached.cuts_with_open_ops += 1;
            }
            let wait = t.random_duration(Duration::from_millis(1000), Duration::from_millis(1200));
            t.run_until((t.now() + wait).min(end))?;
        }
        Ok(())
    }
}

/// Evidence that the phase's faults hit running clients.
#[derive(Default)]
struct Reached {
    open_at_crash: usize,
    cuts_with_open_ops: usize,
}

/// checkClntAppends for every client: its key, read through the checking clerk, holds each
/// of its completed appends exactly once and in order (and the value its own reads expect).
fn check_phase_appends<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    checker: usize,
    clients: usize,
) -> Check {
    for k in 0..clients {
        let key = k.to_string();
        let value = t.run_op(checker, Op::Get { key: key.clone() }, Duration::from_secs(10))?;
        let slot = t.clerk(k);
        let made = slot.appends.get(&key).cloned().unwrap_or_default();
        let completed: Vec<u64> = made.iter().filter(|(_, done)| *done).map(|(j, _)| *j).collect();
        let open: Vec<u64> = made.iter().filter(|(_, done)| !*done).map(|(j, _)| *j).collect();
        check_appends(&key, &value, slot.client.0, &completed, &open)
            .map_err(Failure::not_linearizable)?;
        let expected = slot.model.get(&key).map_or("", String::as_str);
        if value != expected {
            return Err(Failure::not_linearizable(format!(
                "key {key:?} reads {value:?} but client {}'s writes made it {expected:?}",
                slot.client
            )));
        }
    }
    Ok(())
}
