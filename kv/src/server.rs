//! The KV server as a sans-IO state machine over any `Consensus`: its state, restart, and the
//! three inputs (ticks, Raft messages, clerk requests). Applying and snapshotting live in
//! `apply.rs`.

use raft::{Consensus, LogIndex, NodeId, PersistedState, Role, Status};

use crate::command::encode_command;
use crate::config::{KvConfig, ReadPath};
use crate::pending::Pending;
use crate::reads::Reads;
use crate::ready::{ClerkReply, KvAnomaly};
use crate::rpc::{KvError, Reply, Request};
use crate::session_reads::SessionReads;
use crate::state_machine::KvStateMachine;

/// A key/value server replicated by the Raft node `R` it owns (6.824's kvraft `KVServer`).
///
/// Every write goes through the log: the leader proposes the request, and answers its clerk
/// only once the entry at the proposed index is applied and turns out to be that very request.
/// A `Get` is served by ReadIndex or Raft's lease (`read_index.rs`) unless `KvConfig::read_path`
/// says `Log` or the Raft underneath has no ReadIndex; then it goes through the log like a
/// write. With `Follower`, any server answers it from its own state (`follower_reads.rs`). For a
/// logged request, anything else at its index (a different command there, lost leadership, a
/// term change, a snapshot jumping over the index) answers `WrongLeader`, and the clerk retries
/// elsewhere with the same sequence number, which the sessions make exactly-once.
///
/// The host drives it like a Raft node: an input (`tick`, `step`, `request`), then `ready()`,
/// whose effects it carries out (see [`KvReady`](crate::KvReady)).
#[derive(Debug)]
pub struct KvServer<R: Consensus> {
    pub(crate) config: KvConfig,
    pub(crate) raft: R,
    pub(crate) state: KvStateMachine,
    /// The last log index reflected in `state` (or covered by the snapshot it was loaded from).
    pub(crate) applied: LogIndex,
    /// A copy of what the host holds durably, kept by folding in every `Ready` handed out:
    /// it measures the Raft state for the snapshot trigger exactly as the host's copy would.
    pub(crate) durable: PersistedState,
    /// The highest index this server asked Raft to snapshot, so it asks once per index.
    pub(crate) snapshot_requested: LogIndex,
    pub(crate) pending: Pending,
    /// `Get`s waiting on a ReadIndex confirmation or on the apply index.
    pub(crate) reads: Reads,
    /// Follower reads waiting for this server to apply their clerk's session index.
    pub(crate) session_reads: SessionReads,
    pub(crate) replies: Vec<ClerkReply>,
    pub(crate) anomalies: Vec<KvAnomaly>,
}

impl<R: Consensus> KvServer<R> {
    /// Builds a server from what its host persisted (`PersistedState::default()` for a fresh
    /// one). The state machine starts empty; if `persisted` holds a snapshot, Raft hands it
    /// back in the first `ready()`, which loads it. Call `ready()` right after a restart.
    pub fn restart(config: KvConfig, persisted: &PersistedState) -> KvServer<R> {
        KvServer {
            raft: R::restart(config.raft.clone(), persisted),
            config,
            state: KvStateMachine::new(),
            applied: LogIndex::ZERO,
            durable: persisted.clone(),
            snapshot_requested: persisted.snapshot_index(),
            pending: Pending::default(),
            reads: Reads::default(),
            session_reads: SessionReads::default(),
            replies: Vec::new(),
            anomalies: Vec::new(),
        }
    }

    /// One tick of logical time (the Raft tick; 10 ms suggested). Requests that waited longer
    /// than the configured patience are answered `Timeout`.
    pub fn tick(&mut self) {
        self.raft.tick();
        for waiting in self.pending.tick(self.config.request_timeout_ticks) {
            self.replies.extend(waiting.answer(Err(KvError::Timeout)));
        }
        for read in self.reads.tick(self.config.request_timeout_ticks) {
            self.reply(read.clerk, &read.request, Err(KvError::Timeout));
        }
        for read in self.session_reads.tick(self.config.request_timeout_ticks) {
            self.reply(read.clerk, &read.request, Err(KvError::Timeout));
        }
    }

    /// A Raft message from another server.
    pub fn step(&mut self, message: raft::Message) {
        self.raft.step(message);
    }

    /// A request from the clerk at address `from`. The answer comes out of a later `ready()`:
    /// at once for a refusal or an already-applied retry, otherwise once the request applies.
    pub fn request(&mut self, from: NodeId, request: Request) {
        if let Some(value) = self.buggy_local_read(&request) {
            self.reply(from, &request, Ok(value));
            return;
        }
        // A retried write this server has already applied is answered from the session
        // table: its result is always empty, and applied state is committed state.
        let dedup = !self.config.bugs.no_duplicate_detection;
        if dedup && !request.op.is_read() && self.state.is_applied(&request) {
            self.reply(from, &request, Ok(String::new()));
            return;
        }
        if request.op.is_read() && self.follower_reads() {
            self.read_locally(from, &request);
            return;
        }
        let by_index = self.config.read_path != ReadPath::Log && request.op.is_read();
        if by_index && self.read_by_index(from, &request) {
            return;
        }
        self.fail_stale_pending();
        let status = self.raft.status();
        if status.role == Role::Leader && self.pending.join(status.current_term, &request, from) {
            return;
        }
        match self.raft.propose(encode_command(&request)) {
            Ok(_) if self.config.bugs.reply_before_commit => {
                let value =
                    if request.op.is_read() { self.state.get(request.op.key()) } else { "" };
                self.reply(from, &request, Ok(value.to_owned()));
            }
            Ok((index, term)) => {
                if let Some(displaced) = self.pending.insert(index, term, &request, from) {
                    self.replies.extend(displaced.answer(Err(KvError::WrongLeader)));
                }
            }
            Err(_) => self.reply(from, &request, Err(KvError::WrongLeader)),
        }
    }

    /// The `get_without_log_*` bugs: a `Get` answered from local state, skipping the log.
    fn buggy_local_read(&self, request: &Request) -> Option<String> {
        let bugs = self.config.bugs;
        let leads = self.raft.status().role == Role::Leader;
        let local = bugs.get_without_log_anywhere || (bugs.get_without_log_on_leader && leads);
        (local && request.op.is_read()).then(|| self.state.get(request.op.key()).to_owned())
    }

    pub(crate) fn reply(&mut self, to: NodeId, request: &Request, result: Result<String, KvError>) {
        // A success answered from this server's state reflects everything it has applied.
        let applied_index = if result.is_ok() { self.session_stamp(self.applied) } else { None };
        let reply = Reply { client: request.client, seq: request.seq, result, applied_index };
        self.replies.push(ClerkReply { to, reply });
    }

    /// Raft's summary of this server (term, role, leader hint, commit and apply indices).
    pub fn status(&self) -> Status {
        self.raft.status()
    }

    /// The Raft node, for checkers that inspect logs.
    pub fn raft(&self) -> &R {
        &self.raft
    }

    /// The service state as applied so far.
    pub fn state(&self) -> &KvStateMachine {
        &self.state
    }

    /// The last log index reflected in the service state.
    pub fn applied_index(&self) -> LogIndex {
        self.applied
    }

    /// Requests proposed and still waiting to apply, and reads waiting to be served.
    pub fn pending_count(&self) -> usize {
        self.pending.len() + self.reads.len() + self.session_reads.len()
    }

    /// The Raft state size the snapshot trigger sees (bytes, as `PersistedState::size_bytes`).
    pub fn raft_state_size(&self) -> usize {
        self.durable.size_bytes()
    }
}
