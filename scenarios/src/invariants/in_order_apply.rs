//! In-order apply (Figure 2, "Rules for Servers": apply log[lastApplied] after incrementing
//! lastApplied; §7 for snapshots): each server's service sees index `last_applied + 1` next,
//! with no gap and no repeat; a snapshot moves `last_applied` forward, never back.
use raft::LogIndex;
use sim::NodeId;

use crate::failure::{Check, Failure};

/// Each live server incarnation's `last_applied`, as the service saw it.
#[derive(Clone, Debug, Default)]
pub struct ApplyOrder {
    last_applied: Vec<LogIndex>,
}

impl ApplyOrder {
    fn cursor(&mut self, node: NodeId) -> &mut LogIndex {
        let i = node.0 as usize;
        if self.last_applied.len() <= i {
            self.last_applied.resize(i + 1, LogIndex::ZERO);
        }
        &mut self.last_applied[i]
    }

    /// A restarted service starts from nothing (its snapshot, if any, comes next).
    pub fn restart(&mut self, node: NodeId) {
        *self.cursor(node) = LogIndex::ZERO;
    }

    pub fn apply(&mut self, node: NodeId, index: LogIndex) -> Check {
        let cursor = self.cursor(node);
        if index != cursor.next() {
            return Err(Failure::invariant(
                "in-order apply",
                format!("{node} applied index {index} right after index {cursor}"),
            ));
        }
        *cursor = index;
        Ok(())
    }

    pub fn snapshot(&mut self, node: NodeId, index: LogIndex) -> Check {
        let cursor = self.cursor(node);
        if index < *cursor {
            return Err(Failure::invariant(
                "in-order apply",
                format!("{node} loaded a snapshot through {index} after applying {cursor}"),
            ));
        }
        *cursor = index;
        Ok(())
    }
}
