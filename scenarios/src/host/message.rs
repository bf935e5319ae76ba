//! The wire messages of every hosted process, as one enum the simulator can carry.
use std::fmt;

/// A message between hosted processes.
#[derive(Clone, Debug, Hash)]
pub enum Msg {
    /// Raft server to Raft server.
    Raft(raft::Message),
}

impl sim::Message for Msg {
    fn size_bytes(&self) -> usize {
        match self {
            Msg::Raft(m) => m.size_bytes(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Msg::Raft(m) => m.kind(),
        }
    }

    fn is_reply(&self) -> bool {
        match self {
            Msg::Raft(m) => m.is_reply(),
        }
    }
}

impl fmt::Display for Msg {
    /// Raft's own one-line form without its `from->to` prefix, which the trace already prints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Raft(m) => {
                let line = m.to_string();
                f.write_str(line.split_once(' ').map_or(line.as_str(), |(_, rest)| rest))
            }
        }
    }
}
