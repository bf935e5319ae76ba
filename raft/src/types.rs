//! The Raft vocabulary as newtypes: node ids, terms, log indices, commands and log entries, and
//! the two values built from them that messages, `Ready` and the durable state all carry: the
//! hard state and the snapshot.

use std::fmt;
use std::sync::Arc;

/// The identity of one Raft server. Displayed as `n3`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u64);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

/// A Raft term (§5.1): a logical clock that only moves forward. Term 0 means "no term yet".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term(pub u64);

impl Term {
    /// The term every fresh node starts in, before any election.
    pub const ZERO: Term = Term(0);

    /// The term a candidate moves to when it starts an election.
    pub fn next(self) -> Term {
        Term(self.0.saturating_add(1))
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A position in the replicated log. The first entry has index 1; index 0 is the empty prefix.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogIndex(pub u64);

impl LogIndex {
    /// The empty prefix of every log: it matches everywhere, with term 0.
    pub const ZERO: LogIndex = LogIndex(0);

    /// The index just after this one.
    pub fn next(self) -> LogIndex {
        LogIndex(self.0.saturating_add(1))
    }

    /// The index just before this one (0 stays 0).
    pub fn prev(self) -> LogIndex {
        LogIndex(self.0.saturating_sub(1))
    }
}

impl fmt::Display for LogIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An opaque command for the replicated state machine. Raft never looks inside; cloning is cheap
/// (a reference count) because the same command travels to every follower and to the service.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Command(Arc<[u8]>);

impl Command {
    /// Wraps the service's encoded command.
    pub fn new(bytes: impl Into<Arc<[u8]>>) -> Command {
        Command(bytes.into())
    }

    /// The encoded command, exactly as proposed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length of the encoded command in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for a zero-length command.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Command {
    fn from(bytes: Vec<u8>) -> Command {
        Command(bytes.into())
    }
}

impl From<&[u8]> for Command {
    fn from(bytes: &[u8]) -> Command {
        Command(bytes.into())
    }
}

impl From<&str> for Command {
    fn from(text: &str) -> Command {
        Command(text.as_bytes().into())
    }
}

/// One log entry (§5.3): the command, the term in which a leader received it, and its index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    pub term: Term,
    pub index: LogIndex,
    pub command: Command,
}

impl Entry {
    /// Bytes this entry occupies on the wire and on disk: term, index and the command.
    pub fn size_bytes(&self) -> usize {
        16 + self.command.len()
    }
}

impl fmt::Display for Entry {
    /// `term/index`, the notation the message traces use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.term, self.index)
    }
}

/// The small persistent state of Figure 2 besides the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HardState {
    pub current_term: Term,
    pub voted_for: Option<NodeId>,
}

/// A snapshot of the service's state machine (§7): everything up to and including
/// `last_included_index`, which had term `last_included_term`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Snapshot {
    pub last_included_index: LogIndex,
    pub last_included_term: Term,
    /// The service's encoded state; opaque to Raft and cheap to clone.
    pub data: Arc<[u8]>,
}

/// A read confirmed by [`Consensus::read_index`](crate::Consensus::read_index): serve `request` once the state machine has
/// applied through `index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReadState {
    /// The caller's id for the read, as passed to `read_index`.
    pub request: u64,
    /// The commit index the read must see.
    pub index: LogIndex,
}
