//! The in-memory Raft log: entries after a snapshot offset, indexed by `LogIndex`.

use crate::types::{Entry, LogIndex, Term};

/// The log as the paper sees it (index 1, 2, ...), stored as the entries after the snapshot.
/// Invariant: `entries[k].index == snapshot_index + 1 + k`.
#[derive(Clone, Debug, Default)]
pub(crate) struct RaftLog {
    snapshot_index: LogIndex,
    snapshot_term: Term,
    entries: Vec<Entry>,
}

impl RaftLog {
    /// Rebuilds a log from a snapshot position and the entries after it. Entries that do not
    /// continue the log contiguously are dropped: a host's storage cannot make the node panic.
    pub(crate) fn restore(
        snapshot_index: LogIndex,
        snapshot_term: Term,
        entries: &[Entry],
    ) -> Self {
        let mut log = RaftLog { snapshot_index, snapshot_term, entries: Vec::new() };
        for entry in entries {
            if entry.index != log.last_index().next() {
                break;
            }
            log.entries.push(entry.clone());
        }
        log
    }

    pub(crate) fn snapshot_index(&self) -> LogIndex {
        self.snapshot_index
    }

    pub(crate) fn snapshot_term(&self) -> Term {
        self.snapshot_term
    }

    pub(crate) fn last_index(&self) -> LogIndex {
        LogIndex(self.snapshot_index.0 + self.entries.len() as u64)
    }

    pub(crate) fn last_term(&self) -> Term {
        self.entries.last().map_or(self.snapshot_term, |e| e.term)
    }

    fn offset(&self, index: LogIndex) -> Option<usize> {
        if index <= self.snapshot_index || index > self.last_index() {
            return None;
        }
        Some((index.0 - self.snapshot_index.0 - 1) as usize)
    }

    /// The term at `index`, known for index 0, the snapshot's last index and live entries.
    pub(crate) fn term(&self, index: LogIndex) -> Option<Term> {
        if index == self.snapshot_index {
            return Some(self.snapshot_term);
        }
        if index == LogIndex::ZERO {
            return Some(Term::ZERO);
        }
        self.offset(index).map(|k| self.entries[k].term)
    }

    pub(crate) fn entry(&self, index: LogIndex) -> Option<&Entry> {
        self.offset(index).map(|k| &self.entries[k])
    }

    /// Entries from `from` to the end (empty if `from` is compacted or beyond the end).
    pub(crate) fn entries_from(&self, from: LogIndex) -> &[Entry] {
        match self.offset(from) {
            Some(k) => &self.entries[k..],
            None => &[],
        }
    }

    /// A batch starting at `from`: at most `max_entries`, and no more command bytes than
    /// `max_bytes` except that the first entry always fits (or the log could never move).
    pub(crate) fn batch(&self, from: LogIndex, max_entries: usize, max_bytes: usize) -> Vec<Entry> {
        let mut bytes = 0;
        let mut batch = Vec::new();
        for entry in self.entries_from(from).iter().take(max_entries) {
            bytes += entry.size_bytes();
            if !batch.is_empty() && bytes > max_bytes {
                break;
            }
            batch.push(entry.clone());
        }
        batch
    }

    /// Appends one entry at `last_index + 1`; the caller chose its index.
    pub(crate) fn push(&mut self, entry: Entry) {
        debug_assert_eq!(entry.index, self.last_index().next(), "log entries must be contiguous");
        self.entries.push(entry);
    }

    /// Removes `index` and everything after it (a no-op for compacted or absent indices, since
    /// snapshotted entries are committed and never conflict).
    pub(crate) fn truncate_from(&mut self, index: LogIndex) {
        if let Some(k) = self.offset(index) {
            self.entries.truncate(k);
        }
    }

    /// The first index holding `term` in the run of entries with that term that contains
    /// `index` (for the follower's fast back-up hint). Stops at the snapshot boundary.
    pub(crate) fn first_index_of_term_run(&self, index: LogIndex) -> LogIndex {
        let Some(term) = self.term(index) else { return index };
        let mut first = index;
        while first.prev() > self.snapshot_index && self.term(first.prev()) == Some(term) {
            first = first.prev();
        }
        first
    }

    /// The last index holding `term` at or below `upto`, if the live log has one (for the
    /// leader's fast back-up).
    pub(crate) fn last_index_of_term(&self, term: Term, upto: LogIndex) -> Option<LogIndex> {
        let top = upto.min(self.last_index());
        self.entries
            .iter()
            .rev()
            .skip_while(|e| e.index > top)
            .take_while(|e| e.term >= term)
            .find(|e| e.term == term)
            .map(|e| e.index)
    }

    /// Discards everything through `index` (which had `term`). Entries after `index` survive
    /// only if the log holds `index` with that same term (§7: "if existing log entry has same
    /// index and term as snapshot's last included entry, retain log entries following it");
    /// otherwise the whole log is discarded.
    pub(crate) fn compact(&mut self, index: LogIndex, term: Term) {
        if self.term(index) == Some(term) && index <= self.last_index() {
            let k = (index.0 - self.snapshot_index.0) as usize;
            self.entries.drain(..k);
        } else {
            self.entries.clear();
        }
        self.snapshot_index = index;
        self.snapshot_term = term;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Command;

    fn log_of(terms: &[u64]) -> RaftLog {
        let entries: Vec<Entry> = terms
            .iter()
            .enumerate()
            .map(|(k, t)| Entry {
                term: Term(*t),
                index: LogIndex(k as u64 + 1),
                command: Command::from("c"),
            })
            .collect();
        RaftLog::restore(LogIndex::ZERO, Term::ZERO, &entries)
    }

    #[test]
    fn terms_are_known_for_zero_snapshot_and_live_entries() {
        let mut log = log_of(&[1, 1, 2, 3, 3]);
        assert_eq!(log.term(LogIndex(0)), Some(Term(0)));
        assert_eq!(log.term(LogIndex(4)), Some(Term(3)));
        assert_eq!(log.term(LogIndex(6)), None);
        log.compact(LogIndex(3), Term(2));
        assert_eq!(log.term(LogIndex(2)), None, "compacted");
        assert_eq!(log.term(LogIndex(3)), Some(Term(2)), "the snapshot's last entry");
        assert_eq!(log.last_index(), LogIndex(5));
        assert_eq!(log.entries_from(LogIndex(4)).len(), 2);
    }

    #[test]
    fn compaction_keeps_the_suffix_only_after_a_matching_entry() {
        let mut log = log_of(&[1, 1, 2, 3]);
        log.compact(LogIndex(2), Term(9));
        assert_eq!((log.last_index(), log.last_term()), (LogIndex(2), Term(9)));
        let mut log = log_of(&[1, 1]);
        log.compact(LogIndex(5), Term(3));
        assert_eq!((log.last_index(), log.snapshot_index()), (LogIndex(5), LogIndex(5)));
    }

    #[test]
    fn term_runs_for_fast_backup() {
        let log = log_of(&[1, 4, 4, 4, 5, 5]);
        assert_eq!(log.first_index_of_term_run(LogIndex(4)), LogIndex(2));
        assert_eq!(log.last_index_of_term(Term(4), LogIndex(6)), Some(LogIndex(4)));
        assert_eq!(log.last_index_of_term(Term(2), LogIndex(6)), None);
        assert_eq!(log.last_index_of_term(Term(5), LogIndex(3)), None);
    }

    #[test]
    fn batches_respect_count_and_bytes_but_always_move() {
        let log = log_of(&[1, 1, 1, 1]);
        assert_eq!(log.batch(LogIndex(1), 3, 1 << 20).len(), 3);
        assert_eq!(log.batch(LogIndex(2), 10, 1).len(), 1);
        assert!(log.batch(LogIndex(5), 10, 100).is_empty());
    }
}
