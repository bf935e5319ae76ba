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

/// A scenario being registered: its name and summary so far.
///
/// ```
/// use scenarios::{Scenario, Setup};
/// # fn quiet(t: &mut scenarios::Cluster<raft::RaftNode>) -> scenarios::Check { t.sleep(std::time::Duration::from_secs(1)) }
/// let scenario: Scenario<raft::RaftNode> = Scenario::named("election.quiet")
///     .summary("three servers, one quiet second")
///     .on(|| Setup::raft(3))
///     .story(quiet);
/// assert!(scenario.run(scenarios::Run::new(1)).passed());
/// ```
pub struct Named {
    name: &'static str,
    summary: &'static str,
}

/// A scenario with its cluster chosen, waiting for its story.
pub struct Staged {
    name: &'static str,
    summary: &'static str,
    setup: SetupFn,
}

impl Named {
    /// One line: what the scenario does and which lab test it mirrors.
    pub const fn summary(self, summary: &'static str) -> Named {
        Named { summary, ..self }
    }

    /// A fixed cluster.
    pub const fn on(self, setup: fn() -> Setup) -> Staged {
        Staged { name: self.name, summary: self.summary, setup: SetupFn::Fixed(setup) }
    }

    /// A cluster drawn from the seed (swarm testing).
    pub const fn drawn(self, setup: fn(u64) -> Setup) -> Staged {
        Staged { name: self.name, summary: self.summary, setup: SetupFn::Seeded(setup) }
    }
}

impl Staged {
    /// The story the scenario runs on its cluster.
    pub const fn story<R: Consensus, K: KvService>(
        self,
        body: fn(&mut Cluster<R, K>) -> Check,
    ) -> Scenario<R, K> {
        Scenario { name: self.name, summary: self.summary, setup: self.setup, body }
    }
}

// On one concrete type only so that `Scenario::named` needs no type arguments: the story,
// given last, decides which implementations the scenario runs.
impl Scenario<raft::RaftNode> {
    /// Starts registering a scenario called `name` (a dotted `section.story` name).
    pub const fn named(name: &'static str) -> Named {
        Named { name, summary: "" }
    }
}

impl<R: Consensus, K: KvService> Scenario<R, K> {
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
