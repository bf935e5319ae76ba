//! What a leader keeps for ReadIndex and lease reads (§6.4): the reads waiting, the
//! leadership-check rounds sent and acknowledged (and, for leases, when they were sent), and the
//! reads confirmed since the last `ready()`. The rules that move them live in `read_index.rs`
//! and `lease_reads.rs`.

use std::collections::BTreeMap;

use crate::types::{LogIndex, NodeId, ReadState};

/// A leader's reads and its leadership-check rounds.
#[derive(Debug, Default)]
pub(crate) struct Reads {
    /// The last round sent. Rounds count up for the node's whole life, never reset, so an
    /// acknowledgement from another term can never stand for a round of this one.
    pub(crate) round: u64,
    /// Per follower, the highest round it acknowledged in this term.
    pub(crate) acked: BTreeMap<NodeId, u64>,
    pub(crate) waiting: Vec<WaitingRead>,
    /// With leases on: the leader's tick count when each round still of use was sent (the
    /// last round a majority acknowledged, and any later).
    pub(crate) sent_at: BTreeMap<u64, u64>,
    /// With leases on: the leader's tick count at the last read, so a lease is renewed only
    /// while reads come (an idle leader sends no rounds).
    pub(crate) last_read_at: Option<u64>,
    /// Reads confirmed since the last `ready()`.
    pub(crate) confirmed: Vec<ReadState>,
}

#[derive(Debug)]
pub(crate) struct WaitingRead {
    pub(crate) request: u64,
    /// Step 2's commit index, once an entry of the leader's term is committed.
    pub(crate) index: Option<LogIndex>,
    /// The first round sent after the read arrived: any round from it on confirms it.
    pub(crate) round: Option<u64>,
}
