//! E. Snapshots (Raft 2D / 3D): the test service snapshots every 10 applied entries (the lab's
//! `applierSnap`); the log must stay small, lagging or restarted servers must catch up through
//! snapshots, and indices must keep growing across full restarts.
use std::time::Duration;

use kv::KvService;
use raft::{Consensus, LogIndex};
use sim::NodeId;

use crate::cluster::{Cluster, Setup};
use crate::failure::{Check, Failure};
use crate::labels::cmd;
use crate::scenario::Scenario;

/// The lab's SnapShotInterval.
const SNAPSHOT_EVERY: u64 = 10;
/// The lab's MAXLOGSIZE: persisted raft state must stay below this many bytes.
const MAX_LOG_SIZE: usize = 2000;

fn snap(reliable: bool) -> Setup {
    let mut setup = Setup::raft(3);
    if !reliable {
        setup.net = setup.net.with_unreliable();
    }
    setup.snapshots(SNAPSHOT_EVERY as usize)
}

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("snap.basic_no_faults")
.summary("30 rounds of 5-14 entries; raft state stays under 2000 bytes (SnapshotBasic)")
.on(|| snap(true))
.story(|t| snapshot_rounds(t, Fault::None)),
        Scenario::named("snap.install_after_disconnect_reliable")
.summary("a lagging follower catches up through InstallSnapshot (SnapshotInstall)")
.on(|| snap(true))
.story(|t| snapshot_rounds(t, Fault::Disconnect)),
        Scenario::named("snap.install_after_disconnect_unreliable")
.summary("the same on a lossy network (SnapshotInstallUnreliable)")
.on(|| snap(false))
.story(|t| snapshot_rounds(t, Fault::Disconnect)),
        Scenario::named("snap.install_after_crash_reliable")
.summary("crash the victim; it restarts from its snapshot and applies from there (InstallCrash)")
.on(|| snap(true))
.story(|t| snapshot_rounds(t, Fault::Crash)),
        Scenario::named("snap.install_after_crash_unreliable")
.summary("the same on a lossy network (SnapshotInstallUnCrash)")
.on(|| snap(false))
.story(|t| snapshot_rounds(t, Fault::Crash)),
        Scenario::named("snap.all_crash_index_monotonic_reliable")
.summary("5 full restarts; the next index is above the last committed (SnapshotAllCrash)")
.on(|| snap(true))
.story(all_crash_index_monotonic),
        Scenario::named("snap.all_crash_index_monotonic_unreliable")
.summary("the same on a lossy network (SnapshotAllCrash, 2025+)")
.on(|| snap(false))
.story(all_crash_index_monotonic),
        Scenario::named("snap.init_double_restart")
.summary("snapshot, restart all, one op, restart all, one op (SnapshotInit)")
.on(|| snap(true))
.story(init_double_restart),
        Scenario::named("snap.applymsg_consistency")
.summary("snapshots trim leader and follower logs; installs match their index; no re-apply")
.on(|| snap(true))
.story(applymsg_consistency),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    Disconnect,
    Crash,
}

/// The lab's `snapcommon`.
fn snapshot_rounds<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, fault: Fault) -> Check {
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, n, true)?;
    let mut leader1 = t.check_one_leader()?;
    let installs_before = t.delivered("Snap");
    for round in 0..30 {
        let (mut victim, mut sender) = (t.server(leader1.0 as usize + 1), leader1);
        if round % 3 == 1 {
            (victim, sender) = (leader1, t.server(leader1.0 as usize + 1));
        }
        match fault {
            Fault::None => {}
            Fault::Disconnect => t.disconnect(victim),
            Fault::Crash => t.crash(victim),
        }
        if fault != Fault::None {
            // The victim misses an entry the others commit, so it must lag.
            let c = t.random_command();
            t.one(c, n - 1, true)?;
        }
        let count = SNAPSHOT_EVERY / 2 + t.random(SNAPSHOT_EVERY);
        for _ in 0..count {
            let c = t.random_command();
            t.start(sender, c)?;
        }
        let c = t.random_command();
        t.one(c, if fault == Fault::None { n } else { n - 1 }, true)?;
        let size = t.log_size();
        if size >= MAX_LOG_SIZE {
            return Err(Failure::assertion(format!(
                "raft state of {size} bytes; the log must stay under {MAX_LOG_SIZE}"
            )));
        }
        if fault == Fault::Crash {
            t.restart(victim)?;
        }
        if fault != Fault::None {
            t.connect(victim);
            let c = t.random_command();
            t.one(c, n, true)?;
            leader1 = t.check_one_leader()?;
        }
    }
    t.goal(
        t.sim().durable(NodeId(0)).is_some_and(|d| d.raft.snapshot.is_some()),
        "n0 snapshotted",
    )?;
    match fault {
        Fault::None => Ok(()),
        Fault::Disconnect => t.goal(
            t.delivered("Snap") > installs_before,
            "a lagging follower received an InstallSnapshot",
        ),
        Fault::Crash => t.goal(t.snapshots_loaded() > 0, "a service loaded a snapshot"),
    }
}

fn restart_all<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    for id in t.servers().to_vec() {
        t.crash(id);
    }
    for id in t.servers().to_vec() {
        t.restart(id)?;
        t.connect(id);
    }
    Ok(())
}

fn all_crash_index_monotonic<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, n, true)?;
    for _ in 0..5 {
        let count = SNAPSHOT_EVERY / 2 + t.random(SNAPSHOT_EVERY);
        for _ in 0..count {
            let c = t.random_command();
            t.one(c, n, true)?;
        }
        let c = t.random_command();
        let index1 = t.one(c, n, true)?;
        restart_all(t)?;
        let c = t.random_command();
        let index2 = t.one(c, n, true)?;
        if index2 <= index1 {
            return Err(Failure::assertion(format!("index decreased from {index1} to {index2}")));
        }
    }
    t.goal(t.snapshots_loaded() > 0, "restarted services loaded their snapshots")
}

fn init_double_restart<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, n, true)?;
    for _ in 0..=SNAPSHOT_EVERY {
        let c = t.random_command();
        t.one(c, n, true)?;
    }
    t.goal(
        t.servers()
            .iter()
            .all(|id| t.sim().durable(*id).is_some_and(|d| d.raft.snapshot.is_some())),
        "every server persisted a snapshot before the restarts",
    )?;
    restart_all(t)?;
    let c = t.random_command();
    t.one(c, n, true)?;
    restart_all(t)?;
    let c = t.random_command();
    t.one(c, n, true)?;
    Ok(())
}

fn applymsg_consistency<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    for k in 0..12 {
        t.one(cmd(k), n, true)?;
    }
    // Snapshot(10) was called on every server, leader and followers alike: all must trim.
    let leader = t.check_one_leader()?;
    for id in t.servers().to_vec() {
        let status = t.status(id).ok_or_else(|| Failure::assertion(format!("{id} is down")))?;
        let durable = t.sim().durable(id).map(|d| d.raft.clone()).unwrap_or_default();
        let role = if id == leader { "leader" } else { "follower" };
        if status.snapshot_index < LogIndex(SNAPSHOT_EVERY)
            || durable.snapshot_index() < LogIndex(SNAPSHOT_EVERY)
        {
            return Err(Failure::assertion(format!(
                "{role} {id} did not trim its log at Snapshot({SNAPSHOT_EVERY}): snapshot index \
                 {} in memory, {} on disk",
                status.snapshot_index,
                durable.snapshot_index()
            )));
        }
        if durable.log.first().is_some_and(|e| e.index <= durable.snapshot_index()) {
            return Err(Failure::assertion(format!("{id} persisted entries its snapshot covers")));
        }
    }
    // A lagging follower must be brought up through InstallSnapshot; the always-on checks
    // verify that the snapshot matches its index and nothing at or below it is applied again.
    let lagging = t.server(leader.0 as usize + 1);
    t.disconnect(lagging);
    for k in 100..125 {
        t.one(cmd(k), n - 1, true)?;
    }
    let loaded = t.snapshots_loaded();
    t.connect(lagging);
    t.one(cmd(1000), n, true)?;
    t.sleep(Duration::from_millis(500))?;
    t.goal(t.snapshots_loaded() > loaded, "the lagging follower installed a snapshot")
}
