//! What a fast path found, before its operations are named for the report.
use super::cycle::Violation;

/// What a fast path found, before the operations are named.
pub(crate) enum Found {
    /// History indices in linearization order.
    Order(Vec<usize>),
    Violation(Violation),
    /// The history is outside what this fast path can decide exactly.
    Fallback,
}
