//! `Ready`: the effects a consensus node asks its host to carry out, as data.

use crate::message::Message;
use crate::types::{Entry, HardState, ReadState, Snapshot};

/// Everything a node wants done since the last `ready()`. The host MUST carry it out in this
/// order (Figure 2: "respond to RPCs only after updating stable storage"):
///
/// 1. persist `hard_state`, `snapshot` and `entries` (see [`crate::PersistedState::apply`]);
/// 2. only then send `messages`;
/// 3. then apply `snapshot_to_apply` (if any) to the service, then `committed_entries` in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ready {
    /// New `current_term` / `voted_for` to persist, if either changed.
    pub hard_state: Option<HardState>,
    /// A snapshot to persist. The durable log is emptied when it is persisted; every log entry
    /// the node keeps after the snapshot is then repeated in `entries` of the same `Ready`.
    pub snapshot: Option<Snapshot>,
    /// Log entries to persist (etcd semantics): append them; an entry whose index already exists
    /// in storage replaces it and everything after it.
    pub entries: Vec<Entry>,
    /// Messages to send, after persisting.
    pub messages: Vec<Message>,
    /// A snapshot the service must load (installed from a leader, or the persisted one after a
    /// restart). Apply it before `committed_entries`, which then continue from its index + 1.
    pub snapshot_to_apply: Option<Snapshot>,
    /// Newly committed entries, consecutive, starting at the previous `last_applied` + 1.
    /// Returning them counts as applying them: `last_applied` moves to the last one.
    pub committed_entries: Vec<Entry>,
    /// Reads started with [`Consensus::read_index`](crate::Consensus::read_index) that are now
    /// safe to serve once the service has applied through their index (§6.4). Carrying them
    /// out needs nothing of the host but handing them to the service.
    pub read_states: Vec<ReadState>,
}

impl Ready {
    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.hard_state.is_none()
            && self.snapshot.is_none()
            && self.entries.is_empty()
            && self.messages.is_empty()
            && self.snapshot_to_apply.is_none()
            && self.committed_entries.is_empty()
            && self.read_states.is_empty()
    }
}
