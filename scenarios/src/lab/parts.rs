//! The lab's parts, following MIT 6.5840's numbering, and which scenario belongs to which:
//!
//! | part | lab | scenarios |
//! | --- | --- | --- |
//! | 3A | Raft: leader election | `election.*`; conformance: All Servers, elections, RequestVote |
//! | 3B | Raft: log agreement | `agree.*`, `net.*`; conformance: AppendEntries, the commit rule |
//! | 3C | Raft: persistence (and Figure 8 under an unreliable network) | `persist.*`, `unreliable.*`, `churn.*`; conformance: restarts |
//! | 3D | Raft: log compaction (snapshots) | `snap.*`; conformance: InstallSnapshot |
//! | 3X | Raft: everything at once under faults drawn from the seed | `swarm.raft` |
//! | 4A | KV on Raft, no snapshots | `kv.*`, `lin.*` and `reads.*` without maxraftstate |
//! | 4B | KV on Raft, with snapshots | `kv.*`, `lin.*` and `reads.*` with maxraftstate |
//! | 4X | KV everything at once under faults drawn from the seed | `swarm.kv` |
//!
//! A test is named `part<part>_<scenario with dots as underscores>`, so `cargo test 3c` runs a
//! part and `cargo test figure8` the scenarios whose name says so. The conformance checks of
//! Figure 2's rules (`raft::conformance`, one node at a time) are named `conformance.<check>`
//! and graded in the part of their rule (see `lab::conformance`).
use std::fmt;

use crate::cluster::Setup;

/// One part of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    Raft3A,
    Raft3B,
    Raft3C,
    Raft3D,
    Raft3X,
    Kv4A,
    Kv4B,
    Kv4X,
}

impl Part {
    /// Every part, in grading order.
    pub const ALL: [Part; 8] = [
        Part::Raft3A,
        Part::Raft3B,
        Part::Raft3C,
        Part::Raft3D,
        Part::Raft3X,
        Part::Kv4A,
        Part::Kv4B,
        Part::Kv4X,
    ];

    /// The part's label, `3A`.
    pub fn label(self) -> &'static str {
        match self {
            Part::Raft3A => "3A",
            Part::Raft3B => "3B",
            Part::Raft3C => "3C",
            Part::Raft3D => "3D",
            Part::Raft3X => "3X",
            Part::Kv4A => "4A",
            Part::Kv4B => "4B",
            Part::Kv4X => "4X",
        }
    }

    /// What the part asks a student to build.
    pub fn title(self) -> &'static str {
        match self {
            Part::Raft3A => "leader election",
            Part::Raft3B => "log agreement",
            Part::Raft3C => "persistence",
            Part::Raft3D => "log compaction",
            Part::Raft3X => "Raft under drawn faults",
            Part::Kv4A => "KV without snapshots",
            Part::Kv4B => "KV with snapshots",
            Part::Kv4X => "KV under drawn faults",
        }
    }

    /// True for the KV lab's parts.
    pub fn is_kv(self) -> bool {
        matches!(self, Part::Kv4A | Part::Kv4B | Part::Kv4X)
    }

    /// The part a label names (`3a`, `3A`), if any.
    pub fn parse(label: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|part| part.label().eq_ignore_ascii_case(label))
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// The part scenario `name` (with cluster `setup`) belongs to.
pub fn part_of(name: &str, setup: &Setup) -> Part {
    let section = name.split('.').next().unwrap_or_default();
    match section {
        "election" => Part::Raft3A,
        "agree" | "net" => Part::Raft3B,
        "persist" | "unreliable" | "churn" => Part::Raft3C,
        "snap" => Part::Raft3D,
        "swarm" if setup.is_kv() => Part::Kv4X,
        "swarm" => Part::Raft3X,
        _ if setup.max_raft_state().is_some() => Part::Kv4B,
        _ => Part::Kv4A,
    }
}

/// The lab test's name for scenario `name` in `part`: `part3c_persist_figure8_crash_storm`.
pub fn test_name(part: Part, name: &str) -> String {
    format!("part{}_{}", part.label().to_ascii_lowercase(), name.replace('.', "_"))
}
