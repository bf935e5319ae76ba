//! Polynomial fast paths: partitions whose written (or appended) values are unique are
//! decided by a precedence graph instead of the search, with the same verdict, and a cycle
//! explains a violation Elle-style. `decide` returns `None` where no fast path is exact.
mod access;
mod append;
mod cycle;
mod decide;
mod failed_cas;
mod found;
mod graph;
mod meter;
mod register;

pub use access::{Access, CasOutcome, Value};
pub use cycle::{Cycle, Explained, Step, Violation, Why};
pub use decide::{decide, FastBudget, FastResult};
