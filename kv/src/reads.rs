//! The server's table of ReadIndex reads: each `Get` taken by Raft's `read_index` waits here,
//! by the request id handed to Raft, for its confirmed index and then for the state machine
//! to apply through it.

use std::collections::BTreeMap;

use raft::{LogIndex, NodeId, Term};

use crate::rpc::Request;

/// One read in flight.
#[derive(Clone, Debug)]
pub(crate) struct WaitingRead {
    pub(crate) request: Request,
    pub(crate) clerk: NodeId,
    /// The term of the leadership that took the read: it dies with that term.
    pub(crate) term: Term,
    /// Raft's confirmed read index, once it is handed out.
    pub(crate) index: Option<LogIndex>,
    pub(crate) age_ticks: u32,
}

/// The reads in flight, by the id Raft knows them by.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reads {
    next_id: u64,
    by_id: BTreeMap<u64, WaitingRead>,
    /// The term in which this server last proposed a no-op for its reads.
    pub(crate) noop_term: Option<Term>,
}

impl Reads {
    /// Adds a read; returns the id to hand to Raft.
    pub(crate) fn insert(&mut self, request: &Request, clerk: NodeId, term: Term) -> u64 {
        self.next_id += 1;
        let read = WaitingRead { request: request.clone(), clerk, term, index: None, age_ticks: 0 };
        self.by_id.insert(self.next_id, read);
        self.next_id
    }

    /// Raft confirmed read `id` at `index` (an id this table no longer has is ignored).
    pub(crate) fn confirm(&mut self, id: u64, index: LogIndex) {
        if let Some(read) = self.by_id.get_mut(&id) {
            read.index = Some(index);
        }
    }

    /// Removes the reads whose index is confirmed and applied.
    pub(crate) fn take_servable(&mut self, applied: LogIndex) -> Vec<WaitingRead> {
        self.take_where(|r| r.index.is_some_and(|index| index <= applied))
    }

    /// Removes the reads taken under a leadership other than `term` (`None`: every read).
    pub(crate) fn take_stale(&mut self, term: Option<Term>) -> Vec<WaitingRead> {
        self.take_where(|r| Some(r.term) != term)
    }

    /// One tick passed: removes the reads that waited longer than `timeout`.
    pub(crate) fn tick(&mut self, timeout: u32) -> Vec<WaitingRead> {
        for read in self.by_id.values_mut() {
            read.age_ticks = read.age_ticks.saturating_add(1);
        }
        self.take_where(|r| r.age_ticks > timeout)
    }

    /// Removes read `id`, if it is still here.
    pub(crate) fn remove(&mut self, id: u64) -> Option<WaitingRead> {
        self.by_id.remove(&id)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }

    fn take_where(&mut self, remove: impl Fn(&WaitingRead) -> bool) -> Vec<WaitingRead> {
        let (gone, kept): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.by_id).into_iter().partition(|(_, r)| remove(r));
        self.by_id = kept;
        gone.into_values().collect()
    }
}
