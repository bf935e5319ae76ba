//! The tester's side of the contract: what each server's service applied (surviving crashes),
//! and the safety properties checked after every event (Raft paper, Figure 3).

use std::collections::BTreeMap;

use crate::consensus::{Role, Status};
use crate::types::{Command, Entry, LogIndex, NodeId, Snapshot, Term};

/// What one server's service has applied, as the 6.824 tester records it.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceRecord {
    pub(crate) last_applied: LogIndex,
}

/// A test snapshot's payload: the index it claims and a digest of everything applied up to it,
/// so an installed snapshot can be checked against the cluster's committed history.
pub(crate) fn encode_snapshot(index: LogIndex, digest: u64) -> Vec<u8> {
    let mut data = index.0.to_le_bytes().to_vec();
    data.extend_from_slice(&digest.to_le_bytes());
    data
}

fn decode_snapshot(data: &[u8]) -> Option<(LogIndex, u64)> {
    let index = u64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let digest = u64::from_le_bytes(data.get(8..16)?.try_into().ok()?);
    Some((LogIndex(index), digest))
}

/// Cluster-wide facts the checks accumulate.
#[derive(Clone, Debug, Default)]
pub(crate) struct Safety {
    /// Election safety (§5.2): at most one leader per term.
    leaders: BTreeMap<Term, NodeId>,
    /// State machine safety (§5.4.3): the one command applied at each index, and the running
    /// digest of all commands through it.
    committed: BTreeMap<LogIndex, (Command, u64)>,
}

impl Safety {
    pub(crate) fn observe_status(&mut self, status: &Status) -> Result<(), String> {
        if status.role != Role::Leader {
            return Ok(());
        }
        match self.leaders.insert(status.current_term, status.id) {
            Some(other) if other != status.id => Err(format!(
                "election safety: {} and {} both lead term {}",
                other, status.id, status.current_term
            )),
            _ => Ok(()),
        }
    }

    /// Checks one applied entry: strictly in order, and the same command every server applied.
    pub(crate) fn observe_apply(
        &mut self,
        node: NodeId,
        record: &mut ServiceRecord,
        entry: &Entry,
    ) -> Result<(), String> {
        if entry.index != record.last_applied.next() {
            return Err(format!(
                "in-order apply: {node} applied {} after {}",
                entry.index, record.last_applied
            ));
        }
        let previous = self.digest_before(entry.index);
        let digest = fold(previous, &entry.command);
        match self.committed.get(&entry.index) {
            Some((command, _)) if *command != entry.command => {
                return Err(format!(
                    "apply safety: {node} applied a different command at {}",
                    entry.index
                ))
            }
            Some(_) => {}
            None => {
                self.committed.insert(entry.index, (entry.command.clone(), digest));
            }
        }
        record.last_applied = entry.index;
        Ok(())
    }

    /// Checks an installed snapshot: it matches its index, moves forward, and agrees with what
    /// the cluster committed up to there.
    pub(crate) fn observe_snapshot(
        &mut self,
        node: NodeId,
        record: &mut ServiceRecord,
        snapshot: &Snapshot,
        after_restart: bool,
    ) -> Result<(), String> {
        let Some((index, digest)) = decode_snapshot(&snapshot.data) else {
            return Err(format!("{node} got a snapshot whose data is not the service's"));
        };
        if index != snapshot.last_included_index {
            return Err(format!(
                "snapshot at {} holds the service state of {index}",
                snapshot.last_included_index
            ));
        }
        if index < record.last_applied && !after_restart {
            return Err(format!(
                "{node} went back from {} to snapshot {index}",
                record.last_applied
            ));
        }
        if let Some((_, known)) = self.committed.get(&index) {
            if *known != digest {
                return Err(format!("{node} installed a snapshot at {index} that diverges"));
            }
        }
        record.last_applied = index;
        Ok(())
    }

    /// The digest of everything applied through `index` (0 for the empty prefix).
    pub(crate) fn digest_through(&self, index: LogIndex) -> u64 {
        self.committed.get(&index).map_or(0, |(_, d)| *d)
    }

    fn digest_before(&self, index: LogIndex) -> u64 {
        self.digest_through(index.prev())
    }

    /// The command committed at `index`, if any server applied one.
    pub(crate) fn committed_at(&self, index: LogIndex) -> Option<&Command> {
        self.committed.get(&index).map(|(c, _)| c)
    }
}

/// FNV-1a over the previous digest and the command: order-sensitive and deterministic.
fn fold(previous: u64, command: &Command) -> u64 {
    let mut hash = previous ^ 0xcbf2_9ce4_8422_2325;
    for byte in command.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
