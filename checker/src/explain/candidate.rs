//! The history a candidate core stands for: its operations as recorded, and the partition's
//! other operations weakened so that a failing candidate is a real witness.
//!
//! Deleting operations is not sound on its own: a read of 1 is linearizable after a write of 1
//! but not alone, so a sub-history can fail where the whole history passes. Two weakenings are
//! sound (every linearization of the original is one of the weakened history):
//! - a read-only operation is deleted: it changed no state, so the others still fit;
//! - any other operation loses its response: it may take effect at any point after its call,
//!   or never, and constrains no operation by real time.
//!
//! An unknown-outcome operation called after every known one has returned can only be
//! linearized after all of them, where it constrains nothing, so it is left out too.
use std::collections::BTreeSet;

use crate::history::{History, Operation, Outcome};
use crate::model::Model;

/// Operations paired with their index in the original history.
pub(crate) type Indexed<M> = Vec<(usize, Operation<<M as Model>::Input, <M as Model>::Output>)>;

/// The history for `core` (operations kept as recorded) within `partition`, as
/// `(history index, operation)` pairs in the partition's order.
pub(crate) fn weakened<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &[usize],
    core: &[usize],
) -> Indexed<M> {
    let core: BTreeSet<usize> = core.iter().copied().collect();
    let mut kept: Indexed<M> = Vec::new();
    for &index in partition {
        let op = &history[index];
        if core.contains(&index) {
            kept.push((index, op.clone()));
        } else if !model.is_read_only(&op.input) {
            kept.push((index, Operation { outcome: Outcome::Unknown, ..op.clone() }));
        }
    }
    let last_return = kept.iter().filter_map(|(_, op)| op.return_time()).max();
    kept.retain(|(_, op)| op.return_time().is_some() || last_return.is_some_and(|t| op.call <= t));
    kept
}

/// The weakened operations of a candidate: those kept without their response.
pub(crate) fn context<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &[usize],
    core: &[usize],
) -> Vec<usize> {
    weakened(model, history, partition, core)
        .into_iter()
        .filter(|(_, op)| op.outcome == Outcome::Unknown)
        .map(|(index, _)| index)
        .collect()
}
