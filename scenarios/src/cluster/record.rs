//! The cluster-side applied-log record per server (the lab's `cfg.logs[i]`): it survives
//! crashes and is replaced by the snapshot when a service loads one. Since state machine
//! safety makes every server's command at an index the cluster's, the record only needs how
//! far each server has applied; the commands come from the history.
use raft::LogIndex;
use sim::NodeId;

#[derive(Clone, Debug, Default)]
pub struct AppliedRecord {
    ends: Vec<LogIndex>,
}

impl AppliedRecord {
    fn end_mut(&mut self, node: NodeId) -> &mut LogIndex {
        let i = node.0 as usize;
        if self.ends.len() <= i {
            self.ends.resize(i + 1, LogIndex::ZERO);
        }
        &mut self.ends[i]
    }

    /// The highest index `node`'s record holds.
    pub fn end(&self, node: NodeId) -> LogIndex {
        self.ends.get(node.0 as usize).copied().unwrap_or_default()
    }

    pub fn applied(&mut self, node: NodeId, index: LogIndex) {
        let end = self.end_mut(node);
        *end = (*end).max(index);
    }

    /// The service loaded a snapshot: its record becomes exactly the snapshot's prefix.
    pub fn ingest_snapshot(&mut self, node: NodeId, index: LogIndex) {
        *self.end_mut(node) = index;
    }
}
