//! What clerks and servers say to each other: requests, replies, and one wire enum that also
//! carries Raft's messages, so a host can put a whole KV cluster on one network.

use std::fmt;
use std::hash::{Hash, Hasher};

use raft::LogIndex;

use crate::types::{ClientId, Op, Seq};

/// A clerk's request: operation `op`, the `seq`-th of session `client`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub client: ClientId,
    pub seq: Seq,
    pub op: Op,
    /// Follower reads only (`ReadPath::Follower`): the highest log index any earlier answer
    /// of this session reflected. A server answers a `Get` only once it has applied at least
    /// this index, so the session never reads older state than it has already seen. `None`
    /// on every other read path, and then it costs nothing on the wire.
    pub session_index: Option<LogIndex>,
}

impl Request {
    /// Bytes on the wire: client id, sequence number, a tag and the payload (and the session
    /// index, when there is one).
    pub fn size_bytes(&self) -> usize {
        8 + 8 + 1 + self.op.size_bytes() + self.session_index.map_or(0, |_| 8)
    }
}

// By hand rather than derived: an unset session index hashes as nothing at all, so every
// message of the read paths that never set it fingerprints (and traces) as it always did.
impl Hash for Request {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.client.hash(state);
        self.seq.hash(state);
        self.op.hash(state);
        if let Some(index) = self.session_index {
            index.hash(state);
        }
    }
}

impl fmt::Display for Request {
    /// `c7#3 Append "x" "y"`; a follower read's `c7#4 Get "x" session=12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{} {}", self.client, self.seq, self.op)?;
        match self.session_index {
            Some(index) => write!(f, " session={index}"),
            None => Ok(()),
        }
    }
}

/// Why a server did not answer a request with its result. Every error means "try again,
/// perhaps elsewhere": the operation may or may not take effect, and a retry with the same
/// `seq` takes effect at most once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum KvError {
    /// This server is not the leader, lost leadership, or a different command took the log
    /// index the request was proposed at.
    #[error("wrong-leader")]
    WrongLeader,
    /// The leader proposed the request but it did not commit within the server's patience.
    #[error("timeout")]
    Timeout,
}

/// A server's answer to one request, matched by the clerk through `client` and `seq`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub client: ClientId,
    pub seq: Seq,
    /// The value read by a `Get` (empty for a missing key), empty for `Put` and `Append`.
    pub result: Result<String, KvError>,
    /// Follower reads only: the log index this success reflects (a write's: an index it was
    /// applied by; a `Get`'s: the index the server had applied when it read). The clerk keeps
    /// the highest as its session index. `None` on every other read path, costing nothing.
    pub applied_index: Option<LogIndex>,
}

impl Reply {
    /// Bytes on the wire: client id, sequence number, a status byte and the value (and the
    /// applied index, when there is one).
    pub fn size_bytes(&self) -> usize {
        8 + 8
            + 1
            + self.result.as_ref().map_or(0, String::len)
            + self.applied_index.map_or(0, |_| 8)
    }
}

// By hand for the same reason as `Request`'s: unset, the applied index hashes as nothing.
impl Hash for Reply {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.client.hash(state);
        self.seq.hash(state);
        self.result.hash(state);
        if let Some(index) = self.applied_index {
            index.hash(state);
        }
    }
}

impl fmt::Display for Reply {
    /// `c7#3 ok "xy"` or `c7#3 err wrong-leader`; a follower read's `c7#4 ok "xy" applied=12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{} ", self.client, self.seq)?;
        match &self.result {
            Ok(value) => write!(f, "ok {value:?}")?,
            Err(error) => write!(f, "err {error}")?,
        }
        match self.applied_index {
            Some(index) => write!(f, " applied={index}"),
            None => Ok(()),
        }
    }
}

/// Everything that travels between KV servers and clerks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvMessage {
    /// Between servers: Raft's own RPCs.
    Raft(raft::Message),
    /// Clerk to server.
    Request(Request),
    /// Server to clerk.
    Reply(Reply),
}

impl KvMessage {
    /// Bytes on the wire, for the labrpc-style byte counters.
    pub fn size_bytes(&self) -> usize {
        match self {
            KvMessage::Raft(message) => message.size_bytes(),
            KvMessage::Request(request) => request.size_bytes(),
            KvMessage::Reply(reply) => reply.size_bytes(),
        }
    }

    /// Replies are what a lossy network drops as "the handler ran, the answer was lost".
    pub fn is_reply(&self) -> bool {
        match self {
            KvMessage::Raft(message) => message.is_reply(),
            KvMessage::Request(_) => false,
            KvMessage::Reply(_) => true,
        }
    }

    /// Short kind name for per-kind counters.
    pub fn kind(&self) -> &'static str {
        match self {
            KvMessage::Raft(message) => message.kind(),
            KvMessage::Request(_) => "KvRequest",
            KvMessage::Reply(_) => "KvReply",
        }
    }
}

impl fmt::Display for KvMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KvMessage::Raft(message) => write!(f, "{message}"),
            KvMessage::Request(request) => write!(f, "Request {request}"),
            KvMessage::Reply(reply) => write!(f, "Reply {reply}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_replies_print_on_one_line() {
        let request = Request {
            client: ClientId(7),
            seq: Seq(3),
            op: Op::Append { key: "x".into(), value: "y".into() },
            session_index: None,
        };
        assert_eq!(request.to_string(), r#"c7#3 Append "x" "y""#);
        assert_eq!(request.size_bytes(), 19);
        let ok = Reply {
            client: ClientId(7),
            seq: Seq(3),
            result: Ok("xy".into()),
            applied_index: None,
        };
        assert_eq!(ok.to_string(), r#"c7#3 ok "xy""#);
        let err = Reply { result: Err(KvError::WrongLeader), ..ok.clone() };
        assert_eq!(err.to_string(), "c7#3 err wrong-leader");
        assert_eq!(ok.size_bytes(), err.size_bytes() + 2);
        let wire = KvMessage::Reply(err);
        assert!(wire.is_reply());
        assert_eq!(wire.kind(), "KvReply");
        assert_eq!(wire.to_string(), "Reply c7#3 err wrong-leader");
        assert!(!KvMessage::Request(request).is_reply());
    }

    #[test]
    fn session_indices_cost_nothing_unless_set() {
        use std::collections::hash_map::DefaultHasher;
        fn hash(value: &impl Hash) -> u64 {
            let mut hasher = DefaultHasher::new();
            value.hash(&mut hasher);
            hasher.finish()
        }
        let op = Op::Get { key: "x".into() };
        let request =
            Request { client: ClientId(7), seq: Seq(4), op: op.clone(), session_index: None };
        // Unset, a request hashes as the derived hash of its three fields did, so traces keep
        // their hashes on the read paths that never set it.
        assert_eq!(hash(&request), hash(&(ClientId(7), Seq(4), op)));
        let follower = Request { session_index: Some(LogIndex(12)), ..request.clone() };
        assert_ne!(hash(&follower), hash(&request));
        assert_eq!(follower.size_bytes(), request.size_bytes() + 8);
        assert_eq!(follower.to_string(), r#"c7#4 Get "x" session=12"#);
        let result = Ok("v".to_string());
        let reply = Reply { client: ClientId(7), seq: Seq(4), result, applied_index: None };
        assert_eq!(hash(&reply), hash(&(ClientId(7), Seq(4), &reply.result)));
        let stamped = Reply { applied_index: Some(LogIndex(12)), ..reply.clone() };
        assert_eq!(stamped.size_bytes(), reply.size_bytes() + 8);
        assert_eq!(stamped.to_string(), r#"c7#4 ok "v" applied=12"#);
    }
}
