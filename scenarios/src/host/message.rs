//! The one wire of every hosted process: kv's `KvMessage` (Raft's messages between servers,
//! clerk requests and server replies), so a Raft-only world and a KV world share one `Msg`.
use std::fmt;

use kv::KvMessage;

/// A message between hosted processes (a newtype: the simulator's `Message` trait is not kv's
/// to implement).
#[derive(Clone, Debug, Hash)]
pub struct Msg(pub KvMessage);

impl Msg {
    /// A Raft message between servers.
    pub fn raft(message: raft::Message) -> Msg {
        Msg(KvMessage::Raft(message))
    }
}

impl sim::Message for Msg {
    fn size_bytes(&self) -> usize {
        self.0.size_bytes()
    }

    fn kind(&self) -> &'static str {
        self.0.kind()
    }

    fn is_reply(&self) -> bool {
        self.0.is_reply()
    }
}

impl fmt::Display for Msg {
    /// Raft's one-line form without its `from->to` prefix (the trace prints it), else kv's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            KvMessage::Raft(m) => {
                let line = m.to_string();
                f.write_str(line.split_once(' ').map_or(line.as_str(), |(_, rest)| rest))
            }
            other => write!(f, "{other}"),
        }
    }
}
