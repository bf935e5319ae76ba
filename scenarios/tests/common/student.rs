//! "A student's Raft" for tests that host an implementation generically (the lab path, the
//! shrinker): the reference Raft behind a type of its own, with one classic mistake switched
//! on, voting without the up-to-date check of §5.4.1.
use std::sync::Arc;

use raft::{
    Bugs, Command, Config, Consensus, Entry, LogIndex, Message, NotLeader, PersistedState,
    RaftNode, Ready, Status, Term,
};

/// The reference Raft with `vote_without_up_to_date_check` on.
pub struct NoUpToDateCheck(RaftNode);

impl Consensus for NoUpToDateCheck {
    fn restart(config: Config, persisted: &PersistedState) -> Self {
        let bugs = Bugs::only("vote_without_up_to_date_check").expect("a switch");
        NoUpToDateCheck(RaftNode::restart(config.with_bugs(bugs), persisted))
    }
    fn tick(&mut self) {
        self.0.tick()
    }
    fn step(&mut self, message: Message) {
        self.0.step(message)
    }
    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        self.0.propose(command)
    }
    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        self.0.snapshot(index, data)
    }
    fn ready(&mut self) -> Ready {
        self.0.ready()
    }
    fn status(&self) -> Status {
        self.0.status()
    }
    fn log_term(&self, index: LogIndex) -> Option<Term> {
        self.0.log_term(index)
    }
    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        self.0.log_entry(index)
    }
}
