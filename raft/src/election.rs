//! Leader election (§5.2, §5.4.1): campaigning, granting votes, counting them, taking office.

use crate::consensus::Role;
use crate::message::Body;
use crate::node::RaftNode;
use crate::progress::Progress;
use crate::types::{LogIndex, NodeId, Term};

impl RaftNode {
    /// Figure 2, followers/candidates: "If election timeout elapses ... convert to candidate";
    /// on conversion: increment currentTerm, vote for self, reset the election timer, send
    /// RequestVote RPCs to all other servers.
    pub(crate) fn campaign(&mut self) {
        self.current_term = self.current_term.next();
        self.voted_for = Some(self.config.id);
        self.hard_state_dirty = true;
        self.role = Role::Candidate;
        self.leader_hint = None;
        self.progress.clear();
        self.votes = vec![self.config.id];
        self.reset_election_timer();
        if self.is_quorum(self.votes.len()) {
            self.become_leader();
            return;
        }
        let (last_log_index, last_log_term) = (self.log.last_index(), self.log.last_term());
        for peer in self.others.clone() {
            self.send(peer, Body::RequestVote { last_log_index, last_log_term });
        }
    }

    /// RequestVote receiver (Figure 2): grant if we have not voted for someone else this term
    /// and the candidate's log is at least as up-to-date as ours (§5.4.1).
    pub(crate) fn handle_request_vote(
        &mut self,
        candidate: NodeId,
        last_log_index: LogIndex,
        last_log_term: Term,
    ) {
        let free = self.voted_for.is_none() || self.voted_for == Some(candidate);
        let up_to_date = self.config.bugs.vote_without_up_to_date_check
            || self.candidate_is_up_to_date(last_log_index, last_log_term);
        let vote_granted = free && up_to_date;
        if vote_granted {
            if self.voted_for != Some(candidate) {
                self.voted_for = Some(candidate);
                self.hard_state_dirty = true;
            }
            // Figure 2, followers: granting a vote resets the election timer, so the voter
            // does not start a competing election while the candidate collects its votes.
            if !self.config.bugs.no_timer_reset_on_vote {
                self.reset_election_timer();
            }
        }
        self.send(candidate, Body::RequestVoteReply { vote_granted });
    }

    /// §5.4.1: the log with the later last term is more up-to-date; with equal last terms, the
    /// longer log is.
    fn candidate_is_up_to_date(&self, last_log_index: LogIndex, last_log_term: Term) -> bool {
        let (my_index, my_term) = (self.log.last_index(), self.log.last_term());
        last_log_term > my_term || (last_log_term == my_term && last_log_index >= my_index)
    }

    /// Candidates (Figure 2): "If votes received from majority of servers: become leader".
    /// A reply from an earlier election is stale and does not count (§5.1).
    pub(crate) fn handle_vote_reply(&mut self, voter: NodeId, term: Term, vote_granted: bool) {
        let current = term == self.current_term || self.config.bugs.accept_stale_vote_replies;
        if self.role != Role::Candidate || !current || !vote_granted {
            return;
        }
        if !self.votes.contains(&voter) {
            self.votes.push(voter);
        }
        if self.is_quorum(self.votes.len()) {
            self.become_leader();
        }
    }

    /// Leaders (Figure 2): initialise `next_index`/`match_index` and "upon election: send
    /// initial empty AppendEntries RPCs (heartbeat) to each server". No no-op entry is appended
    /// (see the `Consensus` docs on indices).
    pub(crate) fn become_leader(&mut self) {
        self.role = Role::Leader;
        self.leader_hint = Some(self.config.id);
        self.votes.clear();
        let last_index = self.log.last_index();
        self.progress = self.others.iter().map(|peer| (*peer, Progress::new(last_index))).collect();
        self.broadcast_heartbeat();
    }
}
