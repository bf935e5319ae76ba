//! Interpretation: from a parsed [`RawHistory`] to a model's typed [`History`], and the model
//! a file is checked against by default.
//!
//! Each model has a small file saying which functions it knows and how their values read.
//! An operation that does not fit is an error naming the file, the line and the model.
mod convert;
mod infer;
mod kv;
mod multi_register;
mod mutex;
mod queue;
mod register;
mod set;
mod values;

pub use infer::default_model;

use crate::history::History;
use crate::model::Model;
use crate::models::{
    CasRegister, Kv, ModelKind, MultiRegister, Mutex, Queue, Register, Set, VersionedKv,
};
use crate::parse::{ParseError, RawHistory};

/// Something to do with a typed history, whatever its model: the caller's generic code runs
/// once per model type, chosen at run time by [`with_model`].
pub trait WithModel {
    type Output;
    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Self::Output;
}

/// Interprets `raw` for the model `kind` and hands the typed history to `task`.
pub fn with_model<T: WithModel>(
    raw: &RawHistory,
    kind: ModelKind,
    task: T,
) -> Result<T::Output, ParseError> {
    Ok(match kind {
        ModelKind::Register => task.run(Register::new(None), register::register(raw)?),
        ModelKind::CasRegister => task.run(CasRegister::new(None), register::cas_register(raw)?),
        ModelKind::MultiRegister => task.run(MultiRegister, multi_register::history(raw)?),
        ModelKind::Kv => task.run(Kv, kv::kv(raw)?),
        ModelKind::VersionedKv => task.run(VersionedKv, kv::versioned_kv(raw)?),
        ModelKind::Mutex => task.run(Mutex, mutex::history(raw)?),
        ModelKind::Set => task.run(Set, set::history(raw)?),
        ModelKind::Queue => task.run(Queue, queue::history(raw)?),
    })
}
