//! The tiny test service above Raft (the lab's applier): it folds applied commands into a
//! digest and, in snapshot mode, snapshots every N applied entries (like `applierSnap`).
use raft::LogIndex;

/// A test snapshot's payload: the index it claims and the digest of every command through it,
/// so the tester can check an installed snapshot against the committed history.
pub fn encode_snapshot(index: LogIndex, digest: u64) -> Vec<u8> {
    let mut data = index.0.to_le_bytes().to_vec();
    data.extend_from_slice(&digest.to_le_bytes());
    data
}

/// The `(index, digest)` a test snapshot claims, or `None` if the bytes are not one.
pub fn decode_snapshot(data: &[u8]) -> Option<(LogIndex, u64)> {
    let index = u64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    let digest = u64::from_le_bytes(data.get(8..16)?.try_into().ok()?);
    (data.len() == 16).then_some((LogIndex(index), digest))
}

/// Folds one more applied command into the running digest of the applied prefix.
pub fn extend_digest(digest: u64, command_fingerprint: u64) -> u64 {
    let mut h = sim::StableHasher::new();
    std::hash::Hasher::write_u64(&mut h, digest);
    std::hash::Hasher::write_u64(&mut h, command_fingerprint);
    std::hash::Hasher::finish(&h)
}

/// The service's state: how far it has applied and the digest of that prefix.
#[derive(Clone, Debug, Default)]
pub(crate) struct TestService {
    pub(crate) last_applied: LogIndex,
    pub(crate) digest: u64,
    /// Snapshot every this many applied entries; `None` never snapshots.
    pub(crate) snapshot_every: Option<u64>,
}

impl TestService {
    /// Applies one command; returns the snapshot to hand to Raft, if one is due.
    pub(crate) fn apply(&mut self, index: LogIndex, fingerprint: u64) -> Option<Vec<u8>> {
        self.last_applied = index;
        self.digest = extend_digest(self.digest, fingerprint);
        let every = self.snapshot_every?;
        index.0.is_multiple_of(every).then(|| encode_snapshot(index, self.digest))
    }

    /// Loads a snapshot's state (the tester checks it against the history).
    pub(crate) fn load(&mut self, index: LogIndex, data: &[u8]) {
        self.last_applied = index;
        self.digest = decode_snapshot(data).map_or(0, |(_, digest)| digest);
    }
}
