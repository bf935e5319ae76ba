//! The processes a scenario hosts in one `Sim`: one enum of node kinds (Raft servers today; KV
//! servers and clerks join as further variants), their messages, durable state and outputs.
//!
//! One `Sim` holds one node type, so every kind of process is a variant of [`Host`]. Adding a
//! kind means: a file in this folder with its node struct, a variant here, its messages as a
//! [`Msg`] variant and what it reports as an [`Output`] variant.
mod clerk;
mod contract;
mod kv_server;
mod message;
mod raft_server;
mod service;

use raft::{Consensus, Entry, Snapshot, Status, Term};
use sim::{Ctx, NodeId, TimerId};

pub use clerk::{ClerkHost, ClerkNode, ClerkOutput, CLERK_RETRY};
pub use kv_server::{KvServerHost, KvServerNode, KvServerOutput, KV_TICK};
pub use message::Msg;
pub use raft_server::{RaftServer, TICK};
pub use service::{decode_snapshot, encode_snapshot, extend_digest};

/// A simulated process, generic over the consensus implementation under test.
pub enum Host<R: Consensus> {
    /// A Raft server with the tiny test service above it (the lab's applier).
    Raft(RaftServer<R>),
}

/// What survives a crash. A struct rather than `PersistedState` itself so that other kinds of
/// process can keep their own durable fields next to Raft's.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    /// Raft's persisted state (hard state, snapshot, log), folded from every `Ready`.
    pub raft: raft::PersistedState,
}

/// What hosts report to the tester, drained after every event.
#[derive(Clone, Debug)]
pub enum Output {
    /// Entries a server persisted; `prev_term` is the term of the durable entry just before
    /// the first of them (for the log matching check).
    LogWrite { prev_term: Term, entries: Vec<Entry> },
    /// The service applied a committed entry; `applier_term` is the server's current term
    /// then, an upper bound of the term in which the entry was committed.
    Applied { entry: Entry, applier_term: Term },
    /// The service loaded a snapshot (installed from a leader, or the persisted one after a
    /// restart).
    SnapshotApplied { snapshot: Snapshot },
    /// The implementation broke the `Ready` contract (persist before send, contiguous entries).
    Violation(String),
}

impl<R: Consensus> Host<R> {
    /// The consensus module inside this process, if it runs one.
    pub fn consensus(&self) -> Option<&R> {
        match self {
            Host::Raft(server) => Some(server.raft()),
        }
    }

    /// The consensus status of this process, if it runs Raft.
    pub fn raft_status(&self) -> Option<Status> {
        self.consensus().map(Consensus::status)
    }
}

impl<R: Consensus> sim::Node for Host<R> {
    type Msg = Msg;
    type Durable = Disk;
    type Output = Output;

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        match self {
            Host::Raft(server) => server.on_start(ctx),
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Msg) {
        match self {
            Host::Raft(server) => server.on_message(ctx, from, msg),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, _timer: TimerId, tag: u64) {
        match self {
            Host::Raft(server) => server.on_timer(ctx, tag),
        }
    }
}
