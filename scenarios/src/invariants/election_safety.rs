//! Election safety (§5.2, Figure 3): at most one leader can be elected in a given term.
use std::collections::BTreeMap;

use raft::Term;
use sim::NodeId;

use crate::failure::{Check, Failure};

/// Every (term, leader) seen so far.
#[derive(Clone, Debug, Default)]
pub struct ElectionSafety {
    leaders: BTreeMap<Term, NodeId>,
}

impl ElectionSafety {
    /// `node` was seen leading `term`. Called on each transition to leader, which is enough:
    /// a second leader of a term must make such a transition too.
    pub fn observe_leader(&mut self, term: Term, node: NodeId) -> Check {
        match self.leaders.insert(term, node) {
            Some(other) if other != node => Err(Failure::invariant(
                "election safety",
                format!("{other} and {node} are both leaders of term {term} (§5.2)"),
            )),
            _ => Ok(()),
        }
    }

    /// The leader of `term`, if one was seen.
    pub fn leader_of(&self, term: Term) -> Option<NodeId> {
        self.leaders.get(&term).copied()
    }

    /// How many distinct terms had a leader.
    pub fn terms_with_leader(&self) -> usize {
        self.leaders.len()
    }
}
