//! Gathering the node's pending effects into one `Ready`, in the order the host must honour.

use crate::node::RaftNode;
use crate::ready::Ready;
use crate::types::{Entry, HardState, Term};

impl RaftNode {
    /// Drains everything pending since the last call. Committed entries are handed out here,
    /// and handing them out is what moves `last_applied` (Figure 2: "If commitIndex >
    /// lastApplied: increment lastApplied, apply log[lastApplied] to state machine").
    pub(crate) fn collect_ready(&mut self) -> Ready {
        let hard_state = std::mem::take(&mut self.hard_state_dirty).then(|| self.hard_state());
        let snapshot = self.snapshot_to_persist.take();
        let entries = match self.persist_from.take() {
            Some(from) => {
                let from = from.max(self.log.snapshot_index().next());
                self.log.entries_from(from).to_vec()
            }
            None => Vec::new(),
        };
        let snapshot_to_apply = self.snapshot_to_apply.take();
        let committed_entries = self.take_committed();
        Ready {
            hard_state,
            snapshot,
            entries,
            messages: std::mem::take(&mut self.outbox),
            snapshot_to_apply,
            committed_entries,
            read_states: std::mem::take(&mut self.reads.confirmed),
        }
    }

    /// What goes to stable storage; the mutation switches falsify it here, and only here.
    fn hard_state(&self) -> HardState {
        let bugs = self.config.bugs;
        HardState {
            current_term: if bugs.forget_current_term { Term::ZERO } else { self.current_term },
            voted_for: if bugs.forget_voted_for { None } else { self.voted_for },
        }
    }

    fn take_committed(&mut self) -> Vec<Entry> {
        let mut committed = Vec::new();
        let mut index = self.last_applied.next();
        while index <= self.commit_index {
            let Some(entry) = self.log.entry(index) else { break };
            committed.push(entry.clone());
            index = index.next();
        }
        if let Some(last) = committed.last() {
            self.last_applied = last.index;
        }
        // The log holds every entry after the snapshot, so nothing committed is left behind.
        debug_assert!(
            self.last_applied == self.commit_index || self.config.bugs.any(),
            "every committed entry is handed out"
        );
        committed
    }
}
