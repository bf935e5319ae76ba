//! The test network: messages in flight with seeded delays, loss, duplication and reordering,
//! and directed link cuts for partitions.

use std::collections::BTreeSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::message::Message;
use crate::types::NodeId;

/// Fault settings of the test network. Delays are in rounds (one round is one tick).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkFaults {
    /// Percent of messages dropped.
    pub loss_percent: u32,
    /// Percent of messages delivered twice.
    pub duplicate_percent: u32,
    /// Each message is delivered after 0..=max_delay_rounds rounds, so messages reorder.
    pub max_delay_rounds: u64,
}

impl NetworkFaults {
    /// A network that delivers everything within the round it was sent, in shuffled order.
    pub fn reliable() -> NetworkFaults {
        NetworkFaults { loss_percent: 0, duplicate_percent: 0, max_delay_rounds: 0 }
    }

    /// 10% loss, 5% duplication, delays up to 3 rounds: the 6.824 "unreliable" flavour.
    pub fn unreliable() -> NetworkFaults {
        NetworkFaults { loss_percent: 10, duplicate_percent: 5, max_delay_rounds: 3 }
    }
}

/// Messages in flight, each with the round it becomes deliverable.
#[derive(Debug)]
pub(crate) struct Network {
    pub(crate) faults: NetworkFaults,
    in_flight: Vec<(u64, Message)>,
    cut: BTreeSet<(NodeId, NodeId)>,
}

impl Network {
    pub(crate) fn new() -> Network {
        Network { faults: NetworkFaults::reliable(), in_flight: Vec::new(), cut: BTreeSet::new() }
    }

    /// Accepts a message sent in round `now`; loss and duplication are decided here.
    pub(crate) fn send(&mut self, now: u64, message: Message, rng: &mut ChaCha8Rng) {
        if self.cut.contains(&(message.from, message.to)) {
            return;
        }
        if rng.gen_range(0..100) < self.faults.loss_percent {
            return;
        }
        let copies = if rng.gen_range(0..100) < self.faults.duplicate_percent { 2 } else { 1 };
        for _ in 0..copies {
            let delay = rng.gen_range(0..=self.faults.max_delay_rounds);
            self.in_flight.push((now + delay, message.clone()));
        }
    }

    /// Removes and returns the messages deliverable in round `now`, shuffled. A link cut after
    /// a message was sent still stops it, as a disconnected labrpc end does.
    pub(crate) fn take_due(&mut self, now: u64, rng: &mut ChaCha8Rng) -> Vec<Message> {
        let (mut due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.in_flight).into_iter().partition(|(at, _)| *at <= now);
        self.in_flight = later;
        // Fisher-Yates with the cluster's seeded stream: a reproducible reordering.
        for i in (1..due.len()).rev() {
            due.swap(i, rng.gen_range(0..=i));
        }
        due.into_iter().map(|(_, m)| m).filter(|m| !self.cut.contains(&(m.from, m.to))).collect()
    }

    /// Drops everything addressed to or sent by `node` (it crashed: its replies never arrive).
    pub(crate) fn forget(&mut self, node: NodeId) {
        self.in_flight.retain(|(_, m)| m.to != node && m.from != node);
    }

    pub(crate) fn cut_link(&mut self, from: NodeId, to: NodeId) {
        self.cut.insert((from, to));
    }

    pub(crate) fn heal(&mut self) {
        self.cut.clear();
    }

    pub(crate) fn is_cut(&self, from: NodeId, to: NodeId) -> bool {
        self.cut.contains(&(from, to))
    }
}
