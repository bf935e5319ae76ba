//! The network model: latency distributions, loss, duplication, long reordering, the labrpc
//! presets, and connectivity (per-node connect flags plus one-way link flags for partitions).
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use rand_chacha::ChaCha8Rng;

use crate::rng::{below, probability_threshold};
use crate::time::duration_nanos;
use crate::NodeId;

/// A latency distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    Fixed(Duration),
    /// Uniform in `[min, max)`.
    Uniform {
        min: Duration,
        max: Duration,
    },
}

impl Latency {
    pub const ZERO: Latency = Latency::Fixed(Duration::ZERO);

    pub fn fixed(d: Duration) -> Latency {
        Latency::Fixed(d)
    }

    /// Uniform in `[min, max)`; `max <= min` means always `min`.
    pub fn uniform(min: Duration, max: Duration) -> Latency {
        if max <= min {
            Latency::Fixed(min)
        } else {
            Latency::Uniform { min, max }
        }
    }

    /// Uniform in `[min_ms, max_ms)` milliseconds.
    pub fn millis(min_ms: u64, max_ms: u64) -> Latency {
        Latency::uniform(Duration::from_millis(min_ms), Duration::from_millis(max_ms))
    }

    /// One draw, in nanoseconds. `Fixed` draws nothing from the stream.
    #[inline]
    pub(crate) fn sample(&self, rng: &mut ChaCha8Rng) -> u64 {
        match *self {
            Latency::Fixed(d) => duration_nanos(d),
            Latency::Uniform { min, max } => {
                let (lo, hi) = (duration_nanos(min), duration_nanos(max));
                lo + below(rng, hi.saturating_sub(lo))
            }
        }
    }
}

impl Latency {
    /// The shortest latency the distribution gives, in nanoseconds.
    pub fn min_nanos(&self) -> u64 {
        match *self {
            Latency::Fixed(d) | Latency::Uniform { min: d, .. } => duration_nanos(d),
        }
    }

    /// The middle of the distribution, in nanoseconds.
    pub fn mid_nanos(&self) -> u64 {
        match *self {
            Latency::Fixed(d) => duration_nanos(d),
            Latency::Uniform { min, max } => (duration_nanos(min) + duration_nanos(max)) / 2,
        }
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Latency::Fixed(d) => write!(f, "{d:?}"),
            Latency::Uniform { min, max } => write!(f, "U[{min:?},{max:?})"),
        }
    }
}

/// labrpc's long reordering: with `probability`, a reply is held back an extra
/// `base + U[0, 1ms + U[0, spread))` (labrpc: 2/3, 200 ms, 2000 ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongReordering {
    pub probability: f64,
    pub base: Duration,
    pub spread: Duration,
}

/// Occasional long delays of any message: with `probability`, add a draw from `extra`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spike {
    pub probability: f64,
    pub extra: Latency,
}

/// How the network treats messages. Start from a preset and adjust fields or combine with
/// the `with_*` builders, e.g. `NetConfig::unreliable().with_long_reordering()`.
#[derive(Clone, Debug, PartialEq)]
pub struct NetConfig {
    /// Base one-way latency of every message (a per-link override replaces it).
    pub latency: Latency,
    /// Extra delay of requests only (labrpc unreliable: U[0,27) ms).
    pub request_delay: Latency,
    /// Probability that a request is lost.
    pub drop_requests: f64,
    /// Probability that a reply is lost (the handler ran; its answer does not arrive).
    pub drop_replies: f64,
    /// Probability that a message is delivered twice (the copy has its own latency).
    pub duplicate: f64,
    pub long_reordering: Option<LongReordering>,
    pub spike: Option<Spike>,
    /// If set, a request that cannot be delivered (peer dead, disconnected, partitioned, or the
    /// request lost) is handed back to its sender through `Node::on_undeliverable` after this
    /// delay (labrpc: U[0,100) ms, or U[0,7000) ms under long delays). Lost requests come back
    /// after their drawn latency instead. Lost replies and duplicates give no notice.
    pub undeliverable_notice: Option<Latency>,
}

impl NetConfig {
    /// A few milliseconds of latency, no loss.
    pub fn reliable() -> NetConfig {
        NetConfig {
            latency: Latency::millis(1, 3),
            request_delay: Latency::ZERO,
            drop_requests: 0.0,
            drop_replies: 0.0,
            duplicate: 0.0,
            long_reordering: None,
            spike: None,
            undeliverable_notice: Some(Latency::millis(0, 100)),
        }
    }

    /// labrpc unreliable: requests delayed U[0,27) ms, 10% of requests and 10% of replies lost.
    pub fn unreliable() -> NetConfig {
        NetConfig::reliable().with_unreliable()
    }

    /// labrpc long reordering: 2/3 of replies delayed 200 + rand(1 + rand(2000)) ms.
    pub fn long_reordering() -> NetConfig {
        NetConfig::reliable().with_long_reordering()
    }

    /// labrpc long delays: a request to a dead or disconnected peer fails after U[0,7000) ms.
    pub fn long_delays() -> NetConfig {
        NetConfig::reliable().with_long_delays()
    }

    pub fn with_unreliable(mut self) -> NetConfig {
        self.request_delay = Latency::millis(0, 27);
        self.drop_requests = 0.1;
        self.drop_replies = 0.1;
        self
    }

    pub fn with_long_reordering(mut self) -> NetConfig {
        self.long_reordering = Some(LongReordering {
            probability: 2.0 / 3.0,
            base: Duration::from_millis(200),
            spread: Duration::from_millis(2000),
        });
        self
    }

    pub fn with_long_delays(mut self) -> NetConfig {
        self.undeliverable_notice = Some(Latency::millis(0, 7000));
        self
    }
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig::reliable()
    }
}

impl fmt::Display for NetConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "latency={} request_delay={}", self.latency, self.request_delay)?;
        write!(
            f,
            " drop_req={} drop_rep={} dup={}",
            self.drop_requests, self.drop_replies, self.duplicate
        )?;
        if let Some(r) = &self.long_reordering {
            write!(f, " reorder={:.3}x{:?}+{:?}", r.probability, r.base, r.spread)?;
        }
        if let Some(s) = &self.spike {
            write!(f, " spike={}x{}", s.probability, s.extra)?;
        }
        match &self.undeliverable_notice {
            Some(l) => write!(f, " notice={l}"),
            None => write!(f, " notice=off"),
        }
    }
}

/// Why a message was not delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// Random loss (`drop_requests` / `drop_replies`).
    Loss,
    /// The sender or the receiver is disconnected.
    Disconnected,
    /// The link from sender to receiver is down (a partition or a one-way cut).
    Partitioned,
    /// The receiver is crashed (or was never started).
    ReceiverDown,
    /// The receiver crashed and restarted while the message was in flight.
    ReceiverRestarted,
    /// The sender crashed while the message was in flight: a dead incarnation's words are lost.
    SenderCrashed,
    /// No node has that id.
    NoSuchNode,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Loss => "loss",
            DropReason::Disconnected => "disconnected",
            DropReason::Partitioned => "partitioned",
            DropReason::ReceiverDown => "receiver-down",
            DropReason::ReceiverRestarted => "receiver-restarted",
            DropReason::SenderCrashed => "sender-crashed",
            DropReason::NoSuchNode => "no-such-node",
        }
    }
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// `NetConfig` with probabilities turned into integer thresholds for the hot path.
#[derive(Clone, Debug)]
pub(crate) struct NetParams {
    pub config: NetConfig,
    pub drop_requests: u64,
    pub drop_replies: u64,
    pub duplicate: u64,
    pub reorder: u64,
    pub spike: u64,
}

impl NetParams {
    pub fn new(config: NetConfig) -> NetParams {
        NetParams {
            drop_requests: probability_threshold(config.drop_requests),
            drop_replies: probability_threshold(config.drop_replies),
            duplicate: probability_threshold(config.duplicate),
            reorder: probability_threshold(config.long_reordering.map_or(0.0, |r| r.probability)),
            spike: probability_threshold(config.spike.map_or(0.0, |s| s.probability)),
            config,
        }
    }
}

/// Who can reach whom: labrpc-style per-node enable flags, plus one flag per directed link.
/// Node ids are mapped to dense indices, so sparse ids (clients numbered from 1000, say) cost
/// nothing in the link matrix.
#[derive(Clone, Debug, Default)]
pub(crate) struct Links {
    /// `dense[id]` = 1 + the node's dense index, or 0 if the id is unknown.
    dense: Vec<u32>,
    /// Matrix side; at least the number of known ids.
    stride: usize,
    known: usize,
    connected: Vec<bool>,
    /// `down[from * stride + to]` over dense indices: the directed link is cut.
    down: Vec<bool>,
    /// Fast path: no link is cut.
    any_down: bool,
    latency: BTreeMap<(NodeId, NodeId), Latency>,
}

impl Links {
    #[inline]
    fn index(&self, id: NodeId) -> Option<usize> {
        match self.dense.get(id.index()) {
            Some(&d) if d > 0 => Some(d as usize - 1),
            _ => None,
        }
    }

    /// The dense index of `id`, registering it (connected, all links up) if new.
    pub fn register(&mut self, id: NodeId) -> usize {
        if let Some(i) = self.index(id) {
            return i;
        }
        if self.dense.len() <= id.index() {
            self.dense.resize(id.index() + 1, 0);
        }
        let i = self.known;
        self.known += 1;
        self.dense[id.index()] = self.known as u32;
        if self.known > self.stride {
            let stride = (self.stride * 2).max(8);
            let mut down = vec![false; stride * stride];
            for from in 0..self.stride {
                let old = &self.down[from * self.stride..(from + 1) * self.stride];
                down[from * stride..from * stride + self.stride].copy_from_slice(old);
            }
            self.down = down;
            self.connected.resize(stride, true);
            self.stride = stride;
        }
        i
    }

    /// Unknown ids count as connected: they cannot send, and a message to them is dropped
    /// for having no receiver.
    #[inline]
    pub fn is_connected(&self, id: NodeId) -> bool {
        self.index(id).is_none_or(|i| self.connected[i])
    }

    pub fn set_connected(&mut self, id: NodeId, up: bool) {
        let i = self.register(id);
        self.connected[i] = up;
    }

    #[inline]
    pub fn link_up(&self, from: NodeId, to: NodeId) -> bool {
        if !self.any_down {
            return true;
        }
        match (self.index(from), self.index(to)) {
            (Some(f), Some(t)) => !self.down[f * self.stride + t],
            _ => true,
        }
    }

    pub fn set_link(&mut self, from: NodeId, to: NodeId, up: bool) {
        let f = self.register(from);
        let t = self.register(to);
        self.down[f * self.stride + t] = !up;
        if !up {
            self.any_down = true;
        }
    }

    /// All links up, all nodes connected.
    pub fn heal(&mut self) {
        self.down.iter_mut().for_each(|d| *d = false);
        self.connected.iter_mut().for_each(|c| *c = true);
        self.any_down = false;
    }

    /// Whether a message may travel from `from` to `to` now.
    #[inline]
    pub fn check(&self, from: NodeId, to: NodeId) -> Result<(), DropReason> {
        if !self.is_connected(from) || !self.is_connected(to) {
            Err(DropReason::Disconnected)
        } else if !self.link_up(from, to) {
            Err(DropReason::Partitioned)
        } else {
            Ok(())
        }
    }

    pub fn set_latency(&mut self, from: NodeId, to: NodeId, latency: Option<Latency>) {
        match latency {
            Some(l) => self.latency.insert((from, to), l),
            None => self.latency.remove(&(from, to)),
        };
    }

    #[inline]
    pub fn latency_override(&self, from: NodeId, to: NodeId) -> Option<&Latency> {
        if self.latency.is_empty() {
            None
        } else {
            self.latency.get(&(from, to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growing_keeps_cut_links() {
        let mut links = Links::default();
        links.set_link(NodeId(0), NodeId(1), false);
        for id in 2..40 {
            links.register(NodeId(id * 1000));
        }
        assert!(!links.link_up(NodeId(0), NodeId(1)));
        assert!(links.link_up(NodeId(1), NodeId(0)));
        assert!(links.link_up(NodeId(0), NodeId(39_000)));
        assert!(links.is_connected(NodeId(39_000)));
        links.set_connected(NodeId(39_000), false);
        assert_eq!(links.check(NodeId(0), NodeId(39_000)), Err(DropReason::Disconnected));
        assert_eq!(links.check(NodeId(0), NodeId(1)), Err(DropReason::Partitioned));
        links.heal();
        assert!(links.link_up(NodeId(0), NodeId(1)));
    }

    #[test]
    fn presets_match_labrpc() {
        let u = NetConfig::unreliable();
        assert_eq!(u.drop_requests, 0.1);
        assert_eq!(u.drop_replies, 0.1);
        assert_eq!(u.request_delay, Latency::millis(0, 27));
        assert_eq!(NetConfig::long_delays().undeliverable_notice, Some(Latency::millis(0, 7000)));
        assert_eq!(NetConfig::reliable().undeliverable_notice, Some(Latency::millis(0, 100)));
        let r = NetConfig::long_reordering().long_reordering.unwrap();
        assert!((r.probability - 2.0 / 3.0).abs() < 1e-12);
    }
}
