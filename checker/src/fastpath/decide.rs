//! The entry point: views a partition's operations through the model, picks the fast path
//! that fits (or none), and keeps it within its budget.
use std::time::Instant;

use super::access::{Access, View};
use super::cycle::Explained;
use super::found::Found;
use super::meter::Meter;
use super::{append, register};
use crate::history::{History, Outcome};
use crate::model::Model;
use crate::result::{Undecided, Verdict};

/// What a fast path may spend.
#[derive(Clone, Copy, Debug)]
pub struct FastBudget {
    /// Give up (Undecided::Time) after this instant.
    pub deadline: Option<Instant>,
    /// Give up (Undecided::Memory) rather than allocate more than this many bytes.
    pub max_memory: usize,
}

impl Default for FastBudget {
    fn default() -> FastBudget {
        FastBudget { deadline: None, max_memory: 1 << 30 }
    }
}

/// A fast path's answer for one partition.
#[derive(Clone, Debug)]
pub enum FastResult {
    /// A full linearization: history indices in order, every operation with a known outcome
    /// and the unknown-outcome ones that took effect (the others, and unseen reads, left out).
    Linearizable { order: Vec<usize> },
    /// Why no linearization exists.
    NotLinearizable(Explained),
    /// The budget ran out first.
    Undecided(Undecided),
}

impl FastResult {
    pub fn verdict(&self) -> Verdict {
        match self {
            FastResult::Linearizable { .. } => Verdict::Linearizable,
            FastResult::NotLinearizable(_) => Verdict::NotLinearizable,
            FastResult::Undecided(_) => Verdict::Unknown,
        }
    }
}

/// Bytes a fast path holds per operation at its peak, generously: an estimate from the sizes
/// of its arrays (about 100 for registers; about 200 for append-only keys, whose graph has up
/// to two nodes and six edges per operation), not a measurement.
const BYTES_PER_OP: usize = 400;

/// Decides the partition `ops` (history indices) of `history` by a polynomial fast path, or
/// returns `None` when none applies exactly: the model has no access view for some
/// operation, written or appended values repeat, or (for failed CASes) the fast path could
/// not place them and only the search can tell. Its verdict is always the search's.
pub fn decide<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    ops: &[usize],
    budget: &FastBudget,
) -> Option<FastResult> {
    let mut meter = Meter::new(budget.deadline, budget.max_memory);
    if let Err(undecided) = meter.reserve(ops.len().saturating_mul(BYTES_PER_OP)) {
        return Some(FastResult::Undecided(undecided));
    }
    let views = views(model, history, ops)?;
    let found = if views.iter().any(|view| view.access.is_append_only()) {
        if views.iter().any(|view| !view.access.is_append_only() && !unobserved(view)) {
            return None;
        }
        append::decide(&views, &mut meter)
    } else {
        register::decide(&views, &mut meter)
    };
    match found {
        Err(undecided) => Some(FastResult::Undecided(undecided)),
        Ok(Found::Fallback) => None,
        Ok(Found::Order(order)) => Some(FastResult::Linearizable { order }),
        Ok(Found::Violation(violation)) => Some(FastResult::NotLinearizable(
            violation.explained(|index| name(model, history, index)),
        )),
    }
}

fn unobserved(view: &View<'_>) -> bool {
    view.access == Access::Unobserved
}

/// Every operation's view, or `None` if the model has none for one of them (or a return
/// comes before its call, which only a malformed history has).
fn views<'a, M: Model>(
    model: &M,
    history: &'a History<M::Input, M::Output>,
    ops: &[usize],
) -> Option<Vec<View<'a>>> {
    let mut views = Vec::with_capacity(ops.len());
    for &index in ops {
        let op = history.get(index)?;
        let (ret, output) = match &op.outcome {
            Outcome::Returned { at, output } => (Some(*at), Some(output)),
            Outcome::Unknown => (None, None),
        };
        if ret.is_some_and(|ret| ret < op.call) {
            return None;
        }
        let access = model.access(&op.input, output)?;
        views.push(View { index, access, call: op.call, ret });
    }
    Some(views)
}

/// An operation for explanations: its client and what it did (`c2 read -> 1`).
fn name<M: Model>(model: &M, history: &History<M::Input, M::Output>, index: usize) -> String {
    let op = &history[index];
    let output = match &op.outcome {
        Outcome::Returned { output, .. } => Some(output),
        Outcome::Unknown => None,
    };
    format!("{} {}", op.client, model.describe_operation(&op.input, output))
}
