//! The virtual-time event loop shared by the Raft tester and the KV tester: step the `Sim` one
//! event at a time, let the tester check what that event did, and stop at a time, a condition
//! or the scenario's budget. Each tester only says how to reach its `Sim` and what to check
//! after an event; stepping, deadlines and the budget failure live here once, so the two
//! testers cannot drift apart in how they spend virtual time.
use std::time::Duration;

use sim::{Node, NodeId, Sim, SimTime};

use crate::failure::{Check, Failure};

/// Every scenario must finish within this much virtual time.
pub const BUDGET: Duration = Duration::from_secs(120);

/// A tester that owns a `Sim` and checks the world after every event.
pub trait EventLoop: Sized {
    type Node: Node;

    /// The simulator, for reading the clock and the queue.
    fn event_sim(&self) -> &Sim<Self::Node>;

    /// The simulator, for stepping it.
    fn event_sim_mut(&mut self) -> &mut Sim<Self::Node>;

    /// Drains what the last event (at `node`) produced into the checks; an error stops the run.
    fn after_event(&mut self, node: NodeId) -> Check;

    /// Runs one pending event and checks it. The caller has seen that one is pending.
    fn step_and_check(&mut self) -> Check {
        let summary = self.event_sim_mut().step().expect("an event is pending");
        self.after_event(summary.node)
    }

    /// Runs every event up to `until`, checking after each one; asking for time past the
    /// budget runs up to the budget and then fails the scenario as a liveness failure.
    fn run_until(&mut self, until: SimTime) -> Check {
        let budget = SimTime::ZERO + BUDGET;
        let stop = until.min(budget);
        while self.event_sim_mut().peek_time().is_some_and(|t| t <= stop) {
            self.step_and_check()?;
        }
        self.event_sim_mut().run_until(stop);
        if until > budget {
            return Err(Failure::liveness(format!(
                "the scenario ran out of its {}s virtual-time budget",
                BUDGET.as_secs()
            )));
        }
        Ok(())
    }

    /// Lets `d` of virtual time pass (the lab's `time.Sleep`).
    fn sleep(&mut self, d: Duration) -> Check {
        let until = self.event_sim().now() + d;
        self.run_until(until)
    }

    /// Runs until `done` holds (checked before every event) or `within` passes, never past
    /// the budget; true if it held. Unlike `run_until`, reaching the deadline is not a failure:
    /// the caller decides what a condition that never held means.
    fn run_while_not(
        &mut self,
        within: Duration,
        mut done: impl FnMut(&Self) -> bool,
    ) -> Check<bool> {
        let deadline = (self.event_sim().now() + within).min(SimTime::ZERO + BUDGET);
        while !done(self) {
            match self.event_sim_mut().peek_time() {
                Some(t) if t <= deadline => self.step_and_check()?,
                _ => {
                    self.event_sim_mut().run_until(deadline);
                    return Ok(done(self));
                }
            }
        }
        Ok(true)
    }

    /// A goal the scenario must reach to count as a real test of its fault: narrated in the
    /// trace when reached, a vacuous-test failure when not.
    fn goal(&mut self, reached: bool, what: &str) -> Check {
        if reached {
            self.event_sim_mut().note(format!("goal reached: {what}"));
            Ok(())
        } else {
            Err(Failure::vacuous(format!("goal not reached: {what}")))
        }
    }
}
