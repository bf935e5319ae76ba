//! What a Raft server must keep on stable storage (Figure 2, "Persistent state"; §7 snapshots),
//! and how a host folds the incremental `Ready` effects into its durable copy.

use crate::ready::Ready;
use crate::types::{Entry, HardState, LogIndex, Snapshot};

/// Everything a node persisted: a restart builds the node from exactly this.
/// `PersistedState::default()` is a fresh node that never ran.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersistedState {
    pub hard_state: HardState,
    pub snapshot: Option<Snapshot>,
    /// The log entries after the snapshot (or from index 1 without one), contiguous.
    pub log: Vec<Entry>,
}

/// A `Ready` that cannot be applied to the durable state: the implementation broke the contract.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContractViolation {
    #[error("ready entries are not contiguous: index {found} follows index {after}")]
    EntriesNotContiguous { after: LogIndex, found: LogIndex },
    #[error("ready entries start at index {first} but the durable log ends at {last}")]
    EntriesLeaveGap { first: LogIndex, last: LogIndex },
}

impl PersistedState {
    /// Index of the last entry covered by the snapshot (0 without a snapshot).
    pub fn snapshot_index(&self) -> LogIndex {
        self.snapshot.as_ref().map_or(LogIndex::ZERO, |s| s.last_included_index)
    }

    /// Index of the last durable log entry (the snapshot's index if the log is empty).
    pub fn last_index(&self) -> LogIndex {
        self.log.last().map_or(self.snapshot_index(), |e| e.index)
    }

    /// Raft-state bytes as the labs measure them (`persister.RaftStateSize()`): the hard state,
    /// the snapshot's index and term, and the log. The snapshot's data is counted separately.
    pub fn size_bytes(&self) -> usize {
        let snapshot_meta = if self.snapshot.is_some() { 16 } else { 0 };
        17 + snapshot_meta + self.log.iter().map(Entry::size_bytes).sum::<usize>()
    }

    /// Bytes of the snapshot's data (0 without a snapshot).
    pub fn snapshot_size_bytes(&self) -> usize {
        self.snapshot.as_ref().map_or(0, |s| s.data.len())
    }

    /// Folds one `Ready` into this durable copy, in the documented order: the hard state, then the
    /// snapshot (which empties the durable log), then the entries (an entry whose index already
    /// exists replaces it and everything after it). On error nothing is changed.
    pub fn apply(&mut self, ready: &Ready) -> Result<(), ContractViolation> {
        // Validate against the state the snapshot would leave, then change in place: cloning
        // the whole durable log on every Ready made hosts quadratic in the log length.
        let (snapshot_index, last_index) = match &ready.snapshot {
            Some(snapshot) => (snapshot.last_included_index, snapshot.last_included_index),
            None => (self.snapshot_index(), self.last_index()),
        };
        let fresh = Self::fresh_entries(&ready.entries, snapshot_index, last_index)?;
        if let Some(hard_state) = ready.hard_state {
            self.hard_state = hard_state;
        }
        if let Some(snapshot) = &ready.snapshot {
            self.snapshot = Some(snapshot.clone());
            self.log.clear();
        }
        if let Some(first) = fresh.first() {
            let keep = (first.index.0 - snapshot_index.0 - 1) as usize;
            self.log.truncate(keep);
            self.log.extend(fresh.iter().cloned());
        }
        Ok(())
    }

    /// The entries the snapshot does not already cover (those are redundant, not wrong), after
    /// checking that they are contiguous and leave no gap after `last_index`.
    fn fresh_entries(
        entries: &[Entry],
        snapshot_index: LogIndex,
        last_index: LogIndex,
    ) -> Result<&[Entry], ContractViolation> {
        for pair in entries.windows(2) {
            if pair[1].index != pair[0].index.next() {
                return Err(ContractViolation::EntriesNotContiguous {
                    after: pair[0].index,
                    found: pair[1].index,
                });
            }
        }
        let skip = entries.iter().take_while(|e| e.index <= snapshot_index).count();
        let fresh = &entries[skip..];
        match fresh.first() {
            Some(first) if first.index > last_index.next() => {
                Err(ContractViolation::EntriesLeaveGap { first: first.index, last: last_index })
            }
            _ => Ok(fresh),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::types::{Command, NodeId, Term};

    fn entry(term: u64, index: u64) -> Entry {
        Entry { term: Term(term), index: LogIndex(index), command: Command::from("x") }
    }

    fn ready_with(entries: Vec<Entry>, snapshot: Option<Snapshot>) -> Ready {
        Ready { entries, snapshot, ..Ready::default() }
    }

    #[test]
    fn entries_append_and_replace_the_suffix() {
        let mut durable = PersistedState::default();
        durable.apply(&ready_with(vec![entry(1, 1), entry(1, 2), entry(1, 3)], None)).unwrap();
        // An entry at an existing index replaces it and everything after it (etcd semantics).
        durable.apply(&ready_with(vec![entry(2, 2)], None)).unwrap();
        assert_eq!(durable.log, vec![entry(1, 1), entry(2, 2)]);
        assert_eq!(durable.last_index(), LogIndex(2));
    }

    #[test]
    fn a_gap_is_a_contract_violation_and_changes_nothing() {
        let mut durable = PersistedState::default();
        durable.apply(&ready_with(vec![entry(1, 1)], None)).unwrap();
        let before = durable.clone();
        let err = durable.apply(&ready_with(vec![entry(1, 3)], None)).unwrap_err();
        assert_eq!(
            err,
            ContractViolation::EntriesLeaveGap { first: LogIndex(3), last: LogIndex(1) }
        );
        let err = durable.apply(&ready_with(vec![entry(1, 2), entry(1, 4)], None)).unwrap_err();
        assert!(matches!(err, ContractViolation::EntriesNotContiguous { .. }));
        assert_eq!(durable, before);
    }

    #[test]
    fn a_snapshot_empties_the_log_and_the_tail_follows() {
        let mut durable = PersistedState::default();
        durable.apply(&ready_with((1..=5).map(|i| entry(1, i)).collect(), None)).unwrap();
        let snapshot = Snapshot {
            last_included_index: LogIndex(3),
            last_included_term: Term(1),
            data: Arc::from(&b"state"[..]),
        };
        let ready = Ready {
            hard_state: Some(HardState { current_term: Term(4), voted_for: Some(NodeId(2)) }),
            ..ready_with(vec![entry(1, 4), entry(1, 5)], Some(snapshot.clone()))
        };
        durable.apply(&ready).unwrap();
        assert_eq!(durable.snapshot, Some(snapshot));
        assert_eq!(durable.log, vec![entry(1, 4), entry(1, 5)]);
        assert_eq!(durable.hard_state.current_term, Term(4));
        // 17 hard-state bytes + 16 snapshot metadata + two entries of 17 bytes.
        assert_eq!(durable.size_bytes(), 17 + 16 + 2 * 17);
        assert_eq!(durable.snapshot_size_bytes(), 5);
    }
}
