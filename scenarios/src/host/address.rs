//! The one place where the simulator's addresses (`sim::NodeId`, 32 bits) and the addresses
//! Raft and kv speak (`raft::NodeId`, 64 bits) meet. A server `n3` is `sim::NodeId(3)` and
//! `raft::NodeId(3)`; a clerk is addressed the same way. Converting towards the simulator is
//! checked, never truncated: an implementation that addresses a message to a node that cannot
//! exist has broken its contract, and the host says so instead of delivering it elsewhere.
use sim::NodeId;

/// The Raft/kv address of a simulated node.
pub fn to_raft(id: NodeId) -> raft::NodeId {
    raft::NodeId(u64::from(id.0))
}

/// The simulated node a Raft/kv address names, or `None` if no node can have it.
pub fn to_sim(id: raft::NodeId) -> Option<NodeId> {
    u32::try_from(id.0).ok().map(NodeId)
}

/// The Raft/kv addresses of a list of simulated nodes.
pub fn all_to_raft(ids: &[NodeId]) -> Vec<raft::NodeId> {
    ids.iter().copied().map(to_raft).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_and_out_of_range_ones_are_refused() {
        assert_eq!(to_raft(NodeId(7)), raft::NodeId(7));
        assert_eq!(to_sim(raft::NodeId(7)), Some(NodeId(7)));
        assert_eq!(to_sim(raft::NodeId(u64::from(u32::MAX))), Some(NodeId(u32::MAX)));
        // A truncating cast would have sent this to n0.
        assert_eq!(to_sim(raft::NodeId(1 << 32)), None);
    }
}
