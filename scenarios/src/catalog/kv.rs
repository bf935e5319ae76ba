//! Section F: the KV service (kvraft 3A/3B, 4A–4C). Each story mirrors a lab test with its
//! bounds in virtual time, adds goals proving its faults happened, and ends with the
//! linearizability check of every operation (section G, 40).
use std::time::Duration;

use kv::KvService;
use kv::Op;
use raft::Consensus;

use crate::cluster::ELECTION_TIMEOUT;
use crate::cluster::{Cluster, Setup};
use crate::failure::{Check, Failure};
use crate::kv::{check_appends, Generic, Plan};
use crate::scenario::Scenario;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("kv.basic_one_client")
.summary("1 client, 5 servers, reliable, no snapshots; appends once and in order, Get == model (Basic)")
.on(|| Setup::kv(5))
.story(basic),
        Scenario::named("kv.speed_nosnap")
.summary("1000 sequential ops by one client at <= 33.3 ms/op on 3 servers (Speed)")
.on(|| Setup::kv(3))
.story(speed),
        Scenario::named("kv.speed_snap1000")
.summary("Speed with maxraftstate 1000")
.on(|| Setup::kv(3).snapshots(1000))
.story(speed),
        Scenario::named("kv.concurrent_clients_reliable")
.summary("5 clients, 5 servers, reliable (Concurrent)")
.on(|| Setup::kv(5))
.story(concurrent),
        Scenario::named("kv.concurrent_clients_unreliable")
.summary("5 clients under 10%/10% loss: duplicate suppression (Unreliable)")
.on(|| Setup::kv_unreliable(5))
.story(concurrent),
        Scenario::named("kv.one_key_concurrent_appends_unreliable")
.summary("5 clients x 10 appends to one key, unreliable; each once and in order (UnreliableOneKey)")
.on(|| Setup::kv_unreliable(5))
.story(one_key),
        Scenario::named("kv.minority_partition_blocks_then_completes_reliable")
.summary("minority Put/Get block for 1 s, complete within 3 s of the heal; final value 15 (OnePartition)")
.on(|| Setup::kv(5))
.story(one_partition),
        Scenario::named("kv.minority_partition_blocks_then_completes_unreliable")
.summary("OnePartition on an unreliable network (2025+)")
.on(|| Setup::kv_unreliable(5))
.story(one_partition),
        Scenario::named("kv.partitions_one_client")
.summary("random 2-way splits every 1-1.2 s, 1 client (ManyPartitionsOneClient)")
.on(|| Setup::kv(5))
.story(partitions_one),
        Scenario::named("kv.partitions_many_clients")
.summary("random 2-way splits every 1-1.2 s, 5 clients (ManyPartitionsManyClients)")
.on(|| Setup::kv(5))
.story(partitions_many),
        Scenario::named("kv.restarts_one")
.summary("full restart at the end of each phase, 1 client (PersistOneClient)")
.on(|| Setup::kv(5))
.story(restarts_one),
        Scenario::named("kv.restarts_many")
.summary("full restarts, 5 clients (PersistConcurrent)")
.on(|| Setup::kv(5))
.story(restarts_many),
        Scenario::named("kv.restarts_many_unreliable")
.summary("full restarts, 5 clients, unreliable (PersistConcurrentUnreliable)")
.on(|| Setup::kv_unreliable(5))
.story(restarts_many),
        Scenario::named("kv.restarts_partitions")
.summary("full restarts and partitions, 5 clients (PersistPartition)")
.on(|| Setup::kv(5))
.story(restarts_partitions),
        Scenario::named("kv.restarts_partitions_unreliable")
.summary("full restarts and partitions, unreliable (PersistPartitionUnreliable)")
.on(|| Setup::kv_unreliable(5))
.story(restarts_partitions),
        Scenario::named("kv.snapshot_install_rpc_and_size")
.summary("a lagging server catches up by InstallSnapshot; raft state <= 8000 and snapshot <= 500 bytes after 800 ops on one key (SnapshotRPC, SnapshotSize)")
.on(|| Setup::kv(3).snapshots(1000))
.story(snapshot_rpc_and_size),
        Scenario::named("kv.snapshot_recover_one")
.summary("maxraftstate 1000, restarts, 1 client (SnapshotRecover)")
.on(|| Setup::kv(5).snapshots(1000))
.story(restarts_one),
        Scenario::named("kv.snapshot_recover_many20")
.summary("maxraftstate 1000, restarts, 20 clients (SnapshotRecoverManyClients)")
.on(|| Setup::kv(5).snapshots(1000))
.story(recover_many20),
        Scenario::named("kv.snapshot_recover_unreliable")
.summary("maxraftstate 1000, 5 clients, unreliable (SnapshotUnreliable)")
.on(|| Setup::kv_unreliable(5).snapshots(1000))
.story(concurrent),
        Scenario::named("kv.snapshot_recover_unreliable_restart")
.summary("maxraftstate 1000, restarts, unreliable (SnapshotUnreliableRecover)")
.on(|| Setup::kv_unreliable(5).snapshots(1000))
.story(restarts_many),
        Scenario::named("kv.snapshot_recover_unreliable_restart_partitions")
.summary("maxraftstate 1000, restarts and partitions, unreliable (SnapshotUnreliableRecoverConcurrentPartition)")
.on(|| Setup::kv_unreliable(5).snapshots(1000))
.story(restarts_partitions),
    ]
}

fn basic<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(1).run(t)
}

fn concurrent<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(5).run(t)
}

fn partitions_one<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(1).partitions().run(t)
}

fn partitions_many<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(5).partitions().run(t)
}

fn restarts_one<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(1).crash().run(t)
}

fn restarts_many<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(5).crash().run(t)
}

fn restarts_partitions<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(5).crash().partitions().run(t)
}

fn recover_many20<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    Generic::new(20).crash().run(t)
}

/// Speed: 1000 appends one after another, then a read of all of them.
fn speed<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let ck = t.add_clerk(Plan::Manual);
    t.run_op(ck, Op::Put { key: "x".into(), value: String::new() }, Duration::from_secs(10))?;
    let started = t.now();
    let mut expected = String::new();
    for _ in 0..1000 {
        let value = t.next_element(ck);
        expected.push_str(&value);
        t.run_op(ck, Op::Append { key: "x".into(), value }, Duration::from_secs(10))?;
    }
    let per_op = (t.now() - started) / 1000;
    if per_op > Duration::from_micros(33_333) {
        return Err(Failure::liveness(format!(
            "1000 operations took {} µs each, more than 33.3 ms (Speed)",
            per_op.as_micros()
        )));
    }
    t.note(format!("speed: {} µs per operation", per_op.as_micros()));
    t.check_get(ck, "x", &expected)?;
    t.check_sizes()?;
    t.goal(t.clerk(ck).completed == 1002, "1000 sequential appends completed")?;
    if t.max_raft_state().is_some() {
        t.goal(t.max_snapshot_size() > 0, "a snapshot was taken")?;
    }
    t.check_linearizable()
}

/// UnreliableOneKey: 5 clients append 10 elements each to one key, concurrently.
fn one_key<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let clients = 5;
    for _ in 0..clients {
        t.add_clerk(Plan::Appends { key: "k".into(), left: 10 });
    }
    let ck = t.add_clerk(Plan::Manual);
    t.run_op(ck, Op::Put { key: "k".into(), value: String::new() }, Duration::from_secs(10))?;
    t.start_clients()?;
    t.run_while_not(Duration::from_secs(60), |t| (0..clients).all(|k| t.clerk(k).completed == 10))?;
    let value = t.run_op(ck, Op::Get { key: "k".into() }, Duration::from_secs(10))?;
    for k in 0..clients {
        let slot = t.clerk(k);
        let made = slot.appends.get("k").cloned().unwrap_or_default();
        let completed: Vec<u64> = made.iter().filter(|m| m.1).map(|m| m.0).collect();
        if completed.len() != 10 {
            return Err(Failure::liveness(format!(
                "{} completed only {} of its 10 appends within 60 s",
                slot.client,
                completed.len()
            )));
        }
        check_appends("k", &value, slot.client.0, &completed, &[])
            .map_err(Failure::not_linearizable)?;
    }
    let retried = t.kv_history().records().iter().any(|r| r.ret.is_none()) || t.lost_messages() > 0;
    t.goal(retried, "the network dropped messages while the clients appended")?;
    t.check_linearizable()
}

/// OnePartition: a minority cannot complete a Put or a Get; after the heal both complete.
fn one_partition<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let ck = t.add_clerk(Plan::Manual);
    t.run_op(ck, Op::Put { key: "1".into(), value: "13".into() }, Duration::from_secs(10))?;
    let leader = t.leader().ok_or_else(|| Failure::liveness("no leader after the first Put"))?;
    let servers = t.servers().to_vec();
    let others: Vec<_> = servers.iter().copied().filter(|s| *s != leader).collect();
    let majority = vec![leader, others[0], others[1]];
    let minority = others[2..].to_vec();
    t.note(format!("partition {majority:?} | {minority:?}"));
    t.partition(&[majority.clone(), minority.clone()]);
    let ckp1 = t.add_clerk(Plan::Manual);
    let ckp2a = t.add_clerk(Plan::Manual);
    let ckp2b = t.add_clerk(Plan::Manual);
    t.connect_clerk_to(ckp1, &majority);
    t.connect_clerk_to(ckp2a, &minority);
    t.connect_clerk_to(ckp2b, &minority);
    t.run_op(ckp1, Op::Put { key: "1".into(), value: "14".into() }, Duration::from_secs(10))?;
    t.check_get(ckp1, "1", "14")?;
    t.start_op(ckp2a, Op::Put { key: "1".into(), value: "15".into() })?;
    t.start_op(ckp2b, Op::Get { key: "1".into() })?;
    t.sleep(Duration::from_secs(1))?;
    if !t.clerk_busy(ckp2a) || !t.clerk_busy(ckp2b) {
        return Err(Failure::assertion("an operation completed in the minority partition"));
    }
    t.goal(true, "the minority's Put and Get were blocked for 1 s")?;
    t.check_get(ckp1, "1", "14")?;
    t.heal();
    let done =
        t.run_while_not(Duration::from_secs(3), |t| !t.clerk_busy(ckp2a) && !t.clerk_busy(ckp2b))?;
    if !done {
        return Err(Failure::liveness(
            "the blocked Put or Get did not complete within 3 s of the heal",
        ));
    }
    t.check_get(ck, "1", "15")?;
    t.check_linearizable()
}

/// SnapshotRPC then SnapshotSize.
fn snapshot_rpc_and_size<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let ck = t.add_clerk(Plan::Manual);
    let long = Duration::from_secs(10);
    let put = |k: &str, v: &str| Op::Put { key: k.into(), value: v.into() };
    t.run_op(ck, put("a", "A"), long)?;
    t.check_get(ck, "a", "A")?;
    let s = t.servers().to_vec();
    // A majority without server 2 makes progress; 2 falls behind a discarded log.
    t.partition(&[vec![s[0], s[1]], vec![s[2]]]);
    let ck1 = t.add_clerk(Plan::Manual);
    t.connect_clerk_to(ck1, &[s[0], s[1]]);
    for i in 0..50 {
        t.run_op(ck1, put(&i.to_string(), &i.to_string()), long)?;
    }
    t.sleep(ELECTION_TIMEOUT)?;
    t.run_op(ck1, put("b", "B"), long)?;
    t.check_sizes()?;
    // Now 2 must catch up with a majority whose log no longer holds what it lacks.
    t.partition(&[vec![s[0], s[2]], vec![s[1]]]);
    t.connect_clerk_to(ck1, &[s[0], s[2]]);
    let installs = t.snapshots_installed();
    t.run_op(ck1, put("c", "C"), long)?;
    t.run_op(ck1, put("d", "D"), long)?;
    for (k, v) in [("a", "A"), ("b", "B"), ("1", "1"), ("49", "49")] {
        t.check_get(ck1, k, v)?;
    }
    t.goal(t.snapshots_installed() > installs, "the lagging server got an InstallSnapshot")?;
    t.heal();
    t.connect_clerk_to(ck1, &s);
    t.run_op(ck1, put("e", "E"), long)?;
    t.check_get(ck1, "c", "C")?;
    t.check_get(ck1, "e", "E")?;
    t.check_get(ck1, "1", "1")?;
    // SnapshotSize: 800 operations on one key keep the state and the snapshot small.
    for _ in 0..200 {
        t.run_op(ck, put("x", "0"), long)?;
        t.check_get(ck, "x", "0")?;
        t.run_op(ck, put("x", "1"), long)?;
        t.check_get(ck, "x", "1")?;
    }
    t.check_sizes()?;
    let snapshot = t.max_snapshot_size();
    if snapshot > 500 {
        return Err(Failure::assertion(format!("snapshot is {snapshot} bytes, more than 500")));
    }
    t.goal(snapshot > 0, "a snapshot was taken")?;
    t.check_linearizable()
}
