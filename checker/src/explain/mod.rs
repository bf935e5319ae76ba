//! Explaining a violation: a minimal failing sub-history found by delta debugging, and the
//! model's states along a linearization.
//!
//! [`minimize`] shrinks a NotLinearizable partition to a 1-minimal *core*: operations whose
//! recorded responses cannot all be linearized, even when every other state-changing operation
//! of the partition is allowed to have taken effect at any time after its call, or never.
//! The witness therefore proves the original history is not linearizable (see
//! `candidate.rs` for why plain deletion would not).
mod candidate;
mod ddmin;
mod minimize;
mod replay;

pub use ddmin::ddmin;
pub use minimize::{
    explain_first_failure, minimize, Cut, Explanation, Minimal, MinimizeOptions, DEFAULT_MAX_STEPS,
};
pub use replay::replay;
