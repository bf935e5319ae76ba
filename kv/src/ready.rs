//! `KvReady`: what a KV server asks its host to do after an input, as data: Raft's persistence
//! and messages, the replies to clerks, and anything malformed the server had to skip.

use std::fmt;

use raft::{ContractViolation, LogIndex, NodeId};

use crate::codec::DecodeError;
use crate::rpc::{KvMessage, Reply};

/// A reply addressed to the clerk that sent the request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClerkReply {
    pub to: NodeId,
    pub reply: Reply,
}

/// Something the server received that it could not use. None of these happen with a correct
/// Raft; a host should report them as failures rather than ignore them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KvAnomaly {
    /// A committed command that is not a KV request; the server skipped it.
    #[error("command at index {index} does not decode: {error}")]
    UndecodableCommand { index: LogIndex, error: DecodeError },
    /// A snapshot to load that does not decode; the server kept its previous state.
    #[error("snapshot through index {index} does not decode: {error}")]
    UndecodableSnapshot { index: LogIndex, error: DecodeError },
    /// A committed entry that is not the one after the last applied.
    #[error("applied index {found} after {after}")]
    OutOfOrderApply { after: LogIndex, found: LogIndex },
    /// Raft's `Ready` could not be folded into the server's copy of the durable state.
    #[error("raft broke the persistence contract: {0}")]
    Contract(ContractViolation),
}

/// The effects of one round of inputs. The host carries them out in this order:
///
/// 1. **persist** `raft` (`PersistedState::apply(&ready.raft)` on the durable copy);
/// 2. **send** `raft.messages`, then `replies` (see [`KvReady::outgoing`]);
/// 3. nothing to apply: the server already applied `raft.snapshot_to_apply` and
///    `raft.committed_entries` to its state machine; they are left in place so the host can
///    record them for its cluster checks (apply safety, in-order apply).
///
/// Applying before the host persists is safe because applying is invisible until the replies
/// go out, and they go out after the persistence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvReady {
    pub raft: raft::Ready,
    pub replies: Vec<ClerkReply>,
    pub anomalies: Vec<KvAnomaly>,
}

impl KvReady {
    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.raft.is_empty() && self.replies.is_empty() && self.anomalies.is_empty()
    }

    /// Every message to send, in order: Raft's, then the replies to clerks.
    pub fn outgoing(&self) -> Vec<(NodeId, KvMessage)> {
        let raft = self.raft.messages.iter().map(|m| (m.to, KvMessage::Raft(m.clone())));
        let replies = self.replies.iter().map(|r| (r.to, KvMessage::Reply(r.reply.clone())));
        raft.chain(replies).collect()
    }
}

impl fmt::Display for ClerkReply {
    /// `->n10 c7#3 ok "xy"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "->{} {}", self.to, self.reply)
    }
}
