//! The scenario catalog (SCENARIOS.md sections A–G), by name. Each scenario is a story in the
//! lab's vocabulary with the same assertions and bounds, plus goals proving its faults
//! happened. One file per section; each exports `scenarios()`.
mod agree;
mod election;
mod kv;
mod lin;
mod persist;
mod snap;
mod swarm;
mod unreliable;

use raft::Consensus;

use crate::failure::Check;
use crate::kv::{KvSetup, KvTester};
use crate::runner::{drive, Options, Report};
use crate::tester::{Setup, Tester, ELECTION_TIMEOUT};

/// One named scenario, generic over the consensus implementation it tests.
pub struct Scenario<R: Consensus> {
    pub name: &'static str,
    /// One line: what it does and which lab test it mirrors.
    pub summary: &'static str,
    setup: fn() -> Setup,
    /// Swarm scenarios draw their cluster from the seed; when set, this replaces `setup`.
    seeded_setup: Option<fn(u64) -> Setup>,
    body: fn(&mut Tester<R>) -> Check,
    /// A KV-service story instead (sections F and G); when set, `setup` and `body` are unused.
    kv: Option<KvStory<R>>,
}

/// A KV scenario: how its KV cluster is built and the story to run on it.
struct KvStory<R: Consensus> {
    setup: fn() -> KvSetup,
    /// Swarm scenarios draw their cluster from the seed; when set, this replaces `setup`.
    seeded_setup: Option<fn(u64) -> KvSetup>,
    body: fn(&mut KvTester<R>) -> Check,
}

impl<R: Consensus> KvStory<R> {
    fn setup_for(&self, seed: u64) -> KvSetup {
        self.seeded_setup.map_or_else(self.setup, |draw| draw(seed))
    }
}

impl<R: Consensus> Scenario<R> {
    /// A Raft-cluster scenario: how the cluster is built and the story to run on it.
    pub const fn raft(
        name: &'static str,
        summary: &'static str,
        setup: fn() -> Setup,
        body: fn(&mut Tester<R>) -> Check,
    ) -> Scenario<R> {
        Scenario { name, summary, setup, seeded_setup: None, body, kv: None }
    }

    /// A Raft-cluster scenario whose cluster is drawn from the seed (swarm testing).
    pub const fn raft_seeded(
        name: &'static str,
        summary: &'static str,
        setup: fn(u64) -> Setup,
        body: fn(&mut Tester<R>) -> Check,
    ) -> Scenario<R> {
        let seeded_setup = Some(setup);
        Scenario { name, summary, setup: no_raft_setup, seeded_setup, body, kv: None }
    }

    /// A KV-service scenario whose cluster is drawn from the seed (swarm testing).
    pub const fn kv_seeded(
        name: &'static str,
        summary: &'static str,
        setup: fn(u64) -> KvSetup,
        body: fn(&mut KvTester<R>) -> Check,
    ) -> Scenario<R> {
        let kv = Some(KvStory { setup: no_kv_setup, seeded_setup: Some(setup), body });
        Scenario { name, summary, setup: no_raft_setup, seeded_setup: None, body: no_raft_body, kv }
    }

    /// The Raft cluster this scenario builds for `seed`.
    fn raft_setup(&self, seed: u64) -> Setup {
        self.seeded_setup.map_or_else(self.setup, |draw| draw(seed))
    }

    /// A KV-service scenario: how the KV cluster is built and the story to run on it.
    pub const fn kv(
        name: &'static str,
        summary: &'static str,
        setup: fn() -> KvSetup,
        body: fn(&mut KvTester<R>) -> Check,
    ) -> Scenario<R> {
        let kv = Some(KvStory { setup, seeded_setup: None, body });
        Scenario { name, summary, setup: no_raft_setup, seeded_setup: None, body: no_raft_body, kv }
    }

    /// True for the KV-service scenarios (sections F and G).
    pub fn is_kv(&self) -> bool {
        self.kv.is_some()
    }

    /// Runs a KV scenario with some of kv's mutation switches on (Raft ones come from
    /// `options`); a Raft scenario ignores `kv_bugs`. Also returns the checker's wall time.
    pub fn run_kv(
        &self,
        seed: u64,
        options: &Options,
        kv_bugs: ::kv::KvBugs,
        tail: usize,
    ) -> (Report, std::time::Duration) {
        match &self.kv {
            Some(story) => crate::kv::drive_kv(
                self.name,
                seed,
                options,
                kv_bugs,
                (story.setup_for(seed), story.body),
                tail,
                None,
            ),
            None => (self.run(seed, options, tail), std::time::Duration::ZERO),
        }
    }

    /// Runs the scenario for one seed; `tail` trace records go into a failure report.
    pub fn run(&self, seed: u64, options: &Options, tail: usize) -> Report {
        if self.kv.is_some() {
            return self.run_kv(seed, options, ::kv::KvBugs::none(), tail).0;
        }
        drive(self.name, seed, options, self.raft_setup(seed), tail, self.body, None)
    }

    /// A KV scenario's cluster and body for `seed` (`None` for a Raft scenario), for callers
    /// that drive it themselves (`tenrec run --html` keeps its history).
    pub fn kv_story(&self, seed: u64) -> Option<crate::kv::KvStoryParts<R>> {
        self.kv.as_ref().map(|story| (story.setup_for(seed), story.body))
    }

    /// As `run`, also writing every trace record as a JSON line to `writer`.
    pub fn run_with_trace(
        &self,
        seed: u64,
        options: &Options,
        tail: usize,
        writer: Box<dyn std::io::Write + Send>,
    ) -> Report {
        if let Some(story) = &self.kv {
            let kv = (story.setup_for(seed), story.body);
            let none = ::kv::KvBugs::none();
            return crate::kv::drive_kv(self.name, seed, options, none, kv, tail, Some(writer)).0;
        }
        drive(self.name, seed, options, self.raft_setup(seed), tail, self.body, Some(writer))
    }
}

/// Every scenario, in catalog order.
pub fn catalog<R: Consensus>() -> Vec<Scenario<R>> {
    let mut all = election::scenarios();
    all.extend(agree::scenarios());
    all.extend(persist::scenarios());
    all.extend(unreliable::scenarios());
    all.extend(snap::scenarios());
    all.extend(kv::scenarios());
    all.extend(lin::scenarios());
    all.extend(swarm::scenarios());
    all
}

/// The setup of a KV scenario's unused Raft half: never built, since `kv` is set.
fn no_raft_setup() -> Setup {
    Setup::raft(0)
}

/// The setup of a seeded KV scenario's unused fixed half: never built, `seeded_setup` is set.
fn no_kv_setup() -> KvSetup {
    KvSetup::reliable(0)
}

/// The body of a KV scenario's unused Raft half: never run, since `kv` is set.
fn no_raft_body<R: Consensus>(_: &mut Tester<R>) -> Check {
    Ok(())
}

/// The Figure 8 tests' pause between rounds (persist and unreliable): one time in ten up to
/// half an election timeout, long enough for a new election, else under 13 ms.
fn figure8_pause<R: Consensus>(t: &mut Tester<R>) -> Check {
    let pause = if t.fault_random(1000) < 100 {
        std::time::Duration::from_millis(t.fault_random(ELECTION_TIMEOUT.as_millis() as u64 / 2))
    } else {
        std::time::Duration::from_millis(t.fault_random(13))
    };
    t.sleep(pause)
}

/// The scenario called `name`.
pub fn find<R: Consensus>(name: &str) -> Option<Scenario<R>> {
    catalog().into_iter().find(|s| s.name == name)
}
