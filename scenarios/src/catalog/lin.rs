//! Section G: the KV linearizability tests. Every KV scenario's history is checked (40, done
//! by each story's last step); these two are the lab's `…Linearizable` tests (41): 15 clients
//! on random keys, 7 servers, an unreliable network, partitions and full restarts.
use raft::Consensus;

use super::Scenario;
use crate::failure::Check;
use crate::kv::{Generic, KvSetup, KvTester};

pub fn scenarios<R: Consensus>() -> Vec<Scenario<R>> {
    vec![
        Scenario::kv(
            "lin.random_keys_15c_7s_unreliable_restarts_partitions_nosnap",
            "15 clients on random keys, 7 servers, unreliable, restarts and partitions; \
             history checked (PersistPartitionUnreliableLinearizable)",
            || KvSetup::unreliable(7),
            random_keys,
        ),
        Scenario::kv(
            "lin.random_keys_15c_7s_unreliable_restarts_partitions_snap1000",
            "the same with maxraftstate 1000 \
             (SnapshotUnreliableRecoverConcurrentPartitionLinearizable)",
            || KvSetup::unreliable(7).snapshots(1000),
            random_keys,
        ),
    ]
}

fn random_keys<R: Consensus>(t: &mut KvTester<R>) -> Check {
    Generic::new(15).crash().partitions().random_keys().run(t)
}
