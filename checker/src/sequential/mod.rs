//! The sequential-consistency search: each client's program order instead of real time,
//! over the whole history at once (sequential consistency is not local).
mod check;
mod dead;
mod frontier;
mod hint;
mod program;
mod result;
mod whole;

pub use check::check_sequential;
pub use program::ProgramOrderError;
pub use result::{Blocked, SequentialResult};
