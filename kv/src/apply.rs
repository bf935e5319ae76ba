//! The server's output side: collecting Raft's `Ready`, applying what committed (answering the
//! clerks that wait for it), failing requests that can no longer commit, and compaction.

use std::sync::Arc;

use raft::{Consensus, Entry, Role, Snapshot};

use crate::command::decode_command;
use crate::ready::{KvAnomaly, KvReady};
use crate::rpc::KvError;
use crate::server::KvServer;
use crate::state_machine::KvStateMachine;

impl<R: Consensus> KvServer<R> {
    /// Collects the effects of the inputs since the last call (see [`KvReady`] for the order
    /// the host must follow). Loads any snapshot and applies committed entries first, so the
    /// replies in the result answer exactly what committed.
    pub fn ready(&mut self) -> KvReady {
        self.maybe_snapshot();
        let ready = self.raft.ready();
        if let Err(violation) = self.durable.apply(&ready) {
            self.anomalies.push(KvAnomaly::Contract(violation));
        }
        if let Some(snapshot) = &ready.snapshot_to_apply {
            self.load_snapshot(snapshot);
        }
        for entry in &ready.committed_entries {
            self.apply_entry(entry);
        }
        self.fail_stale_pending();
        self.serve_reads(&ready.read_states);
        self.serve_session_reads();
        KvReady {
            raft: ready,
            replies: std::mem::take(&mut self.replies),
            anomalies: std::mem::take(&mut self.anomalies),
        }
    }

    /// Resets the service to a snapshot (installed from a leader, or the persisted one after a
    /// restart). Requests waiting at indices it covers cannot be matched to their entries any
    /// more, so they are told to retry; the sessions make the retry safe.
    fn load_snapshot(&mut self, snapshot: &Snapshot) {
        let index = snapshot.last_included_index;
        match KvStateMachine::decode_snapshot(&snapshot.data) {
            Ok(state) => self.state = state,
            Err(error) => self.anomalies.push(KvAnomaly::UndecodableSnapshot { index, error }),
        }
        self.applied = index;
        for waiting in self.pending.take_through(index) {
            self.replies.extend(waiting.answer(Err(KvError::WrongLeader)));
        }
    }

    /// Applies one committed entry and answers whoever waits at its index: with the result if
    /// the entry is their request, with `WrongLeader` if another command took the index.
    fn apply_entry(&mut self, entry: &Entry) {
        if entry.index != self.applied.next() {
            let anomaly = KvAnomaly::OutOfOrderApply { after: self.applied, found: entry.index };
            self.anomalies.push(anomaly);
        }
        // Apply what Raft hands over even out of order: the host's checks blame Raft, and the
        // service must not hide the consequences.
        self.applied = entry.index;
        let waiting = self.pending.take(entry.index);
        if entry.command.is_empty() {
            // A ReadIndex leader's no-op (see `read_index.rs`): nothing to apply, and whoever
            // waited at this index lost it to another leader's entry.
            if let Some(waiting) = waiting {
                self.replies.extend(waiting.answer(Err(KvError::WrongLeader)));
            }
            return;
        }
        let request = match decode_command(&entry.command) {
            Ok(request) => request,
            Err(error) => {
                self.anomalies.push(KvAnomaly::UndecodableCommand { index: entry.index, error });
                if let Some(waiting) = waiting {
                    self.replies.extend(waiting.answer(Err(KvError::WrongLeader)));
                }
                return;
            }
        };
        let result = if self.config.bugs.no_duplicate_detection {
            self.state.apply_unchecked(&request)
        } else {
            self.state.apply(&request)
        };
        let Some(waiting) = waiting else { return };
        let answer = if waiting.is_for(&request) || self.config.bugs.reply_without_checking_command
        {
            Ok(result)
        } else {
            Err(KvError::WrongLeader)
        };
        self.answer_applied(waiting, answer, entry.index);
    }

    /// A proposal can only commit under the leadership that made it: once this server is not
    /// the leader, or leads a later term, its older proposals are answered `WrongLeader` so
    /// their clerks do not wait for an entry that may have been overwritten.
    pub(crate) fn fail_stale_pending(&mut self) {
        if self.config.bugs.reply_without_checking_command {
            return;
        }
        let status = self.raft.status();
        let stale = if status.role == Role::Leader {
            self.pending.take_other_terms(status.current_term)
        } else {
            self.pending.take_all()
        };
        for waiting in stale {
            self.replies.extend(waiting.answer(Err(KvError::WrongLeader)));
        }
    }

    /// Hands Raft a snapshot of the applied state once the persisted Raft state reaches
    /// `max_raft_state` (6.824: `persister.RaftStateSize() >= maxraftstate`). Called before
    /// collecting `Ready`, so the compaction is persisted in the same round.
    fn maybe_snapshot(&mut self) {
        let Some(max) = self.config.max_raft_state else { return };
        let fresh =
            self.applied > self.durable.snapshot_index() && self.applied > self.snapshot_requested;
        if !fresh || self.durable.size_bytes() < max {
            return;
        }
        let data = if self.config.bugs.snapshot_without_sessions {
            self.state.encode_snapshot_without_sessions()
        } else {
            self.state.encode_snapshot()
        };
        self.raft.snapshot(self.applied, Arc::from(data));
        self.snapshot_requested = self.applied;
    }
}
