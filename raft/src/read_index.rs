//! ReadIndex (§6.4 of the Raft dissertation): linearizable reads without a log entry. The
//! leader (1) waits until it has committed an entry of its own term, so its commit index
//! covers every write acknowledged before the read arrived, (2) notes that commit index, (3)
//! confirms with a round of acknowledgements from a majority that no newer leader exists, and
//! (4) hands the read out; the service answers once it has applied through the noted index.

use crate::consensus::{NotLeader, ReadRefused, Role};
use crate::message::Body;
use crate::node::RaftNode;
use crate::reads::WaitingRead;
use crate::types::{LogIndex, NodeId, ReadState};

impl RaftNode {
    /// `Consensus::read_index`: a leader takes the read; anyone else refuses.
    pub(crate) fn start_read(&mut self, request: u64) -> Result<(), ReadRefused> {
        if self.role != Role::Leader {
            return Err(NotLeader { leader_hint: self.leader_hint }.into());
        }
        self.reads.waiting.push(WaitingRead { request, index: None, round: None });
        self.reads.last_read_at = Some(self.ticks);
        Ok(())
    }

    /// Before each `ready()`: start a round for reads that arrived since the last one, then
    /// hand out every read whose index is known and whose round a majority acknowledged.
    pub(crate) fn settle_reads(&mut self) {
        if self.role != Role::Leader {
            // A read whose leader stepped down is never answered (see `read_index`).
            self.reads.waiting.clear();
            self.reads.acked.clear();
            self.reads.sent_at.clear();
            self.reads.last_read_at = None;
            return;
        }
        if self.reads.waiting.is_empty() || self.serve_reads_by_lease() {
            return; // the common case: `ready()` runs after every input, reads are rare
        }
        // One round in flight at a time: reads that arrive while one is out wait for the next,
        // sent as soon as it is confirmed, so a burst of reads costs one round, not one each.
        let in_flight = self.reads.round > self.confirmed_round();
        if !in_flight {
            self.start_round_for_new_reads();
        }
        // Step 1: only an entry of the leader's own term, once committed, shows that its
        // commit index is as high as any earlier leader's (Figure 8's lesson, applied to reads).
        let term_committed = self.log.term(self.commit_index) == Some(self.current_term);
        if term_committed || self.config.bugs.read_index_without_term_commit {
            let commit = self.commit_index;
            for read in self.reads.waiting.iter_mut().filter(|r| r.index.is_none()) {
                read.index = Some(commit);
            }
        }
        let confirmed = if self.config.bugs.read_index_without_heartbeat_round {
            self.reads.round
        } else {
            self.confirmed_round()
        };
        let (ready, waiting) = std::mem::take(&mut self.reads.waiting)
            .into_iter()
            .partition(|r| r.index.is_some() && r.round.is_some_and(|round| round <= confirmed));
        self.reads.waiting = waiting;
        let ready: Vec<WaitingRead> = ready;
        self.reads.confirmed.extend(
            ready.into_iter().map(|r| ReadState {
                request: r.request,
                index: r.index.unwrap_or(LogIndex::ZERO),
            }),
        );
    }

    /// On a heartbeat: reads still unconfirmed get a fresh round, in case a probe or its
    /// acknowledgement was lost. A later round confirms an earlier read as well.
    pub(crate) fn reprobe_reads(&mut self) {
        if self.role != Role::Leader || self.reads.waiting.is_empty() {
            return;
        }
        if !self.start_round_for_new_reads() {
            self.send_read_round();
        }
    }

    /// Sends a round for the reads that have none yet; false if there are none.
    fn start_round_for_new_reads(&mut self) -> bool {
        if self.reads.waiting.iter().all(|r| r.round.is_some()) {
            return false;
        }
        self.send_read_round();
        let round = self.reads.round;
        for read in self.reads.waiting.iter_mut().filter(|r| r.round.is_none()) {
            read.round = Some(round);
        }
        true
    }

    pub(crate) fn send_read_round(&mut self) {
        self.reads.round += 1;
        let round = self.reads.round;
        self.note_round_sent(round);
        for peer in self.others.clone() {
            self.send(peer, Body::ReadProbe { round });
        }
    }

    /// The highest round a majority (this leader included, which acknowledges every round it
    /// sends) has acknowledged.
    pub(crate) fn confirmed_round(&self) -> u64 {
        let mut rounds: Vec<u64> = self
            .others
            .iter()
            .map(|peer| self.reads.acked.get(peer).copied().unwrap_or(0))
            .collect();
        rounds.push(self.reads.round);
        rounds.sort_unstable_by(|a, b| b.cmp(a));
        // The majority-th highest: a majority acknowledged at least this round.
        rounds[self.cluster_size() / 2]
    }

    /// A follower (or a candidate of the same term, which learns who leads) acknowledges the
    /// leader of its term, and hears from it as from a heartbeat (§5.2).
    pub(crate) fn handle_read_probe(&mut self, leader: NodeId, round: u64) {
        if self.role == Role::Leader {
            return; // two leaders in one term cannot happen: malformed or mutated
        }
        self.role = Role::Follower;
        self.leader_hint = Some(leader);
        self.votes.clear();
        self.reset_election_timer();
        self.send(leader, Body::ReadProbeReply { round });
    }

    pub(crate) fn handle_read_probe_reply(&mut self, follower: NodeId, round: u64) {
        if self.role != Role::Leader || round > self.reads.round {
            return; // not ours, or from a round never sent: untrusted input
        }
        let acked = self.reads.acked.entry(follower).or_insert(0);
        *acked = (*acked).max(round);
        self.forget_old_rounds();
    }
}
