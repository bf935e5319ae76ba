//! Each server's role and term over virtual time, as a list of changes. The cluster samples
//! the consensus status of the node an event touched (the only node whose state that event
//! can have changed) and keeps a sample only when it differs from the node's last one, so a
//! run of thousands of events yields a change per election, not a row per event.
use raft::{Role, Status, Term};
use sim::{NodeId, SimTime};

/// One server taking a role in a term, from `at` until its next change (or crash).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoleChange {
    pub at: SimTime,
    pub node: NodeId,
    pub role: Role,
    pub term: Term,
    /// Which life of the server this is (0 at the start, +1 per restart), so a restarted
    /// follower in the same term still starts a new lane segment after its crash.
    pub incarnation: u32,
}

/// The changes so far, and each node's last sample to compare the next one with.
#[derive(Clone, Debug, Default)]
pub struct RoleTrack {
    changes: Vec<RoleChange>,
    /// Indexed by node id: the position in `changes` of the node's last change. Node ids of
    /// servers are small and dense (`n0..`), so a vector beats a map here.
    last: Vec<Option<usize>>,
}

impl RoleTrack {
    /// Records `status` of `node` at `at` if its role, term or incarnation changed.
    pub fn sample(&mut self, at: SimTime, node: NodeId, incarnation: u32, status: &Status) {
        let slot = node.0 as usize;
        if self.last.len() <= slot {
            self.last.resize(slot + 1, None);
        }
        let change =
            RoleChange { at, node, role: status.role, term: status.current_term, incarnation };
        if let Some(last) = self.last[slot].map(|i| &self.changes[i]) {
            let same = (last.role, last.term, last.incarnation)
                == (change.role, change.term, change.incarnation);
            if same {
                return;
            }
        }
        self.last[slot] = Some(self.changes.len());
        self.changes.push(change);
    }

    /// Every change, in the order they happened.
    pub fn changes(&self) -> &[RoleChange] {
        &self.changes
    }

    pub fn into_changes(self) -> Vec<RoleChange> {
        self.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use raft::LogIndex;

    fn status(role: Role, term: u64) -> Status {
        Status {
            id: raft::NodeId(1),
            current_term: Term(term),
            role,
            leader_hint: None,
            commit_index: LogIndex(0),
            last_applied: LogIndex(0),
            last_log_index: LogIndex(0),
            snapshot_index: LogIndex(0),
        }
    }

    #[test]
    fn only_changes_are_kept() {
        let mut track = RoleTrack::default();
        let n1 = NodeId(1);
        let ms = SimTime::from_millis;
        track.sample(ms(0), n1, 0, &status(Role::Follower, 0));
        track.sample(ms(5), n1, 0, &status(Role::Follower, 0));
        track.sample(ms(9), n1, 0, &status(Role::Candidate, 1));
        track.sample(ms(12), n1, 0, &status(Role::Leader, 1));
        track.sample(ms(20), n1, 0, &status(Role::Leader, 1));
        // A restart in the same term is a new life all the same.
        track.sample(ms(30), n1, 1, &status(Role::Leader, 1));
        let seen: Vec<(u64, Role, u64, u32)> = track
            .changes()
            .iter()
            .map(|c| (c.at.as_nanos() / 1_000_000, c.role, c.term.0, c.incarnation))
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, Role::Follower, 0, 0),
                (9, Role::Candidate, 1, 0),
                (12, Role::Leader, 1, 0),
                (30, Role::Leader, 1, 1),
            ]
        );
    }
}
