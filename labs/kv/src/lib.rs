//! Your KV server: a skeleton of `kv::KvService` for the KV lab (parts 4A and 4B), a
//! linearizable key/value service replicated by Raft. Every method is a `todo!` to replace;
//! the tests in `tests/lab.rs` are the specification.
//!
//! What to read first: the docs of `kv::KvService` (`../../kv/src/service.rs`), `kv::KvReady`,
//! `kv::Request` and `kv::Reply`, and the Raft contract your server drives, `raft::Consensus`
//! (`../../raft/src/consensus.rs`). The reference server in `../../kv/src` (`kv::KvServer`,
//! `kv::KvStateMachine`) is what the tests were checked against: do not copy or wrap it.
//! Yours to use: the clerk (`kv::Clerk`, which the tests run for you), the wire types, and
//! `kv::encode_command` / `kv::decode_command`, which turn a `Request` into a log command and
//! back (the lab's "labgob").
//!
//! The server is sans-IO, like the Raft under it: the host calls `tick`, `step` and `request`,
//! then `ready()`, and carries out what it returns: persist `ready.raft`, then send
//! `ready.raft.messages` and `ready.replies`. Apply committed entries yourself, inside
//! `ready()`, before handing Raft's `Ready` on (the host only records them): a reply can only
//! leave after what it depends on is persisted, so applying early is safe.
//!
//! Runs are deterministic: one seed replays a failure exactly. Keep yours that way: no clock,
//! no threads, and no iteration over a `HashMap` (use `BTreeMap` or a `Vec`).
use kv::{KvConfig, KvReady, KvService, Request};
use raft::{LogIndex, Message, NodeId, PersistedState, Status, Term};

/// One KV server, owning one Raft node.
///
/// Suggested fields (uncomment and adapt as you go):
#[derive(Debug)]
pub struct KvServer {
    // config: KvConfig, // `max_raft_state` (4B) and `request_timeout_ticks`
    //
    // The Raft node underneath: the reference one, `raft::RaftNode`, built with
    // `RaftNode::restart(config.raft.clone(), persisted)`. To run on your own Raft from the
    // Raft lab instead, add `raft-lab = { path = "../raft" }` to Cargo.toml and hold a
    // `raft_lab::Raft`: both implement `raft::Consensus`.
    // raft: RaftNode,
    //
    // The state machine: the data, and one session per client for exactly-once writes (the
    // highest `Seq` applied for each `ClientId`: a clerk has one operation outstanding at a
    // time, so every lower one was applied before it).
    // data: BTreeMap<String, String>,
    // sessions: BTreeMap<ClientId, Seq>,
    // applied: LogIndex,
    //
    // The requests this leader proposed and not yet answered: log index -> (client, seq, term,
    // the clerk's address `from`, ticks waited).
    // waiting: BTreeMap<LogIndex, Waiting>,
    //
    // A copy of what the host persisted (fold every `ready.raft` into it with
    // `PersistedState::apply`): `size_bytes()` is the Raft state size that decides when to
    // snapshot (4B).
    // durable: PersistedState,
    //
    // What the next `ready()` hands out besides Raft's `Ready`.
    // replies: Vec<ClerkReply>,
    // anomalies: Vec<KvAnomaly>,
}

// The skeleton's parameters are unused until you write the bodies: delete this `allow` then,
// so the compiler tells you about any you forget.
#[allow(unused_variables)]
impl KvService for KvServer {
    /// Builds a server from its configuration and what the host persisted of its Raft node
    /// (`PersistedState::default()` at first). The state machine starts empty: after a crash
    /// it is rebuilt from the snapshot Raft hands back in its first `Ready`, then from the
    /// entries it commits again.
    fn restart(config: KvConfig, persisted: &PersistedState) -> Self {
        todo!("KvService::restart")
    }

    /// One tick (10 ms of virtual time): tick Raft, and answer `Timeout` to requests that have
    /// waited longer than `config.request_timeout_ticks`, so their clerks try elsewhere.
    fn tick(&mut self) {
        todo!("KvService::tick")
    }

    /// A Raft message from another server: hand it to Raft.
    fn step(&mut self, message: Message) {
        todo!("KvService::step")
    }

    /// A clerk's request, from address `from`. Every operation, reads included, goes through
    /// the log: propose it, and answer once the entry at the proposed index is applied and is
    /// that very request. A non-leader answers `WrongLeader` at once. A retry carries the same
    /// `client` and `seq`: it must take effect at most once.
    fn request(&mut self, from: NodeId, request: Request) {
        todo!("KvService::request")
    }

    /// Raft's `Ready` (whose snapshot and committed entries you apply here, in order), the
    /// replies to clerks, and anything you had to skip (`KvAnomaly`). With a
    /// `max_raft_state` (4B), this is also where you snapshot once the Raft state reaches it.
    fn ready(&mut self) -> KvReady {
        todo!("KvService::ready")
    }

    /// The Raft node's status.
    fn status(&self) -> Status {
        todo!("KvService::status")
    }

    /// The Raft log's term at `index` (`Consensus::log_term`).
    fn log_term(&self, index: LogIndex) -> Option<Term> {
        todo!("KvService::log_term")
    }

    /// The last log index your state machine has applied (or loaded from a snapshot).
    fn applied_index(&self) -> LogIndex {
        todo!("KvService::applied_index")
    }

    /// The value your own state machine holds for `key` ("" when absent), read locally: the
    /// tests inspect servers with it; it is never an answer to a client.
    fn local_value(&self, key: &str) -> String {
        todo!("KvService::local_value")
    }
}
