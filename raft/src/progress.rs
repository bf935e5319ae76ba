//! The leader's view of one follower (Figure 2 "Volatile state on leaders", plus flow control).

use crate::types::LogIndex;

/// How the leader currently talks to one follower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `next_index` is a guess: send one AppendEntries, then wait for its reply or the next
    /// heartbeat, so a follower far behind does not receive a flood of doomed requests.
    Probe { paused: bool },
    /// The follower's log is known to match: stream batches, advancing `next_index`
    /// optimistically, up to `max_inflight` unacknowledged batches.
    Replicate,
    /// The entries the follower needs are compacted: it gets the snapshot instead.
    Snapshot,
}

/// `next_index` and `match_index` for one follower, as in Figure 2, plus the pipeline state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Progress {
    pub(crate) next_index: LogIndex,
    pub(crate) match_index: LogIndex,
    pub(crate) mode: Mode,
    /// Last index of each AppendEntries batch sent and not yet acknowledged (Replicate mode).
    pub(crate) inflight: Vec<LogIndex>,
    /// Requests sent since the follower last answered; used only by `Bugs::block_on_slow_peer`.
    pub(crate) unanswered: usize,
}

impl Progress {
    /// Figure 2: on election, `next_index` = leader's last log index + 1, `match_index` = 0.
    pub(crate) fn new(last_index: LogIndex) -> Progress {
        Progress {
            next_index: last_index.next(),
            match_index: LogIndex::ZERO,
            mode: Mode::Probe { paused: false },
            inflight: Vec::new(),
            unanswered: 0,
        }
    }

    /// The follower acknowledged a match through `index`. Returns true if that is news.
    /// A reply that confirms the probe point (or anything newer) switches to streaming.
    pub(crate) fn acknowledge(&mut self, index: LogIndex) -> bool {
        self.inflight.retain(|sent| *sent > index);
        let news = index > self.match_index;
        if news || index.next() >= self.next_index {
            self.match_index = self.match_index.max(index);
            self.next_index = self.next_index.max(index.next());
            self.mode = Mode::Replicate;
        }
        news
    }

    /// The follower's log does not match before `next_index`: go back and probe from there.
    pub(crate) fn back_up_to(&mut self, next_index: LogIndex) {
        self.next_index = next_index.max(self.match_index.next());
        self.mode = Mode::Probe { paused: false };
        self.inflight.clear();
    }

    pub(crate) fn inflight_full(&self, max_inflight: usize) -> bool {
        self.inflight.len() >= max_inflight
    }
}
