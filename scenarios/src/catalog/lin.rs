//! Section G: the KV linearizability tests. Every KV scenario's history is checked (40, done
//! by each story's last step); these two are the lab's `…Linearizable` tests (41): 15 clients
//! on random keys, 7 servers, an unreliable network, partitions and full restarts.
use kv::KvService;
use raft::Consensus;

use crate::cluster::{Cluster, Setup};
use crate::failure::Check;
use crate::kv::Generic;
use crate::scenario::Scenario;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("lin.random_keys_15c_7s_unreliable_restarts_partitions_nosnap")
            .summary(
                "15 clients on random keys, 7 servers, unreliable, restarts and partitions; \
             history checked (PersistPartitionUnreliableLinearizable)",
            )
            .on(|| Setup::kv_unreliable(7))
            .story(random_keys),
        Scenario::named("lin.random_keys_15c_7s_unreliable_restarts_partitions_snap1000")
            .summary(
                "the same with maxraftstate 1000 \
             (SnapshotUnreliableRecoverConcurrentPartitionLinearizable)",
            )
            .on(|| Setup::kv_unreliable(7).snapshots(1000))
            .story(random_keys),
    ]
}

fn random_keys<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(15).crash().partitions().random_keys().run(t)
}
