//! The linearizability search: entry lists, interned states, the memo, and the scheduler.
mod cuts;
mod entries;
pub(crate) mod fxhash;
mod linearize;
mod linearized;
mod memo;
mod partition;
mod prune;
mod segmented;
mod states;

pub use partition::check;
