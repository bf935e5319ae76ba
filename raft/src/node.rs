//! The reference Raft node: its state (Figure 2), construction from persisted state, timers,
//! message dispatch and the `Consensus` implementation. The rules live in sibling files.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::config::Config;
use crate::consensus::{Consensus, NotLeader, ReadRefused, Role, Status};
use crate::log::RaftLog;
use crate::message::{Body, Message};
use crate::persist::PersistedState;
use crate::progress::Progress;
use crate::reads::Reads;
use crate::ready::Ready;
use crate::types::{Command, Entry, LogIndex, NodeId, Snapshot, Term};

/// The reference implementation of [`Consensus`]: Figure 2 of the Raft paper with §7 snapshots,
/// pipelined and batched replication, and the fast log back-up.
#[derive(Debug)]
pub struct RaftNode {
    pub(crate) config: Config,
    pub(crate) others: Vec<NodeId>,
    rng: ChaCha8Rng,

    // Persistent state on all servers (Figure 2).
    pub(crate) current_term: Term,
    pub(crate) voted_for: Option<NodeId>,
    pub(crate) log: RaftLog,
    /// The latest snapshot, kept whole so a leader can send it to a follower that lags.
    pub(crate) snapshot: Option<Snapshot>,

    // Volatile state on all servers.
    pub(crate) commit_index: LogIndex,
    pub(crate) last_applied: LogIndex,
    pub(crate) role: Role,
    pub(crate) leader_hint: Option<NodeId>,
    election_elapsed: u32,
    election_timeout: u32,
    pub(crate) heartbeat_elapsed: u32,
    /// Ticks of this node's clock since it started: what a leader measures its lease on.
    pub(crate) ticks: u64,
    /// Ticks since this node last heard from a leader of its term (from its start if never):
    /// with leases on, it votes for nobody while this is below `election_ticks_min` (§6.4.1).
    pub(crate) leader_contact: u32,

    // Candidates: who granted a vote this term. Leaders: one `Progress` per follower.
    pub(crate) votes: Vec<NodeId>,
    pub(crate) progress: BTreeMap<NodeId, Progress>,
    /// Leaders: ReadIndex reads waiting for their index and their round (§6.4).
    pub(crate) reads: Reads,

    // Effects waiting for the next `ready()`.
    pub(crate) outbox: Vec<Message>,
    pub(crate) hard_state_dirty: bool,
    /// Lowest log index changed since the last `ready()`: entries from here on must be persisted.
    pub(crate) persist_from: Option<LogIndex>,
    pub(crate) snapshot_to_persist: Option<Snapshot>,
    pub(crate) snapshot_to_apply: Option<Snapshot>,
    /// New entries await broadcast; batching them until `ready()` sends one message per batch.
    pub(crate) replicate_pending: bool,
}

impl RaftNode {
    /// Builds a node from what it persisted; `PersistedState::default()` is a fresh node.
    pub fn new(config: Config, persisted: &PersistedState) -> RaftNode {
        let config = config.normalized();
        let (snapshot_index, snapshot_term) =
            persisted.snapshot.as_ref().map_or((LogIndex::ZERO, Term::ZERO), |s| {
                (s.last_included_index, s.last_included_term)
            });
        let mut node = RaftNode {
            others: config.others(),
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            current_term: persisted.hard_state.current_term,
            voted_for: persisted.hard_state.voted_for,
            log: RaftLog::restore(snapshot_index, snapshot_term, &persisted.log),
            snapshot: persisted.snapshot.clone(),
            // Everything in the snapshot was committed and applied before it was taken.
            commit_index: snapshot_index,
            last_applied: snapshot_index,
            role: Role::Follower,
            leader_hint: None,
            election_elapsed: 0,
            election_timeout: 0,
            heartbeat_elapsed: 0,
            ticks: 0,
            // A restarted voter may have promised a leader its silence just before the crash:
            // it keeps the promise by counting from its start.
            leader_contact: 0,
            votes: Vec::new(),
            progress: BTreeMap::new(),
            reads: Reads::default(),
            outbox: Vec::new(),
            hard_state_dirty: false,
            persist_from: None,
            snapshot_to_persist: None,
            // The service rebuilds from the persisted snapshot through the usual path.
            snapshot_to_apply: persisted.snapshot.clone(),
            replicate_pending: false,
            config,
        };
        node.reset_election_timer();
        node.check_invariants();
        node
    }

    /// Cluster size, counting this node.
    pub(crate) fn cluster_size(&self) -> usize {
        self.others.len() + 1
    }

    /// True if `count` servers (this one included) are a majority.
    pub(crate) fn is_quorum(&self, count: usize) -> bool {
        2 * count > self.cluster_size()
    }

    /// Draws a fresh randomized election timeout (§5.2) and restarts the election clock.
    pub(crate) fn reset_election_timer(&mut self) {
        self.election_elapsed = 0;
        self.election_timeout =
            self.rng.gen_range(self.config.election_ticks_min..self.config.election_ticks_max);
    }

    pub(crate) fn send(&mut self, to: NodeId, body: Body) {
        self.outbox.push(Message { from: self.config.id, to, term: self.current_term, body });
    }

    /// Marks log entries from `index` on as needing persistence.
    pub(crate) fn mark_unpersisted(&mut self, index: LogIndex) {
        self.persist_from = Some(self.persist_from.map_or(index, |from| from.min(index)));
    }

    /// Figure 2, all servers: "If RPC request or response contains term T > currentTerm: set
    /// currentTerm = T, convert to follower" (§5.1).
    pub(crate) fn become_follower(&mut self, term: Term, leader: Option<NodeId>) {
        if term > self.current_term {
            self.current_term = term;
            self.voted_for = None;
            self.hard_state_dirty = true;
        }
        self.role = Role::Follower;
        self.leader_hint = leader;
        self.votes.clear();
        self.progress.clear();
    }

    /// The common front of every message (§5.1): drop malformed ones, adopt newer terms, and
    /// answer requests from older terms so their senders learn they are stale.
    fn accept(&mut self, message: &Message) -> bool {
        if message.to != self.config.id || !self.others.contains(&message.from) {
            return false;
        }
        if matches!(message.body, Body::RequestVote { .. }) && self.withholds_votes() {
            return false; // not even the term: a lease depends on this silence (§6.4.1)
        }
        if message.term > self.current_term {
            if self.role == Role::Leader && self.config.bugs.no_step_down_on_higher_term {
                self.current_term = message.term;
                self.voted_for = None;
                self.hard_state_dirty = true;
            } else {
                let leader = match message.body {
                    Body::AppendEntries { .. }
                    | Body::InstallSnapshot { .. }
                    | Body::ReadProbe { .. } => Some(message.from),
                    _ => None,
                };
                self.become_follower(message.term, leader);
            }
        }
        if message.term < self.current_term {
            self.answer_stale_request(message);
            return matches!(message.body, Body::RequestVoteReply { .. })
                && self.config.bugs.accept_stale_vote_replies;
        }
        if matches!(
            message.body,
            Body::AppendEntries { .. } | Body::InstallSnapshot { .. } | Body::ReadProbe { .. }
        ) {
            self.leader_contact = 0; // from the leader of our term: accepted below
        }
        true
    }

    /// A request from an older term gets a refusal carrying our term (§5.1: "if a server
    /// receives a request with a stale term number, it rejects the request"); replies are dropped.
    fn answer_stale_request(&mut self, message: &Message) {
        let body = match &message.body {
            Body::RequestVote { .. } => Body::RequestVoteReply { vote_granted: false },
            Body::AppendEntries { prev_log_index, .. } => Body::AppendEntriesReply {
                success: false,
                index: *prev_log_index,
                conflict_term: None,
                conflict_index: LogIndex::ZERO,
            },
            Body::InstallSnapshot { .. } => {
                Body::InstallSnapshotReply { last_included_index: LogIndex::ZERO }
            }
            Body::ReadProbe { .. } => Body::ReadProbeReply { round: 0 },
            _ => return,
        };
        self.send(message.from, body);
    }

    /// Invariants that hold after every input (Figure 3's per-node parts).
    pub(crate) fn check_invariants(&self) {
        if self.config.bugs.any() {
            // A mutated node is meant to break invariants; the cluster checkers must see it.
            return;
        }
        debug_assert!(self.log.snapshot_index() <= self.last_applied, "snapshot beyond applied");
        debug_assert!(self.last_applied <= self.commit_index, "applied beyond commit");
        debug_assert!(self.commit_index <= self.log.last_index(), "commit beyond the log");
        debug_assert!(
            self.role != Role::Leader || self.voted_for == Some(self.config.id),
            "a leader voted for itself"
        );
        debug_assert!(self.log.last_term() <= self.current_term, "entry from a future term");
    }
}

impl Consensus for RaftNode {
    fn restart(config: Config, persisted: &PersistedState) -> RaftNode {
        RaftNode::new(config, persisted)
    }

    fn tick(&mut self) {
        self.ticks += 1;
        self.leader_contact = self.leader_contact.saturating_add(1);
        if self.role == Role::Leader {
            self.heartbeat_elapsed += 1;
            if self.heartbeat_elapsed >= self.config.heartbeat_ticks {
                self.heartbeat_elapsed = 0;
                self.broadcast_heartbeat();
                self.reprobe_reads();
                self.renew_lease();
            }
        } else {
            self.election_elapsed += 1;
            if self.election_elapsed >= self.election_timeout {
                self.campaign();
            }
        }
        self.check_invariants();
    }

    fn step(&mut self, message: Message) {
        if !self.accept(&message) {
            return;
        }
        let from = message.from;
        match message.body {
            Body::RequestVote { last_log_index, last_log_term } => {
                self.handle_request_vote(from, last_log_index, last_log_term)
            }
            Body::RequestVoteReply { vote_granted } => {
                self.handle_vote_reply(from, message.term, vote_granted)
            }
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit } => {
                self.handle_append(from, prev_log_index, prev_log_term, entries, leader_commit)
            }
            Body::AppendEntriesReply { success, index, conflict_term, conflict_index } => {
                self.handle_append_reply(from, success, index, conflict_term, conflict_index)
            }
            Body::InstallSnapshot { snapshot } => self.handle_install_snapshot(from, snapshot),
            Body::InstallSnapshotReply { last_included_index } => {
                self.handle_snapshot_reply(from, last_included_index)
            }
            Body::ReadProbe { round } => self.handle_read_probe(from, round),
            Body::ReadProbeReply { round } => self.handle_read_probe_reply(from, round),
        }
        self.check_invariants();
    }

    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        if self.role != Role::Leader {
            return Err(NotLeader { leader_hint: self.leader_hint });
        }
        // Figure 2, leaders: "If command received from client: append entry to local log".
        let index = self.log.last_index().next();
        self.log.push(Entry { term: self.current_term, index, command });
        self.mark_unpersisted(index);
        self.replicate_pending = true;
        // A one-node cluster is its own majority.
        self.advance_commit_index();
        self.check_invariants();
        Ok((index, self.current_term))
    }

    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        self.take_snapshot(index, data);
        self.check_invariants();
    }

    fn ready(&mut self) -> Ready {
        self.flush_replication();
        self.settle_reads();
        let ready = self.collect_ready();
        self.check_invariants();
        ready
    }

    fn status(&self) -> Status {
        Status {
            id: self.config.id,
            current_term: self.current_term,
            role: self.role,
            leader_hint: self.leader_hint,
            commit_index: self.commit_index,
            last_applied: self.last_applied,
            last_log_index: self.log.last_index(),
            snapshot_index: self.log.snapshot_index(),
        }
    }

    fn log_term(&self, index: LogIndex) -> Option<Term> {
        self.log.term(index)
    }

    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        self.log.entry(index).cloned()
    }

    fn read_index(&mut self, request: u64) -> Result<(), ReadRefused> {
        let started = self.start_read(request);
        self.check_invariants();
        started
    }
}
