//! The trace: every event as a record with a one-line `Display`, kept in a bounded ring and
//! optionally written as JSON lines, plus the running 64-bit hash over all events.
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Write};

use crate::clock::config::signed;
use crate::hash::mix;
use crate::net::DropReason;
use crate::{NodeId, SimTime, TimerId};

/// One thing that happened. Message events carry the message itself.
#[derive(Clone, Debug, PartialEq)]
pub enum TraceEvent<M> {
    /// A node handed a message to the network; `arrive` is when it is due.
    Send {
        from: NodeId,
        to: NodeId,
        msg: M,
        arrive: SimTime,
    },
    /// The network made an extra copy, due at `arrive`.
    Duplicate {
        from: NodeId,
        to: NodeId,
        msg: M,
        arrive: SimTime,
    },
    Deliver {
        from: NodeId,
        to: NodeId,
        msg: M,
    },
    Drop {
        from: NodeId,
        to: NodeId,
        msg: M,
        reason: DropReason,
    },
    /// A request that could not be delivered was handed back to its sender `node`.
    Undeliverable {
        node: NodeId,
        to: NodeId,
        msg: M,
    },
    Timer {
        node: NodeId,
        timer: TimerId,
        tag: u64,
    },
    Start {
        node: NodeId,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    Connect {
        node: NodeId,
    },
    Disconnect {
        node: NodeId,
    },
    Link {
        from: NodeId,
        to: NodeId,
        up: bool,
    },
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    Heal,
    Net {
        config: String,
    },
    /// A tester's narration (`Sim::note`).
    Note {
        text: String,
    },
    /// `node`'s clock stepped by `by_nanos` at true time `at`. Recorded when the simulator
    /// first moves that node's clock past the step: at the node's next event (any callback,
    /// or the tester's `Sim::with_node`), so the record's time may be later than `at`.
    ClockJump {
        node: NodeId,
        by_nanos: i64,
        at: SimTime,
    },
}

impl<M> TraceEvent<M> {
    /// A short stable name, used in JSON lines.
    pub fn name(&self) -> &'static str {
        match self {
            TraceEvent::Send { .. } => "send",
            TraceEvent::Duplicate { .. } => "duplicate",
            TraceEvent::Deliver { .. } => "deliver",
            TraceEvent::Drop { .. } => "drop",
            TraceEvent::Undeliverable { .. } => "undeliverable",
            TraceEvent::Timer { .. } => "timer",
            TraceEvent::Start { .. } => "start",
            TraceEvent::Crash { .. } => "crash",
            TraceEvent::Restart { .. } => "restart",
            TraceEvent::Connect { .. } => "connect",
            TraceEvent::Disconnect { .. } => "disconnect",
            TraceEvent::Link { .. } => "link",
            TraceEvent::Partition { .. } => "partition",
            TraceEvent::Heal => "heal",
            TraceEvent::Net { .. } => "net",
            TraceEvent::Note { .. } => "note",
            TraceEvent::ClockJump { .. } => "clock_jump",
        }
    }
}

impl<M: fmt::Display> fmt::Display for TraceEvent<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceEvent::Send { from, to, msg, arrive } => {
                write!(f, "{from}->{to} send {msg} (due {arrive})")
            }
            TraceEvent::Duplicate { from, to, msg, arrive } => {
                write!(f, "{from}->{to} duplicate {msg} (due {arrive})")
            }
            TraceEvent::Deliver { from, to, msg } => write!(f, "{from}->{to} deliver {msg}"),
            TraceEvent::Drop { from, to, msg, reason } => {
                write!(f, "{from}->{to} drop({reason}) {msg}")
            }
            TraceEvent::Undeliverable { node, to, msg } => {
                write!(f, "{node} undeliverable ->{to} {msg}")
            }
            TraceEvent::Timer { node, timer, tag } => write!(f, "{node} timer {timer} tag={tag}"),
            TraceEvent::Start { node } => write!(f, "{node} start"),
            TraceEvent::Crash { node } => write!(f, "{node} crash"),
            TraceEvent::Restart { node } => write!(f, "{node} restart"),
            TraceEvent::Connect { node } => write!(f, "{node} connect"),
            TraceEvent::Disconnect { node } => write!(f, "{node} disconnect"),
            TraceEvent::Link { from, to, up } => {
                write!(f, "{from}->{to} link {}", if *up { "up" } else { "down" })
            }
            TraceEvent::Partition { groups } => {
                write!(f, "partition [")?;
                for (i, group) in groups.iter().enumerate() {
                    if i > 0 {
                        write!(f, " |")?;
                    }
                    for id in group {
                        write!(f, " {id}")?;
                    }
                }
                write!(f, " ]")
            }
            TraceEvent::Heal => write!(f, "heal"),
            TraceEvent::Net { config } => write!(f, "net {config}"),
            TraceEvent::Note { text } => write!(f, "note: {text}"),
            TraceEvent::ClockJump { node, by_nanos, at } => {
                write!(f, "clock {node} jumps {} at {at}", signed(*by_nanos))
            }
        }
    }
}

/// An event with its virtual time. Displays as `   1.234s n1->n2 deliver <msg>`.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRecord<M> {
    pub time: SimTime,
    pub event: TraceEvent<M>,
}

impl<M: fmt::Display> fmt::Display for TraceRecord<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>12} {}", self.time, self.event)
    }
}

/// Tags folded into the hash ahead of each event's fields, one per event type.
pub(crate) mod tag {
    pub const SEND: u64 = 1;
    pub const DUPLICATE: u64 = 2;
    pub const DELIVER: u64 = 3;
    pub const DROP: u64 = 4;
    pub const UNDELIVERABLE: u64 = 5;
    pub const TIMER: u64 = 6;
    pub const START: u64 = 7;
    pub const CRASH: u64 = 8;
    pub const RESTART: u64 = 9;
    pub const CONNECT: u64 = 10;
    pub const DISCONNECT: u64 = 11;
    pub const LINK: u64 = 12;
    pub const PARTITION: u64 = 13;
    pub const HEAL: u64 = 14;
    pub const NET: u64 = 15;
    pub const NOTE: u64 = 16;
    pub const CLOCK_JUMP: u64 = 17;
    pub const CLOCKS: u64 = 18;
}

/// The hash, the ring and the optional JSON-lines sink.
pub(crate) struct Trace<M> {
    hash: u64,
    capacity: usize,
    ring: VecDeque<TraceRecord<M>>,
    writer: Option<Box<dyn Write + Send>>,
    write_error: Option<io::Error>,
}

impl<M: Clone + fmt::Display> Trace<M> {
    pub fn new(capacity: usize) -> Self {
        Trace { hash: 0, capacity, ring: VecDeque::new(), writer: None, write_error: None }
    }

    #[inline]
    pub fn hash(&self) -> u64 {
        crate::hash::finish(self.hash)
    }

    #[inline]
    pub fn fold(&mut self, words: &[u64]) {
        let mut h = self.hash;
        for &w in words {
            h = mix(h, w);
        }
        self.hash = h;
    }

    /// Whether records are kept or written; when not, callers skip building them.
    #[inline]
    pub fn recording(&self) -> bool {
        self.capacity > 0 || self.writer.is_some()
    }

    pub fn record(&mut self, time: SimTime, event: TraceEvent<M>) {
        let record = TraceRecord { time, event };
        if self.write_error.is_none() {
            if let Some(writer) = self.writer.as_mut() {
                if let Err(e) = write_json_line(writer, &record) {
                    self.write_error = Some(e);
                }
            }
        }
        if self.capacity > 0 {
            if self.ring.len() == self.capacity {
                self.ring.pop_front();
            }
            self.ring.push_back(record);
        }
    }

    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        while self.ring.len() > capacity {
            self.ring.pop_front();
        }
    }

    pub fn set_writer(
        &mut self,
        writer: Option<Box<dyn Write + Send>>,
    ) -> Option<Box<dyn Write + Send>> {
        self.write_error = None;
        std::mem::replace(&mut self.writer, writer)
    }

    pub fn take_write_error(&mut self) -> Option<io::Error> {
        self.write_error.take()
    }

    /// The last `n` records kept in the ring, oldest first.
    pub fn tail(&self, n: usize) -> impl Iterator<Item = &TraceRecord<M>> {
        self.ring.iter().skip(self.ring.len().saturating_sub(n))
    }
}

fn write_json_line<M: fmt::Display>(w: &mut dyn Write, r: &TraceRecord<M>) -> io::Result<()> {
    let mut obj = serde_json::Map::new();
    obj.insert("t_ns".into(), r.time.as_nanos().into());
    obj.insert("event".into(), r.event.name().into());
    let (from, to) = match &r.event {
        TraceEvent::Send { from, to, .. }
        | TraceEvent::Duplicate { from, to, .. }
        | TraceEvent::Deliver { from, to, .. }
        | TraceEvent::Drop { from, to, .. }
        | TraceEvent::Link { from, to, .. } => (Some(*from), Some(*to)),
        TraceEvent::Undeliverable { node, to, .. } => (Some(*node), Some(*to)),
        TraceEvent::Timer { node, .. }
        | TraceEvent::Start { node }
        | TraceEvent::Crash { node }
        | TraceEvent::Restart { node }
        | TraceEvent::Connect { node }
        | TraceEvent::Disconnect { node }
        | TraceEvent::ClockJump { node, .. } => (Some(*node), None),
        _ => (None, None),
    };
    if let Some(id) = from {
        obj.insert("node".into(), id.0.into());
    }
    if let Some(id) = to {
        obj.insert("to".into(), id.0.into());
    }
    obj.insert("line".into(), r.to_string().trim_start().into());
    serde_json::to_writer(&mut *w, &serde_json::Value::Object(obj))?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_keeps_the_last_records() {
        let mut t: Trace<String> = Trace::new(2);
        for i in 0..5u64 {
            t.record(SimTime::from_millis(i), TraceEvent::Note { text: format!("{i}") });
        }
        let lines: Vec<String> = t.tail(10).map(|r| r.to_string()).collect();
        assert_eq!(lines, vec!["         3ms note: 3", "         4ms note: 4"]);
    }

    #[test]
    fn partition_display_lists_groups() {
        let e: TraceEvent<String> =
            TraceEvent::Partition { groups: vec![vec![NodeId(1), NodeId(2)], vec![NodeId(3)]] };
        assert_eq!(e.to_string(), "partition [ n1 n2 | n3 ]");
    }

    #[test]
    fn clock_jumps_read_as_a_signed_step() {
        let e: TraceEvent<String> = TraceEvent::ClockJump {
            node: NodeId(2),
            by_nanos: 12_000_000,
            at: SimTime::from_millis(1234),
        };
        assert_eq!(e.to_string(), "clock n2 jumps +12ms at 1.234s");
    }

    #[test]
    fn json_lines_are_valid_json() {
        let mut buf = Vec::new();
        let r = TraceRecord {
            time: SimTime::from_millis(1234),
            event: TraceEvent::Deliver { from: NodeId(1), to: NodeId(2), msg: "say \"hi\"" },
        };
        write_json_line(&mut buf, &r).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["event"], "deliver");
        assert_eq!(v["t_ns"], 1_234_000_000u64);
        assert_eq!(v["line"], "1.234s n1->n2 deliver say \"hi\"");
    }
}
