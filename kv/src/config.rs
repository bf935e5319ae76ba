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
    /// How a `Get` is served (default: ReadIndex, falling back to the log).
    pub read_path: ReadPath,
    /// Deliberate bugs for the bug zoo; all off by default.
    pub bugs: KvBugs,
}

/// How a server serves `Get`. Writes always go through the log.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReadPath {
    /// Every `Get` is a log entry, like a write (6.824 kvraft).
    Log,
    /// The leader confirms a read index with Raft (§6.4 of the Raft dissertation) and answers
    /// once it has applied through it: linearizable, with no log entry per read. Falls back to
    /// the log when the Raft underneath has no ReadIndex. The default.
    #[default]
    ReadIndex,
    /// The leader answers from its lease (§6.4.1) when it holds one, with no message at all,
    /// and by ReadIndex otherwise: linearizable only while the clocks stay within the bounds
    /// the lease assumes. Raft's side is `raft::Config::lease`; without one this is ReadIndex.
    Lease,
    /// Any server, leader or not, answers a `Get` from its own state machine: no Raft round,
    /// no log entry, and explicitly NOT linearizable (ZooKeeper's local reads, Spinnaker's
    /// timeline reads). A client session index keeps it sequentially consistent: a server
    /// answers only once it has applied every index the clerk's earlier answers reflected
    /// (`follower_reads.rs`).
    Follower,
}

impl KvConfig {
    /// A server on `raft` that never snapshots, with the default patience and no bugs.
    pub fn new(raft: raft::Config) -> KvConfig {
        KvConfig {
            raft,
            max_raft_state: None,
            request_timeout_ticks: 100,
            read_path: ReadPath::default(),
            bugs: KvBugs::none(),
        }
    }

    /// The same configuration snapshotting at `max_raft_state` bytes (`None`: never).
    pub fn with_max_raft_state(mut self, max_raft_state: Option<usize>) -> KvConfig {
        self.max_raft_state = max_raft_state;
        self
    }

    /// The same configuration serving `Get` by `read_path`.
    pub fn with_read_path(mut self, read_path: ReadPath) -> KvConfig {
        self.read_path = read_path;
        self
    }

    /// The same configuration with the given KV bugs switched on.
    pub fn with_bugs(mut self, bugs: KvBugs) -> KvConfig {
        self.bugs = bugs;
        self
    }
}
