//! The one cluster core every scenario runs on, Raft-only or KV: a `Sim` of hosted processes
//! (servers running any `Consensus`, with or without a `KvService` on top, and clerks), one set
//! of fault verbs, the invariant bundle checked after every event, the lab tester's Raft checks,
//! and (in `crate::kv`) the KV history layer on top.
mod core;
mod events;
mod faults;
mod one;
mod raft_verbs;
mod record;
mod setup;

use std::time::Duration;

pub use self::core::Cluster;
pub use events::BUDGET;
pub use one::OneCall;
pub use record::AppliedRecord;
pub use setup::{Service, Setup};

/// The lab's election timeout constant (RaftElectionTimeout), used for the scenarios' sleeps.
pub const ELECTION_TIMEOUT: Duration = Duration::from_millis(1000);
