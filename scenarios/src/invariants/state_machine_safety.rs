//! State machine safety (§5.4.3, Figure 3): if a server has applied a log entry at a given
//! index, no other server will ever apply a different entry at that index. The applied history
//! it keeps is what the other checks (leader completeness, snapshot consistency) compare with.
use raft::{Command, Entry, LogIndex, Term};
use sim::{fingerprint, NodeId};

use crate::failure::{Check, Failure};
use crate::host::extend_digest;
use crate::labels::label;

/// One index of the cluster's applied history.
#[derive(Clone, Debug)]
pub struct CommittedEntry {
    pub term: Term,
    pub command: Command,
    pub fingerprint: u64,
    /// Digest of every command through this index (what a test snapshot carries).
    pub digest: u64,
    /// The lowest current term of any server when it applied this entry: the entry was
    /// committed in this term or earlier.
    pub commit_term_bound: Term,
    pub first_applier: NodeId,
}

/// The commands applied at each index, by whichever server applied them first.
#[derive(Clone, Debug, Default)]
pub struct History {
    entries: Vec<CommittedEntry>,
}

impl History {
    pub fn get(&self, index: LogIndex) -> Option<&CommittedEntry> {
        (index.0 as usize).checked_sub(1).and_then(|k| self.entries.get(k))
    }

    /// The highest index any server applied.
    pub fn last_index(&self) -> LogIndex {
        LogIndex(self.entries.len() as u64)
    }

    /// Entries from `from` on, in index order.
    pub fn iter_from(&self, from: LogIndex) -> impl Iterator<Item = (LogIndex, &CommittedEntry)> {
        let skip = (from.0 as usize).saturating_sub(1);
        self.entries.iter().enumerate().skip(skip).map(|(k, e)| (LogIndex(k as u64 + 1), e))
    }

    pub fn observe_apply(&mut self, node: NodeId, entry: &Entry, applier_term: Term) -> Check {
        let command = fingerprint(&entry.command);
        if let Some(k) = (entry.index.0 as usize).checked_sub(1) {
            if let Some(known) = self.entries.get_mut(k) {
                if known.fingerprint != command {
                    return Err(Failure::invariant(
                        "state machine safety",
                        format!(
                            "{} applied {} at index {} but {node} applied {} there (§5.4.3)",
                            known.first_applier,
                            label(&known.command),
                            entry.index,
                            label(&entry.command)
                        ),
                    ));
                }
                known.commit_term_bound = known.commit_term_bound.min(applier_term);
                return Ok(());
            }
        }
        if entry.index != self.last_index().next() {
            return Err(Failure::invariant(
                "state machine safety",
                format!(
                    "{node} applied index {} but no server has applied index {} yet",
                    entry.index,
                    self.last_index().next()
                ),
            ));
        }
        let digest = extend_digest(self.entries.last().map_or(0, |e| e.digest), command);
        self.entries.push(CommittedEntry {
            term: entry.term,
            command: entry.command.clone(),
            fingerprint: command,
            digest,
            commit_term_bound: applier_term,
            first_applier: node,
        });
        Ok(())
    }
}
