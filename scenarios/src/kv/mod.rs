//! The KV layer on top of the cluster core (SCENARIOS.md sections F and G): clerks and their
//! workloads, the history of every clerk operation, and the checks on it (linearizability with
//! a deterministic explanation of a failure, sequential consistency, the lab's append checks). A cluster whose servers
//! run a KV service uses it; a Raft-only cluster leaves it empty.
mod appends;
mod budget;
mod explain;
mod generic;
mod history;
pub(crate) mod layer;
mod linearize;
mod sequential;
mod verbs;
mod workload;

pub use appends::{check_appends, element};
pub use budget::{minimize_options, CHECK_STEPS, MINIMIZE_CHECKS, MINIMIZE_STEPS};
pub use explain::html_report;
pub use generic::Generic;
pub use history::{KvHistory, KvRecord};
pub use layer::{CheckCost, ClerkSlot, Plan};
pub use linearize::{check_history, with_explanation};
pub use sequential::check_sequential_history;
