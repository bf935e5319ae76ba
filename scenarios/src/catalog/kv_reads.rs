//! Section F, the KV's read paths told as stories (issue 14): what a read path promises, shown
//! on a history built to tell the promises apart. Follower reads under a partition are
//! reported not linearizable while the sequential-consistency check passes.
use std::time::Duration;

use kv::{KvService, Op, ReadPath};
use raft::Consensus;

use crate::cluster::{Cluster, Setup};
use crate::failure::{Check, Failure};
use crate::kv::Plan;
use crate::scenario::Scenario;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![Scenario::named("kv.follower_reads_partitioned")
        .summary("a follower cut off from the majority serves its reader a value older than a completed write: not linearizable, sequentially consistent (follower reads)")
        .on(|| Setup::kv(5).reads(ReadPath::Follower))
        .story(follower_reads_partitioned)]
}

/// How long the reader's Get may take while only the cut-off follower is reachable: the clerk
/// finds it after at most a few failed calls to the others (each returns within 100 ms).
const MINORITY_READ: Duration = Duration::from_secs(2);

/// A reader writes a key and reads it back; a follower that applied the write is cut off
/// from the majority, and the reader can reach only that follower. A writer on the majority
/// overwrites the key and reads its own write back; then the reader's Get, served by the
/// cut-off follower, returns the old value. Real time puts the read after the overwrite, so
/// the history is not linearizable; each clerk's own order is kept by "reader first, then
/// writer", so it is sequentially consistent, which is what follower reads promise.
///
/// A service that keeps every read linearizable (a student's KV that reads through the log
/// whatever `read_path` says, or a run with `--reads log`) cannot answer the reader in the
/// minority: then the Get completes after the heal and the history must be linearizable
/// instead. Either way the reads must be sequentially consistent. The reference's follower
/// reads are held to the first branch by `scenarios/tests/follower_reads.rs`.
fn follower_reads_partitioned<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let long = Duration::from_secs(10);
    let put = |value: &str| Op::Put { key: "k".into(), value: value.into() };
    let reader = t.add_clerk(Plan::Manual);
    t.run_op(reader, put("old"), long)?;
    t.check_get(reader, "k", "old")?;
    let leader = t.leader().ok_or_else(|| Failure::liveness("no leader after the first Put"))?;
    let servers = t.servers().to_vec();
    let follower = *servers.iter().find(|s| **s != leader).expect("five servers");
    // The follower must hold everything the reader has seen, so its session lets it answer.
    let caught_up = t.run_while_not(long, |t| {
        servers.iter().all(|s| t.applied_index(*s) <= t.applied_index(follower))
    })?;
    t.goal(caught_up, "the follower applied the reader's write before the partition")?;
    let majority: Vec<_> = servers.iter().copied().filter(|s| *s != follower).collect();
    t.note(format!("partition {majority:?} | {:?}", [follower]));
    t.partition(&[majority.clone(), vec![follower]]);
    t.connect_clerk_to(reader, &[follower]);
    let writer = t.add_clerk(Plan::Manual);
    t.connect_clerk_to(writer, &majority);
    t.run_op(writer, put("new"), long)?;
    t.check_get(writer, "k", "new")?;

    t.start_op(reader, Op::Get { key: "k".into() })?;
    let served = t.run_while_not(MINORITY_READ, |t| !t.clerk_busy(reader))?;
    t.heal();
    t.connect_clerk_to(reader, &servers);
    if !served {
        t.note("the minority did not answer the read: every read is linearizable here");
        if !t.run_while_not(long, |t| !t.clerk_busy(reader))? {
            return Err(Failure::liveness("the reader's Get did not complete after the heal"));
        }
        t.check_linearizable()?;
        return t.check_sequential();
    }
    let client = t.clerk(reader).client;
    let records = t.kv_history().records().iter().rev();
    let last = records.into_iter().find(|r| r.client == client);
    let read = last.and_then(|r| r.ret.clone()).map(|(_, value)| value);
    if read.as_deref() != Some("old") {
        return Err(Failure::assertion(format!(
            "the cut-off follower answered {read:?}, but it never received \"new\""
        )));
    }
    t.note("the cut-off follower served the reader the value the writer had overwritten");
    t.check_not_linearizable()?;
    t.check_sequential()?;
    // Both verdicts in the report's goals too, not only in the trace's notes.
    t.goal(true, "the follower's stale read: not linearizable, sequentially consistent")
}
