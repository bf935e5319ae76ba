//! The KV service under test (SCENARIOS.md sections F and G): KV servers and clerks hosted in
//! one `Sim`, the KV tester with its workloads and fault verbs, the history of every clerk
//! operation, and the checks on it (linearizability, the lab's append checks).
mod appends;
mod drive;
mod explain;
mod generic;
mod history;
mod linearize;
mod node;
mod tester;
mod verbs;
mod workload;

pub use appends::{check_appends, element};
pub use drive::{
    drive_kv, drive_kv_with_history, kv_bug_names, with as with_kv_bugs, KvStoryParts,
};
pub use explain::{html_report, minimize_options, run_html, MINIMIZE_CHECKS, MINIMIZE_STEPS};
pub use generic::Generic;
pub use history::{KvHistory, KvRecord};
pub use linearize::{check_history, with_explanation, CHECK_STEPS};
pub use node::{KvEvent, KvNode, Wire};
pub use tester::{KvSetup, KvTester};
pub use workload::{ClerkSlot, Plan};
