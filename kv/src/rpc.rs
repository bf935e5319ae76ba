//! What clerks and servers say to each other: requests, replies, and one wire enum that also
//! carries Raft's messages, so a host can put a whole KV cluster on one network.

use std::fmt;

use crate::types::{ClientId, Op, Seq};

/// A clerk's request: operation `op`, the `seq`-th of session `client`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Request {
    pub client: ClientId,
    pub seq: Seq,
    pub op: Op,
}

impl Request {
    /// Bytes on the wire: client id, sequence number, a tag and the payload.
    pub fn size_bytes(&self) -> usize {
        8 + 8 + 1 + self.op.size_bytes()
    }
}

impl fmt::Display for Request {
    /// `c7#3 Append "x" "y"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{} {}", self.client, self.seq, self.op)
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    pub client: ClientId,
    pub seq: Seq,
    /// The value read by a `Get` (empty for a missing key), empty for `Put` and `Append`.
    pub result: Result<String, KvError>,
}

impl Reply {
    /// Bytes on the wire: client id, sequence number, a status byte and the value.
    pub fn size_bytes(&self) -> usize {
        8 + 8 + 1 + self.result.as_ref().map_or(0, String::len)
    }
}

impl fmt::Display for Reply {
    /// `c7#3 ok "xy"` or `c7#3 err wrong-leader`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{} ", self.client, self.seq)?;
        match &self.result {
            Ok(value) => write!(f, "ok {value:?}"),
            Err(error) => write!(f, "err {error}"),
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
        };
        assert_eq!(request.to_string(), r#"c7#3 Append "x" "y""#);
        assert_eq!(request.size_bytes(), 19);
        let ok = Reply { client: ClientId(7), seq: Seq(3), result: Ok("xy".into()) };
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
}
