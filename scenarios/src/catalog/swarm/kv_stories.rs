//! Targeted KV stories `swarm.kv` draws sometimes. `RetryAcrossSnapshot` exercises exactly
//! what a server's duplicate table is for across a snapshot: an Append takes effect but its
//! reply is lost, every server snapshots past it and restarts from that snapshot, and the
//! clerk's retry reaches a server whose whole memory of the Append is the snapshot. A snapshot
//! without the table lets the retry apply a second time, which the story's own read shows.
use std::time::Duration;

use kv::KvService;
use kv::Op;
use raft::{Consensus, LogIndex};
use sim::{NetConfig, NodeId};

use super::mix::Story;
use crate::cluster::Cluster;
use crate::failure::{Check, Failure};
use crate::host::{to_sim, Host};
use crate::kv::check_appends;

/// The story's key, apart from the random workload's numbered keys.
const KEY: &str = "story";

/// Runs `story` with clerk `k` (a manual clerk of its own) on a calm network, then restores
/// the mix's network `net`.
pub fn run<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    story: Story,
    k: usize,
    net: &NetConfig,
) -> Check {
    t.note(format!("swarm story: {story:?}"));
    t.set_net(NetConfig::reliable());
    match story {
        Story::RetryAcrossSnapshot => retry_across_snapshot(t, k)?,
        // Raft stories need a bare Raft cluster; KV mixes never draw them.
        Story::Figure8 | Story::StaleVotes | Story::SlowVotes | Story::SnapshotLag => {}
    }
    t.set_net(net.clone());
    Ok(())
}

fn retry_across_snapshot<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, k: usize) -> Check {
    let clerk = t.clerk(k).id;
    let servers = t.servers().to_vec();
    // A first operation that completes, so the key exists and the clerk knows the leader.
    t.run_op(k, Op::Put { key: KEY.into(), value: String::new() }, Duration::from_secs(10))?;
    // Replies to the clerk are cut (one way): its Append reaches the leader and is applied,
    // but the clerk never hears so, and keeps resending.
    for &s in &servers {
        t.set_link(s, clerk, false);
    }
    let element = t.next_element(k);
    t.start_op(k, Op::Append { key: KEY.into(), value: element.clone() })?;
    // The append number the tester recorded for it, for the exactly-once check.
    let j = t.clerk(k).appends.get(KEY).and_then(|made| made.last()).map_or(0, |m| m.0);
    let called = t.now();
    let applied = t.run_while_not(Duration::from_secs(10), |t| {
        t.servers().iter().all(|&s| server(t, s).is_some_and(|v| v.value.contains(&element)))
    })?;
    t.goal(applied, "every server applied the story's Append while its replies were lost")?;
    // Requests cut too: no more copies of the Append enter the log, so a snapshot past the
    // last one holds the Append's whole history.
    for &s in &servers {
        t.set_link(clerk, s, false);
    }
    t.sleep(Duration::from_millis(200))?;
    let target = servers.iter().filter_map(|&s| server(t, s)).map(|v| v.applied).max();
    let target = target.unwrap_or_default();
    t.note(format!("story: every server must snapshot through index {target}"));
    let covered = t.run_while_not(Duration::from_secs(30), |t| {
        t.servers().iter().all(|&s| snapshot_index(t, s).is_some_and(|i| i >= target))
    })?;
    t.goal(covered, "every server's snapshot covers the story's Append and its copies")?;
    // Every server restarts from its snapshot; the restart heals the clerk's links, so its
    // next resend is answered by a server that knows the Append only from the snapshot.
    t.crash_all();
    let restarted = t.now();
    let loaded: Vec<(NodeId, Option<LogIndex>)> =
        servers.iter().map(|&s| (s, snapshot_index(t, s))).collect();
    t.restart_all()?;
    let done = t.run_while_not(Duration::from_secs(20), |t| !t.clerk_busy(k))?;
    if !done {
        return Err(Failure::liveness("the story's Append did not complete after the restart"));
    }
    let record = t.kv_history().records().iter().rev().find(|r| r.client == t.clerk(k).client);
    let returned = record.and_then(|r| r.ret.as_ref()).map(|(at, _)| *at);
    t.goal(
        called < restarted && returned.is_some_and(|at| at > restarted),
        "the Append was open across the restart: a retry after it was answered",
    )?;
    let served = presumed_leader(t, clerk);
    let from_snapshot =
        loaded.iter().any(|(s, index)| Some(*s) == served && index.is_some_and(|i| i >= target));
    t.goal(from_snapshot, "the server that answered the retry restarted from a snapshot past it")?;
    // Exactly once: the element must appear once in what the key holds now.
    let value = t.run_op(k, Op::Get { key: KEY.into() }, Duration::from_secs(10))?;
    let client = t.clerk(k).client.0;
    check_appends(KEY, &value, client, &[j], &[]).map_err(|e| {
        Failure::not_linearizable(format!("a retried Append across a snapshot restart: {e}"))
    })
}

/// What the story reads of a live server.
struct ServerView {
    value: String,
    applied: LogIndex,
}

fn server<R: Consensus, K: KvService>(t: &Cluster<R, K>, id: NodeId) -> Option<ServerView> {
    match t.sim().node(id)? {
        Host::Kv(host) => Some(ServerView {
            value: host.service().local_value(KEY),
            applied: host.service().applied_index(),
        }),
        Host::Raft(_) | Host::Clerk(_) => None,
    }
}

/// The last index of `id`'s persisted snapshot (what a restart loads), if it has one.
fn snapshot_index<R: Consensus, K: KvService>(t: &Cluster<R, K>, id: NodeId) -> Option<LogIndex> {
    t.sim().durable(id)?.raft.snapshot.as_ref().map(|s| s.last_included_index)
}

/// The server the clerk at `clerk` last heard a success from.
fn presumed_leader<R: Consensus, K: KvService>(t: &Cluster<R, K>, clerk: NodeId) -> Option<NodeId> {
    match t.sim().node(clerk)? {
        Host::Clerk(host) => host.clerk().presumed_leader().and_then(to_sim),
        Host::Raft(_) | Host::Kv(_) => None,
    }
}
