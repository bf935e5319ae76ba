//! The capture of one run for its timeline, recorded only when the run asks for it
//! (`Run::timeline`): every trace record (messages sent, delivered, dropped and duplicated,
//! timers, crashes, restarts, network changes, the scenario's narration), each server's role
//! and term over virtual time, the KV clients' history with where each operation was
//! linearized, and what broke, when. The full records stay reachable (`records()`) so other
//! exports can read the very same run.
use kv::ClientId;
use sim::{NodeId, SimTime, TraceRecord};

use super::linearization::Linearization;
use super::roles::RoleChange;
use crate::host::Msg;
use crate::kv::KvHistory;

/// What broke, for marking it on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureMark {
    /// The failure's class as the report prints it (`invariant (election safety)`).
    pub kind: String,
    pub message: String,
    /// When the run stopped on it (a history check runs at the end of the story).
    pub at: SimTime,
    /// For a KV history that is not linearizable, the history index of the operation no
    /// linearization can place next (the first failing key's).
    pub blocked_op: Option<usize>,
}

/// The KV part of a run: its clerks, their history and its placement.
#[derive(Clone, Debug)]
pub struct KvTimeline {
    /// Each clerk's client id and simulated node, in the order they were added.
    pub clerks: Vec<(ClientId, NodeId)>,
    pub history: KvHistory,
    pub linearization: Linearization,
}

/// Everything the timeline of one run shows.
#[derive(Clone, Debug)]
pub struct Timeline {
    pub(crate) servers: Vec<NodeId>,
    pub(crate) records: Vec<TraceRecord<Msg>>,
    pub(crate) roles: Vec<RoleChange>,
    pub(crate) kv: Option<KvTimeline>,
    pub(crate) failure: Option<FailureMark>,
    pub(crate) end: SimTime,
}

impl Timeline {
    /// The servers, in lab order.
    pub fn servers(&self) -> &[NodeId] {
        &self.servers
    }

    /// Every trace record of the run, oldest first, timers included.
    pub fn records(&self) -> &[TraceRecord<Msg>] {
        &self.records
    }

    /// Each server's role and term changes, in order.
    pub fn roles(&self) -> &[RoleChange] {
        &self.roles
    }

    /// The clients' side (KV runs only).
    pub fn kv(&self) -> Option<&KvTimeline> {
        self.kv.as_ref()
    }

    pub fn failure(&self) -> Option<&FailureMark> {
        self.failure.as_ref()
    }

    /// When the run stopped.
    pub fn end(&self) -> SimTime {
        self.end
    }
}
