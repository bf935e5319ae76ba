//! Log matching (§5.3, Figure 3): if two logs contain an entry with the same index and term,
//! the logs are identical in all entries up through that index.
//!
//! Checked incrementally on what servers persist: the first time any server writes
//! (index, term) we remember the command's fingerprint and the term of the entry before it;
//! every later write of the same (index, term) must agree on both. By induction on the index,
//! agreeing on the previous entry's term at every step makes whole prefixes match.
use raft::{Entry, LogIndex, Term};
use sim::{fingerprint, NodeId};

use crate::failure::{Check, Failure};

#[derive(Clone, Copy, Debug)]
struct Seen {
    term: Term,
    command: u64,
    prev_term: Term,
    first_writer: NodeId,
}

/// For each index, every term some server wrote there (rarely more than a few).
#[derive(Clone, Debug, Default)]
pub struct LogMatching {
    by_index: Vec<Vec<Seen>>,
}

impl LogMatching {
    /// `node` persisted `entries` (contiguous) right after an entry of term `prev_term`.
    pub fn observe_write(&mut self, node: NodeId, prev_term: Term, entries: &[Entry]) -> Check {
        let mut prev_term = prev_term;
        for entry in entries {
            self.observe(node, entry, prev_term)?;
            prev_term = entry.term;
        }
        Ok(())
    }

    fn observe(&mut self, node: NodeId, entry: &Entry, prev_term: Term) -> Check {
        let i = entry.index.0 as usize;
        if self.by_index.len() <= i {
            self.by_index.resize_with(i + 1, Vec::new);
        }
        let command = fingerprint(&entry.command);
        let slot = &mut self.by_index[i];
        match slot.iter().find(|s| s.term == entry.term) {
            None => {
                slot.push(Seen { term: entry.term, command, prev_term, first_writer: node });
                Ok(())
            }
            Some(seen) if seen.command != command => {
                Err(mismatch(node, seen, entry.index, "different commands".to_string()))
            }
            Some(seen) if seen.prev_term != prev_term => Err(mismatch(
                node,
                seen,
                entry.index,
                format!(
                    "different previous entries (terms {} and {} at index {})",
                    seen.prev_term,
                    prev_term,
                    entry.index.prev()
                ),
            )),
            Some(_) => Ok(()),
        }
    }
}

fn mismatch(node: NodeId, seen: &Seen, index: LogIndex, what: String) -> Failure {
    Failure::invariant(
        "log matching",
        format!(
            "{} and {node} both hold entry {}/{index} but with {what} (§5.3)",
            seen.first_writer, seen.term
        ),
    )
}
