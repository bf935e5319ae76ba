//! Snapshot consistency (§7): a snapshot handed to a service stands for the state machine after
//! applying exactly the committed prefix through its index. So its index must be one some
//! server applied, every snapshot at the same index must carry the same state (the state
//! through an index is fixed by the log), and where the service's snapshot format says what it
//! holds (the lab's test service: its index and a digest of every command through it), that
//! must match the applied history.
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use raft::{LogIndex, Snapshot};
use sim::{fingerprint, NodeId};

use super::state_machine_safety::History;
use crate::failure::{Check, Failure};
use crate::host::decode_snapshot;

/// The first snapshot data seen at each index, and whether snapshots are the test service's.
#[derive(Clone, Debug, Default)]
pub struct SnapshotConsistency {
    by_index: BTreeMap<LogIndex, u64>,
    /// The lab's test service writes `(index, digest)` snapshots that can be checked against
    /// the applied history; a KV service's snapshots are opaque.
    test_service: bool,
}

impl SnapshotConsistency {
    pub fn new(test_service: bool) -> SnapshotConsistency {
        SnapshotConsistency { by_index: BTreeMap::new(), test_service }
    }

    /// `node`'s service loaded `snapshot`.
    pub fn observe(&mut self, node: NodeId, snapshot: &Snapshot, applied: &History) -> Check {
        let index = snapshot.last_included_index;
        let broke = |text: String| Err(Failure::invariant("snapshot consistency", text));
        if index > applied.last_index() {
            return broke(format!(
                "{node} got a snapshot through {index} but no server applied index {index}"
            ));
        }
        let data = fingerprint(&snapshot.data[..]);
        match self.by_index.entry(index) {
            Entry::Vacant(slot) => {
                slot.insert(data);
            }
            Entry::Occupied(slot) if *slot.get() == data => {}
            Entry::Occupied(_) => {
                return broke(format!(
                    "{node} got a snapshot through {index} that differs from another one there"
                ))
            }
        }
        if self.test_service {
            return check_test_snapshot(node, snapshot, applied);
        }
        Ok(())
    }
}

/// A test-service snapshot claims its own index and the digest of the commands through it.
fn check_test_snapshot(node: NodeId, snapshot: &Snapshot, applied: &History) -> Check {
    let index = snapshot.last_included_index;
    let broke = |text: String| Err(Failure::invariant("snapshot consistency", text));
    let Some((claimed, digest)) = decode_snapshot(&snapshot.data) else {
        return broke(format!("{node} got a snapshot through {index} with unreadable data"));
    };
    if claimed != index {
        return broke(format!(
            "{node} got a snapshot labelled index {index} whose data encodes index {claimed}"
        ));
    }
    match applied.get(index) {
        Some(known) if known.digest == digest => Ok(()),
        // Index 0 holds nothing: an empty digest is the only right one.
        None if index == LogIndex::ZERO && digest == 0 => Ok(()),
        _ => broke(format!(
            "{node} got a snapshot through {index} that differs from the applied history (§7)"
        )),
    }
}
