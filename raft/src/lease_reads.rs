//! Leader leases (§6.4.1 of the Raft dissertation): reads answered without a round of
//! messages. A voter that heard from a leader promises not to vote for anyone else within the
//! minimum election timeout; a leader whose round a majority acknowledged therefore knows no
//! other leader can exist until that promise runs out, and may answer reads at its commit
//! index until then, less a margin for the clocks (see [`Lease::ticks`]).
//!
//! The lease is measured on the leader's own clock (its ticks), the promise on each voter's:
//! drift between the two is exactly what the margin must cover, and what the
//! `lease_without_drift_margin` mutant forgets.

use crate::consensus::Role;
use crate::lease::Lease;
use crate::node::RaftNode;
use crate::types::ReadState;

impl RaftNode {
    /// With leases on, a server that heard from a leader within the minimum election timeout,
    /// or leads itself, ignores RequestVote entirely: it neither adopts the candidate's term nor
    /// votes (§6.4.1, the rule that also keeps a partitioned server from disrupting, §4.2.3).
    pub(crate) fn withholds_votes(&self) -> bool {
        self.config.lease.is_some()
            && (self.role == Role::Leader || self.leader_contact < self.config.election_ticks_min)
    }

    /// The lease in ticks of this node's clock, counted from a confirmed round's send.
    fn lease_ticks(&self) -> u64 {
        let Some(lease) = self.config.lease else { return 0 };
        let min = self.config.election_ticks_min;
        let ticks = if self.config.bugs.lease_without_drift_margin {
            Lease::ticks_without_margin(min)
        } else {
            lease.ticks(min)
        };
        u64::from(ticks)
    }

    /// True while this leader holds a lease: a majority acknowledged a round sent less than
    /// the lease ago, by this node's clock.
    fn holds_lease(&self) -> bool {
        let lease = self.lease_ticks();
        lease > 0
            && self.role == Role::Leader
            && self
                .reads
                .sent_at
                .get(&self.confirmed_round())
                .is_some_and(|&sent| self.ticks < sent + lease)
    }

    /// Serves every waiting read from the lease, at the commit index, if the lease holds and an
    /// entry of this leader's term is committed (without which the commit index may miss
    /// acknowledged writes, as for ReadIndex). True if it did.
    pub(crate) fn serve_reads_by_lease(&mut self) -> bool {
        let term_committed = self.log.term(self.commit_index) == Some(self.current_term);
        if !term_committed || !self.holds_lease() {
            return false;
        }
        let index = self.commit_index;
        let served = std::mem::take(&mut self.reads.waiting);
        self.reads
            .confirmed
            .extend(served.into_iter().map(|r| ReadState { request: r.request, index }));
        true
    }

    /// On a heartbeat with no read waiting (those send their own rounds): a leader that served
    /// reads within the last election timeout sends a round, so its lease is still fresh when
    /// the next read comes. An idle leader sends nothing.
    pub(crate) fn renew_lease(&mut self) {
        if self.config.lease.is_none()
            || self.role != Role::Leader
            || !self.reads.waiting.is_empty()
        {
            return;
        }
        let recent = u64::from(self.config.election_ticks_max);
        if self.reads.last_read_at.is_some_and(|at| self.ticks - at < recent) {
            self.send_read_round();
        }
    }

    /// Notes a round's send time (leases only: without them no one asks).
    pub(crate) fn note_round_sent(&mut self, round: u64) {
        if self.config.lease.is_some() {
            self.reads.sent_at.insert(round, self.ticks);
        }
    }

    /// Forgets the send times of rounds older than the last confirmed one: no lease can start
    /// from them any more.
    pub(crate) fn forget_old_rounds(&mut self) {
        if !self.reads.sent_at.is_empty() {
            let confirmed = self.confirmed_round();
            self.reads.sent_at = self.reads.sent_at.split_off(&confirmed);
        }
    }
}
