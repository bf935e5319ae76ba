//! What every hosted process keeps across a crash ([`Disk`]) and reports to the cluster
//! ([`Output`]), drained after every event into the invariants and the KV history.
use kv::{ClientId, Op, Seq};
use raft::{Entry, Snapshot, Term};

/// What survives a crash. A struct rather than `PersistedState` itself so that other kinds of
/// durable state (a simulated disk) can sit next to Raft's.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    /// Raft's persisted state (hard state, snapshot, log), folded from every `Ready`.
    pub raft: raft::PersistedState,
}

/// What hosts report.
#[derive(Clone, Debug)]
pub enum Output {
    /// Entries a server persisted; `prev_term` is the term of the durable entry just before
    /// the first of them (for the log matching check).
    LogWrite { prev_term: Term, entries: Vec<Entry> },
    /// The service applied a committed entry; `applier_term` is the server's current term
    /// then, an upper bound of the term in which the entry was committed.
    Applied { entry: Entry, applier_term: Term },
    /// The service loaded a snapshot (installed from a leader, or its own after a restart).
    SnapshotLoaded { snapshot: Snapshot },
    /// A broken `Ready` contract or a KV anomaly: the server stops, the scenario fails.
    Violation(String),
    /// A clerk started an operation (its first request goes out now).
    Called { client: ClientId, seq: Seq, op: Op },
    /// A clerk accepted a server's answer: the operation returns `value`.
    Returned { client: ClientId, seq: Seq, value: String },
}
