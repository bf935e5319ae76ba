//! Every message of a run as one item from its send to its fate, paired from the trace: a
//! `Send` (or a `Duplicate` copy) is due at its `arrive` time, and the simulator then either
//! delivers it at exactly that time or drops it (at that time, when a check at delivery fails,
//! or right away, when the network refuses it at the send: that `Drop` record follows its
//! `Send` record immediately). A message neither delivered nor dropped was still in flight
//! when the run stopped. Two copies with the same sender, receiver, arrival time and content
//! cannot be told apart by anyone, so pairing them first-in first-out is exact.
use std::collections::{BTreeMap, VecDeque};

use sim::{DropReason, Message, NodeId, SimTime, TraceEvent, TraceRecord};

use super::text::shorten;
use crate::host::Msg;

/// Characters of a message's one-line form kept on the page.
pub const MESSAGE_CHARS: usize = 56;

/// What became of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Delivered(SimTime),
    Dropped(SimTime, DropReason),
    /// Still in flight when the run stopped.
    InFlight,
}

/// One message (or one duplicate copy of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageView {
    pub sent: SimTime,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: &'static str,
    /// Its one-line form without its kind word (the page has the kind), shortened.
    pub text: String,
    /// A copy the network made (`Duplicate`), not the original send.
    pub copy: bool,
    pub fate: Fate,
}

/// Which in-flight message a delivery or a late drop belongs to.
type Key = (NodeId, NodeId, SimTime, u64);

/// The messages of `records`, in the order they were sent.
pub fn pair(records: &[TraceRecord<Msg>]) -> Vec<MessageView> {
    let mut out: Vec<MessageView> = Vec::new();
    let mut in_flight: BTreeMap<Key, VecDeque<usize>> = BTreeMap::new();
    for (at, record) in records.iter().enumerate() {
        match &record.event {
            TraceEvent::Send { from, to, msg, arrive } => {
                let key = (*from, *to, *arrive, sim::fingerprint(msg));
                in_flight.entry(key).or_default().push_back(out.len());
                out.push(view(record.time, *from, *to, msg, false));
            }
            TraceEvent::Duplicate { from, to, msg, arrive } => {
                let key = (*from, *to, *arrive, sim::fingerprint(msg));
                in_flight.entry(key).or_default().push_back(out.len());
                out.push(view(record.time, *from, *to, msg, true));
            }
            TraceEvent::Deliver { from, to, msg } => {
                let key = (*from, *to, record.time, sim::fingerprint(msg));
                if let Some(i) = take(&mut in_flight, &key) {
                    out[i].fate = Fate::Delivered(record.time);
                }
            }
            TraceEvent::Drop { from, to, msg, reason } => {
                let fate = Fate::Dropped(record.time, *reason);
                let refused =
                    at.checked_sub(1).map(|before| &records[before]).and_then(|r| match &r.event {
                        TraceEvent::Send { from: f, to: t, msg: m, arrive }
                            if (f, t) == (from, to) && m.0 == msg.0 =>
                        {
                            Some((*f, *t, *arrive, sim::fingerprint(m)))
                        }
                        _ => None,
                    });
                let key = (*from, *to, record.time, sim::fingerprint(msg));
                let found = match refused {
                    Some(sent) => take_last(&mut in_flight, &sent),
                    None => take(&mut in_flight, &key),
                };
                if let Some(i) = found {
                    out[i].fate = fate;
                }
            }
            _ => {}
        }
    }
    out
}

fn view(sent: SimTime, from: NodeId, to: NodeId, msg: &Msg, copy: bool) -> MessageView {
    let kind = msg.kind();
    let line = msg.to_string();
    // The page shows the kind; a line that starts with it (or with its last word, as kv's
    // `Request` does for `KvRequest`) need not say it twice.
    let text = match line.split_once(' ') {
        Some((first, rest)) if kind.ends_with(first) => rest,
        _ => line.as_str(),
    };
    MessageView {
        sent,
        from,
        to,
        kind,
        text: shorten(text, MESSAGE_CHARS),
        copy,
        fate: Fate::InFlight,
    }
}

/// The oldest message waiting under `key`.
fn take(in_flight: &mut BTreeMap<Key, VecDeque<usize>>, key: &Key) -> Option<usize> {
    let queue = in_flight.get_mut(key)?;
    let found = queue.pop_front();
    if queue.is_empty() {
        in_flight.remove(key);
    }
    found
}

/// The message just sent under `key` (a send refused on the spot).
fn take_last(in_flight: &mut BTreeMap<Key, VecDeque<usize>>, key: &Key) -> Option<usize> {
    let queue = in_flight.get_mut(key)?;
    let found = queue.pop_back();
    if queue.is_empty() {
        in_flight.remove(key);
    }
    found
}
