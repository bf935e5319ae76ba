//! The mutant list: one row per mutation switch in raft (`Bugs`) or kv (`KvBugs`), with what it
//! breaks and the kind of check that is expected to catch it.
use kv::KvBugs;
use raft::Bugs;

use crate::runner::Options;

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

/// One deliberate bug.
#[derive(Clone, Copy, Debug)]
pub struct Mutant {
    /// The switch's name, as `--bug` takes it.
    pub name: &'static str,
    pub layer: Layer,
    /// One sentence: what goes wrong.
    pub breaks: &'static str,
    pub expected: Check,
}

impl Mutant {
    /// The run options (Raft switches) and kv switches that turn this mutant on.
    pub fn switches(&self) -> (Options, KvBugs) {
        match self.layer {
            Layer::Raft => {
                let bugs = Bugs::only(self.name).expect("every raft mutant names a Bugs switch");
                (Options { bugs, trace_capacity: 0 }, KvBugs::none())
            }
            Layer::Kv => {
                let bugs = KvBugs::only(self.name).expect("every kv mutant names a KvBugs switch");
                (Options::default(), bugs)
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

const fn raft(name: &'static str, breaks: &'static str, expected: Check) -> Mutant {
    Mutant { name, layer: Layer::Raft, breaks, expected }
}

const fn kv(name: &'static str, breaks: &'static str, expected: Check) -> Mutant {
    Mutant { name, layer: Layer::Kv, breaks, expected }
}

/// Every mutant of the zoo, Raft first.
pub const MUTANTS: [Mutant; 16] = [
    raft(
        "vote_without_up_to_date_check",
        "a stale log wins an election and overwrites committed entries (§5.4.1)",
        Check::Invariant,
    ),
    raft(
        "commit_previous_term_by_counting",
        "an old-term entry counted onto a majority is committed, then overwritten (Figure 8)",
        Check::Invariant,
    ),
    raft(
        "forget_voted_for",
        "voted_for is not persisted: a restarted node votes twice in one term",
        Check::Contract,
    ),
    raft(
        "forget_current_term",
        "current_term is not persisted: a restarted node forgets terms it has seen",
        Check::Contract,
    ),
    raft(
        "accept_stale_vote_replies",
        "a vote granted in an earlier term counts now: two leaders in one term",
        Check::Invariant,
    ),
    raft(
        "truncate_on_any_append",
        "a reordered old AppendEntries truncates acknowledged, committed entries",
        Check::Invariant,
    ),
    raft(
        "no_step_down_on_higher_term",
        "a leader that sees a higher term keeps leading: two leaders in one term",
        Check::Invariant,
    ),
    raft(
        "no_timer_reset_on_vote",
        "voters time out right after voting and depose the winner: elections never settle",
        Check::Liveness,
    ),
    raft(
        "skip_apply_after_snapshot",
        "the entry right after an installed snapshot is never applied",
        Check::Invariant,
    ),
    raft(
        "block_on_slow_peer",
        "a leader stops replicating while one peer does not answer",
        Check::Liveness,
    ),
    kv("no_duplicate_detection", "a retried Append is applied twice", Check::Linearizability),
    kv(
        "reply_before_commit",
        "the leader answers before the entry commits: acknowledged writes get lost",
        Check::Linearizability,
    ),
    kv(
        "get_without_log_on_leader",
        "a deposed leader serves a stale Get from local state after a partition",
        Check::Linearizability,
    ),
    kv(
        "get_without_log_anywhere",
        "any server, follower or not, serves Get from local state",
        Check::Linearizability,
    ),
    kv(
        "snapshot_without_sessions",
        "the snapshot drops the duplicate table: retries re-apply after a restart",
        Check::Linearizability,
    ),
    kv(
        "reply_without_checking_command",
        "a waiter is answered with whatever entry landed at its index",
        Check::Linearizability,
    ),
];

/// The mutant called `name`.
pub fn find(name: &str) -> Option<&'static Mutant> {
    MUTANTS.iter().find(|m| m.name == name)
}
