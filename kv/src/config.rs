//! Construction parameters of one KV server: its Raft configuration, the snapshot threshold,
//! its patience with uncommitted requests, and the bug switches.

use crate::bugs::KvBugs;

/// How to build one [`KvServer`](crate::KvServer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KvConfig {
    /// The Raft node underneath (identity, peers, timing in ticks, seed, Raft bugs).
    pub raft: raft::Config,
    /// Snapshot once the persisted Raft state (as `PersistedState::size_bytes` measures it)
    /// reaches this many bytes; `None` never snapshots (6.824's `maxraftstate = -1`).
    pub max_raft_state: Option<usize>,
    /// A proposed request not applied after this many ticks is answered `Timeout`, so its clerk
    /// tries elsewhere and a leader cut off from its majority does not hoard waiting requests.
    /// Default 100 ticks (1 s at 10 ms a tick).
    pub request_timeout_ticks: u32,
    /// Deliberate bugs for the bug zoo; all off by default.
    pub bugs: KvBugs,
}

impl KvConfig {
    /// A server on `raft` that never snapshots, with the default patience and no bugs.
    pub fn new(raft: raft::Config) -> KvConfig {
        KvConfig { raft, max_raft_state: None, request_timeout_ticks: 100, bugs: KvBugs::none() }
    }

    /// The same configuration snapshotting at `max_raft_state` bytes (`None`: never).
    pub fn with_max_raft_state(mut self, max_raft_state: Option<usize>) -> KvConfig {
        self.max_raft_state = max_raft_state;
        self
    }

    /// The same configuration with the given KV bugs switched on.
    pub fn with_bugs(mut self, bugs: KvBugs) -> KvConfig {
        self.bugs = bugs;
        self
    }
}
