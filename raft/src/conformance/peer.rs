//! The other servers of a leader under test, as small models of a correct follower: each
//! answers AppendEntries and InstallSnapshot by Figure 2's receiver rules (filling the
//! reference's optional hints as `raft::Body` documents them, which a leader may ignore), or
//! stays silent like a crashed server. With them a check sees what a leader commits without
//! caring how it replicates: one entry at a time or in batches, at once or on heartbeats.

use crate::consensus::Consensus;
use crate::message::{Body, Message};
use crate::types::{LogIndex, NodeId, Term};

use super::check::Violation;
use super::harness::Node;

/// A correct follower, reduced to what a leader can observe: its term and its log's terms.
pub(crate) struct Peer {
    id: NodeId,
    term: Term,
    /// The term of the entry at index k + 1 (entries covered by a snapshot included).
    log: Vec<Term>,
    /// A crashed server: it answers nothing.
    pub(crate) silent: bool,
}

impl Peer {
    /// Server `id`, its log holding entries of the given terms from index 1.
    pub(crate) fn new(id: u64, log_terms: &[u64]) -> Peer {
        let log: Vec<Term> = log_terms.iter().map(|t| Term(*t)).collect();
        let term = log.last().copied().unwrap_or_default();
        Peer { id: NodeId(id), term, log, silent: false }
    }

    /// A crashed server.
    pub(crate) fn silent(id: u64) -> Peer {
        Peer { silent: true, ..Peer::new(id, &[]) }
    }

    fn term_at(&self, index: LogIndex) -> Option<Term> {
        match index.0 {
            0 => Some(Term::ZERO),
            k => self.log.get(k as usize - 1).copied(),
        }
    }

    /// The reply a correct follower sends to `message`, if any.
    pub(crate) fn answer(&mut self, message: &Message) -> Option<Message> {
        if self.silent || message.to != self.id || message.term < self.term {
            return None;
        }
        if let Body::AppendEntries { prev_log_index, entries, .. } = &message.body {
            // A malformed request (entries that do not continue prevLogIndex one by one) gets
            // no answer from a correct follower, and no panic from this model of one.
            let continues = entries
                .iter()
                .zip(1..)
                .all(|(e, k)| prev_log_index.0.checked_add(k) == Some(e.index.0));
            if !continues {
                return None;
            }
        }
        self.term = message.term;
        let body = match &message.body {
            Body::AppendEntries { prev_log_index, prev_log_term, entries, .. } => {
                match self.term_at(*prev_log_index) {
                    Some(term) if term == *prev_log_term => {
                        for entry in entries {
                            if self.term_at(entry.index) != Some(entry.term) {
                                self.log.truncate(entry.index.0 as usize - 1);
                                self.log.push(entry.term);
                            }
                        }
                        let index = LogIndex(prev_log_index.0 + entries.len() as u64);
                        Body::AppendEntriesReply {
                            success: true,
                            index,
                            conflict_term: None,
                            conflict_index: LogIndex::ZERO,
                        }
                    }
                    found => self.reject(*prev_log_index, found),
                }
            }
            // The checks' logs are a few entries long: a snapshot far beyond is malformed.
            Body::InstallSnapshot { snapshot } if snapshot.last_included_index.0 <= 1 << 16 => {
                let index = snapshot.last_included_index;
                if self.term_at(index) != Some(snapshot.last_included_term) {
                    self.log = vec![snapshot.last_included_term; index.0 as usize];
                }
                Body::InstallSnapshotReply { last_included_index: index }
            }
            _ => return None,
        };
        Some(Message { from: self.id, to: message.from, term: self.term, body })
    }

    /// A refusal with the fast back-up hint: the conflicting term and where its run starts,
    /// or the end of a log too short.
    fn reject(&self, prev_log_index: LogIndex, found: Option<Term>) -> Body {
        let conflict_index = match found {
            None => LogIndex(self.log.len() as u64 + 1),
            Some(term) => {
                let start = self.log.iter().position(|t| *t == term).unwrap_or_default();
                LogIndex(start as u64 + 1)
            }
        };
        Body::AppendEntriesReply {
            success: false,
            index: prev_log_index,
            conflict_term: found,
            conflict_index,
        }
    }
}

/// Delivers `sent` (and everything the leader sends in answer) to `peers`, their replies back
/// to the leader, for `ticks` ticks of the leader's clock: enough heartbeats for any leader to
/// learn what its followers hold.
pub(crate) fn exchange<C: Consensus>(
    leader: &mut Node<'_, C>,
    peers: &mut [Peer],
    sent: Vec<Message>,
    ticks: u32,
) -> Result<(), Violation> {
    let mut queue = std::collections::VecDeque::from(sent);
    for _ in 0..=ticks {
        // A bound on a round, so a leader that answers every reply with a request cannot spin
        // the check forever.
        for _ in 0..10_000 {
            let Some(message) = queue.pop_front() else { break };
            let peer = peers.iter_mut().find(|p| p.id == message.to);
            if let Some(reply) = peer.and_then(|p| p.answer(&message)) {
                queue.extend(leader.step(reply)?.messages);
            }
        }
        queue.extend(leader.tick()?.messages);
    }
    Ok(())
}
