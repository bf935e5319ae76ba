//! The processes a cluster hosts in one `Sim`: one node type for every kind of process (a Raft
//! server with the lab's test service, a KV server, a clerk), one wire, one durable state and
//! one output stream, so every scenario, Raft-only or KV, runs on the same core.
//!
//! Adding a kind of process means: a file here with its node struct, a variant of [`Host`],
//! and what it reports as [`Output`] variants (the cluster and its invariants read those).
mod address;
mod clerk;
mod contract;
mod kv_server;
mod message;
mod output;
mod process;
mod raft_server;
mod server;
mod service;

use kv::KvService;
use raft::{Consensus, LogIndex, Status, Term};
use sim::{Ctx, NodeId, TimerId};

pub use address::{all_to_raft, to_raft, to_sim};
pub use clerk::{ClerkHost, CLERK_RETRY};
pub use kv_server::KvServerHost;
pub use message::Msg;
pub use output::{Disk, Output};
pub use process::Process;
pub use raft_server::RaftServer;
pub use server::TICK;
pub(crate) use server::TICK_INTERVAL;
pub use service::{decode_snapshot, encode_snapshot, extend_digest};

/// A simulated process, generic over the consensus implementation and the KV service under
/// test. A Raft-only world holds `Raft` servers; a KV world holds `Kv` servers and clerks.
/// Servers are larger than clerks, but a world holds a handful of each and nodes never move,
/// so boxing would only add an indirection.
#[allow(clippy::large_enum_variant)]
pub enum Host<R: Consensus, K: KvService> {
    /// A Raft server with the tiny test service above it (the lab's applier).
    Raft(RaftServer<R>),
    /// A KV server (any `KvService`), with its Raft inside.
    Kv(KvServerHost<K>),
    /// A KV client.
    Clerk(ClerkHost),
}

impl<R: Consensus, K: KvService> Host<R, K> {
    /// The consensus status of this process, if it is a server.
    pub fn status(&self) -> Option<Status> {
        match self {
            Host::Raft(server) => Some(server.raft().status()),
            Host::Kv(server) => Some(server.service().status()),
            Host::Clerk(_) => None,
        }
    }

    /// The term of this server's log entry at `index` (see `Consensus::log_term`).
    pub fn log_term(&self, index: LogIndex) -> Option<Term> {
        match self {
            Host::Raft(server) => server.raft().log_term(index),
            Host::Kv(server) => server.service().log_term(index),
            Host::Clerk(_) => None,
        }
    }
}

impl<R: Consensus, K: KvService> sim::Node for Host<R, K> {
    type Msg = Msg;
    type Durable = Disk;
    type Output = Output;

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        match self {
            Host::Raft(server) => server.on_start(ctx),
            Host::Kv(server) => server.on_start(ctx),
            Host::Clerk(_) => {}
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Msg) {
        match self {
            Host::Raft(server) => server.on_message(ctx, msg.0),
            Host::Kv(server) => server.on_message(ctx, from, msg.0),
            Host::Clerk(clerk) => clerk.on_message(ctx, from, msg.0),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, timer: TimerId, tag: u64) {
        match self {
            Host::Raft(server) => server.on_timer(ctx, tag),
            Host::Kv(server) => server.on_timer(ctx, tag),
            Host::Clerk(clerk) => clerk.on_timer(ctx, timer, tag),
        }
    }

    fn on_undeliverable(&mut self, ctx: &mut Ctx<'_, Self>, to: NodeId, _msg: Msg) {
        if let Host::Clerk(clerk) = self {
            clerk.on_undeliverable(ctx, to);
        }
    }
}
