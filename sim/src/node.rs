//! What a simulated process implements (`Node`) and what it may do while handling an event
//! (`Ctx`): send, set and cancel timers, read virtual time, draw from its own random stream,
//! persist durable state and emit outputs for the tester.
use std::time::Duration;

use rand_chacha::ChaCha8Rng;

use crate::message::Message;
use crate::time::duration_nanos;
use crate::world::{NodeTypes, Payload, World};
use crate::{NodeId, SimTime, TimerId};

/// A simulated process. It only reacts: to its start, a message, a timer, or an undeliverable
/// request. Use an enum to host several kinds of process (servers and clients) in one `Sim`.
pub trait Node: Sized {
    type Msg: Message;
    /// What survives a crash: owned by the simulator, changed through `Ctx::durable_mut`, and
    /// handed to the restart factory.
    type Durable: Default + Clone;
    /// What the tester wants to observe (applied entries, client completions...), drained
    /// with `Sim::drain_outputs`.
    type Output;

    /// Called when the node is added and after every restart.
    fn on_start(&mut self, _ctx: &mut Ctx<'_, Self>) {}

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Self::Msg);

    /// A timer set with `Ctx::set_timer(after, tag)` fired.
    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, timer: TimerId, tag: u64);

    /// A request this node sent could not be delivered (labrpc's failed `Call`); see
    /// `NetConfig::undeliverable_notice`. Clerks may use it to try another server.
    fn on_undeliverable(&mut self, _ctx: &mut Ctx<'_, Self>, _to: NodeId, _msg: Self::Msg) {}
}

impl<N: Node> NodeTypes for N {
    type Msg = N::Msg;
    type Durable = N::Durable;
    type Output = N::Output;
}

/// A node's handle on the world during a callback (or a tester's `Sim::with_node`).
pub struct Ctx<'a, N: Node> {
    pub(crate) world: &'a mut World<N>,
    pub(crate) id: NodeId,
    pub(crate) incarnation: u32,
}

impl<N: Node> Ctx<'_, N> {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// How many times this node has crashed before (0 for the first incarnation).
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }

    /// What this node's clock reads: virtual time when clocks are perfect, otherwise the
    /// node's own drifting, jumping clock (`ClockConfig`), which a node cannot tell from the
    /// truth. It never goes back between events unless the clock jumps back.
    pub fn now(&self) -> SimTime {
        SimTime::from_nanos(self.world.local_now(self.id))
    }

    /// Sends `msg` to `to` through the network model.
    pub fn send(&mut self, to: NodeId, msg: N::Msg) {
        self.world.send(self.id, to, msg);
    }

    /// Sets a timer that fires with `tag` once this node's clock has advanced by `after` from
    /// its reading now, unless cancelled first or this incarnation dies. With perfect clocks
    /// that is `after` of virtual time. Otherwise a fast clock fires it early in true time, a
    /// slow one late; a forward jump past it fires it at the jump, a backward jump delays it.
    /// The true due time is fixed when the timer is set (the clock is a function of the seed).
    pub fn set_timer(&mut self, after: Duration, tag: u64) -> TimerId {
        let at = self.world.timer_due(self.id, duration_nanos(after));
        let payload = Payload::Timer { node: self.id, incarnation: self.incarnation, tag };
        TimerId(self.world.queue.push(at, payload))
    }

    /// Cancels one of this node's pending timers; false if it already fired, was cancelled, or
    /// is not this node's.
    pub fn cancel_timer(&mut self, timer: TimerId) -> bool {
        match self.world.queue.get(timer.0) {
            Some(Payload::Timer { node, .. }) if *node == self.id => {
                self.world.queue.cancel(timer.0).is_some()
            }
            _ => false,
        }
    }

    /// This node's own random stream (continues across restarts).
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.world.slot_mut(self.id).node_rng
    }

    /// The durable state as last persisted.
    pub fn durable(&self) -> &N::Durable {
        &self.world.slot(self.id).durable
    }

    /// Persists by changing the durable state in place; the change survives any later crash.
    pub fn durable_mut(&mut self) -> &mut N::Durable {
        &mut self.world.slot_mut(self.id).durable
    }

    /// Hands an output to the tester (`Sim::drain_outputs`).
    pub fn emit(&mut self, output: N::Output) {
        self.world.outputs.push((self.id, output));
    }
}
