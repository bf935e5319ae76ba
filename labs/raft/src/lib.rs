//! Your Raft: a skeleton of `raft::Consensus` for the Raft lab (parts 3A-3D). Every method is a
//! `todo!` to replace; the tests in `tests/lab.rs` are the specification.
//!
//! What to read, in this order:
//! - Figure 2 of the Raft paper (Ongaro & Ousterhout, "In Search of an Understandable Consensus
//!   Algorithm", extended version): the state and the rules, nearly line for line; §5 explains
//!   them, §7 adds snapshots (part 3D);
//! - the contract your node keeps with its host: the docs of `raft::Consensus`
//!   (`../../raft/src/consensus.rs`), `raft::Ready` and `raft::PersistedState`; the messages
//!   are `raft::Message` and `raft::Body`, named after Figure 2's RPCs.
//!
//! The reference implementation in `../../raft/src` is what the tests were checked against:
//! writing your own is the lab, so do not copy it (or look at anything there but the contract
//! and the types you use).
//!
//! The node is sans-IO: no clock, no threads, no network, no files. Time is `tick()` (every
//! 10 ms of virtual time); a message arrives through `step()`; and everything you want done
//! (persist state, send messages, apply committed entries) you queue and hand back as data from
//! `ready()`. The host carries a `Ready` out in this order: persist, then send, then apply. So a
//! vote you grant is on disk before the candidate hears of it, as Figure 2 asks ("Updated on
//! stable storage before responding to RPCs").
//!
//! Runs are deterministic: one seed replays a failure exactly. Keep yours that way: draw the
//! election timeout from a random stream seeded with `config.seed` (a small generator such as
//! SplitMix64 is a few lines; or add `rand_chacha` to Cargo.toml and use
//! `ChaCha8Rng::seed_from_u64`), never from `thread_rng` or the clock, and do not iterate a
//! `HashMap` (use `BTreeMap` or a `Vec`).
use std::sync::Arc;

use raft::{
    Command, Config, Consensus, Entry, LogIndex, Message, NotLeader, PersistedState, Ready, Status,
    Term,
};

/// One Raft server.
///
/// Suggested fields (uncomment and adapt as you go; the names are Figure 2's):
#[derive(Debug)]
pub struct Raft {
    // Who this server is, who its peers are, and its timing in ticks:
    // config: Config,
    //
    // Persistent state on all servers (Figure 2). Persisted through `Ready` (`hard_state`,
    // `entries`, `snapshot`), never written anywhere directly:
    // current_term: Term,
    // voted_for: Option<NodeId>,
    // log: Vec<Entry>, // with part 3D: the entries after the snapshot, plus the snapshot's
    //                  // last included index and term, so `log_term` still answers there
    //
    // Volatile state on all servers:
    // commit_index: LogIndex,
    // last_applied: LogIndex,
    // role: Role, leader_hint: Option<NodeId>,
    // election_elapsed: u32, election_timeout: u32, // in ticks, the timeout drawn at random
    // votes: BTreeSet<NodeId>,                      // as a candidate
    //
    // Volatile state on leaders (reinitialized after election):
    // next_index: BTreeMap<NodeId, LogIndex>,
    // match_index: BTreeMap<NodeId, LogIndex>,
    //
    // What the next `ready()` hands out: the hard state if it changed, the entries to persist,
    // the messages to send, a snapshot to persist or to apply.
    // pending: Ready,
}

// The skeleton's parameters are unused until you write the bodies: delete this `allow` then,
// so the compiler tells you about any you forget.
#[allow(unused_variables)]
impl Consensus for Raft {
    /// Builds a node from its configuration and what it last persisted:
    /// `PersistedState::default()` for a brand-new node, otherwise exactly what the host kept
    /// of your earlier `Ready`s before a crash (current term, vote, log, snapshot). Everything
    /// else starts afresh: a restarted node is a follower that knows no leader (part 3C). With
    /// a snapshot (3D), hand it back in the first `Ready`'s `snapshot_to_apply` so the service
    /// reloads it.
    fn restart(config: Config, persisted: &PersistedState) -> Self {
        todo!("Consensus::restart")
    }

    /// One tick of logical time: a follower or candidate whose election timeout has run out
    /// starts an election (§5.2); a leader sends heartbeats every `config.heartbeat_ticks`.
    fn tick(&mut self) {
        todo!("Consensus::tick")
    }

    /// A message from another server: RequestVote, AppendEntries, InstallSnapshot or a reply to
    /// one of yours. The network loses, duplicates, delays and reorders messages, so any of
    /// them may be stale: check terms first (Figure 2, "Rules for Servers"), ignore what no
    /// longer applies, and never panic on what a peer sent.
    fn step(&mut self, message: Message) {
        todo!("Consensus::step")
    }

    /// The service asks to replicate `command`. A leader appends it to its log and returns the
    /// `(index, term)` it will commit at if it ever does (part 3B); any other node refuses with
    /// the leader it believes in, if any. A new leader does not append a no-op entry: the
    /// first command of a fresh cluster gets index 1.
    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        todo!("Consensus::propose")
    }

    /// The service has snapshotted its state through `index` (part 3D, §7): discard the log
    /// up to and including `index`, and persist the snapshot through `Ready`. Ignore an index
    /// not applied yet or already compacted.
    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        todo!("Consensus::snapshot")
    }

    /// Everything to do since the last call, taken out of the node: state and entries to
    /// persist, messages to send, and a snapshot or newly committed entries to apply, in log
    /// order, each committed entry exactly once.
    fn ready(&mut self) -> Ready {
        todo!("Consensus::ready")
    }

    /// Term, role, leader hint, commit index, last applied, last log index and snapshot index,
    /// as the node sees them: the tests read this to find the leader and check the invariant
    /// `snapshot_index <= last_applied <= commit_index <= last_log_index`.
    fn status(&self) -> Status {
        todo!("Consensus::status")
    }

    /// The term of the entry at `index`: `Some(Term::ZERO)` for index 0, the term of the
    /// snapshot's last included index, and of every entry still in the log; `None` otherwise.
    /// The tests compare logs across servers with it (log matching, §5.3).
    fn log_term(&self, index: LogIndex) -> Option<Term> {
        todo!("Consensus::log_term")
    }

    /// The entry at `index` while it is still in the log (not compacted, not past the end).
    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        todo!("Consensus::log_entry")
    }
}
