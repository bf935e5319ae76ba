//! The scenario catalog (SCENARIOS.md sections A–E), by name. Each scenario is a story in the
//! lab's vocabulary with the same assertions and bounds, plus goals proving its faults
//! happened. One file per section; each exports `scenarios()`.
mod agree;
mod election;
mod persist;
mod snap;
mod unreliable;

use raft::Consensus;

use crate::failure::Check;
use crate::runner::{drive, Options, Report};
use crate::tester::{Setup, Tester};

/// One named scenario, generic over the consensus implementation it tests.
pub struct Scenario<R: Consensus> {
    pub name: &'static str,
    /// One line: what it does and which lab test it mirrors.
    pub summary: &'static str,
    setup: fn() -> Setup,
    body: fn(&mut Tester<R>) -> Check,
}

impl<R: Consensus> Scenario<R> {
    /// A Raft-cluster scenario: how the cluster is built and the story to run on it.
    pub const fn raft(
        name: &'static str,
        summary: &'static str,
        setup: fn() -> Setup,
        body: fn(&mut Tester<R>) -> Check,
    ) -> Scenario<R> {
        Scenario { name, summary, setup, body }
    }

    /// Runs the scenario for one seed; `tail` trace records go into a failure report.
    pub fn run(&self, seed: u64, options: &Options, tail: usize) -> Report {
        drive(self.name, seed, options, (self.setup)(), tail, self.body, None)
    }

    /// As `run`, also writing every trace record as a JSON line to `writer`.
    pub fn run_with_trace(
        &self,
        seed: u64,
        options: &Options,
        tail: usize,
        writer: Box<dyn std::io::Write + Send>,
    ) -> Report {
        drive(self.name, seed, options, (self.setup)(), tail, self.body, Some(writer))
    }
}

/// Every scenario, in catalog order.
pub fn catalog<R: Consensus>() -> Vec<Scenario<R>> {
    let mut all = election::scenarios();
    all.extend(agree::scenarios());
    all.extend(persist::scenarios());
    all.extend(unreliable::scenarios());
    all.extend(snap::scenarios());
    all
}

/// The scenario called `name`.
pub fn find<R: Consensus>(name: &str) -> Option<Scenario<R>> {
    catalog().into_iter().find(|s| s.name == name)
}
