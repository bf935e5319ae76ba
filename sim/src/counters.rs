//! Message counters: totals, per sending node, per receiving node and per message kind,
//! including labrpc's RPC count and byte measure.
use crate::NodeId;

/// Counts over one set of messages (all, those a node sent, those addressed to a node, or
/// those of one kind).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Messages handed to the network (duplicates not included).
    pub sent: u64,
    /// Of those, requests (`!is_reply()`): labrpc's total RPC count.
    pub requests_sent: u64,
    /// Messages delivered to a live node (a duplicate counts again).
    pub delivered: u64,
    /// Requests delivered: labrpc's per-server count of RPCs actually dispatched.
    pub requests_delivered: u64,
    /// Messages (or duplicate copies) that never arrived, for any reason.
    pub dropped: u64,
    /// Extra copies made by duplication.
    pub duplicated: u64,
    pub bytes_sent: u64,
    pub bytes_delivered: u64,
    /// labrpc's byte measure: request bytes at send plus reply bytes at delivery.
    pub rpc_bytes: u64,
}

impl Stats {
    #[inline]
    fn on_send(&mut self, size: u64, is_reply: bool) {
        self.sent += 1;
        self.bytes_sent += size;
        if !is_reply {
            self.requests_sent += 1;
            self.rpc_bytes += size;
        }
    }

    #[inline]
    fn on_deliver(&mut self, size: u64, is_reply: bool) {
        self.delivered += 1;
        self.bytes_delivered += size;
        if is_reply {
            self.rpc_bytes += size;
        } else {
            self.requests_delivered += 1;
        }
    }
}

/// Which event a message went through, for `Counters::record`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tally {
    Send,
    Deliver,
    Drop,
    Duplicate,
}

/// All counters of a run. Cheap to clone, so a tester can take a copy and compare later.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    total: Stats,
    by_sender: Vec<Stats>,
    by_receiver: Vec<Stats>,
    /// In order of first appearance (deterministic); `kinds()` sorts by name.
    by_kind: Vec<(&'static str, Stats)>,
}

impl Counters {
    pub fn total(&self) -> Stats {
        self.total
    }

    /// Messages sent by `id` (what became of them: delivered, dropped...).
    pub fn sent_by(&self, id: NodeId) -> Stats {
        self.by_sender.get(id.index()).copied().unwrap_or_default()
    }

    /// Messages addressed to `id`. `requests_delivered` is labrpc's per-server RPC count.
    pub fn sent_to(&self, id: NodeId) -> Stats {
        self.by_receiver.get(id.index()).copied().unwrap_or_default()
    }

    /// Messages of one kind (`Message::kind`).
    pub fn kind(&self, kind: &str) -> Stats {
        self.by_kind.iter().find(|(k, _)| *k == kind).map(|(_, s)| *s).unwrap_or_default()
    }

    /// All kinds seen, sorted by name.
    pub fn kinds(&self) -> Vec<(&'static str, Stats)> {
        let mut kinds = self.by_kind.clone();
        kinds.sort_by(|a, b| a.0.cmp(b.0));
        kinds
    }

    /// The name of the kind at `index` (as `kind_index` gave it).
    pub(crate) fn kind_name(&self, index: u32) -> &'static str {
        self.by_kind[index as usize].0
    }

    /// The index of a kind; pointer comparison first, since kinds are usually literals.
    #[inline]
    pub(crate) fn kind_index(&mut self, kind: &'static str) -> u32 {
        if let Some(i) = self.by_kind.iter().position(|(k, _)| std::ptr::eq(*k, kind)) {
            return i as u32;
        }
        if let Some(i) = self.by_kind.iter().position(|(k, _)| *k == kind) {
            return i as u32;
        }
        self.by_kind.push((kind, Stats::default()));
        (self.by_kind.len() - 1) as u32
    }

    #[inline]
    pub(crate) fn record(
        &mut self,
        tally: Tally,
        from: NodeId,
        to: NodeId,
        kind: u32,
        size: u64,
        is_reply: bool,
    ) {
        let (f, t) = (from.index(), to.index());
        if self.by_sender.len() <= f {
            self.by_sender.resize(f + 1, Stats::default());
        }
        if self.by_receiver.len() <= t {
            self.by_receiver.resize(t + 1, Stats::default());
        }
        let apply = |s: &mut Stats| match tally {
            Tally::Send => s.on_send(size, is_reply),
            Tally::Deliver => s.on_deliver(size, is_reply),
            Tally::Drop => s.dropped += 1,
            Tally::Duplicate => s.duplicated += 1,
        };
        apply(&mut self.total);
        apply(&mut self.by_sender[f]);
        apply(&mut self.by_receiver[t]);
        apply(&mut self.by_kind[kind as usize].1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labrpc_bytes_are_request_at_send_plus_reply_at_delivery() {
        let mut c = Counters::default();
        let (a, b) = (NodeId(1), NodeId(2));
        let req = c.kind_index("Req");
        let rep = c.kind_index("Rep");
        c.record(Tally::Send, a, b, req, 100, false);
        c.record(Tally::Deliver, a, b, req, 100, false);
        c.record(Tally::Send, b, a, rep, 10, true);
        c.record(Tally::Drop, b, a, rep, 10, true);
        c.record(Tally::Send, b, a, rep, 7, true);
        c.record(Tally::Deliver, b, a, rep, 7, true);
        assert_eq!(c.total().rpc_bytes, 107);
        assert_eq!(c.total().requests_sent, 1);
        assert_eq!(c.sent_to(b).requests_delivered, 1);
        assert_eq!(c.sent_to(a).requests_delivered, 0);
        assert_eq!(c.sent_by(b).dropped, 1);
        assert_eq!(c.kind("Rep").sent, 2);
        assert_eq!(c.kinds().iter().map(|k| k.0).collect::<Vec<_>>(), vec!["Rep", "Req"]);
        assert_eq!(c.kind("Nope"), Stats::default());
    }
}
