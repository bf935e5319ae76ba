//! `sim`: a deterministic, single-threaded discrete-event simulator in virtual time, with a
//! network and crash model for testing replicated services.
//!
//! One seed drives everything. Events are ordered by (virtual time, insertion order) and the
//! clock jumps from one event to the next. Randomness comes from separate ChaCha8 streams per
//! purpose (each node's network draws, each node's own stream, faults, workload), so one extra
//! fault does not reshuffle the rest. Every event folds into a 64-bit trace hash: the same seed
//! and build always give the same hash.
//!
//! Processes implement [`Node`] and react to messages and timers through a [`Ctx`]. Durable
//! state is typed (`Node::Durable`), owned by the simulator and survives crashes; a crash
//! voids the node's volatile state, timers and in-flight messages, and a restart builds the
//! node from exactly what it persisted.
//!
//! Each node reads its own machine clock (`Ctx::now()`, and timers fire by it): perfect by
//! default, or drifting, wandering and jumping under a [`ClockConfig`] (`SimConfig::clocks`,
//! `Sim::set_clock_config`). The clock is a deterministic, piecewise-linear function of
//! virtual time drawn from the node's own stream, while `Sim::now()` stays the truth. See
//! `docs/clocks.md` for the model and what it leaves out.
//!
//! ```
//! use std::fmt;
//! use std::time::Duration;
//! use sim::{Ctx, Message, Node, NodeId, Sim, TimerId};
//!
//! #[derive(Clone, Debug, Hash)]
//! struct Ping(u32);
//! impl fmt::Display for Ping {
//!     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "Ping({})", self.0) }
//! }
//! impl Message for Ping {
//!     fn size_bytes(&self) -> usize { 4 }
//!     fn kind(&self) -> &'static str { "Ping" }
//! }
//!
//! /// Bounces a counter back and forth; n1 serves the first ball after 10 ms.
//! struct Player { peer: NodeId }
//! impl Node for Player {
//!     type Msg = Ping;
//!     type Durable = u32; // the highest count seen
//!     type Output = u32;
//!     fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
//!         if ctx.id() == NodeId(1) {
//!             ctx.set_timer(Duration::from_millis(10), 0);
//!         }
//!     }
//!     fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, _timer: TimerId, _tag: u64) {
//!         ctx.send(self.peer, Ping(0));
//!     }
//!     fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, _from: NodeId, Ping(n): Ping) {
//!         *ctx.durable_mut() = n;
//!         ctx.emit(n);
//!         if n < 9 {
//!             ctx.send(self.peer, Ping(n + 1));
//!         }
//!     }
//! }
//!
//! let run = |seed| {
//!     let mut sim = Sim::new(seed);
//!     sim.add_node(NodeId(1), Player { peer: NodeId(2) });
//!     sim.add_node(NodeId(2), Player { peer: NodeId(1) });
//!     sim.run_for(Duration::from_secs(1));
//!     let seen: Vec<u32> = sim.drain_outputs().map(|(_, n)| n).collect();
//!     assert_eq!(seen, (0..10).collect::<Vec<_>>());
//!     assert_eq!(sim.durable(NodeId(1)), Some(&9)); // n1 receives the odd counts
//!     println!("{}", sim.trace_tail(3).join("\n"));
//!     sim.trace_hash()
//! };
//! assert_eq!(run(7), run(7)); // same seed, same trace
//! assert_ne!(run(7), run(8)); // latencies differ, so do traces
//! ```
mod clock;
mod counters;
mod hash;
mod id;
mod message;
mod net;
mod node;
mod queue;
pub mod rng;
mod schedule;
mod sim;
mod sim_clock;
mod time;
mod trace;
mod world;
mod world_clock;

pub use clock::config::{ClockConfig, ClockConfigError};
pub use clock::table::ClockSummary;
pub use counters::{Counters, Stats};
pub use hash::{fingerprint, StableHasher};
pub use id::{NodeId, TimerId};
pub use message::Message;
pub use net::{DropReason, Latency, LongReordering, NetConfig, Spike};
pub use node::{Ctx, Node};
pub use queue::{EventQueue, MAX_PENDING};
pub use rand_chacha::ChaCha8Rng;
pub use rng::Purpose;
pub use schedule::{Fate, Lane, NetSchedule};
pub use sim::{EventKind, EventSummary, Sim, SimConfig};
pub use time::SimTime;
pub use trace::{TraceEvent, TraceRecord};
/// The random-number crates the streams come from, so hosts need not depend on them.
pub use {rand, rand_chacha};
