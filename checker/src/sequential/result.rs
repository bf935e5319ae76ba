//! What a sequential-consistency check found: the verdict, and why when it is a violation.
use std::time::Duration;

use crate::consistency::{Consistency, Decision, Judgement};
use crate::history::ClientId;
use crate::result::Undecided;

/// A frontier operation that could not be placed after the longest consistent prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub client: ClientId,
    /// The operation (history index): its client's next in program order.
    pub op: usize,
    /// The part of the state it touches (`key "x"`, or `all`).
    pub part: String,
    /// That part's state after the prefix, in the model's words: what a read would have
    /// returned there.
    pub state: String,
    /// `None` when the operation is illegal in that state (its recorded output is not what
    /// the model gives there). Otherwise it could go there, but some read (history index)
    /// could then never be placed: its state would be gone for good.
    pub starves: Option<usize>,
}

/// The outcome of [`check_sequential`](crate::check_sequential).
#[derive(Clone, Debug)]
pub struct SequentialResult {
    /// Always [`Consistency::Sequential`]: what `verdict` is about.
    pub consistency: Consistency,
    pub verdict: Decision,
    /// Why the verdict is Unknown, if it is.
    pub undecided: Option<Undecided>,
    /// Operations searched (unknown-outcome reads are left out: they constrain nothing).
    pub ops: usize,
    /// Clients, each with its program.
    pub clients: usize,
    pub steps: u64,
    pub elapsed: Duration,
    /// When the history is sequentially consistent, one order of its operations (history
    /// indices; the unknown-outcome ones it chose to include). Otherwise the longest
    /// sequence the search managed to place.
    pub longest_prefix: Vec<usize>,
    /// When not sequentially consistent: every client's next operation after the longest
    /// prefix, none of which can be placed there.
    pub blocked: Vec<Blocked>,
}

impl SequentialResult {
    /// The verdict with its consistency, worded for it (`not sequentially consistent`).
    pub fn judgement(&self) -> Judgement {
        Judgement { consistency: self.consistency, decision: self.verdict }
    }
}
