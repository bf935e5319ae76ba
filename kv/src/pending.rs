//! The leader's table of proposed requests waiting to be applied: log index → who waits, for
//! which request, proposed in which term, and for how many ticks.

use std::collections::BTreeMap;

use raft::{LogIndex, NodeId, Term};

use crate::ready::ClerkReply;
use crate::rpc::{KvError, Reply, Request};
use crate::types::{ClientId, Seq};

/// One proposed request. Several clerk addresses may wait on it: a retry that reaches the same
/// leader in the same term joins the waiting entry instead of growing the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Waiting {
    pub(crate) term: Term,
    pub(crate) client: ClientId,
    pub(crate) seq: Seq,
    clerks: Vec<NodeId>,
    age_ticks: u32,
}

impl Waiting {
    /// True if `request` is the request this entry waits for.
    pub(crate) fn is_for(&self, request: &Request) -> bool {
        self.client == request.client && self.seq == request.seq
    }

    /// The same answer for every clerk waiting here.
    pub(crate) fn answer(self, result: Result<String, KvError>) -> Vec<ClerkReply> {
        let reply = Reply { client: self.client, seq: self.seq, result, applied_index: None };
        self.clerks.into_iter().map(|to| ClerkReply { to, reply: reply.clone() }).collect()
    }
}

/// The waiting requests, by the index they were proposed at.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pending {
    by_index: BTreeMap<LogIndex, Waiting>,
}

impl Pending {
    pub(crate) fn len(&self) -> usize {
        self.by_index.len()
    }

    /// Records a request proposed at `index` in `term`; returns what waited at that index
    /// before (a proposal of an older term whose entry was overwritten), to be failed.
    pub(crate) fn insert(
        &mut self,
        index: LogIndex,
        term: Term,
        request: &Request,
        clerk: NodeId,
    ) -> Option<Waiting> {
        let waiting = Waiting {
            term,
            client: request.client,
            seq: request.seq,
            clerks: vec![clerk],
            age_ticks: 0,
        };
        self.by_index.insert(index, waiting)
    }

    /// If the same request already waits, proposed in `term`, adds `clerk` to its waiters and
    /// returns true: the retry will be answered when the first proposal applies.
    pub(crate) fn join(&mut self, term: Term, request: &Request, clerk: NodeId) -> bool {
        let Some(waiting) =
            self.by_index.values_mut().find(|w| w.term == term && w.is_for(request))
        else {
            return false;
        };
        if !waiting.clerks.contains(&clerk) {
            waiting.clerks.push(clerk);
        }
        true
    }

    /// Removes the entry waiting at `index`.
    pub(crate) fn take(&mut self, index: LogIndex) -> Option<Waiting> {
        self.by_index.remove(&index)
    }

    /// Removes every entry at or below `index` (a snapshot jumped over them).
    pub(crate) fn take_through(&mut self, index: LogIndex) -> Vec<Waiting> {
        let later = self.by_index.split_off(&index.next());
        std::mem::replace(&mut self.by_index, later).into_values().collect()
    }

    /// Removes every entry proposed in a term other than `term`.
    pub(crate) fn take_other_terms(&mut self, term: Term) -> Vec<Waiting> {
        self.take_where(|w| w.term != term)
    }

    /// Removes everything.
    pub(crate) fn take_all(&mut self) -> Vec<Waiting> {
        std::mem::take(&mut self.by_index).into_values().collect()
    }

    /// One tick passed: removes and returns the entries that waited longer than `timeout`.
    pub(crate) fn tick(&mut self, timeout: u32) -> Vec<Waiting> {
        for waiting in self.by_index.values_mut() {
            waiting.age_ticks = waiting.age_ticks.saturating_add(1);
        }
        self.take_where(|w| w.age_ticks > timeout)
    }

    fn take_where(&mut self, remove: impl Fn(&Waiting) -> bool) -> Vec<Waiting> {
        let (gone, kept): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.by_index).into_iter().partition(|(_, w)| remove(w));
        self.by_index = kept;
        gone.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Op;

    fn request(client: u64, seq: u64) -> Request {
        let op = Op::Get { key: "k".into() };
        Request { client: ClientId(client), seq: Seq(seq), op, session_index: None }
    }

    #[test]
    fn a_retry_in_the_same_term_joins_and_is_answered_once_per_clerk() {
        let mut pending = Pending::default();
        assert_eq!(pending.insert(LogIndex(4), Term(2), &request(1, 1), NodeId(10)), None);
        assert!(pending.join(Term(2), &request(1, 1), NodeId(11)));
        assert!(pending.join(Term(2), &request(1, 1), NodeId(11)));
        // Another term, or another request, does not join.
        assert!(!pending.join(Term(3), &request(1, 1), NodeId(11)));
        assert!(!pending.join(Term(2), &request(1, 2), NodeId(11)));
        let replies = pending.take(LogIndex(4)).unwrap().answer(Ok("v".into()));
        let to: Vec<NodeId> = replies.iter().map(|r| r.to).collect();
        assert_eq!(to, vec![NodeId(10), NodeId(11)]);
        assert_eq!(pending.len(), 0);
    }

    #[test]
    fn entries_leave_by_index_term_and_age() {
        let mut pending = Pending::default();
        for index in 1..=4 {
            let term = Term(if index <= 2 { 1 } else { 2 });
            pending.insert(LogIndex(index), term, &request(index, 1), NodeId(10));
        }
        assert_eq!(pending.take_through(LogIndex(1)).len(), 1);
        let old = pending.take_other_terms(Term(2));
        assert_eq!(old.iter().map(|w| w.client).collect::<Vec<_>>(), vec![ClientId(2)]);
        assert!(pending.tick(1).is_empty());
        assert_eq!(pending.tick(1).len(), 2, "two ticks exceed a one-tick timeout");
        assert_eq!(pending.len(), 0);
    }
}
