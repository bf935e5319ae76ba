//! The cluster's virtual-time event loop: step the `Sim` one event at a time, feed what the
//! event produced to the invariant bundle, the applied record and the KV layer (whose clerks
//! may start their next operation in reaction), then look at the role of the node that acted;
//! and stop at a time, a condition or the scenario's budget.
use std::time::Duration;

use kv::KvService;
use raft::Consensus;
use sim::{NodeId, SimTime};

use super::core::Cluster;
use crate::failure::{Check, Failure};
use crate::host::Output;

/// Every scenario must finish within this much virtual time.
pub const BUDGET: Duration = Duration::from_secs(120);

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// Runs every event up to `until`, checking after each one; asking for time past the
    /// budget runs up to the budget and then fails the scenario as a liveness failure.
    pub fn run_until(&mut self, until: SimTime) -> Check {
        let budget = SimTime::ZERO + BUDGET;
        let stop = until.min(budget);
        while self.sim.peek_time().is_some_and(|t| t <= stop) {
            self.step_and_check()?;
        }
        self.sim.run_until(stop);
        if until > budget {
            return Err(Failure::liveness(format!(
                "the scenario ran out of its {}s virtual-time budget",
                BUDGET.as_secs()
            )));
        }
        Ok(())
    }

    /// Lets `d` of virtual time pass (the lab's `time.Sleep`).
    pub fn sleep(&mut self, d: Duration) -> Check {
        self.run_until(self.sim.now() + d)
    }

    /// Runs until `done` holds (checked before every event) or `within` passes, never past
    /// the budget; true if it held. Unlike `run_until`, reaching the deadline is not a failure:
    /// the caller decides what a condition that never held means.
    pub fn run_while_not(
        &mut self,
        within: Duration,
        mut done: impl FnMut(&Self) -> bool,
    ) -> Check<bool> {
        let deadline = (self.sim.now() + within).min(SimTime::ZERO + BUDGET);
        while !done(self) {
            match self.sim.peek_time() {
                Some(t) if t <= deadline => self.step_and_check()?,
                _ => {
                    self.sim.run_until(deadline);
                    return Ok(done(self));
                }
            }
        }
        Ok(true)
    }

    /// A goal the scenario must reach to count as a real test of its fault: narrated in the
    /// trace when reached, a vacuous-test failure when not.
    pub fn goal(&mut self, reached: bool, what: &str) -> Check {
        if reached {
            self.sim.note(format!("goal reached: {what}"));
            self.goals.push(what.to_string());
            Ok(())
        } else {
            Err(Failure::vacuous(format!("goal not reached: {what}")))
        }
    }

    /// Runs one pending event and checks it. The caller has seen that one is pending.
    fn step_and_check(&mut self) -> Check {
        if let Some(max) = self.max_events.filter(|max| self.sim.events_processed() >= *max) {
            return Err(Failure::runaway(format!("the run took more than {max} events")));
        }
        let summary = self.sim.step().expect("an event is pending");
        self.after_event(summary.node)
    }

    /// Drains what the last event (at `node`) produced, and what the operations it started in
    /// reaction produced, into the checks; then looks at `node`'s role.
    pub(crate) fn after_event(&mut self, node: NodeId) -> Check {
        // Reacting to an output (a clerk starting its next operation) can emit more, so drain
        // until the event and its reactions are quiet.
        loop {
            let mut outputs = std::mem::take(&mut self.outputs);
            outputs.extend(self.sim.drain_outputs());
            if outputs.is_empty() {
                self.outputs = outputs;
                break;
            }
            let result = outputs.drain(..).try_for_each(|(id, output)| self.absorb(id, output));
            self.outputs = outputs;
            result?;
        }
        if let Some(failure) = self.kv.pending_failure.take() {
            return Err(failure);
        }
        self.observe(node)
    }

    fn absorb(&mut self, node: NodeId, output: Output) -> Check {
        self.invariants.absorb(node, &output)?;
        match output {
            Output::Applied { entry, .. } => self.record.applied(node, entry.index),
            Output::SnapshotLoaded { snapshot } => {
                self.record.ingest_snapshot(node, snapshot.last_included_index);
                self.snapshots_loaded += 1;
            }
            Output::Called { client, seq, op } => {
                self.kv.history.called(client, seq, op, self.sim.now());
            }
            Output::Returned { client, seq, value } => {
                let now = self.sim.now();
                let Some(record) = self.kv.history.returned(client, seq, value, now).cloned()
                else {
                    return Err(Failure::contract(format!(
                        "clerk {client} completed #{seq}, which is not its open operation"
                    )));
                };
                self.on_returned(&record)?;
            }
            Output::LogWrite { .. } | Output::Violation(_) => {}
        }
        Ok(())
    }

    /// Election safety and leader completeness, when a server is first seen leading a term;
    /// and the server's role and term on the timeline, when one is recorded.
    fn observe(&mut self, node: NodeId) -> Check {
        let Some(host) = self.sim.node(node) else { return Ok(()) };
        let Some(status) = host.status() else { return Ok(()) };
        if let Some(roles) = &mut self.roles {
            let incarnation = self.sim.incarnation(node).unwrap_or(0);
            roles.sample(self.sim.now(), node, incarnation, &status);
        }
        self.invariants.observe_role(node, status, |index| host.log_term(index))
    }
}
