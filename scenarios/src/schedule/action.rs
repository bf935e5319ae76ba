//! A fault the tester applied (or was told to skip), as data: the verb, its arguments, and
//! when it happened.
use std::fmt;

use sim::{NodeId, SimTime};

/// A fault verb of the cluster core. Only faults are here: connecting, healing and restarting
/// a server that is down undo faults, so a schedule never needs to skip them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verb {
    Crash(NodeId),
    /// A restart of a server that was up: a crash and a fresh start from its disk.
    Restart(NodeId),
    Disconnect(NodeId),
    Partition(Vec<Vec<NodeId>>),
    /// One direction of one link cut.
    LinkDown(NodeId, NodeId),
}

impl Verb {
    /// The verb's name, as the schedule file spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Crash(_) => "crash",
            Verb::Restart(_) => "restart",
            Verb::Disconnect(_) => "disconnect",
            Verb::Partition(_) => "partition",
            Verb::LinkDown(..) => "link_down",
        }
    }

    /// Every node the verb names.
    pub fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        let (one, groups): (Vec<NodeId>, &[Vec<NodeId>]) = match self {
            Verb::Crash(id) | Verb::Restart(id) | Verb::Disconnect(id) => (vec![*id], &[]),
            Verb::LinkDown(from, to) => (vec![*from, *to], &[]),
            Verb::Partition(groups) => (Vec::new(), groups),
        };
        one.into_iter().chain(groups.iter().flatten().copied())
    }

    /// Whether `other` is the same verb, whatever its arguments.
    pub fn same_verb(&self, other: &Verb) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verb::Crash(id) | Verb::Restart(id) | Verb::Disconnect(id) => {
                write!(f, "{} {id}", self.name())
            }
            Verb::Partition(groups) => {
                write!(f, "partition")?;
                for (i, group) in groups.iter().enumerate() {
                    f.write_str(if i == 0 { " " } else { " | " })?;
                    let names: Vec<String> = group.iter().map(|id| id.to_string()).collect();
                    f.write_str(&names.join(" "))?;
                }
                Ok(())
            }
            Verb::LinkDown(from, to) => write!(f, "link {from}->{to} down"),
        }
    }
}

/// One fault verb call of a run, in call order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub verb: Verb,
    /// When it was called (informational: a replay matches actions by their position).
    pub at: SimTime,
    /// The schedule says not to apply it.
    pub skipped: bool,
}
