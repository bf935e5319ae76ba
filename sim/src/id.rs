//! Identifiers: `NodeId` names a simulated process (server or client), `TimerId` a pending timer.
use std::fmt;

/// A simulated process: a server or a client. Displayed as `n1`.
///
/// Ids index per-node tables directly, so keep them below a few hundred thousand; sparse ids
/// (clients from 1000 on) are fine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl NodeId {
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("n{}", self.0))
    }
}

/// A timer set by a node; unique for the whole run, so a stale id never cancels a newer timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub(crate) u64);

impl fmt::Display for TimerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The low bits are a slab slot; the high bits the event sequence, which reads better.
        write!(f, "#{}", self.0 >> crate::queue::SLOT_BITS)
    }
}
