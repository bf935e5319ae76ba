//! The leader's side of log replication (§5.3, §5.4.2): heartbeats, pipelined batches, the fast
//! back-up on rejection, and advancing `commit_index` by counting matches of the current term.

use crate::consensus::Role;
use crate::message::Body;
use crate::node::RaftNode;
use crate::progress::Mode;
use crate::types::{LogIndex, NodeId, Term};

impl RaftNode {
    /// Leaders (Figure 2): "repeat during idle periods to prevent election timeouts (§5.2)".
    /// Every follower hears from the leader once per heartbeat interval, whatever its mode; a
    /// paused probe is retried, which also recovers from lost requests and replies.
    pub(crate) fn broadcast_heartbeat(&mut self) {
        self.heartbeat_elapsed = 0;
        if self.blocked_by_slow_peer() {
            return;
        }
        for peer in self.others.clone() {
            let Some(progress) = self.progress.get_mut(&peer) else { continue };
            if let Mode::Probe { paused } = &mut progress.mode {
                *paused = false;
            }
            self.send_append(peer, true);
        }
    }

    /// Sends entries proposed since the last `ready()` to every follower that can take them:
    /// one batched, pipelined AppendEntries per `max_batch_entries`, never waiting on any
    /// follower but the one it is sending to.
    pub(crate) fn flush_replication(&mut self) {
        if self.role != Role::Leader || !std::mem::take(&mut self.replicate_pending) {
            return;
        }
        for peer in self.others.clone() {
            self.replicate_to(peer);
        }
    }

    /// Sends to `peer` as much as its mode and pipeline allow.
    pub(crate) fn replicate_to(&mut self, peer: NodeId) {
        loop {
            let Some(progress) = self.progress.get(&peer) else { return };
            let has_new = progress.next_index <= self.log.last_index();
            let can_send = match progress.mode {
                Mode::Probe { paused } => !paused,
                Mode::Replicate => !progress.inflight_full(self.config.max_inflight),
                Mode::Snapshot => false,
            };
            if !has_new || !can_send || self.blocked_by_slow_peer() {
                return;
            }
            self.send_append(peer, false);
        }
    }

    /// `Bugs::block_on_slow_peer`: the leader stalls while any follower owes it an answer.
    fn blocked_by_slow_peer(&self) -> bool {
        self.config.bugs.block_on_slow_peer && self.progress.values().any(|p| p.unanswered > 0)
    }

    /// One AppendEntries to `peer` starting at its `next_index`, or the snapshot if those
    /// entries are compacted. A heartbeat carries entries only when the pipeline has room.
    fn send_append(&mut self, peer: NodeId, heartbeat: bool) {
        let Some(progress) = self.progress.get(&peer) else { return };
        let prev_log_index = progress.next_index.prev();
        let compacted = progress.next_index <= self.log.snapshot_index();
        let Some(prev_log_term) = self.log.term(prev_log_index).filter(|_| !compacted) else {
            self.send_snapshot(peer);
            return;
        };
        let room = match progress.mode {
            Mode::Replicate => !progress.inflight_full(self.config.max_inflight),
            Mode::Probe { .. } => true,
            Mode::Snapshot if heartbeat => {
                // Resending the snapshot doubles as the heartbeat while it is outstanding.
                self.send_snapshot(peer);
                return;
            }
            Mode::Snapshot => return,
        };
        let entries = if room {
            self.log.batch(
                progress.next_index,
                self.config.max_batch_entries,
                self.config.max_batch_bytes,
            )
        } else {
            Vec::new()
        };
        let Some(progress) = self.progress.get_mut(&peer) else { return };
        progress.unanswered += 1;
        match progress.mode {
            Mode::Replicate => {
                if let Some(last) = entries.last() {
                    progress.next_index = last.index.next();
                    progress.inflight.push(last.index);
                }
            }
            Mode::Probe { .. } => progress.mode = Mode::Probe { paused: true },
            Mode::Snapshot => {}
        }
        let leader_commit = self.commit_index;
        self.send(
            peer,
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit },
        );
    }

    /// Leaders (Figure 2): on success update `next_index` and `match_index`; on failure
    /// decrement `next_index` and retry, here by the conflict term/index hint (§5.3).
    /// Replies to requests since superseded are recognised by their index and ignored.
    pub(crate) fn handle_append_reply(
        &mut self,
        peer: NodeId,
        success: bool,
        index: LogIndex,
        conflict_term: Option<Term>,
        conflict_index: LogIndex,
    ) {
        if self.role != Role::Leader || index > self.log.last_index() {
            return;
        }
        let back_up_to = if success {
            None
        } else {
            Some(self.back_up_target(index, conflict_term, conflict_index))
        };
        let Some(progress) = self.progress.get_mut(&peer) else { return };
        progress.unanswered = 0;
        match back_up_to {
            None => {
                if progress.acknowledge(index) {
                    self.advance_commit_index();
                }
            }
            // A rejection at or below a known match, or above where we already backed up to,
            // answers an older request: the log has moved on since.
            Some(_) if index <= progress.match_index || index >= progress.next_index => return,
            Some(next_index) => progress.back_up_to(next_index.min(index)),
        }
        self.replicate_to(peer);
    }

    /// The fast back-up (§5.3 and the 6.824 notes): if the leader has entries of the
    /// follower's conflicting term, retry just after its last one; otherwise skip the follower's
    /// whole run of that term; if the follower's log is short, retry at its end.
    fn back_up_target(
        &self,
        rejected_prev: LogIndex,
        conflict_term: Option<Term>,
        conflict_index: LogIndex,
    ) -> LogIndex {
        let hinted = match conflict_term {
            Some(term) => match self.log.last_index_of_term(term, rejected_prev) {
                Some(last) => last.next(),
                None => conflict_index,
            },
            None => conflict_index,
        };
        // Never below 1; the caller also keeps it above `match_index` and at most `rejected_prev`.
        hinted.max(LogIndex(1))
    }

    /// Leaders (Figure 2): "If there exists an N such that N > commitIndex, a majority of
    /// matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N" (§5.3, §5.4).
    /// Only entries of the current term are committed by counting (Figure 8); earlier ones
    /// commit indirectly, by the Log Matching Property.
    pub(crate) fn advance_commit_index(&mut self) {
        if self.role != Role::Leader {
            return;
        }
        let mut n = self.log.last_index();
        while n > self.commit_index {
            let Some(term) = self.log.term(n) else { return };
            if term != self.current_term && !self.config.bugs.commit_previous_term_by_counting {
                // Terms only decrease going back: no earlier N has the current term either.
                return;
            }
            let replicas = 1 + self.progress.values().filter(|p| p.match_index >= n).count();
            if self.is_quorum(replicas) {
                self.commit_index = n;
                return;
            }
            n = n.prev();
        }
    }
}
