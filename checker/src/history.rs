//! Histories: completed and unknown-outcome operations with call and return times.
//!
//! This is the contract between the parsers (which produce [`History`]s from files) and the
//! models and search (which consume them). Times are abstract ticks: only their order matters.
//! At equal times a call comes before a return (an operation that returns at `t` precedes
//! one called at `t` only if the return is strictly earlier), which is how Porcupine reads
//! histories whose clocks have coarse resolution.

use std::fmt;

/// The client (Jepsen: process) that issued an operation. One client has at most one
/// operation open at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientId(pub u64);

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "c{}", self.0)
    }
}

/// What became of an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<O> {
    /// The client saw this output at `at`: the operation took effect between call and `at`.
    Returned { at: u64, output: O },
    /// No response (client timed out, process crashed, Jepsen `:info`, still open at the
    /// end): the operation may have taken effect at any point after its call, or never.
    Unknown,
}

/// One operation of a history. Failed operations (Jepsen `:fail`) are not operations: they
/// did not happen, and parsers leave them out; except a failed CAS read as an observation
/// (`crate::parse::FailedCas`), which returned "compare failed".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation<I, O> {
    pub client: ClientId,
    pub input: I,
    pub call: u64,
    pub outcome: Outcome<O>,
    /// Where the operation came from (1-based line of its call in the input file, or 0), so
    /// reports can point at the file.
    pub line: usize,
}

impl<I, O> Operation<I, O> {
    /// The return time, or `None` when the outcome is unknown.
    pub fn return_time(&self) -> Option<u64> {
        match self.outcome {
            Outcome::Returned { at, .. } => Some(at),
            Outcome::Unknown => None,
        }
    }
}

/// A history: operations in no particular order (the search orders them by time).
pub type History<I, O> = Vec<Operation<I, O>>;
