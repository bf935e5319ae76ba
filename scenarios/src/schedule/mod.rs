//! Fault schedules: every fault a run's environment decides (each message's fate, each crash,
//! restart of a live server, disconnection, partition and cut link) as data that can be
//! written out, replayed instead of the seed's draws, and shrunk to the faults that matter.
mod action;
mod clients;
mod failing;
mod file;
mod kind;
mod shrink;
mod tape;

pub use action::{Action, Verb};
pub use clients::{ClientOps, ClientTape};
pub use failing::{shrink_failure, ShrinkError, ShrunkFailure};
pub use file::{Schedule, ScheduleError, FORMAT};
pub use kind::FailureKind;
pub use shrink::{atoms, shrink, Atom, Progress, ShrinkOptions, Shrunk, Stop};
pub use tape::ActionTape;
