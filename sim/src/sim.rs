//! The driver: `Sim` owns the nodes and the world, runs one event at a time in virtual time,
//! and offers the tester's actions (add, crash, restart, connectivity, network configuration).
use std::io::Write;
use std::time::Duration;

use rand_chacha::ChaCha8Rng;

use crate::clock::config::ClockConfig;
use crate::counters::{Counters, Tally};
use crate::hash::fingerprint;
use crate::net::{DropReason, Latency, Links, NetConfig, NetParams};
use crate::queue::EventQueue;
use crate::rng::{self, Purpose};
use crate::schedule::NetSchedule;
use crate::trace::{tag, Trace, TraceEvent, TraceRecord};
use crate::world::{InFlight, Payload, World};
use crate::{Ctx, Node, NodeId, SimTime, TimerId};

/// How a simulation starts.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub seed: u64,
    pub net: NetConfig,
    /// Records kept in memory for `trace_tail`; 0 turns the ring off (benchmarks).
    pub trace_capacity: usize,
    /// The nodes' clocks (default: perfect). `Sim::with_config` panics on a configuration
    /// that `ClockConfig::validate` refuses: validate one that comes from a user first.
    pub clocks: ClockConfig,
}

impl SimConfig {
    pub fn new(seed: u64) -> SimConfig {
        SimConfig {
            seed,
            net: NetConfig::reliable(),
            trace_capacity: 2_000,
            clocks: ClockConfig::off(),
        }
    }
}

/// What one step did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventSummary {
    pub time: SimTime,
    pub kind: EventKind,
    /// The node the event happened at (the receiver of a message, the owner of a timer, the
    /// sender of an undeliverable request).
    pub node: NodeId,
    /// The other end, for message events.
    pub peer: Option<NodeId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Deliver,
    Drop(DropReason),
    Timer(TimerId),
    Undeliverable,
}

/// A deterministic, single-threaded simulation of nodes of type `N` in virtual time.
pub struct Sim<N: Node> {
    nodes: Vec<Option<N>>,
    pub(crate) world: World<N>,
}

impl<N: Node> Sim<N> {
    /// A simulation with the reliable network and a 2,000-record trace ring.
    pub fn new(seed: u64) -> Self {
        Sim::with_config(SimConfig::new(seed))
    }

    pub fn with_config(config: SimConfig) -> Self {
        let world = World {
            seed: config.seed,
            now: 0,
            queue: EventQueue::new(),
            slots: Vec::new(),
            links: Links::default(),
            net: NetParams::new(config.net),
            counters: Counters::default(),
            trace: Trace::new(config.trace_capacity),
            outputs: Vec::new(),
            events: 0,
            tape: None,
            clocks: None,
            clock_config: ClockConfig::off(),
        };
        let mut sim = Sim { nodes: Vec::new(), world };
        if let Err(error) = sim.set_clock_config(config.clocks) {
            panic!("sim: {error}");
        }
        sim
    }

    pub fn seed(&self) -> u64 {
        self.world.seed
    }

    pub fn now(&self) -> SimTime {
        SimTime::from_nanos(self.world.now)
    }

    /// A fresh random stream for the tester (fault schedule, workload), independent of every
    /// stream the simulator draws from.
    pub fn rng_stream(&self, purpose: Purpose) -> ChaCha8Rng {
        rng::stream(self.world.seed, purpose)
    }

    // ----- nodes -----

    /// Adds a node with default durable state and runs its `on_start`.
    /// Panics if `id` is already taken: that is a bug in the tester.
    pub fn add_node(&mut self, id: NodeId, node: N) {
        self.add_node_with_durable(id, N::Durable::default(), node);
    }

    /// Adds a node whose durable state starts as `durable`.
    pub fn add_node_with_durable(&mut self, id: NodeId, durable: N::Durable, node: N) {
        assert!(self.world.try_slot(id).is_none(), "sim: node {id} added twice");
        self.world.create_slot(id, durable);
        if self.nodes.len() <= id.index() {
            self.nodes.resize_with(id.index() + 1, || None);
        }
        self.world.slot_mut(id).alive = true;
        self.nodes[id.index()] = Some(node);
        self.fold_action(tag::START, &[u64::from(id.0)]);
        self.world.record(|| TraceEvent::Start { node: id });
        self.with_node(id, |node, ctx| node.on_start(ctx));
    }

    /// All node ids ever added, ascending.
    pub fn node_ids(&self) -> Vec<NodeId> {
        (0..self.world.slots.len())
            .filter(|&i| self.world.slots[i].is_some())
            .map(|i| NodeId(i as u32))
            .collect()
    }

    /// The live node, if `id` is up.
    pub fn node(&self, id: NodeId) -> Option<&N> {
        self.nodes.get(id.index()).and_then(Option::as_ref)
    }

    /// The live node, for inspection or changes that need no effects (use `with_node` for
    /// anything that sends, sets timers, persists or emits).
    pub fn node_mut(&mut self, id: NodeId) -> Option<&mut N> {
        self.nodes.get_mut(id.index()).and_then(Option::as_mut)
    }

    /// Runs `f` on a live node with a `Ctx`, as if inside a callback: its sends, timers,
    /// durable writes and outputs take the normal path and are traced. `None` if `id` is down.
    pub fn with_node<R>(
        &mut self,
        id: NodeId,
        f: impl FnOnce(&mut N, &mut Ctx<'_, N>) -> R,
    ) -> Option<R> {
        let node = self.nodes.get_mut(id.index())?.as_mut()?;
        // The node's clock catches up with now before the node can read it (events did so
        // already, so their jumps are traced ahead of them; this is for the tester's calls).
        self.world.observe_clock(id);
        let incarnation = self.world.slot(id).incarnation;
        let mut ctx = Ctx { world: &mut self.world, id, incarnation };
        Some(f(node, &mut ctx))
    }

    pub fn is_alive(&self, id: NodeId) -> bool {
        self.world.try_slot(id).is_some_and(|s| s.alive)
    }

    /// How many times `id` has crashed.
    pub fn incarnation(&self, id: NodeId) -> Option<u32> {
        self.world.try_slot(id).map(|s| s.incarnation)
    }

    // ----- crash, restart, durable state -----

    /// Crashes `id`: delivery to it stops at once, its volatile state is dropped, and its
    /// pending timers and in-flight messages (both directions) are void. Durable state stays.
    pub fn crash(&mut self, id: NodeId) {
        let Some(slot) = self.world.slots.get_mut(id.index()).and_then(Option::as_mut) else {
            return;
        };
        if !slot.alive {
            return;
        }
        slot.alive = false;
        slot.incarnation += 1;
        self.nodes[id.index()] = None;
        self.fold_action(tag::CRASH, &[u64::from(id.0)]);
        self.world.record(|| TraceEvent::Crash { node: id });
    }

    /// Restarts `id` (crashing it first if it is up) as `factory(durable state)`, then runs
    /// its `on_start`. Panics if `id` was never added.
    pub fn restart(&mut self, id: NodeId, factory: impl FnOnce(&N::Durable) -> N) {
        assert!(self.world.try_slot(id).is_some(), "sim: restart of unknown node {id}");
        self.crash(id);
        let node = factory(&self.world.slot(id).durable);
        self.world.slot_mut(id).alive = true;
        self.nodes[id.index()] = Some(node);
        self.fold_action(tag::RESTART, &[u64::from(id.0)]);
        self.world.record(|| TraceEvent::Restart { node: id });
        self.with_node(id, |node, ctx| node.on_start(ctx));
    }

    /// The durable state of `id` (up or down).
    pub fn durable(&self, id: NodeId) -> Option<&N::Durable> {
        self.world.try_slot(id).map(|s| &s.durable)
    }

    /// The tester's write access to durable state, e.g. to restart from a given snapshot.
    pub fn durable_mut(&mut self, id: NodeId) -> Option<&mut N::Durable> {
        self.world.slots.get_mut(id.index()).and_then(Option::as_mut).map(|s| &mut s.durable)
    }

    // ----- connectivity and network -----

    pub fn connect(&mut self, id: NodeId) {
        self.world.links.set_connected(id, true);
        self.fold_action(tag::CONNECT, &[u64::from(id.0)]);
        self.world.record(|| TraceEvent::Connect { node: id });
    }

    /// Cuts `id` off from everyone (labrpc's disconnect), until `connect` or `heal`.
    pub fn disconnect(&mut self, id: NodeId) {
        self.world.links.set_connected(id, false);
        self.fold_action(tag::DISCONNECT, &[u64::from(id.0)]);
        self.world.record(|| TraceEvent::Disconnect { node: id });
    }

    pub fn is_connected(&self, id: NodeId) -> bool {
        self.world.links.is_connected(id)
    }

    /// Splits the listed nodes into groups that can talk only within themselves. Links between
    /// listed nodes are set (up inside a group, down across); links touching unlisted nodes
    /// are left as they are. Connect flags are not changed.
    pub fn partition<G: AsRef<[NodeId]>>(&mut self, groups: &[G]) {
        let groups: Vec<Vec<NodeId>> = groups.iter().map(|g| g.as_ref().to_vec()).collect();
        for (gi, a_group) in groups.iter().enumerate() {
            for (gj, b_group) in groups.iter().enumerate() {
                for &a in a_group {
                    for &b in b_group {
                        self.world.links.set_link(a, b, gi == gj);
                    }
                }
            }
        }
        let mut words = Vec::new();
        for group in &groups {
            words.push(u64::MAX);
            words.extend(group.iter().map(|id| u64::from(id.0)));
        }
        self.fold_action(tag::PARTITION, &words);
        self.world.record(|| TraceEvent::Partition { groups });
    }

    /// Every link up and every node connected.
    pub fn heal(&mut self) {
        self.world.links.heal();
        self.fold_action(tag::HEAL, &[]);
        self.world.record(|| TraceEvent::Heal);
    }

    /// Sets one direction of one link: `set_link(a, b, false)` stops a's messages to b only.
    pub fn set_link(&mut self, from: NodeId, to: NodeId, up: bool) {
        self.world.links.set_link(from, to, up);
        self.fold_action(tag::LINK, &[u64::from(from.0), u64::from(to.0), u64::from(up)]);
        self.world.record(|| TraceEvent::Link { from, to, up });
    }

    /// Whether messages can currently go from `from` to `to` (connect flags and link).
    pub fn can_reach(&self, from: NodeId, to: NodeId) -> bool {
        self.world.links.check(from, to).is_ok()
    }

    /// Replaces the base latency of one directed link (`None` restores the configured one).
    pub fn set_link_latency(&mut self, from: NodeId, to: NodeId, latency: Option<Latency>) {
        self.world.links.set_latency(from, to, latency);
        let text =
            format!("{from}->{to} latency {}", latency.map_or("default".into(), |l| l.to_string()));
        self.note(text);
    }

    pub fn set_net_config(&mut self, config: NetConfig) {
        let text = config.to_string();
        self.world.net = NetParams::new(config);
        self.fold_action(tag::NET, &[fingerprint(&text)]);
        self.world.record(|| TraceEvent::Net { config: text });
    }

    pub fn net_config(&self) -> &NetConfig {
        &self.world.net.config
    }

    // ----- schedules -----

    /// Takes every network decision from `schedule` from now on, instead of the streams (a
    /// lane or node past its recorded end gets the plainest fate: delivered after the link's
    /// minimum latency, no extra delay, no copy; notices after their middle delay). Call it
    /// before the first message is sent to replay a recorded run exactly.
    pub fn replay_schedule(&mut self, schedule: NetSchedule) {
        self.world.tape.get_or_insert_with(Box::default).replay(schedule);
    }

    /// Records every network decision from now on (drawn or replayed), for `recorded_schedule`.
    pub fn record_schedule(&mut self) {
        self.world.tape.get_or_insert_with(Box::default).record();
    }

    /// The network decisions recorded so far, if a recording is on.
    pub fn recorded_schedule(&self) -> Option<NetSchedule> {
        let counters = &self.world.counters;
        self.world.tape.as_ref()?.recorded(|kind| counters.kind_name(kind))
    }

    // ----- running -----

    /// Runs the next event and returns what it was; `None` when nothing is pending.
    pub fn step(&mut self) -> Option<EventSummary> {
        self.step_until(u64::MAX)
    }

    /// Runs the next event due at or before `limit` (nanoseconds). Void events (a dead
    /// incarnation's timers and notices) are skipped without counting, and never let an event
    /// past `limit` run.
    fn step_until(&mut self, limit: u64) -> Option<EventSummary> {
        loop {
            if self.world.queue.peek_time()? > limit {
                return None;
            }
            let (time, id, payload) = self.world.queue.pop()?;
            self.world.now = time;
            let summary = match payload {
                Payload::Message(m) => self.deliver(m),
                Payload::Timer { node, incarnation, tag } => {
                    if !self.world.is_current(node, incarnation) {
                        continue; // a dead incarnation's timer
                    }
                    self.fire_timer(node, TimerId(id), tag)
                }
                Payload::Undeliverable { node, incarnation, to, msg } => {
                    if !self.world.is_current(node, incarnation) {
                        continue;
                    }
                    self.undeliverable(node, to, msg)
                }
            };
            self.world.events += 1;
            return Some(summary);
        }
    }

    fn deliver(&mut self, m: InFlight<N::Msg>) -> EventSummary {
        let (from, to) = (m.from, m.to);
        let time = self.now();
        if let Err(reason) = self.world.check_delivery(&m) {
            self.world.drop_in_flight(m, reason);
            return EventSummary {
                time,
                kind: EventKind::Drop(reason),
                node: to,
                peer: Some(from),
            };
        }
        let w = &mut self.world;
        w.observe_clock(to);
        w.counters.record(Tally::Deliver, from, to, m.kind, m.size, m.is_reply);
        w.trace.fold(&[tag::DELIVER, w.now, u64::from(from.0), u64::from(to.0), m.fingerprint]);
        let msg = m.msg;
        w.record(|| TraceEvent::Deliver { from, to, msg: msg.clone() });
        self.with_node(to, |node, ctx| node.on_message(ctx, from, msg));
        EventSummary { time, kind: EventKind::Deliver, node: to, peer: Some(from) }
    }

    fn fire_timer(&mut self, node: NodeId, timer: TimerId, tag: u64) -> EventSummary {
        let w = &mut self.world;
        w.observe_clock(node);
        w.trace.fold(&[tag::TIMER, w.now, u64::from(node.0), tag, timer.0]);
        w.record(|| TraceEvent::Timer { node, timer, tag });
        self.with_node(node, |n, ctx| n.on_timer(ctx, timer, tag));
        EventSummary { time: self.now(), kind: EventKind::Timer(timer), node, peer: None }
    }

    fn undeliverable(&mut self, node: NodeId, to: NodeId, msg: N::Msg) -> EventSummary {
        let w = &mut self.world;
        w.observe_clock(node);
        let fp = fingerprint(&msg);
        w.trace.fold(&[tag::UNDELIVERABLE, w.now, u64::from(node.0), u64::from(to.0), fp]);
        w.record(|| TraceEvent::Undeliverable { node, to, msg: msg.clone() });
        self.with_node(node, |n, ctx| n.on_undeliverable(ctx, to, msg));
        EventSummary { time: self.now(), kind: EventKind::Undeliverable, node, peer: Some(to) }
    }

    /// The time of the next event that will run. Void events at the head of the queue (a dead
    /// incarnation's timers and notices, which `step` would skip) are discarded first, so a
    /// caller that sees `Some(t)` and then calls `step` runs exactly the event due at `t`:
    /// never nothing (when only void events were left) and never a later event past a bound
    /// the caller checked.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        loop {
            let (time, owner) = match self.world.queue.peek()? {
                (time, Payload::Message(_)) => (time, None),
                (time, Payload::Timer { node, incarnation, .. })
                | (time, Payload::Undeliverable { node, incarnation, .. }) => {
                    (time, Some((*node, *incarnation)))
                }
            };
            match owner {
                Some((node, incarnation)) if !self.world.is_current(node, incarnation) => {
                    self.world.queue.pop();
                }
                _ => return Some(SimTime::from_nanos(time)),
            }
        }
    }

    /// Runs every event due at or before `until`, then moves the clock to `until`. Returns the
    /// number of events run. Outputs accumulate; drain them after, or step by hand to check
    /// something after every event.
    pub fn run_until(&mut self, until: SimTime) -> u64 {
        let start = self.world.events;
        while self.step_until(until.as_nanos()).is_some() {}
        self.world.now = self.world.now.max(until.as_nanos());
        self.world.events - start
    }

    /// `run_until(now + duration)`.
    pub fn run_for(&mut self, duration: Duration) -> u64 {
        self.run_until(self.now() + duration)
    }

    /// Pending events (messages in flight, timers, notices), not counting cancelled timers.
    pub fn pending_events(&self) -> usize {
        self.world.queue.len()
    }

    /// Events run so far (deliveries, drops at delivery, timers, notices).
    pub fn events_processed(&self) -> u64 {
        self.world.events
    }

    /// Outputs emitted since the last drain, with the emitting node, in emission order.
    pub fn drain_outputs(&mut self) -> std::vec::Drain<'_, (NodeId, N::Output)> {
        self.world.outputs.drain(..)
    }

    pub fn counters(&self) -> &Counters {
        &self.world.counters
    }

    // ----- trace -----

    /// The running hash over every event so far: same seed and build, same hash.
    pub fn trace_hash(&self) -> u64 {
        self.world.trace.hash()
    }

    /// A tester's narration, traced and hashed like any event.
    pub fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.fold_action(tag::NOTE, &[fingerprint(&text)]);
        self.world.record(|| TraceEvent::Note { text });
    }

    /// The last `n` kept records, oldest first.
    pub fn trace_records(&self, n: usize) -> impl Iterator<Item = &TraceRecord<N::Msg>> {
        self.world.trace.tail(n)
    }

    /// The last `n` kept records as lines, for failure reports.
    pub fn trace_tail(&self, n: usize) -> Vec<String> {
        self.trace_records(n).map(|r| r.to_string()).collect()
    }

    /// How many records the ring keeps (0 = off; the hash is kept regardless).
    pub fn set_trace_capacity(&mut self, capacity: usize) {
        self.world.trace.set_capacity(capacity);
    }

    /// Writes every record from now on as a JSON line to `writer` (`None` stops); returns the
    /// previous writer so the caller can flush it.
    pub fn set_trace_writer(
        &mut self,
        writer: Option<Box<dyn Write + Send>>,
    ) -> Option<Box<dyn Write + Send>> {
        self.world.trace.set_writer(writer)
    }

    /// The first error the trace writer hit, if any (writing stops at the first error).
    pub fn take_trace_write_error(&mut self) -> Option<std::io::Error> {
        self.world.trace.take_write_error()
    }

    pub(crate) fn fold_action(&mut self, tag: u64, words: &[u64]) {
        let now = self.world.now;
        self.world.trace.fold(&[tag, now]);
        self.world.trace.fold(words);
    }
}
