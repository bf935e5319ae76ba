//! The follower's side of AppendEntries (§5.3): the consistency check, conflict truncation only
//! on a real conflict, the fast back-up hint, and following the leader's commit index.

use crate::consensus::Role;
use crate::message::Body;
use crate::node::RaftNode;
use crate::types::{Entry, LogIndex, NodeId, Term};

impl RaftNode {
    /// AppendEntries receiver (Figure 2). The term was already checked: the sender leads
    /// `current_term`, so a candidate of this term steps down and everyone resets the election
    /// timer (§5.2).
    pub(crate) fn handle_append(
        &mut self,
        leader: NodeId,
        prev_log_index: LogIndex,
        prev_log_term: Term,
        entries: Vec<Entry>,
        leader_commit: LogIndex,
    ) {
        if self.role == Role::Leader {
            // Two leaders in one term cannot happen (election safety); a message claiming it is
            // malformed, or comes from a mutated node.
            return;
        }
        if !well_formed(prev_log_index, &entries, self.current_term) {
            return;
        }
        self.role = Role::Follower;
        self.leader_hint = Some(leader);
        self.votes.clear();
        self.reset_election_timer();

        // Entries up to the snapshot are committed, hence identical to the leader's: skip them
        // and check consistency at the snapshot's last entry instead.
        let (prev_log_index, prev_log_term, entries) =
            self.skip_compacted(prev_log_index, prev_log_term, entries);

        // Figure 2 rule 2: reply false if the log doesn't contain an entry at prevLogIndex whose
        // term matches prevLogTerm.
        match self.log.term(prev_log_index) {
            None => {
                let conflict_index = self.log.last_index().next();
                self.reject_append(leader, prev_log_index, None, conflict_index);
                return;
            }
            Some(term) if term != prev_log_term => {
                let conflict_index = self.log.first_index_of_term_run(prev_log_index);
                self.reject_append(leader, prev_log_index, Some(term), conflict_index);
                return;
            }
            Some(_) => {}
        }

        let last_new = LogIndex(prev_log_index.0 + entries.len() as u64);
        self.append_new_entries(prev_log_index, entries);

        // Figure 2 rule 5: if leaderCommit > commitIndex, set commitIndex =
        // min(leaderCommit, index of last new entry). Beyond `last_new` our log may still hold
        // entries the leader does not have.
        let commit = leader_commit.min(last_new);
        if commit > self.commit_index {
            self.commit_index = commit.min(self.log.last_index());
        }
        self.send(
            leader,
            Body::AppendEntriesReply {
                success: true,
                index: last_new,
                conflict_term: None,
                conflict_index: LogIndex::ZERO,
            },
        );
    }

    fn skip_compacted(
        &self,
        prev_log_index: LogIndex,
        prev_log_term: Term,
        entries: Vec<Entry>,
    ) -> (LogIndex, Term, Vec<Entry>) {
        let snapshot_index = self.log.snapshot_index();
        if prev_log_index >= snapshot_index {
            return (prev_log_index, prev_log_term, entries);
        }
        let rest = entries.into_iter().filter(|e| e.index > snapshot_index).collect();
        (snapshot_index, self.log.snapshot_term(), rest)
    }

    /// Figure 2 rules 3 and 4: "If an existing entry conflicts with a new one (same index but
    /// different terms), delete the existing entry and all that follow it"; "append any new
    /// entries not already in the log". Matching entries are left alone, so a delayed, shorter
    /// AppendEntries never erases entries the follower already acknowledged.
    fn append_new_entries(&mut self, prev_log_index: LogIndex, entries: Vec<Entry>) {
        if self.config.bugs.truncate_on_any_append && prev_log_index < self.log.last_index() {
            self.log.truncate_from(prev_log_index.next());
            self.mark_unpersisted(prev_log_index.next());
            self.commit_index = self.commit_index.min(self.log.last_index());
            self.last_applied = self.last_applied.min(self.commit_index);
        }
        let present = entries.iter().take_while(|e| self.log.term(e.index) == Some(e.term)).count();
        let Some(first) = entries.get(present).map(|e| e.index) else { return };
        // A real conflict, or the end of our log: by Log Matching, a committed entry never
        // conflicts with the current leader's log.
        debug_assert!(
            first > self.commit_index || self.config.bugs.any(),
            "committed entry overwritten"
        );
        self.log.truncate_from(first);
        self.mark_unpersisted(first);
        for entry in entries.into_iter().skip(present) {
            self.log.push(entry);
        }
    }

    fn reject_append(
        &mut self,
        leader: NodeId,
        prev_log_index: LogIndex,
        conflict_term: Option<Term>,
        conflict_index: LogIndex,
    ) {
        self.send(
            leader,
            Body::AppendEntriesReply {
                success: false,
                index: prev_log_index,
                conflict_term,
                conflict_index,
            },
        );
    }
}

/// Untrusted input: the entries must continue `prev_log_index` one by one, with nondecreasing
/// terms no later than the leader's term; anything else is dropped, never trusted.
fn well_formed(prev_log_index: LogIndex, entries: &[Entry], term: Term) -> bool {
    let mut expected = prev_log_index;
    let mut last_term = Term::ZERO;
    for entry in entries {
        expected = LogIndex(match expected.0.checked_add(1) {
            Some(next) => next,
            None => return false,
        });
        if entry.index != expected || entry.term < last_term || entry.term > term {
            return false;
        }
        last_term = entry.term;
    }
    true
}
