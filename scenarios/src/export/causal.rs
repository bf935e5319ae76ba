//! Vector clocks for a simulator trace: which process each record happens at, and whose
//! clock it merges, so a visualizer that orders events by happens-before (ShiViz) can draw
//! the run.
//!
//! The rules, and why they are sound (every merge copies a clock some earlier record of the
//! trace produced, so no clock ever claims a dependency on something that had not happened):
//!
//! - Every shown record is one event of one process and adds exactly 1 to that process's
//!   own component, so a process's own values run 1, 2, 3, ... as ShiViz requires.
//! - A `Send` is an event of the sender; its clock travels with the message. A `Duplicate`
//!   is an event of the sender too (the network acted on its behalf), and the extra copy
//!   carries the clock of the send it copies, not the duplicate's.
//! - A `Deliver` is an event of the receiver that merges the clock of the matching send: the
//!   oldest copy still in flight with the same sender, receiver and message fingerprint.
//!   Copies with equal fingerprints are equal messages, so which of them arrived is not
//!   observable; taking the oldest never claims more than the trace shows. A message that
//!   arrives after its sender crashed or restarted still carries its send's clock.
//! - A `Drop` ends a copy's flight without a delivery. It is the network's doing, and the
//!   network is no process ShiViz shows, so it is drawn as a local event of the sender, whose
//!   message it was (the receiver never learns of it). An `Undeliverable` notice is what the
//!   sender does learn: a local event of the sender.
//! - `Start`, `Crash`, `Restart`, `Connect`, `Disconnect` and (when asked for) `Timer` are
//!   local events of their node.
//! - `Partition`, `Heal`, `Link`, `Net` and `Note` are the tester's. The tester acts between
//!   two events with the whole cluster in view, so its event merges every process's clock
//!   (it is drawn after everything that happened before it), and a fault reaches the nodes
//!   it changes: their next event merges the tester's clock (drawn after the fault). Without
//!   that, ShiViz, which lays events out by causality alone, would show every tester event
//!   at the top of the picture, unrelated to the messages it cut.
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use sim::{fingerprint, Message, NodeId, TraceEvent, TraceRecord};

/// A process of the exported log: a simulated node, or the tester that drives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Process {
    Node(NodeId),
    Tester,
}

impl fmt::Display for Process {
    /// `n3` as in the trace's own lines, or `tester`: no spaces, so a ShiViz host token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Process::Node(id) => write!(f, "{id}"),
            Process::Tester => f.write_str("tester"),
        }
    }
}

/// A vector clock: one component per process, indexed in the order processes first appear
/// (a shorter vector has zeros beyond its end).
pub type Clock = Vec<u64>;

/// A message copy in flight: sender, receiver, message fingerprint.
type Flight = (NodeId, NodeId, u64);

/// The running vector clocks of a trace read record by record, oldest first.
#[derive(Debug, Default)]
pub struct Causality {
    processes: Vec<Process>,
    index: BTreeMap<Process, usize>,
    clocks: Vec<Clock>,
    /// The clocks carried by copies still in flight, oldest first per link and message.
    in_flight: BTreeMap<Flight, VecDeque<Clock>>,
    /// A tester's fault each node's next event learns of.
    news: BTreeMap<NodeId, Clock>,
    timers: bool,
    matched: u64,
    unmatched: u64,
}

impl Causality {
    /// Empty clocks; timer firings are events only if `timers` (they double a trace).
    pub fn new(timers: bool) -> Causality {
        Causality { timers, ..Causality::default() }
    }

    /// Takes the next record; returns the process index it is an event of, or `None` when it
    /// is left out (a timer with timers off).
    pub fn step<M: Message>(&mut self, record: &TraceRecord<M>) -> Option<usize> {
        match &record.event {
            TraceEvent::Send { from, to, msg, .. } => {
                let p = self.tick(Process::Node(*from), None);
                let clock = self.clocks[p].clone();
                self.in_flight.entry((*from, *to, fingerprint(msg))).or_default().push_back(clock);
                Some(p)
            }
            TraceEvent::Duplicate { from, to, msg, .. } => Some(self.duplicate(*from, *to, msg)),
            TraceEvent::Deliver { from, to, msg } => {
                let sent = self.land((*from, *to, fingerprint(msg)));
                match &sent {
                    Some(_) => self.matched += 1,
                    None => self.unmatched += 1,
                }
                Some(self.tick(Process::Node(*to), sent.as_ref()))
            }
            TraceEvent::Drop { from, to, msg, .. } => {
                self.land((*from, *to, fingerprint(msg)));
                Some(self.tick(Process::Node(*from), None))
            }
            TraceEvent::Timer { node, .. } => {
                self.timers.then(|| self.tick(Process::Node(*node), None))
            }
            TraceEvent::Undeliverable { node, .. }
            | TraceEvent::Start { node }
            | TraceEvent::Crash { node }
            | TraceEvent::Restart { node }
            | TraceEvent::Connect { node }
            | TraceEvent::Disconnect { node } => Some(self.tick(Process::Node(*node), None)),
            TraceEvent::Partition { groups } => Some(self.tester(groups.iter().flatten().copied())),
            TraceEvent::Link { from, to, .. } => Some(self.tester([*from, *to])),
            TraceEvent::Heal | TraceEvent::Net { .. } => {
                let nodes: Vec<NodeId> = self.nodes().collect();
                Some(self.tester(nodes))
            }
            TraceEvent::Note { .. } | TraceEvent::ClockJump { .. } => Some(self.tester([])),
        }
    }

    /// The process with index `p`.
    pub fn process(&self, p: usize) -> Process {
        self.processes[p]
    }

    /// The current clock of process `p`.
    pub fn clock(&self, p: usize) -> &Clock {
        &self.clocks[p]
    }

    /// Deliveries that merged their send's clock, and those whose send the records did not
    /// hold (a trace kept from the middle of a run): those are drawn as local events.
    pub fn deliveries(&self) -> (u64, u64) {
        (self.matched, self.unmatched)
    }

    /// How many processes have had an event.
    pub fn processes(&self) -> usize {
        self.processes.len()
    }

    /// An extra copy of the send just traced: an event of the sender, and a copy in flight
    /// that carries the send's clock.
    fn duplicate<M: Message>(&mut self, from: NodeId, to: NodeId, msg: &M) -> usize {
        let key = (from, to, fingerprint(msg));
        let sent = self.in_flight.get(&key).and_then(|copies| copies.back().cloned());
        let p = self.tick(Process::Node(from), None);
        let carried = sent.unwrap_or_else(|| self.clocks[p].clone());
        self.in_flight.entry(key).or_default().push_back(carried);
        p
    }

    /// Ends the flight of the oldest matching copy, returning the clock it carried.
    fn land(&mut self, key: Flight) -> Option<Clock> {
        let copies = self.in_flight.get_mut(&key)?;
        let sent = copies.pop_front();
        if copies.is_empty() {
            self.in_flight.remove(&key);
        }
        sent
    }

    /// A tester event: it sees every process, and `affected` nodes learn of it at their next
    /// event.
    fn tester(&mut self, affected: impl IntoIterator<Item = NodeId>) -> usize {
        let seen = self.clocks.iter().fold(Clock::new(), |mut all, clock| {
            merge(&mut all, clock);
            all
        });
        let p = self.tick(Process::Tester, Some(&seen));
        for node in affected {
            merge(self.news.entry(node).or_default(), &self.clocks[p]);
        }
        p
    }

    /// One event of `process`: it merges what it learned (`received`, and a tester's fault
    /// since its last event) and adds 1 to its own component.
    fn tick(&mut self, process: Process, received: Option<&Clock>) -> usize {
        let p = self.register(process);
        let mut clock = std::mem::take(&mut self.clocks[p]);
        if let Process::Node(id) = process {
            if let Some(news) = self.news.remove(&id) {
                merge(&mut clock, &news);
            }
        }
        if let Some(received) = received {
            merge(&mut clock, received);
        }
        if clock.len() <= p {
            clock.resize(p + 1, 0);
        }
        clock[p] += 1;
        self.clocks[p] = clock;
        p
    }

    /// The index of `process`, given the next one on its first event.
    fn register(&mut self, process: Process) -> usize {
        if let Some(&p) = self.index.get(&process) {
            return p;
        }
        let p = self.processes.len();
        self.processes.push(process);
        self.index.insert(process, p);
        self.clocks.push(Clock::new());
        p
    }

    /// The nodes that have had an event so far.
    fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.processes.iter().filter_map(|p| match p {
            Process::Node(id) => Some(*id),
            Process::Tester => None,
        })
    }
}

/// `into` becomes the componentwise maximum of itself and `other`.
fn merge(into: &mut Clock, other: &Clock) {
    if into.len() < other.len() {
        into.resize(other.len(), 0);
    }
    for (mine, theirs) in into.iter_mut().zip(other) {
        *mine = (*mine).max(*theirs);
    }
}
