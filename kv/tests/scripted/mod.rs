//! A scripted `Consensus` for exact server tests: the test decides who leads, in which term,
//! and what commits; the fake records what the server proposed and snapshotted.
//!
//! The server owns its Raft node, so the test reaches the script through a thread-local. Each
//! test runs on its own thread, and `restart` resets the script anyway.

use std::cell::RefCell;
use std::sync::Arc;

use raft::{
    Command, Config, Consensus, Entry, LogIndex, Message, NodeId, NotLeader, PersistedState, Ready,
    Role, Snapshot, Status, Term,
};

/// What the test controls and observes.
#[derive(Debug, Default)]
pub struct Script {
    pub role: Option<Role>,
    pub term: Term,
    pub last_index: LogIndex,
    /// Everything proposed, in order.
    pub proposed: Vec<Entry>,
    /// Every `snapshot(index, data)` call.
    pub snapshots: Vec<(LogIndex, Arc<[u8]>)>,
    to_persist: Vec<Entry>,
    snapshot_to_persist: Option<Snapshot>,
    snapshot_to_apply: Option<Snapshot>,
    to_commit: Vec<Entry>,
    ticks: u64,
}

thread_local! {
    static SCRIPT: RefCell<Script> = RefCell::new(Script::default());
}

/// Reads or changes the script.
pub fn script<T>(f: impl FnOnce(&mut Script) -> T) -> T {
    SCRIPT.with(|s| f(&mut s.borrow_mut()))
}

/// This node leads `term` from now on.
pub fn lead(term: u64) {
    script(|s| {
        s.role = Some(Role::Leader);
        s.term = Term(term);
    });
}

/// This node follows in `term` from now on.
pub fn follow(term: u64) {
    script(|s| {
        s.role = Some(Role::Follower);
        s.term = Term(term);
    });
}

/// The next `ready()` hands out `entry` as committed.
pub fn commit(entry: Entry) {
    script(|s| s.to_commit.push(entry));
}

/// The proposal at `index`, committed as is.
pub fn commit_proposed(index: u64) {
    let entry = script(|s| s.proposed.iter().find(|e| e.index == LogIndex(index)).cloned());
    commit(entry.expect("nothing proposed at that index"));
}

/// A new leader overwrote `index` with `command` and committed it.
pub fn commit_other(index: u64, term: u64, command: Command) {
    let entry = Entry { term: Term(term), index: LogIndex(index), command };
    script(|s| s.to_persist.push(entry.clone()));
    commit(entry);
}

/// The next `ready()` asks the service to load `snapshot`.
pub fn install(snapshot: Snapshot) {
    script(|s| s.snapshot_to_apply = Some(snapshot));
}

pub fn proposed_count() -> usize {
    script(|s| s.proposed.len())
}

/// The fake node; all its state lives in the script.
#[derive(Debug)]
pub struct Scripted {
    id: NodeId,
}

impl Consensus for Scripted {
    fn restart(config: Config, persisted: &PersistedState) -> Scripted {
        script(|s| {
            *s = Script::default();
            s.role = Some(Role::Follower);
            s.last_index = persisted.last_index();
            s.snapshot_to_apply = persisted.snapshot.clone();
        });
        Scripted { id: config.id }
    }

    fn tick(&mut self) {
        script(|s| s.ticks += 1);
    }

    fn step(&mut self, _message: Message) {}

    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        script(|s| {
            if s.role != Some(Role::Leader) {
                return Err(NotLeader { leader_hint: None });
            }
            s.last_index = s.last_index.next();
            let entry = Entry { term: s.term, index: s.last_index, command };
            s.proposed.push(entry.clone());
            s.to_persist.push(entry);
            Ok((s.last_index, s.term))
        })
    }

    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        script(|s| {
            s.snapshots.push((index, data.clone()));
            s.snapshot_to_persist =
                Some(Snapshot { last_included_index: index, last_included_term: s.term, data });
        });
    }

    fn ready(&mut self) -> Ready {
        script(|s| Ready {
            snapshot: s.snapshot_to_persist.take(),
            entries: std::mem::take(&mut s.to_persist),
            snapshot_to_apply: s.snapshot_to_apply.take(),
            committed_entries: std::mem::take(&mut s.to_commit),
            ..Ready::default()
        })
    }

    fn status(&self) -> Status {
        script(|s| Status {
            id: self.id,
            current_term: s.term,
            role: s.role.unwrap_or(Role::Follower),
            leader_hint: None,
            commit_index: LogIndex::ZERO,
            last_applied: LogIndex::ZERO,
            last_log_index: s.last_index,
            snapshot_index: LogIndex::ZERO,
        })
    }

    fn log_term(&self, _index: LogIndex) -> Option<Term> {
        None
    }

    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        script(|s| s.proposed.iter().find(|e| e.index == index).cloned())
    }
}
