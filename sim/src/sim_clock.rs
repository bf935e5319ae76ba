//! The tester's side of per-node clocks: choosing the clock model, reading a node's clock,
//! and a per-node report of how far each clock has strayed.
use crate::clock::config::{ClockConfig, ClockConfigError};
use crate::clock::table::ClockSummary;
use crate::hash::fingerprint;
use crate::sim::Sim;
use crate::trace::{tag, TraceEvent};
use crate::{Node, NodeId, SimTime};

impl<N: Node> Sim<N> {
    /// Sets the nodes' clock model. Meant for before the first node is added or at time 0
    /// (`SimConfig::clocks` does the same at construction): each clock is then the pure
    /// function of (seed, node, config) that reads 0 at true time 0.
    ///
    /// Called later, every node switches to the clock the new config gives it as if it had
    /// always been in force: its reading steps to that clock's value at once, the jumps that
    /// clock took before now are not traced (they count in `clock_report`), and timers already
    /// pending keep the true due times they were given. Switching to a different config is
    /// traced (a `clocks: ...` note) and hashed; switching between perfect configs changes
    /// nothing at all, so a run with `ClockConfig::off()` hashes like one that never set it.
    pub fn set_clock_config(&mut self, config: ClockConfig) -> Result<(), ClockConfigError> {
        config.validate()?;
        let text = config.to_string();
        if self.world.set_clocks(config) {
            self.fold_action(tag::CLOCKS, &[fingerprint(&text)]);
            self.world.record(|| TraceEvent::Note { text });
        }
        Ok(())
    }

    /// The clock model in force, as last set.
    pub fn clock_config(&self) -> &ClockConfig {
        &self.world.clock_config
    }

    /// What `node`'s clock reads now: what `Ctx::now()` returns inside its callbacks. Clocks
    /// are machine clocks, so this holds for a node that is down as well. Local time never
    /// goes below zero: a backward jump near the start saturates at 0.
    pub fn local_time(&self, node: NodeId) -> SimTime {
        SimTime::from_nanos(self.world.local_now(node))
    }

    /// Every node's clock now (rate, offset from true time, jumps so far), by node id.
    /// Reading it traces nothing and changes nothing.
    pub fn clock_report(&self) -> Vec<ClockSummary> {
        let now = self.world.now;
        self.node_ids()
            .into_iter()
            .map(|node| match self.world.clocks.as_deref() {
                Some(clocks) => clocks.summary(node, now),
                None => ClockSummary { node, rate_ppm: 0, offset_nanos: 0, jumps: 0 },
            })
            .collect()
    }
}
