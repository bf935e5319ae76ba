//! Log compaction (§7): snapshots taken by the service, InstallSnapshot for lagging followers,
//! and the leader's handling of its reply.

use std::sync::Arc;

use crate::consensus::Role;
use crate::message::Body;
use crate::node::RaftNode;
use crate::progress::Mode;
use crate::types::{LogIndex, NodeId, Snapshot};

impl RaftNode {
    /// The service snapshotted its state through `index`: discard the log up to there (§7).
    /// Only applied entries may be compacted, and an older snapshot never replaces a newer one.
    pub(crate) fn take_snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        if index <= self.log.snapshot_index() || index > self.last_applied {
            return;
        }
        let Some(term) = self.log.term(index) else { return };
        let snapshot = Snapshot { last_included_index: index, last_included_term: term, data };
        self.install(snapshot);
    }

    /// Replaces the log prefix through the snapshot's index and schedules its persistence.
    /// Persisting a snapshot empties the durable log (see `Ready::snapshot`), so every entry we
    /// keep after it is scheduled again.
    fn install(&mut self, snapshot: Snapshot) {
        self.log.compact(snapshot.last_included_index, snapshot.last_included_term);
        self.persist_from = (self.log.last_index() > snapshot.last_included_index)
            .then(|| snapshot.last_included_index.next());
        self.snapshot_to_persist = Some(snapshot.clone());
        self.snapshot = Some(snapshot);
    }

    /// InstallSnapshot receiver (§7, Figure 13). A snapshot we already cover by committed
    /// entries is a stale duplicate: answered, not installed, so it can never roll state back.
    pub(crate) fn handle_install_snapshot(&mut self, leader: NodeId, snapshot: Snapshot) {
        // Untrusted input: a snapshot of nothing, or one claiming an entry from a term later
        // than its sender's, is malformed.
        let malformed = snapshot.last_included_index == LogIndex::ZERO
            || snapshot.last_included_index.0 == u64::MAX
            || snapshot.last_included_term > self.current_term;
        if self.role == Role::Leader || malformed {
            return;
        }
        self.role = Role::Follower;
        self.leader_hint = Some(leader);
        self.votes.clear();
        self.reset_election_timer();
        let last_included_index = snapshot.last_included_index;
        if last_included_index > self.commit_index {
            self.install(snapshot.clone());
            self.commit_index = last_included_index;
            self.last_applied = if self.config.bugs.skip_apply_after_snapshot {
                last_included_index.next()
            } else {
                last_included_index
            };
            // The service must reset to the snapshot before applying what follows it.
            self.snapshot_to_apply = Some(snapshot);
        }
        self.send(leader, Body::InstallSnapshotReply { last_included_index });
    }

    /// The leader sends its whole snapshot to a follower whose next entry it has compacted.
    pub(crate) fn send_snapshot(&mut self, peer: NodeId) {
        let Some(snapshot) = self.snapshot.clone() else { return };
        let Some(progress) = self.progress.get_mut(&peer) else { return };
        progress.mode = Mode::Snapshot;
        progress.unanswered += 1;
        self.send(peer, Body::InstallSnapshot { snapshot });
    }

    /// The follower now holds everything through `last_included_index`: resume replication
    /// right after it.
    pub(crate) fn handle_snapshot_reply(&mut self, peer: NodeId, last_included_index: LogIndex) {
        if self.role != Role::Leader || last_included_index > self.log.last_index() {
            return;
        }
        let Some(progress) = self.progress.get_mut(&peer) else { return };
        progress.unanswered = 0;
        if progress.acknowledge(last_included_index) {
            self.advance_commit_index();
        }
        self.replicate_to(peer);
    }
}
