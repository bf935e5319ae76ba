//! What a conformance check is: a named, grouped test of one rule that drives a single node of
//! any `Consensus` implementation; the setup it runs with (the seed of the node's random
//! stream, mutation switches for the reference, the transcript it writes); and the violation
//! it reports.

use std::cell::RefCell;
use std::fmt;

use crate::bugs::Bugs;
use crate::config::Config;
use crate::types::NodeId;

/// The part of Figure 2 (or §7) a check belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Rules for Servers, All Servers (§5.1): terms are adopted, stale requests refused.
    AllServers,
    /// Rules for Followers and Candidates (§5.2): timeouts, campaigns, counting votes.
    Elections,
    /// RequestVote receiver (§5.2, §5.4.1): one vote per term, only for up-to-date logs.
    RequestVote,
    /// AppendEntries receiver (§5.3): the consistency check, truncation, the commit index.
    AppendEntries,
    /// Rules for Leaders (§5.3, §5.4.2): what a leader may commit, and when.
    Commit,
    /// Persistent state (Figure 2, State) and the `Ready` contract: what survives a restart.
    Persistence,
    /// InstallSnapshot receiver (§7, Figure 13).
    InstallSnapshot,
}

impl Group {
    /// Every group, in the order of the paper.
    pub const ALL: [Group; 7] = [
        Group::AllServers,
        Group::Elections,
        Group::RequestVote,
        Group::AppendEntries,
        Group::Commit,
        Group::Persistence,
        Group::InstallSnapshot,
    ];

    /// Where the group's rules are in the paper.
    pub fn title(self) -> &'static str {
        match self {
            Group::AllServers => "Figure 2, All Servers (§5.1)",
            Group::Elections => "Figure 2, Followers and Candidates (§5.2)",
            Group::RequestVote => "Figure 2, RequestVote receiver (§5.2, §5.4.1)",
            Group::AppendEntries => "Figure 2, AppendEntries receiver (§5.3)",
            Group::Commit => "Figure 2, Leaders: the commit rule (§5.3, §5.4.2)",
            Group::Persistence => "Figure 2, persistent state, and the Ready contract",
            Group::InstallSnapshot => "Figure 13, InstallSnapshot receiver (§7)",
        }
    }
}

/// One check, instantiated for one implementation (see [`checks`](super::checks)).
#[derive(Clone, Copy)]
pub struct Check {
    /// Unique among all checks, in snake case: `one_vote_per_term`.
    pub name: &'static str,
    pub group: Group,
    /// What it asserts, in one sentence.
    pub summary: &'static str,
    pub(crate) run: fn(&Setup) -> Result<(), Violation>,
}

impl Check {
    /// Runs the check. A panic of the implementation unwinds out of here: hosts that grade
    /// untrusted code catch it (the transcript in `setup` still holds what led to it).
    pub fn run(&self, setup: &Setup) -> Result<(), Violation> {
        (self.run)(setup)
    }
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Check").field("name", &self.name).field("group", &self.group).finish()
    }
}

/// A broken rule: what the node did, and the rule's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The rule, quoted from the paper (or the `Consensus` contract).
    pub rule: &'static str,
    /// What the node did instead, with the values involved.
    pub what: String,
}

impl Violation {
    pub(crate) fn new(rule: &'static str, what: impl Into<String>) -> Violation {
        Violation { rule, what: what.into() }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n  the rule: {}", self.what, self.rule)
    }
}

/// What one run of a check uses: the seed of the node's random stream (its election
/// timeouts), the mutation switches (honoured by the reference only), and the transcript the
/// check writes as it goes: every input, and every effect of every `Ready`.
#[derive(Debug, Default)]
pub struct Setup {
    seed: u64,
    bugs: Bugs,
    transcript: RefCell<Vec<String>>,
}

impl Setup {
    /// A run whose nodes draw their timeouts from `seed`.
    pub fn new(seed: u64) -> Setup {
        Setup { seed, ..Setup::default() }
    }

    /// The same run with the reference's mutation switches `bugs` on.
    pub fn with_bugs(mut self, bugs: Bugs) -> Setup {
        self.bugs = bugs;
        self
    }

    /// Everything the check did and saw so far, one line each.
    pub fn transcript(&self) -> Vec<String> {
        self.transcript.borrow().clone()
    }

    /// A digest of the transcript (FNV-1a): the same implementation and seed give the same
    /// digest on any machine.
    pub fn digest(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for line in self.transcript.borrow().iter() {
            for byte in line.bytes().chain([b'\n']) {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        hash
    }

    pub(crate) fn note(&self, line: String) {
        self.transcript.borrow_mut().push(line);
    }

    /// One tick: a run of ticks with nothing in between is one line, `tick x29`.
    pub(crate) fn note_tick(&self) {
        let mut transcript = self.transcript.borrow_mut();
        let count = transcript.last().and_then(|l| l.strip_prefix("tick x")?.parse::<u32>().ok());
        match count {
            Some(n) => *transcript.last_mut().expect("a last line") = format!("tick x{}", n + 1),
            None => transcript.push("tick x1".to_string()),
        }
    }

    /// Server `me` of a cluster of servers 1..=size, with the documented default timings.
    pub(crate) fn config(&self, me: u64, size: u64) -> Config {
        let peers = (1..=size).map(NodeId).collect();
        let seed = self.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(me);
        Config::new(NodeId(me), peers, seed).with_bugs(self.bugs)
    }
}
