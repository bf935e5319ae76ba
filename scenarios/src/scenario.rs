//! One named scenario: how its cluster is built (fixed, or drawn from the seed for swarm
//! testing) and its story, one signature for Raft-only and KV stories alike, and the one entry
//! point that runs it.
use kv::{KvServer, KvService};
use raft::Consensus;

use crate::cluster::{Cluster, Setup};
use crate::failure::Check;
use crate::report::Report;
use crate::run::{run_story, Run};

/// How a scenario's cluster is built.
#[derive(Clone, Copy)]
enum SetupFn {
    Fixed(fn() -> Setup),
    /// Swarm scenarios draw their cluster from the seed.
    Seeded(fn(u64) -> Setup),
}

/// One named scenario, generic over the consensus implementation (and KV service) it tests.
pub struct Scenario<R: Consensus, K: KvService = KvServer<R>> {
    pub name: &'static str,
    /// One line: what it does and which lab test it mirrors.
    pub summary: &'static str,
    setup: SetupFn,
    body: fn(&mut Cluster<R, K>) -> Check,
}

impl<R: Consensus, K: KvService> Scenario<R, K> {
    /// A scenario on a fixed cluster.
    pub const fn new(
        name: &'static str,
        summary: &'static str,
        setup: fn() -> Setup,
        body: fn(&mut Cluster<R, K>) -> Check,
    ) -> Scenario<R, K> {
        Scenario { name, summary, setup: SetupFn::Fixed(setup), body }
    }

    /// A scenario whose cluster is drawn from the seed (swarm testing).
    pub const fn seeded(
        name: &'static str,
        summary: &'static str,
        setup: fn(u64) -> Setup,
        body: fn(&mut Cluster<R, K>) -> Check,
    ) -> Scenario<R, K> {
        Scenario { name, summary, setup: SetupFn::Seeded(setup), body }
    }

    /// The cluster this scenario builds for `seed`.
    pub fn setup(&self, seed: u64) -> Setup {
        match self.setup {
            SetupFn::Fixed(setup) => setup(),
            SetupFn::Seeded(draw) => draw(seed),
        }
    }

    /// True for the KV-service scenarios (sections F and G, swarm.kv).
    pub fn is_kv(&self) -> bool {
        self.setup(0).is_kv()
    }

    /// Runs the scenario: `scenario.run(Run::new(seed))`, with options, a trace file or the
    /// history kept as the `Run` says.
    pub fn run(&self, run: Run) -> Report {
        run_story(self.name, self.setup(run.seed), self.body, run)
    }
}
