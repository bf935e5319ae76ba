//! `Get` by follower reads (`ReadPath::Follower`): any server, leader or not, answers from its
//! own state machine, with no Raft round and no log entry. That is not linearizable: a server
//! cut off from the majority, or merely behind, answers with state older than writes that
//! have already returned to other clients.
//!
//! What it keeps is sequential consistency (ZooKeeper's guarantee for its local reads), by a
//! client session index. Every success on this path carries the log index it reflects (a
//! write's: the index it was applied at; a `Get`'s: the server's applied index when it read),
//! the clerk sends the highest it has seen with each `Get`, and a server answers only once it
//! has applied at least that index. Why that suffices: every server applies the same log in
//! order (state machine safety), so each answer reflects a prefix of one log; a session's
//! answers reflect prefixes that never shrink, and its writes land after every prefix it read
//! (a write is appended past the end of the leader's log, which holds every committed entry,
//! and only committed entries are ever applied). So
//! the order "by the prefix each operation reflects" is one legal run of the service that
//! keeps every session's own order, though not real time across sessions.

use raft::{Consensus, LogIndex, NodeId};

use crate::config::ReadPath;
use crate::pending::Waiting;
use crate::rpc::{KvError, Request};
use crate::server::KvServer;

impl<R: Consensus> KvServer<R> {
    /// True when `Get` is served from local state: configured so, or by the bug switch that
    /// serves a linearizable read path this way.
    pub(crate) fn follower_reads(&self) -> bool {
        self.config.read_path == ReadPath::Follower
            || self.config.bugs.follower_reads_as_linearizable
    }

    /// Answers a `Get` from the state machine if this server has applied the clerk's session
    /// index; otherwise the read waits until it has (`serve_session_reads`) or times out.
    pub(crate) fn read_locally(&mut self, from: NodeId, request: &Request) {
        let after = request.session_index.unwrap_or(LogIndex::ZERO);
        if after <= self.applied {
            let value = self.state.get(request.op.key()).to_owned();
            self.reply(from, request, Ok(value));
        } else {
            self.session_reads.insert(request, from, after);
        }
    }

    /// After applying: answers every waiting read whose session index is now applied.
    pub(crate) fn serve_session_reads(&mut self) {
        for read in self.session_reads.take_servable(self.applied) {
            let value = self.state.get(read.request.op.key()).to_owned();
            self.reply(read.clerk, &read.request, Ok(value));
        }
    }

    /// Answers the clerks waiting for the entry applied at `index` with `result`: a success
    /// on this path carries `index`, the one its clerk's later reads must not go behind.
    pub(crate) fn answer_applied(
        &mut self,
        waiting: Waiting,
        result: Result<String, KvError>,
        index: LogIndex,
    ) {
        let stamp = if result.is_ok() { self.session_stamp(index) } else { None };
        self.replies.extend(waiting.answer(result).into_iter().map(|mut answer| {
            answer.reply.applied_index = stamp;
            answer
        }));
    }

    /// The applied index a success reports on this path (`None` on the others, so nothing
    /// on their wire changes).
    pub(crate) fn session_stamp(&self, index: LogIndex) -> Option<LogIndex> {
        self.follower_reads().then_some(index)
    }
}
