//! What travels between simulated nodes (`Message`): hashed into the trace, shown in one line,
//! counted by kind and size.
use std::fmt;
use std::hash::Hash;

/// A network message. `Hash` feeds the trace hash (derive it); `Display` is the one-line form
/// used in traces (`Append t3 prev=2/7 [3/8] commit=7`).
pub trait Message: Clone + fmt::Debug + fmt::Display + Hash {
    /// Bytes on the wire, for the byte counters (labrpc's measure uses it).
    fn size_bytes(&self) -> usize;
    /// A short name for the per-kind counters, e.g. `"AppendEntries"`. Return literals.
    fn kind(&self) -> &'static str;
    /// Replies are dropped with `drop_replies` and delayed by long reordering; requests are
    /// dropped with `drop_requests`, delayed by `request_delay`, and may come back through
    /// `Node::on_undeliverable`.
    fn is_reply(&self) -> bool {
        false
    }
}
