//! What a simulated process implements (`Node`) and what it may do while handling an event
//! (`Ctx`): send, set and cancel timers, read virtual time, draw from its own random stream,
//! persist durable state and emit outputs for the tester.
use std::time::Duration;

use rand_chacha::ChaCha8Rng;

use crate::message::Message;
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

    /// Current virtual time.
    pub fn now(&self) -> SimTime {
        SimTime::from_nanos(self.world.now)
    }

    /// Sends `msg` to `to` through the network model.
    pub fn send(&mut self, to: NodeId, msg: N::Msg) {
        self.world.send(self.id, to, msg);
    }

    /// Sets a timer that fires `after` from now with `tag`, unless cancelled first or this
    /// incarnation dies.
    pub fn set_timer(&mut self, after: Duration, tag: u64) -> TimerId {
        let at = SimTime::from_nanos(self.world.now) + after;
        let payload = Payload::Timer { node: self.id, incarnation: self.incarnation, tag };
        TimerId(self.world.queue.push(at.as_nanos(), payload))
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
