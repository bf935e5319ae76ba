//! The invariant bundle: every cluster invariant, fed from one place after every event. The
//! cluster hands it each server's outputs (persisted entries, applies, snapshots loaded) and
//! each server's status after the event; the bundle routes them to the property files and
//! keeps what they need across crashes (the applied history, the leaders seen per term).
use raft::{LogIndex, Role, Status, Term};
use sim::NodeId;

use super::election_safety::ElectionSafety;
use super::in_order_apply::ApplyOrder;
use super::leader_completeness::check_leader_completeness;
use super::log_matching::LogMatching;
use super::snapshot_consistency::SnapshotConsistency;
use super::state_machine_safety::History;
use crate::failure::{Check, Failure};
use crate::host::Output;

/// Election safety, log matching, leader completeness, state machine safety, in-order apply,
/// snapshot consistency; the `Ready` contract arrives as `Output::Violation` from the hosts.
#[derive(Clone, Debug, Default)]
pub struct Invariants {
    applied: History,
    order: ApplyOrder,
    log_matching: LogMatching,
    elections: ElectionSafety,
    snapshots: SnapshotConsistency,
    /// The (role, term) each server was last seen in, to spot new leaders.
    observed: Vec<Option<(Role, Term)>>,
}

impl Invariants {
    /// The bundle for a cluster whose services are (or are not) the lab's test service.
    pub fn new(test_service: bool) -> Invariants {
        Invariants { snapshots: SnapshotConsistency::new(test_service), ..Invariants::default() }
    }

    /// The cluster's applied history (every index some server applied).
    pub fn applied(&self) -> &History {
        &self.applied
    }

    pub fn elections(&self) -> &ElectionSafety {
        &self.elections
    }

    /// Checks one output of `node`; outputs that are not a server's (a clerk's) pass.
    pub fn absorb(&mut self, node: NodeId, output: &Output) -> Check {
        match output {
            Output::LogWrite { prev_term, entries } => {
                self.log_matching.observe_write(node, *prev_term, entries)
            }
            Output::Applied { entry, applier_term } => {
                self.order.apply(node, entry.index)?;
                self.applied.observe_apply(node, entry, *applier_term)
            }
            Output::SnapshotLoaded { snapshot } => {
                self.snapshots.observe(node, snapshot, &self.applied)?;
                self.order.snapshot(node, snapshot.last_included_index)
            }
            Output::Violation(text) => Err(Failure::contract(text.clone())),
            Output::Called { .. } | Output::Returned { .. } => Ok(()),
        }
    }

    /// `node` crashed: whatever role it had is gone.
    pub fn crashed(&mut self, node: NodeId) {
        if let Some(slot) = self.observed.get_mut(node.0 as usize) {
            *slot = None;
        }
    }

    /// `node` restarted: its service starts from nothing (its snapshot, if any, comes next).
    pub fn restarted(&mut self, node: NodeId) {
        self.crashed(node);
        self.order.restart(node);
    }

    /// Election safety and leader completeness, checked when `node` (with `status`, reading
    /// its log through `log_term`) is first seen leading a term; once per (role, term).
    pub fn observe_role(
        &mut self,
        node: NodeId,
        status: Status,
        log_term: impl Fn(LogIndex) -> Option<Term>,
    ) -> Check {
        let i = node.0 as usize;
        if self.observed.len() <= i {
            self.observed.resize(i + 1, None);
        }
        let now = (status.role, status.current_term);
        if self.observed[i] == Some(now) {
            return Ok(());
        }
        self.observed[i] = Some(now);
        if status.role != Role::Leader {
            return Ok(());
        }
        self.elections.observe_leader(status.current_term, node)?;
        check_leader_completeness(node, log_term, &status, &self.applied)
    }
}
