//! Everything in a simulation except the node objects: the clock, the queue, per-node slots
//! (liveness, incarnation, durable state, random streams), the network, counters and trace.
//! Keeping the nodes apart lets a node run with a `Ctx` borrowing the rest.
use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use crate::clock::config::ClockConfig;
use crate::clock::table::Clocks;
use crate::counters::{Counters, Tally};
use crate::hash::fingerprint;
use crate::message::Message;
use crate::net::{DropReason, Latency, Links, NetParams};
use crate::queue::EventQueue;
use crate::rng::{self, below, Purpose};
use crate::schedule::{Fate, Tape};
use crate::trace::{tag, Trace, TraceEvent};
use crate::{NodeId, SimTime};

/// What the simulator keeps per node id, across crashes.
pub(crate) struct Slot<D> {
    pub alive: bool,
    /// Bumped at every crash: events stamped with an older incarnation are void.
    pub incarnation: u32,
    pub durable: D,
    pub node_rng: ChaCha8Rng,
    pub net_rng: ChaCha8Rng,
    pub notice_rng: ChaCha8Rng,
}

/// A message in flight, stamped with both ends' incarnations at send time.
pub(crate) struct InFlight<M> {
    pub from: NodeId,
    pub to: NodeId,
    pub from_incarnation: u32,
    pub to_incarnation: u32,
    pub kind: u32,
    pub is_reply: bool,
    /// A duplicate copy never produces an undeliverable notice.
    pub copy: bool,
    pub size: u64,
    pub fingerprint: u64,
    pub msg: M,
}

pub(crate) enum Payload<M> {
    Message(InFlight<M>),
    Timer {
        node: NodeId,
        incarnation: u32,
        tag: u64,
    },
    /// A request handed back to its sender.
    Undeliverable {
        node: NodeId,
        incarnation: u32,
        to: NodeId,
        msg: M,
    },
}

/// The types a world holds for its nodes, which `Node` provides (node.rs). The world is generic
/// over this rather than over `Node`, whose `Ctx` borrows the world: so this file does not
/// depend on the node trait that depends on it.
pub(crate) trait NodeTypes {
    type Msg: Message;
    type Durable;
    type Output;
}

pub(crate) struct World<N: NodeTypes> {
    pub seed: u64,
    pub now: u64,
    pub queue: EventQueue<Payload<N::Msg>>,
    pub slots: Vec<Option<Slot<N::Durable>>>,
    pub links: Links,
    pub net: NetParams,
    pub counters: Counters,
    pub trace: Trace<N::Msg>,
    pub outputs: Vec<(NodeId, N::Output)>,
    pub events: u64,
    /// The schedule being replayed or recorded, if any (`None`: draw from the streams).
    pub tape: Option<Box<Tape>>,
    /// The nodes' clocks; `None` while clocks are perfect (every node reads `now`).
    pub clocks: Option<Box<Clocks>>,
    /// The configuration the clocks follow, as the tester gave it.
    pub clock_config: ClockConfig,
}

impl<N: NodeTypes> World<N> {
    pub fn slot(&self, id: NodeId) -> &Slot<N::Durable> {
        self.slots[id.index()].as_ref().expect("slot of a node that exists")
    }

    pub fn slot_mut(&mut self, id: NodeId) -> &mut Slot<N::Durable> {
        self.slots[id.index()].as_mut().expect("slot of a node that exists")
    }

    pub fn try_slot(&self, id: NodeId) -> Option<&Slot<N::Durable>> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    /// Creates the slot for a new node id, with fresh streams and default durable state.
    pub fn create_slot(&mut self, id: NodeId, durable: N::Durable) {
        if self.slots.len() <= id.index() {
            self.slots.resize_with(id.index() + 1, || None);
        }
        self.links.register(id);
        self.slots[id.index()] = Some(Slot {
            alive: false,
            incarnation: 0,
            durable,
            node_rng: rng::stream(self.seed, Purpose::Node(id)),
            net_rng: rng::stream(self.seed, Purpose::Network(id)),
            notice_rng: rng::stream(self.seed, Purpose::Notice(id)),
        });
    }

    /// Whether an event stamped (id, incarnation) still belongs to a live incarnation.
    #[inline]
    pub fn is_current(&self, id: NodeId, incarnation: u32) -> bool {
        matches!(self.try_slot(id), Some(s) if s.alive && s.incarnation == incarnation)
    }

    #[inline]
    pub fn record(&mut self, event: impl FnOnce() -> TraceEvent<N::Msg>) {
        if self.trace.recording() {
            self.trace.record(SimTime::from_nanos(self.now), event());
        }
    }

    /// A message leaves `from`. All random draws happen here, from the sender's network
    /// stream, and their number depends only on the configuration, so a fault that changes
    /// one message's fate does not shift the draws of later ones.
    pub fn send(&mut self, from: NodeId, to: NodeId, msg: N::Msg) {
        let size = msg.size_bytes() as u64;
        let is_reply = msg.is_reply();
        let kind = self.counters.kind_index(msg.kind());
        let fp = fingerprint(&msg);
        self.counters.record(Tally::Send, from, to, kind, size, is_reply);

        let fate = self.fate(from, to, kind, is_reply);
        let (lost, latency) = (fate.lost, fate.latency());
        let copy_latency = fate.copy.map(|(base, extra)| base.saturating_add(extra));

        let arrive = self.now.saturating_add(latency);
        self.trace.fold(&[tag::SEND, self.now, u64::from(from.0), u64::from(to.0), fp, arrive]);
        self.record(|| TraceEvent::Send {
            from,
            to,
            msg: msg.clone(),
            arrive: SimTime::from_nanos(arrive),
        });

        let to_incarnation = match self.route(from, to) {
            Ok(incarnation) => incarnation,
            Err(reason) => {
                let delay = self.notice_delay(from);
                return self
                    .drop_message(from, to, kind, size, is_reply, false, fp, msg, reason, delay);
            }
        };
        if lost {
            return self.drop_message(
                from,
                to,
                kind,
                size,
                is_reply,
                false,
                fp,
                msg,
                DropReason::Loss,
                Some(latency),
            );
        }
        let from_incarnation = self.slot(from).incarnation;
        if let Some(copy_latency) = copy_latency {
            let copy_arrive = self.now.saturating_add(copy_latency);
            self.counters.record(Tally::Duplicate, from, to, kind, size, is_reply);
            self.trace.fold(&[
                tag::DUPLICATE,
                self.now,
                u64::from(from.0),
                u64::from(to.0),
                fp,
                copy_arrive,
            ]);
            self.record(|| TraceEvent::Duplicate {
                from,
                to,
                msg: msg.clone(),
                arrive: SimTime::from_nanos(copy_arrive),
            });
            let copy = InFlight {
                from,
                to,
                from_incarnation,
                to_incarnation,
                kind,
                is_reply,
                copy: true,
                size,
                fingerprint: fp,
                msg: msg.clone(),
            };
            self.queue.push(copy_arrive, Payload::Message(copy));
        }
        let flight = InFlight {
            from,
            to,
            from_incarnation,
            to_incarnation,
            kind,
            is_reply,
            copy: false,
            size,
            fingerprint: fp,
            msg,
        };
        self.queue.push(arrive, Payload::Message(flight));
    }

    /// Whether `to` can be reached from `from` now; on success, the receiver's incarnation.
    #[inline]
    fn route(&self, from: NodeId, to: NodeId) -> Result<u32, DropReason> {
        let slot = self.try_slot(to).ok_or(DropReason::NoSuchNode)?;
        if !slot.alive {
            return Err(DropReason::ReceiverDown);
        }
        self.links.check(from, to)?;
        Ok(slot.incarnation)
    }

    /// Whether an in-flight message may be delivered now.
    #[inline]
    pub fn check_delivery(&self, m: &InFlight<N::Msg>) -> Result<(), DropReason> {
        if self.slot(m.from).incarnation != m.from_incarnation {
            return Err(DropReason::SenderCrashed);
        }
        let slot = self.try_slot(m.to).ok_or(DropReason::NoSuchNode)?;
        if !slot.alive {
            return Err(DropReason::ReceiverDown);
        }
        if slot.incarnation != m.to_incarnation {
            return Err(DropReason::ReceiverRestarted);
        }
        self.links.check(m.from, m.to)
    }

    /// The delay of an undeliverable notice to `from`, if notices are on.
    fn notice_delay(&mut self, from: NodeId) -> Option<u64> {
        let latency = self.net.config.undeliverable_notice?;
        let Some(tape) = self.tape.as_deref_mut() else {
            return Some(latency.sample(&mut self.slot_mut(from).notice_rng));
        };
        let delay = match tape.next_notice(from) {
            Some(delay) => delay,
            // Past the schedule's end: the middle delay. Not the minimum, which may be zero:
            // a sender that retries at once on a notice would spin without time passing.
            None if tape.replaying() => latency.mid_nanos(),
            None => {
                latency.sample(&mut self.slots[from.index()].as_mut().expect("node").notice_rng)
            }
        };
        tape.note_notice(from, delay);
        Some(delay)
    }

    /// What the network does with a message from `from` to `to`: drawn from the sender's
    /// network stream (the number of draws depends only on the configuration, so a fault that
    /// changes one message's fate does not shift the draws of later ones), or taken from the
    /// schedule being replayed, and recorded if a recording is on.
    #[inline]
    fn fate(&mut self, from: NodeId, to: NodeId, kind: u32, is_reply: bool) -> Fate {
        let net = &self.net;
        let rng = &mut self.slots[from.index()].as_mut().expect("sender exists").net_rng;
        let Some(tape) = self.tape.as_deref_mut() else {
            return draw_fate(net, &self.links, from, to, is_reply, rng);
        };
        let key = (from, to, kind);
        let fate = match tape.next_fate(key, self.counters.kind_name(kind)) {
            Some(fate) => fate,
            // Past the schedule's end: the plainest fate, so a shrunk schedule adds no fault.
            None if tape.replaying() => Fate {
                base: base_latency(net, &self.links, from, to).min_nanos(),
                ..Fate::default()
            },
            None => draw_fate(net, &self.links, from, to, is_reply, rng),
        };
        tape.note_fate(key, fate);
        fate
    }

    /// Counts, hashes and traces a lost message; a lost original request goes back to its
    /// sender after `notice` if notices are on.
    #[allow(clippy::too_many_arguments)]
    pub fn drop_message(
        &mut self,
        from: NodeId,
        to: NodeId,
        kind: u32,
        size: u64,
        is_reply: bool,
        copy: bool,
        fp: u64,
        msg: N::Msg,
        reason: DropReason,
        notice: Option<u64>,
    ) {
        self.counters.record(Tally::Drop, from, to, kind, size, is_reply);
        self.trace.fold(&[
            tag::DROP,
            self.now,
            u64::from(from.0),
            u64::from(to.0),
            fp,
            reason as u64,
        ]);
        self.record(|| TraceEvent::Drop { from, to, msg: msg.clone(), reason });
        let wants_notice = !is_reply && !copy && self.net.config.undeliverable_notice.is_some();
        if let (true, Some(delay)) = (wants_notice, notice) {
            if let Some(slot) = self.try_slot(from).filter(|s| s.alive) {
                let incarnation = slot.incarnation;
                let at = self.now.saturating_add(delay);
                self.queue.push(at, Payload::Undeliverable { node: from, incarnation, to, msg });
            }
        }
    }

    /// An in-flight message failed its delivery check.
    pub fn drop_in_flight(&mut self, m: InFlight<N::Msg>, reason: DropReason) {
        let notice = if m.is_reply || m.copy { None } else { self.notice_delay(m.from) };
        self.drop_message(
            m.from,
            m.to,
            m.kind,
            m.size,
            m.is_reply,
            m.copy,
            m.fingerprint,
            m.msg,
            reason,
            notice,
        );
    }
}

/// One message's fate from the sender's stream: loss, latency, then a possible copy with
/// its own latency, each drawn only if configured (the order the draws have always had, so
/// trace hashes of existing seeds stay the same).
#[inline]
fn draw_fate(
    net: &NetParams,
    links: &Links,
    from: NodeId,
    to: NodeId,
    is_reply: bool,
    rng: &mut ChaCha8Rng,
) -> Fate {
    let loss = if is_reply { net.drop_replies } else { net.drop_requests };
    let lost = loss != 0 && rng.next_u64() < loss;
    let (base, extra) = draw_latency(net, links, from, to, is_reply, rng);
    let copy = if net.duplicate != 0 && rng.next_u64() < net.duplicate {
        Some(draw_latency(net, links, from, to, is_reply, rng))
    } else {
        None
    };
    Fate { lost, base, extra, copy }
}

/// The latency distribution of a link: its override, or the network's.
#[inline]
fn base_latency<'a>(net: &'a NetParams, links: &'a Links, from: NodeId, to: NodeId) -> &'a Latency {
    links.latency_override(from, to).unwrap_or(&net.config.latency)
}

/// One latency draw for a message as (base, extra): the link's (or the base) latency, and what
/// the request delay, long reordering of replies and spikes add, each drawn only if configured.
#[inline]
fn draw_latency(
    net: &NetParams,
    links: &Links,
    from: NodeId,
    to: NodeId,
    is_reply: bool,
    rng: &mut ChaCha8Rng,
) -> (u64, u64) {
    let config = &net.config;
    let base = base_latency(net, links, from, to).sample(rng);
    let mut extra: u64 = 0;
    if !is_reply {
        extra = extra.saturating_add(config.request_delay.sample(rng));
    } else if let Some(r) = &config.long_reordering {
        if net.reorder != 0 && rng.next_u64() < net.reorder {
            let spread = crate::time::duration_nanos(r.spread);
            let inner = below(rng, spread);
            let delay = crate::time::duration_nanos(r.base) + below(rng, inner + 1_000_000);
            extra = extra.saturating_add(delay);
        }
    }
    if let Some(spike) = &config.spike {
        if net.spike != 0 && rng.next_u64() < net.spike {
            extra = extra.saturating_add(spike.extra.sample(rng));
        }
    }
    (base, extra)
}
