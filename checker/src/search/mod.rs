//! The linearizability search: entry lists, interned states, the memo, and the scheduler.
mod entries;
mod fxhash;
mod linearize;
mod memo;
mod partition;
mod prune;
mod states;

pub use partition::check;
