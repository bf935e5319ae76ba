//! The server's table of follower reads that wait for their session: a `Get` whose clerk has
//! seen a later log index than this server has applied waits here, in arrival order, until
//! the server applies that index or the request's patience runs out.

use raft::{LogIndex, NodeId};

use crate::rpc::Request;

/// One read waiting for the server to apply `after`.
#[derive(Clone, Debug)]
pub(crate) struct SessionRead {
    pub(crate) request: Request,
    pub(crate) clerk: NodeId,
    pub(crate) after: LogIndex,
    age_ticks: u32,
}

/// The waiting reads, oldest first (a `Vec`: answers go out in arrival order).
#[derive(Clone, Debug, Default)]
pub(crate) struct SessionReads {
    waiting: Vec<SessionRead>,
}

impl SessionReads {
    /// Parks `request` from `clerk` until the server has applied `after`.
    pub(crate) fn insert(&mut self, request: &Request, clerk: NodeId, after: LogIndex) {
        let read = SessionRead { request: request.clone(), clerk, after, age_ticks: 0 };
        self.waiting.push(read);
    }

    /// Removes the reads the server can answer now that it has applied `applied`.
    pub(crate) fn take_servable(&mut self, applied: LogIndex) -> Vec<SessionRead> {
        self.take_where(|r| r.after <= applied)
    }

    /// One tick passed: removes the reads that waited longer than `timeout`.
    pub(crate) fn tick(&mut self, timeout: u32) -> Vec<SessionRead> {
        for read in &mut self.waiting {
            read.age_ticks = read.age_ticks.saturating_add(1);
        }
        self.take_where(|r| r.age_ticks > timeout)
    }

    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }

    fn take_where(&mut self, remove: impl Fn(&SessionRead) -> bool) -> Vec<SessionRead> {
        let (gone, kept) = std::mem::take(&mut self.waiting).into_iter().partition(remove);
        self.waiting = kept;
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ClientId, Op, Seq};

    fn get(client: u64) -> Request {
        let op = Op::Get { key: "k".into() };
        Request { client: ClientId(client), seq: Seq(1), op, session_index: None }
    }

    #[test]
    fn reads_leave_once_applied_through_their_index_or_too_old() {
        let mut reads = SessionReads::default();
        reads.insert(&get(1), NodeId(10), LogIndex(3));
        reads.insert(&get(2), NodeId(11), LogIndex(5));
        assert!(reads.take_servable(LogIndex(2)).is_empty());
        let served = reads.take_servable(LogIndex(4));
        assert_eq!(served.iter().map(|r| r.clerk).collect::<Vec<_>>(), vec![NodeId(10)]);
        assert!(reads.tick(1).is_empty());
        assert_eq!(reads.tick(1).len(), 1, "two ticks exceed a one-tick timeout");
        assert_eq!(reads.len(), 0);
    }
}
