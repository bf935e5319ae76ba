//! The KV scenarios host any server that implements `kv::KvService`, not only `kv::KvServer`:
//! a server of someone else's (here, wrappers around the reference one) runs the same catalog
//! through `catalog_with`, passes when it is right, and is caught when it is not.
use kv::{ClientId, KvConfig, KvReady, KvServer, KvService, Request};
use raft::{LogIndex, Message, NodeId, PersistedState, RaftNode, Status, Term};
use scenarios::catalog::catalog_with;
use scenarios::{Broke, Run, Scenario};

/// A KV server that is the reference one behind the contract, except that it may answer every
/// read with one character too few (a stale or torn value, as a buggy student server would).
struct Hosted<const TRUNCATE_READS: bool>(KvServer<RaftNode>);

impl<const TRUNCATE_READS: bool> KvService for Hosted<TRUNCATE_READS> {
    fn restart(config: KvConfig, persisted: &PersistedState) -> Self {
        Hosted(KvServer::restart(config, persisted))
    }
    fn tick(&mut self) {
        self.0.tick();
    }
    fn step(&mut self, message: Message) {
        self.0.step(message);
    }
    fn request(&mut self, from: NodeId, request: Request) {
        self.0.request(from, request);
    }
    fn ready(&mut self) -> KvReady {
        let mut ready = self.0.ready();
        if TRUNCATE_READS {
            for reply in &mut ready.replies {
                if let Ok(value) = &mut reply.reply.result {
                    value.pop();
                }
            }
        }
        ready
    }
    fn status(&self) -> Status {
        KvService::status(&self.0)
    }
    fn log_term(&self, index: LogIndex) -> Option<Term> {
        KvService::log_term(&self.0, index)
    }
    fn applied_index(&self) -> LogIndex {
        KvService::applied_index(&self.0)
    }
    fn local_value(&self, key: &str) -> String {
        KvService::local_value(&self.0, key)
    }
}

fn kv_scenarios<K: KvService>() -> Vec<Scenario<RaftNode, K>> {
    catalog_with::<RaftNode, K>().into_iter().filter(|s| s.is_kv()).collect()
}

#[test]
fn another_kv_server_runs_the_kv_catalog_and_passes_when_it_is_right() {
    let all = kv_scenarios::<Hosted<false>>();
    assert!(all.len() >= 23);
    for scenario in &all {
        let report = scenario.run(Run::new(1));
        assert!(report.passed(), "{}", report.failure_text());
        assert!(report.kv.is_some_and(|kv| kv.operations > 0), "{}", scenario.name);
    }
}

#[test]
fn another_kv_server_that_answers_wrong_reads_is_caught() {
    let basic = kv_scenarios::<Hosted<true>>()
        .into_iter()
        .find(|s| s.name == "kv.basic_one_client")
        .expect("in the catalog");
    let report = basic.run(Run::new(1));
    assert_eq!(report.broke(), Some(Broke::NotLinearizable), "{}", report.failure_text());
    // The client ids in a failure are the clerks' own.
    assert!(report.failure_text().contains(&ClientId(1).to_string()), "{}", report.failure_text());
}
