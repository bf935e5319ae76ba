//! A second, deliberately broken Raft written only against the `Consensus` trait, as a student
//! would write one: it compiles, plugs into the same cluster core as the reference, and the
//! core's invariant bundle catches it, both when driven by hand and through a catalog scenario
//! whose report replays.
use std::sync::Arc;
use std::time::Duration;

use raft::{
    Command, Config, Consensus, Entry, LogIndex, NotLeader, PersistedState, Ready, Role, Status,
    Term,
};
use scenarios::{catalog, Broke, Cluster, Run, Setup};

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
fn the_core_catches_two_leaders_in_one_term() {
    let mut t = Cluster::<SelfAppointed>::new(1, Setup::raft(3));
    let failure = t.sleep(Duration::from_millis(10)).expect_err("two servers lead term 1");
    assert_eq!(failure.broke, Broke::Invariant("election safety"), "{failure}");
    assert!(failure.message.contains("both leaders of term 1"), "{failure}");
}

#[test]
fn a_catalog_scenario_fails_it_with_a_replayable_safety_verdict() {
    let scenario = catalog::find::<SelfAppointed>("agree.basic_indices").expect("in the catalog");
    let report = scenario.run(Run::new(3));
    assert_eq!(report.broke(), Some(Broke::Invariant("election safety")));
    assert_eq!(report.exit_code(), 2, "a safety violation");
    let again = scenario.run(Run::new(3));
    assert_eq!((again.trace_hash, again.failure), (report.trace_hash, report.failure));
}
