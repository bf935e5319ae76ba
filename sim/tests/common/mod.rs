//! A probe node for the integration tests: it reports everything it sees as outputs (which
//! outlive crashes), answers requests if asked to, and persists what the test tells it to.
#![allow(dead_code)]

use std::fmt;
use std::time::Duration;

use sim::{Ctx, Message, Node, NodeId, Sim, SimConfig, SimTime, TimerId};

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub enum Msg {
    Req(u64),
    Rep(u64),
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Req(n) => write!(f, "Req({n})"),
            Msg::Rep(n) => write!(f, "Rep({n})"),
        }
    }
}

impl Message for Msg {
    fn size_bytes(&self) -> usize {
        match self {
            Msg::Req(_) => 100,
            Msg::Rep(_) => 10,
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            Msg::Req(_) => "Req",
            Msg::Rep(_) => "Rep",
        }
    }
    fn is_reply(&self) -> bool {
        matches!(self, Msg::Rep(_))
    }
}

/// What a probe saw, with the incarnation that saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    Msg { at: SimTime, from: NodeId, msg: Msg, incarnation: u32 },
    Timer { at: SimTime, tag: u64, incarnation: u32 },
    Undeliverable { at: SimTime, to: NodeId, msg: Msg, incarnation: u32 },
}

#[derive(Default)]
pub struct Probe {
    /// Answer `Req(n)` with `Rep(n)`.
    pub echo: bool,
    /// On start, set a timer after this long with tag = 1000 + incarnation.
    pub start_timer: Option<Duration>,
    /// On a timer with tag `t`, persist `t` (append to the durable log).
    pub persist_on_timer: bool,
}

impl Node for Probe {
    type Msg = Msg;
    /// A log of persisted numbers.
    type Durable = Vec<u64>;
    type Output = Seen;

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        if let Some(after) = self.start_timer {
            let tag = 1000 + u64::from(ctx.incarnation());
            ctx.set_timer(after, tag);
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Msg) {
        let seen =
            Seen::Msg { at: ctx.now(), from, msg: msg.clone(), incarnation: ctx.incarnation() };
        ctx.emit(seen);
        if let (true, Msg::Req(n)) = (self.echo, msg) {
            ctx.send(from, Msg::Rep(n));
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, _timer: TimerId, tag: u64) {
        ctx.emit(Seen::Timer { at: ctx.now(), tag, incarnation: ctx.incarnation() });
        if self.persist_on_timer {
            ctx.durable_mut().push(tag);
        }
    }

    fn on_undeliverable(&mut self, ctx: &mut Ctx<'_, Self>, to: NodeId, msg: Msg) {
        let seen = Seen::Undeliverable { at: ctx.now(), to, msg, incarnation: ctx.incarnation() };
        ctx.emit(seen);
    }
}

/// A simulation of echoing probes `n1..=nN` on `net`, with a large trace ring.
pub fn probes(n: u32, net: sim::NetConfig, seed: u64) -> Sim<Probe> {
    let mut config = SimConfig::new(seed);
    config.net = net;
    let mut sim = Sim::with_config(config);
    for i in 1..=n {
        sim.add_node(NodeId(i), Probe { echo: true, ..Probe::default() });
    }
    sim
}

/// Sends `msg` from `from` as the tester, through the normal path.
pub fn send(sim: &mut Sim<Probe>, from: NodeId, to: NodeId, msg: Msg) {
    sim.with_node(from, |_, ctx| ctx.send(to, msg)).expect("sender is up");
}

/// Messages delivered, as (receiver, sender, message), in delivery order.
pub fn deliveries(outputs: &[(NodeId, Seen)]) -> Vec<(NodeId, NodeId, Msg)> {
    outputs
        .iter()
        .filter_map(|(at, seen)| match seen {
            Seen::Msg { from, msg, .. } => Some((*at, *from, msg.clone())),
            _ => None,
        })
        .collect()
}

pub fn drain(sim: &mut Sim<Probe>) -> Vec<(NodeId, Seen)> {
    sim.drain_outputs().collect()
}
