//! A second, deliberately broken implementation written only against the `Consensus` trait, as a
//! student would: it compiles, runs in the same testkit, and the testkit catches it.

use std::sync::Arc;

use raft::testkit::Cluster;
use raft::{
    Command, Config, Consensus, Entry, LogIndex, NotLeader, PersistedState, Ready, Role, Status,
    Term,
};

/// "Every node is the leader of term 1": commits alone, never talks to anyone.
struct SelfAppointed {
    config: Config,
    log: Vec<Entry>,
    applied: usize,
}

impl Consensus for SelfAppointed {
    fn restart(config: Config, persisted: &PersistedState) -> Self {
        SelfAppointed { config, log: persisted.log.clone(), applied: 0 }
    }

    fn tick(&mut self) {}

    fn step(&mut self, _message: raft::Message) {}

    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        let index = LogIndex(self.log.len() as u64 + 1);
        self.log.push(Entry { term: Term(1), index, command });
        Ok((index, Term(1)))
    }

    fn snapshot(&mut self, _index: LogIndex, _data: Arc<[u8]>) {}

    fn ready(&mut self) -> Ready {
        let committed = self.log[self.applied..].to_vec();
        self.applied = self.log.len();
        Ready { entries: committed.clone(), committed_entries: committed, ..Ready::default() }
    }

    fn status(&self) -> Status {
        let last = LogIndex(self.log.len() as u64);
        Status {
            id: self.config.id,
            current_term: Term(1),
            role: Role::Leader,
            leader_hint: Some(self.config.id),
            commit_index: last,
            last_applied: LogIndex(self.applied as u64),
            last_log_index: last,
            snapshot_index: LogIndex(0),
        }
    }

    fn log_term(&self, index: LogIndex) -> Option<Term> {
        self.log_entry(index).map(|e| e.term)
    }

    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        self.log.get((index.0 as usize).checked_sub(1)?).cloned()
    }
}

#[test]
#[should_panic(expected = "election safety")]
fn the_testkit_catches_two_leaders_in_one_term() {
    let mut cluster: Cluster<SelfAppointed> = Cluster::with_configs(3, 1, |c| c);
    cluster.run(1);
}
