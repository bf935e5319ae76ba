//! A linearizable key/value service on Raft (MIT 6.824's kvraft), sans-IO: the state machine
//! with client sessions for exactly-once writes, the server that owns a [`raft::Consensus`]
//! node, and the clerk that retries until some server answers.
//!
//! Nothing here has a clock, a thread or a network. A host (the `scenarios` crate's simulator
//! adapters, or a test) feeds inputs and carries out the effects returned as data:
//! [`KvServer::ready`] gives a [`KvReady`] (persist, then send), and the [`Clerk`] returns
//! [`ClerkEffect`]s (send, timers, completion).
//!
//! # Hosting (what a simulator adapter does)
//!
//! A host written against the [`KvService`] trait drives any KV server the same way.
//!
//! - **Server node**: on start and restart, `KvServer::restart(config, &durable)` then
//!   `ready()`; a periodic 10 ms timer calls `tick()`; a `KvMessage::Raft` calls `step`, a
//!   `KvMessage::Request` calls `request(from, ..)`. After every input, `ready()`, then
//!   `durable.apply(&ready.raft)` (persist), then send `ready.outgoing()`. Record
//!   `ready.raft.snapshot_to_apply` / `committed_entries` for apply-safety checks, and report
//!   any `ready.anomalies` as failures. `durable.size_bytes()` is the lab's Raft state size.
//! - **Clerk node**: `Clerk::new(client, servers)`; each effect is carried out at once:
//!   `Send` through the network as `KvMessage::Request`, `StartTimer` replaces the retry timer
//!   (whose firing calls `on_timeout`), `CancelTimer` cancels it, `Completed` is the
//!   operation's return for the history (its call is when `start` was called). A reply calls
//!   `on_reply(from, ..)`; a request the network could not deliver may call `on_unreachable`.
//!
//! ```
//! use kv::{ClerkEffect, Clerk, ClientId, KvConfig, KvMessage, KvServer, Op};
//! use raft::{Config, NodeId, PersistedState, RaftNode};
//!
//! // A one-server cluster at address n1, and a clerk at address n9.
//! let config = KvConfig::new(Config::new(NodeId(1), vec![NodeId(1)], 7));
//! let mut durable = PersistedState::default();
//! let mut server: KvServer<RaftNode> = KvServer::restart(config, &durable);
//! let mut clerk = Clerk::new(ClientId(1), vec![NodeId(1)]);
//!
//! let mut inbox = Vec::new();
//! let mut effects = clerk.start(Op::Append { key: "k".into(), value: "x".into() }).unwrap();
//! let mut completed = None;
//! for _tick in 0..200 {
//!     for effect in effects.drain(..) {
//!         match effect {
//!             ClerkEffect::Send { request, .. } => server.request(NodeId(9), request),
//!             ClerkEffect::Completed { value, .. } => completed = Some(value),
//!             ClerkEffect::StartTimer { .. } | ClerkEffect::CancelTimer => {}
//!         }
//!     }
//!     let ready = server.ready();
//!     durable.apply(&ready.raft).unwrap(); // 1. persist
//!     inbox.extend(ready.outgoing()); // 2. send (the replies reach the clerk)
//!     for (_to, message) in inbox.drain(..) {
//!         if let KvMessage::Reply(reply) = message {
//!             effects.extend(clerk.on_reply(NodeId(1), reply));
//!         }
//!     }
//!     if completed.is_some() {
//!         break;
//!     }
//!     server.tick();
//! }
//! assert_eq!(completed.as_deref(), Some(""));
//! assert_eq!(server.state().get("k"), "x");
//! ```

mod apply;
mod bugs;
mod clerk;
mod codec;
mod command;
mod config;
mod follower_reads;
mod pending;
mod read_index;
mod reads;
mod ready;
mod rpc;
mod server;
mod service;
mod session_reads;
mod snapshot;
mod state_machine;
mod types;

pub use bugs::KvBugs;
pub use clerk::{Clerk, ClerkBusy, ClerkEffect};
pub use codec::DecodeError;
pub use command::{decode_command, encode_command};
pub use config::{KvConfig, ReadPath};
pub use ready::{ClerkReply, KvAnomaly, KvReady};
pub use rpc::{KvError, KvMessage, Reply, Request};
pub use server::KvServer;
pub use service::KvService;
pub use state_machine::KvStateMachine;
pub use types::{ClientId, Op, Seq};
