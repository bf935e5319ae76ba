//! The service's vocabulary: client sessions (`ClientId`, `Seq`) and the three operations.

use std::fmt;

/// One client session. A clerk picks its id once (6.824 draws a random 62-bit number) and tags
/// every request with it, so servers can recognise a retry. Displayed as `c7`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub u64);

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// The position of a request in its client's sequence: 1 for the first operation, then one
/// more per operation. A clerk has one operation outstanding at a time, so when a server has
/// applied `seq` for a client, every lower `seq` of that client was applied before it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seq(pub u64);

impl Seq {
    /// The sequence number following this one.
    pub fn next(self) -> Seq {
        Seq(self.0.saturating_add(1))
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A key/value operation. Missing keys read as the empty string, and `Append` to a missing key
/// acts like `Put` (the 6.824 semantics the checker's `kv` model follows).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    Get { key: String },
    Put { key: String, value: String },
    Append { key: String, value: String },
}

impl Op {
    /// The key the operation touches.
    pub fn key(&self) -> &str {
        match self {
            Op::Get { key } | Op::Put { key, .. } | Op::Append { key, .. } => key,
        }
    }

    /// True for `Get`, the one operation that only reads.
    pub fn is_read(&self) -> bool {
        matches!(self, Op::Get { .. })
    }

    /// Payload bytes: the key and, for writes, the value.
    pub fn size_bytes(&self) -> usize {
        match self {
            Op::Get { key } => key.len(),
            Op::Put { key, value } | Op::Append { key, value } => key.len() + value.len(),
        }
    }
}

impl fmt::Display for Op {
    /// `Get "k"`, `Put "k" "v"`, `Append "k" "v"`; strings are escaped, so always one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Get { key } => write!(f, "Get {key:?}"),
            Op::Put { key, value } => write!(f, "Put {key:?} {value:?}"),
            Op::Append { key, value } => write!(f, "Append {key:?} {value:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_escapes_so_an_op_stays_on_one_line() {
        let op = Op::Append { key: "k\n".into(), value: "a\"b".into() };
        assert_eq!(op.to_string(), r#"Append "k\n" "a\"b""#);
        assert_eq!(Op::Get { key: "x".into() }.to_string(), r#"Get "x""#);
        assert_eq!(ClientId(7).to_string(), "c7");
        assert_eq!(op.size_bytes(), 5);
        assert_eq!(op.key(), "k\n");
        assert!(!op.is_read());
    }
}
