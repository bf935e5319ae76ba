//! Each client's program: its operations in the order it issued them, which sequential
//! consistency must respect (and real time need not).
//!
//! A client issues one operation at a time, so its program order is its call order (ties:
//! by input line, then by position in the history). That is only meaningful when the client's
//! operations do not overlap: one must return before (or when) the next is called. A history
//! where they overlap, or where an operation that never returned is followed by another of
//! the same client, has no program order to respect; it is refused with an error rather than
//! given one by a guess. Equal times are accepted (`return == next call`): a sequential
//! client cannot call before its previous operation returned, so equal stamps only mean a
//! coarse clock.
use std::collections::BTreeMap;
use std::fmt;

use crate::history::{ClientId, History, Operation};

/// The clients' programs: per client (in client id order), history indices in program order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Programs {
    pub(crate) clients: Vec<ClientId>,
    pub(crate) ops: Vec<Vec<usize>>,
}

/// Why a history has no program order: two operations of one client overlap in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramOrderError {
    pub client: ClientId,
    /// The earlier operation (history index) and its line.
    pub first: usize,
    pub first_line: usize,
    /// When the earlier one returned (`None`: never).
    pub first_return: Option<u64>,
    /// The later operation (history index), its line and its call time.
    pub second: usize,
    pub second_line: usize,
    pub second_call: u64,
}

/// An operation as an error names it: its line when it has one, else its history index.
fn place(index: usize, line: usize) -> String {
    match line {
        0 => format!("operation #{index}"),
        line => format!("the operation at line {line}"),
    }
}

impl fmt::Display for ProgramOrderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = place(self.first, self.first_line);
        let second = place(self.second, self.second_line);
        let returned = match self.first_return {
            Some(at) => format!("returned at {at}"),
            None => "never returned".to_string(),
        };
        write!(
            f,
            "client {} has overlapping operations: {first} {returned}, after {second} was \
             called at {}; sequential consistency needs each client's operations one after \
             another (its program order), so this history cannot be checked for it",
            self.client, self.second_call
        )
    }
}

impl std::error::Error for ProgramOrderError {}

impl Programs {
    /// Each client's operations in program order, or the first overlap found.
    pub(crate) fn of<I, O>(history: &History<I, O>) -> Result<Programs, ProgramOrderError> {
        let mut by_client: BTreeMap<ClientId, Vec<usize>> = BTreeMap::new();
        for (index, op) in history.iter().enumerate() {
            by_client.entry(op.client).or_default().push(index);
        }
        let mut programs = Programs { clients: Vec::new(), ops: Vec::new() };
        for (client, mut ops) in by_client {
            ops.sort_by_key(|&index| (history[index].call, history[index].line, index));
            for pair in ops.windows(2) {
                check_pair(history, pair[0], pair[1])?;
            }
            programs.clients.push(client);
            programs.ops.push(ops);
        }
        Ok(programs)
    }
}

/// An error unless `first` returned no later than `second` was called.
fn check_pair<I, O>(
    history: &History<I, O>,
    first: usize,
    second: usize,
) -> Result<(), ProgramOrderError> {
    let (a, b): (&Operation<I, O>, &Operation<I, O>) = (&history[first], &history[second]);
    match a.return_time() {
        Some(at) if at <= b.call => Ok(()),
        first_return => Err(ProgramOrderError {
            client: a.client,
            first,
            first_line: a.line,
            first_return,
            second,
            second_line: b.line,
            second_call: b.call,
        }),
    }
}
