//! The mutant list: one row per mutation switch of raft (`Bugs`) and kv (`KvBugs`), derived from
//! the switches' own declarations (name, what it breaks, the rule it violates), plus the one
//! thing only the zoo knows: the kind of check expected to catch it.
//!
//! The list is built at compile time, so a switch added to either crate without a row in
//! [`EXPECTED`] stops the build instead of silently never running in the zoo.
use kv::KvBugs;
use raft::{Bugs, Switch};

use crate::run::Options;

/// Which crate holds the switch, and so which part of the suite runs against it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Raft,
    Kv,
}

/// The kind of check expected to catch a mutant (the report shows what actually did).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// A cluster invariant (election safety, leader completeness, in-order apply, ...).
    Invariant,
    /// The host's `Ready` contract (persist before send).
    Contract,
    /// The clients' history is not linearizable (or breaks the append checks).
    Linearizability,
    /// Progress stops: no leader or no commit within the bound.
    Liveness,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Invariant => "invariant",
            Check::Contract => "contract",
            Check::Linearizability => "linearizability",
            Check::Liveness => "liveness",
        }
    }
}

/// The zoo's expectation for every switch of both crates, keyed by switch name: the kind of
/// check that should catch it. Adding a switch means adding its row here.
pub const EXPECTED: [(&str, Check); RAFT + KV] = [
    ("vote_without_up_to_date_check", Check::Invariant),
    ("commit_previous_term_by_counting", Check::Invariant),
    // The host checks what a node persists before it sends, so a forgotten field is caught
    // there, before any invariant has a chance to break.
    ("forget_voted_for", Check::Contract),
    ("forget_current_term", Check::Contract),
    ("accept_stale_vote_replies", Check::Invariant),
    ("truncate_on_any_append", Check::Invariant),
    ("no_step_down_on_higher_term", Check::Invariant),
    ("no_timer_reset_on_vote", Check::Liveness),
    ("skip_apply_after_snapshot", Check::Invariant),
    ("block_on_slow_peer", Check::Liveness),
    ("read_index_without_term_commit", Check::Linearizability),
    ("read_index_without_heartbeat_round", Check::Linearizability),
    ("lease_without_drift_margin", Check::Linearizability),
    ("no_duplicate_detection", Check::Linearizability),
    ("reply_before_commit", Check::Linearizability),
    ("get_without_log_on_leader", Check::Linearizability),
    ("get_without_log_anywhere", Check::Linearizability),
    ("snapshot_without_sessions", Check::Linearizability),
    ("reply_without_checking_command", Check::Linearizability),
    ("follower_reads_as_linearizable", Check::Linearizability),
];

/// One deliberate bug.
#[derive(Clone, Copy, Debug)]
pub struct Mutant {
    /// The switch's name, as `--bug` takes it.
    pub name: &'static str,
    pub layer: Layer,
    /// One sentence: what goes wrong.
    pub breaks: &'static str,
    /// The rule the switch violates.
    pub rule: &'static str,
    pub expected: Check,
    /// The sections of the catalog that run against it: its own layer's, except for the Raft
    /// switches in [`READ_SWITCHES`], which only a service's reads reach.
    pub suite: Layer,
}

/// Raft switches that break how a leader serves reads (ReadIndex, leases): the Raft sections
/// never read, so the KV sections run against them.
pub const READ_SWITCHES: [&str; 3] = [
    "read_index_without_term_commit",
    "read_index_without_heartbeat_round",
    "lease_without_drift_margin",
];

impl Mutant {
    /// The run options that turn this mutant on, and nothing else.
    pub fn options(&self) -> Options {
        match self.layer {
            Layer::Raft => {
                let bugs = Bugs::only(self.name).expect("every raft mutant names a Bugs switch");
                Options { bugs, ..Options::default() }
            }
            Layer::Kv => {
                let kv_bugs =
                    KvBugs::only(self.name).expect("every kv mutant names a KvBugs switch");
                Options { kv_bugs, ..Options::default() }
            }
        }
    }

    pub fn crate_name(&self) -> &'static str {
        match self.layer {
            Layer::Raft => "raft",
            Layer::Kv => "kv",
        }
    }
}

const RAFT: usize = Bugs::SWITCHES.len();
const KV: usize = KvBugs::SWITCHES.len();

/// Every mutant of the zoo, Raft first, each crate's in declaration order.
pub const MUTANTS: [Mutant; RAFT + KV] = all_mutants();

const fn all_mutants() -> [Mutant; RAFT + KV] {
    let blank = Mutant {
        name: "",
        layer: Layer::Raft,
        breaks: "",
        rule: "",
        expected: Check::Invariant,
        suite: Layer::Raft,
    };
    let mut all = [blank; RAFT + KV];
    let mut k = 0;
    while k < RAFT {
        all[k] = mutant(Layer::Raft, &Bugs::SWITCHES[k]);
        k += 1;
    }
    while k < RAFT + KV {
        all[k] = mutant(Layer::Kv, &KvBugs::SWITCHES[k - RAFT]);
        k += 1;
    }
    all
}

const fn mutant(layer: Layer, switch: &Switch) -> Mutant {
    let name = switch.name;
    let suite = if is_read_switch(name) { Layer::Kv } else { layer };
    Mutant {
        name,
        layer,
        breaks: switch.breaks,
        rule: switch.rule,
        expected: expected(name),
        suite,
    }
}

const fn is_read_switch(name: &str) -> bool {
    let mut k = 0;
    while k < READ_SWITCHES.len() {
        if same(READ_SWITCHES[k], name) {
            return true;
        }
        k += 1;
    }
    false
}

/// The row of [`EXPECTED`] for `name`. Evaluated at compile time, so a switch without a row
/// is a build error naming the problem rather than a mutant the zoo never runs.
const fn expected(name: &str) -> Check {
    let mut k = 0;
    while k < EXPECTED.len() {
        if same(EXPECTED[k].0, name) {
            return EXPECTED[k].1;
        }
        k += 1;
    }
    panic!("a mutation switch has no zoo expectation: add its row to EXPECTED")
}

/// String equality usable in a `const fn` (`==` on `str` is not).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut k = 0;
    while k < a.len() {
        if a[k] != b[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The mutant called `name`.
pub fn find(name: &str) -> Option<&'static Mutant> {
    MUTANTS.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_switch_has_exactly_one_expectation_and_none_is_unknown() {
        let switches: Vec<&str> = Bugs::NAMES.iter().chain(&KvBugs::NAMES).copied().collect();
        for name in &switches {
            let rows = EXPECTED.iter().filter(|(n, _)| n == name).count();
            assert_eq!(rows, 1, "{name} has {rows} zoo expectations");
        }
        for (name, _) in EXPECTED {
            assert!(switches.contains(&name), "the zoo expects `{name}`, which is no switch");
        }
    }

    #[test]
    fn the_list_is_the_declarations_in_order() {
        let switches = Bugs::SWITCHES.iter().map(|s| (Layer::Raft, s));
        let switches = switches.chain(KvBugs::SWITCHES.iter().map(|s| (Layer::Kv, s)));
        let expected: Vec<(&str, Layer, &str, &str)> =
            switches.map(|(layer, s)| (s.name, layer, s.breaks, s.rule)).collect();
        let listed: Vec<(&str, Layer, &str, &str)> =
            MUTANTS.iter().map(|m| (m.name, m.layer, m.breaks, m.rule)).collect();
        assert_eq!(listed, expected);
        assert_eq!(find("forget_voted_for").map(|m| m.expected), Some(Check::Contract));
    }
}
