//! The Raft lab tester's checks, in virtual time: `check_one_leader`, `check_terms`,
//! `check_no_leader`, `n_committed`, `wait`, and `start` (the service's `Start`).
use std::time::Duration;

use kv::KvService;
use raft::{Command, Consensus, LogIndex, Role, Status, Term};
use sim::NodeId;

use super::core::Cluster;
use crate::failure::{Check, Failure};
use crate::host::Host;
use crate::labels::label;

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// The status of a live server.
    pub fn status(&self, id: NodeId) -> Option<Status> {
        self.sim.node(id).and_then(Host::status)
    }

    /// Connected servers that claim to lead, with their terms.
    pub fn claimed_leaders(&self) -> Vec<(Term, NodeId)> {
        let mut leaders: Vec<(Term, NodeId)> = (self.servers.iter())
            .filter(|id| self.is_up(**id))
            .filter_map(|id| self.status(*id).map(|s| (s, *id)))
            .filter(|(s, _)| s.role == Role::Leader)
            .map(|(s, id)| (s.current_term, id))
            .collect();
        leaders.sort();
        leaders
    }

    /// The live server that leads in the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter_map(|&id| Some((id, self.sim.node(id)?.status()?)))
            .filter(|(_, status)| status.role == Role::Leader)
            .max_by_key(|(_, status)| status.current_term)
            .map(|(id, _)| id)
    }

    /// checkOneLeader: within ~5 s (10 pauses of U[450,550) ms) exactly one connected server
    /// leads the newest term that has a leader; returns it.
    pub fn check_one_leader(&mut self) -> Check<NodeId> {
        for _ in 0..10 {
            let pause =
                self.random_duration(Duration::from_millis(450), Duration::from_millis(550));
            self.sleep(pause)?;
            let leaders = self.claimed_leaders();
            for pair in leaders.windows(2) {
                if pair[0].0 == pair[1].0 {
                    return Err(Failure::assertion(format!(
                        "term {} has two leaders: {} and {}",
                        pair[0].0, pair[0].1, pair[1].1
                    )));
                }
            }
            if let Some(&(_, leader)) = leaders.last() {
                return Ok(leader);
            }
        }
        Err(Failure::liveness("expected one leader, got none (checkOneLeader, ~5 s)"))
    }

    /// checkTerms: every connected server is in the same term; returns it.
    pub fn check_terms(&mut self) -> Check<Term> {
        let mut term = None;
        for id in self.servers.clone() {
            if !self.is_up(id) {
                continue;
            }
            let Some(status) = self.status(id) else { continue };
            match term {
                None => term = Some(status.current_term),
                Some(t) if t != status.current_term => {
                    return Err(Failure::assertion(format!(
                        "servers disagree on the term: {} vs {id} in {}",
                        t, status.current_term
                    )))
                }
                Some(_) => {}
            }
        }
        term.ok_or_else(|| Failure::liveness("checkTerms: no server is up"))
    }

    /// checkNoLeader: no connected server thinks it leads.
    pub fn check_no_leader(&mut self) -> Check {
        match self.claimed_leaders().first() {
            Some((term, id)) => Err(Failure::assertion(format!(
                "{id} claims to lead term {term} but should have no quorum"
            ))),
            None => Ok(()),
        }
    }

    /// nCommitted: how many servers' records hold `index`, and the command there.
    pub fn n_committed(&self, index: LogIndex) -> (usize, Option<Command>) {
        let count = self.servers.iter().filter(|id| self.record.end(**id) >= index).count();
        let command = if count > 0 {
            self.invariants.applied().get(index).map(|e| e.command.clone())
        } else {
            None
        };
        (count, command)
    }

    /// The service's `Start(command)` on server `id`: `Some((index, term))` if it leads.
    pub fn start(&mut self, id: NodeId, command: Command) -> Check<Option<(LogIndex, Term)>> {
        let result = self.sim.with_node(id, |host, ctx| match host {
            Host::Raft(server) => Some(server.propose(ctx, command)),
            Host::Kv(_) | Host::Clerk(_) => None,
        });
        self.after_event(id)?;
        Ok(result.flatten().and_then(Result::ok))
    }

    /// wait: polls with backoff (10 ms doubling to 1 s, 30 tries) until `n` servers hold
    /// `index`. `Ok(None)` if some live server moved past `start_term` meanwhile.
    pub fn wait(
        &mut self,
        index: LogIndex,
        n: usize,
        start_term: Option<Term>,
    ) -> Check<Option<Command>> {
        let mut pause = Duration::from_millis(10);
        for _ in 0..30 {
            if self.n_committed(index).0 >= n {
                break;
            }
            self.sleep(pause)?;
            if pause < Duration::from_secs(1) {
                pause *= 2;
            }
            if let Some(term) = start_term {
                let moved = self.servers.iter().filter_map(|id| self.status(*id));
                if moved.into_iter().any(|s| s.current_term > term) {
                    return Ok(None);
                }
            }
        }
        let (count, command) = self.n_committed(index);
        if count < n {
            return Err(Failure::liveness(format!(
                "only {count} servers applied index {index}; wanted {n} (wait)"
            )));
        }
        Ok(command)
    }

    /// Asserts that no server has applied `index`.
    pub fn assert_not_committed(&self, index: LogIndex, why: &str) -> Check {
        match self.n_committed(index) {
            (0, _) => Ok(()),
            (n, command) => Err(Failure::assertion(format!(
                "{n} servers applied index {index} ({}) but {why}",
                command.as_ref().map_or("?".into(), label)
            ))),
        }
    }

    /// The highest raft-state size (`persister.RaftStateSize()`) over all servers.
    pub fn log_size(&self) -> usize {
        let sizes = self.servers.iter().filter_map(|id| self.sim.durable(*id));
        sizes.map(|d| d.raft.size_bytes()).max().unwrap_or(0)
    }
}
