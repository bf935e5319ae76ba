//! The network's decisions as data: each message's fate (lost or delivered, after which base
//! latency and which extra delay, duplicated or not) and each undeliverable notice's delay,
//! recorded as a run draws them and replayed instead of the random streams.
//!
//! A fate is keyed by its lane (sender, receiver, message kind) and its position in that
//! lane, not by its position in the sender's stream: when a shrinker removes one loss, the
//! messages that follow on other lanes keep their fates, and those on the same lane keep
//! theirs by count. A lane that runs past its recorded fates (a changed run sends more) gets
//! the plainest fate: delivered after the link's minimum latency, no extra delay, no copy.
use std::collections::BTreeMap;

use crate::NodeId;

/// What the network did with one message. Latencies are in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fate {
    /// Lost at random (it still "travels" for `base + extra`: a lost request's notice comes
    /// back after that long).
    pub lost: bool,
    /// The link's (or the network's) latency draw.
    pub base: u64,
    /// What the fault model added on top: the request delay, long reordering, a spike.
    pub extra: u64,
    /// A duplicate copy's own `(base, extra)`.
    pub copy: Option<(u64, u64)>,
}

impl Fate {
    /// When the message arrives, counted from its send.
    pub fn latency(&self) -> u64 {
        self.base.saturating_add(self.extra)
    }

    /// Whether the fault model touched this message (loss, copy or extra delay).
    pub fn is_fault(&self) -> bool {
        self.lost || self.copy.is_some() || self.extra > 0
    }

    /// How many faults it carries: a lost, duplicated and delayed message is three.
    pub fn faults(&self) -> usize {
        usize::from(self.lost) + usize::from(self.copy.is_some()) + usize::from(self.extra > 0)
    }
}

/// One directed link's messages of one kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lane {
    pub from: NodeId,
    pub to: NodeId,
    pub kind: String,
}

/// A run's network decisions: fates per lane, in send order, and notice delays per node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetSchedule {
    pub fates: BTreeMap<Lane, Vec<Fate>>,
    /// Delays of undeliverable notices handed back to each node, in order.
    pub notices: BTreeMap<NodeId, Vec<u64>>,
}

impl NetSchedule {
    /// Messages the schedule decides.
    pub fn messages(&self) -> usize {
        self.fates.values().map(Vec::len).sum()
    }

    /// Faults among them (a message may carry more than one: see [`Fate::faults`]).
    pub fn faults(&self) -> usize {
        self.fates.values().flatten().map(Fate::faults).sum()
    }
}

/// A lane as the world sees it: kind by its counter index.
type LaneKey = (NodeId, NodeId, u32);

/// The simulator's side of a schedule: an optional one to replay, an optional recording.
#[derive(Debug, Default)]
pub(crate) struct Tape {
    replay: Option<Replay>,
    recording: Option<Recording>,
}

#[derive(Debug, Default)]
struct Replay {
    /// Lanes not yet looked up, by name.
    unopened: BTreeMap<Lane, Vec<Fate>>,
    /// Lanes in use, with the position of the next fate.
    open: BTreeMap<LaneKey, (Vec<Fate>, usize)>,
    notices: BTreeMap<NodeId, (Vec<u64>, usize)>,
}

#[derive(Debug, Default)]
struct Recording {
    fates: BTreeMap<LaneKey, Vec<Fate>>,
    notices: BTreeMap<NodeId, Vec<u64>>,
}

impl Tape {
    pub fn replay(&mut self, schedule: NetSchedule) {
        let notices = schedule.notices.into_iter().map(|(id, d)| (id, (d, 0))).collect();
        self.replay = Some(Replay { unopened: schedule.fates, open: BTreeMap::new(), notices });
    }

    pub fn record(&mut self) {
        self.recording = Some(Recording::default());
    }

    pub fn replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// The next replayed fate of a lane, `None` past its end (or when not replaying).
    pub fn next_fate(&mut self, key: LaneKey, kind_name: &str) -> Option<Fate> {
        let replay = self.replay.as_mut()?;
        let (fates, next) = replay.open.entry(key).or_insert_with(|| {
            let lane = Lane { from: key.0, to: key.1, kind: kind_name.to_string() };
            (replay.unopened.remove(&lane).unwrap_or_default(), 0)
        });
        let fate = fates.get(*next).copied();
        *next += 1;
        fate
    }

    /// The next replayed notice delay to `node`.
    pub fn next_notice(&mut self, node: NodeId) -> Option<u64> {
        let (delays, next) = self.replay.as_mut()?.notices.get_mut(&node)?;
        let delay = delays.get(*next).copied();
        *next += 1;
        delay
    }

    pub fn note_fate(&mut self, key: LaneKey, fate: Fate) {
        if let Some(r) = &mut self.recording {
            r.fates.entry(key).or_default().push(fate);
        }
    }

    pub fn note_notice(&mut self, node: NodeId, delay: u64) {
        if let Some(r) = &mut self.recording {
            r.notices.entry(node).or_default().push(delay);
        }
    }

    /// The recording so far, with kinds named by `name`.
    pub fn recorded(&self, name: impl Fn(u32) -> &'static str) -> Option<NetSchedule> {
        let r = self.recording.as_ref()?;
        let fates = r
            .fates
            .iter()
            .map(|(&(from, to, kind), fates)| {
                (Lane { from, to, kind: name(kind).to_string() }, fates.clone())
            })
            .collect();
        Some(NetSchedule { fates, notices: r.notices.clone() })
    }
}
