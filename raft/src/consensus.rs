//! The consensus contract: what any Raft (the reference one, or a student's) offers its host.

use std::fmt;
use std::sync::Arc;

use crate::config::Config;
use crate::message::Message;
use crate::persist::PersistedState;
use crate::ready::Ready;
use crate::types::{Command, Entry, LogIndex, NodeId, Term};

/// A Raft server as a sans-IO state machine: it has no clock, no threads and no IO. The host (a
/// simulator adapter, a KV server, a lab harness) drives it with three inputs and collects its
/// effects as data.
///
/// # Inputs
/// - [`tick`](Consensus::tick): one unit of logical time has passed. The host calls it every
///   tick interval (10 ms of virtual time is the suggested interval; [`Config`] timeouts count
///   ticks). All timers (election timeout, heartbeat interval) are counted in ticks.
/// - [`step`](Consensus::step): a message from another server arrived. Messages are untrusted:
///   a stale, duplicated, reordered or malformed message must be ignored (or answered), never
///   panic.
/// - [`propose`](Consensus::propose) and [`snapshot`](Consensus::snapshot): requests from the
///   service above.
///
/// # Effects
/// After any input the host calls [`ready`](Consensus::ready) and MUST carry out the returned
/// [`Ready`] in this order:
/// 1. **persist** `hard_state`, `snapshot` and `entries` (fold them into the durable copy with
///    [`PersistedState::apply`]);
/// 2. **then send** `messages` (each `Message` knows its `to`; delivery may lose, duplicate,
///    delay or reorder them);
/// 3. **then apply**, in order: `snapshot_to_apply` if present, then `committed_entries`.
///
/// Persisting before sending is what makes a vote or an acknowledgement survive a crash
/// (Figure 2: "Updated on stable storage before responding to RPCs"). The host checks that
/// committed entries arrive strictly in order: each is `last_applied + 1`, and a snapshot moves
/// `last_applied` to its index.
///
/// # Restart
/// A crash loses everything but the durable copy. A restart is
/// [`restart`](Consensus::restart)`(config, &persisted)` with exactly what was persisted;
/// `PersistedState::default()` is a fresh node. A node restarted from a state holding a
/// snapshot hands that snapshot back in `snapshot_to_apply` of its first `Ready`, so the service
/// rebuilds itself through the same path as an installed snapshot; it then applies from the
/// snapshot's index + 1 as entries are (re)committed.
///
/// # Indices
/// Log indices start at 1. A leader does NOT append a no-op entry when elected: the first three
/// commands proposed to a fresh cluster get indices 1, 2 and 3 (6.824's basic agreement test).
/// The price: a new leader commits entries of earlier terms only once an entry of its own term
/// is replicated (Figure 8), so a service should keep proposing.
pub trait Consensus {
    /// Builds a node from its configuration and what it last persisted.
    fn restart(config: Config, persisted: &PersistedState) -> Self
    where
        Self: Sized;

    /// One tick of logical time: may start an election or send heartbeats.
    fn tick(&mut self);

    /// Handles one message from another server.
    fn step(&mut self, message: Message);

    /// Asks to replicate `command`. A leader appends it and returns the `(index, term)` it will
    /// be committed at, if it ever is; there is no guarantee it commits (the leader may lose
    /// its position), so a service watches what is applied at that index. Any other node
    /// refuses with a hint of who the leader may be.
    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader>;

    /// The service has a snapshot of its state up to and including `index` (which it has
    /// applied): the node may discard its log through `index` (§7). Ignored if `index` is not
    /// applied yet or already compacted.
    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>);

    /// Collects the effects produced since the last call (see the trait docs for the order).
    fn ready(&mut self) -> Ready;

    /// A summary for hosts, testers and invariant checkers.
    fn status(&self) -> Status;

    /// The term of the entry at `index`: `Some` for index 0 (term 0), for the snapshot's last
    /// included index and for every entry still in the log; `None` for compacted or absent
    /// indices. Lets cluster checkers test log matching on any implementation.
    fn log_term(&self, index: LogIndex) -> Option<Term>;

    /// The entry at `index` if it is still in the log (not compacted, not beyond the end).
    fn log_entry(&self, index: LogIndex) -> Option<Entry>;

    /// Starts a linearizable read without a log entry: ReadIndex, §6.4 of the Raft
    /// dissertation. The leader notes its commit index once it has committed an entry of its
    /// own term, confirms with a round of acknowledgements from a majority that it still leads,
    /// and then hands `ReadState { request, index }` out in a later [`Ready`]'s `read_states`:
    /// the service may answer the read from its state once it has applied through `index`.
    ///
    /// A leader that has not committed an entry of its term yet holds the read until it has
    /// (it never appends one of its own, see Indices above): a service should then propose
    /// something, a no-op if it has nothing else ([`ReadRefused`] says nothing of this; the
    /// read simply waits). A read that loses its leader on the way is never answered: the
    /// service gives up on it when the term changes, as it does for a proposal.
    ///
    /// With leader leases configured (`Config::lease`, §6.4.1), a leader that holds a lease
    /// may skip the round and hand the read out in the very next `Ready`; an implementation
    /// may ignore `Config::lease` and always confirm with a round, which is always safe.
    ///
    /// Optional: the default refuses with [`ReadRefused::Unsupported`], and a service then
    /// sends the read through the log, as before.
    fn read_index(&mut self, request: u64) -> Result<(), ReadRefused> {
        let _ = request;
        Err(ReadRefused::Unsupported)
    }
}

/// Why [`Consensus::read_index`] did not take a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum ReadRefused {
    /// Only a leader serves ReadIndex reads.
    #[error(transparent)]
    NotLeader(#[from] NotLeader),
    /// This implementation has no ReadIndex: send the read through the log.
    #[error("this implementation does not serve reads outside the log")]
    Unsupported,
}

/// The three roles of §5.1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Follower,
    Candidate,
    Leader,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        })
    }
}

/// A snapshot of a node's volatile and persistent state, for hosts and checkers.
/// Invariant: `snapshot_index <= last_applied <= commit_index <= last_log_index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Status {
    pub id: NodeId,
    pub current_term: Term,
    pub role: Role,
    /// Who this node believes leads `current_term` (itself when leader), if anyone.
    pub leader_hint: Option<NodeId>,
    pub commit_index: LogIndex,
    /// The last entry handed to the service through `Ready` (or covered by a snapshot).
    pub last_applied: LogIndex,
    pub last_log_index: LogIndex,
    /// The last index covered by the node's snapshot (0 without one).
    pub snapshot_index: LogIndex,
}

/// `propose` on a node that is not the leader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("not the leader (leader hint: {leader_hint:?})")]
pub struct NotLeader {
    /// The leader of the node's current term, if it knows one: where a client should retry.
    pub leader_hint: Option<NodeId>,
}
