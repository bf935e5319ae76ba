//! The world's side of per-node clocks: moving a node's clock to `now` (tracing and hashing
//! the jumps it passes), reading it, and turning a timer's local delay into a true due time.
//! With perfect clocks (`World::clocks` is `None`) each of these is one branch.
use crate::clock::config::ClockConfig;
use crate::clock::table::Clocks;
use crate::trace::{tag, TraceEvent};
use crate::world::{NodeTypes, World};
use crate::{NodeId, SimTime};

impl<N: NodeTypes> World<N> {
    /// Moves `node`'s clock to `now`, tracing (and hashing) each step jump it passes. Called
    /// before every callback of the node, so jumps are recorded at the node's next event.
    #[inline]
    pub fn observe_clock(&mut self, node: NodeId) {
        let Some(clocks) = self.clocks.as_deref_mut() else {
            return;
        };
        let now = self.now;
        let trace = &mut self.trace;
        clocks.advance(node, now, |jump| {
            trace.fold(&[tag::CLOCK_JUMP, now, u64::from(node.0), jump.by as u64, jump.at]);
            if trace.recording() {
                let event = TraceEvent::ClockJump {
                    node,
                    by_nanos: jump.by,
                    at: SimTime::from_nanos(jump.at),
                };
                trace.record(SimTime::from_nanos(now), event);
            }
        });
    }

    /// What `node`'s clock reads now (true time when clocks are perfect).
    #[inline]
    pub fn local_now(&self, node: NodeId) -> u64 {
        match self.clocks.as_deref() {
            None => self.now,
            Some(clocks) => clocks.reading(node, self.now),
        }
    }

    /// The true time at which `node`'s clock will have advanced by `after` nanoseconds from its
    /// reading now (`now + after`, saturating, when clocks are perfect).
    #[inline]
    pub fn timer_due(&mut self, node: NodeId, after: u64) -> u64 {
        if self.clocks.is_none() {
            return self.now.saturating_add(after);
        }
        self.observe_clock(node);
        let clocks = self.clocks.as_deref_mut().expect("clocks checked above");
        clocks.advance(node, self.now, |_| {}).due(self.now, after)
    }

    /// Switches every node to the clocks of `config` (none when it is perfect), each moved to
    /// now without tracing the jumps before it. Returns whether the nodes' clocks changed (one
    /// perfect configuration for another changes nothing).
    pub fn set_clocks(&mut self, config: ClockConfig) -> bool {
        let same =
            self.clock_config == config || (self.clock_config.is_perfect() && config.is_perfect());
        self.clock_config = config.clone();
        if same {
            return false;
        }
        self.clocks = if config.is_perfect() {
            None
        } else {
            let mut clocks = Clocks::new(self.seed, config);
            for id in 0..self.slots.len() {
                if self.slots[id].is_some() {
                    clocks.advance(NodeId(id as u32), self.now, |_| {});
                }
            }
            Some(Box::new(clocks))
        };
        true
    }
}
