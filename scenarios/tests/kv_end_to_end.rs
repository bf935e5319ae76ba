//! KV servers on the reference Raft and a few clerks on the cluster core, end to end: appends
//! to one shared key land exactly once and in each client's order, and the whole history is
//! linearizable, through message loss, duplication, reordering, partitions, crashes of one
//! server or all of them, and snapshots; a minority completes nothing; a snapshot stays small;
//! every KV mutation switch is caught. (Moved here from kv's own test harness, retired by
//! issue 11 item 5.)
use std::time::Duration;

use kv::{KvBugs, Op};
use raft::RaftNode;
use scenarios::kv::{check_appends, Plan};
use scenarios::{Broke, Check, Cluster, Failure, Setup};
use sim::NodeId;

type Kv = Cluster<RaftNode>;

/// The one key every clerk appends to.
const KEY: &str = "k";

/// Runs `story` on a fresh KV cluster; a failure carries the trace's last lines.
fn run<T>(seed: u64, setup: Setup, story: impl FnOnce(&mut Kv) -> Check<T>) -> Check<T> {
    let mut t = Kv::new(seed, setup);
    story(&mut t).map_err(|mut failure| {
        let tail = t.sim().trace_tail(20).join("\n    ");
        failure.message = format!("seed {seed}: {}\n  last events:\n    {tail}", failure.message);
        failure
    })
}

fn get() -> Op {
    Op::Get { key: KEY.into() }
}

/// Clerks that each run a script of `ops` operations on the shared key, appends of their own
/// elements with a read every fourth, starting the next the moment the previous one returns.
struct Scripts {
    clerks: Vec<usize>,
    ops: u64,
    /// Per clerk, the number (from 1) of its next operation.
    next: Vec<u64>,
}

impl Scripts {
    fn add(t: &mut Kv, clerks: usize, ops: u64) -> Scripts {
        let clerks: Vec<usize> = (0..clerks).map(|_| t.add_clerk(Plan::Manual)).collect();
        Scripts { next: vec![1; clerks.len()], clerks, ops }
    }

    /// Some clerk is idle with operations left.
    fn waiting(&self, t: &Kv) -> bool {
        (self.clerks.iter().zip(&self.next)).any(|(k, next)| *next <= self.ops && !t.clerk_busy(*k))
    }

    fn finished(&self, t: &Kv) -> bool {
        (self.clerks.iter().zip(&self.next)).all(|(k, next)| *next > self.ops && !t.clerk_busy(*k))
    }

    /// Starts the next operation of every idle clerk that has one left.
    fn pump(&mut self, t: &mut Kv) -> Check {
        for (k, next) in self.clerks.iter().zip(&mut self.next) {
            if *next > self.ops || t.clerk_busy(*k) {
                continue;
            }
            let op = if *next % 4 == 0 {
                get()
            } else {
                Op::Append { key: KEY.into(), value: t.next_element(*k) }
            };
            t.start_op(*k, op)?;
            *next += 1;
        }
        Ok(())
    }

    /// Runs the scripts for `d` of virtual time.
    fn run_for(&mut self, t: &mut Kv, d: Duration) -> Check {
        let until = t.now() + d;
        while t.now() < until {
            self.pump(t)?;
            t.run_while_not(until - t.now(), |t| self.waiting(t))?;
        }
        Ok(())
    }

    /// Runs the scripts until every clerk finished, for at most `within`; true if they did.
    fn run_to_end(&mut self, t: &mut Kv, within: Duration) -> Check<bool> {
        let until = t.now() + within;
        loop {
            self.pump(t)?;
            if self.finished(t) {
                return Ok(true);
            }
            let progress = |t: &Kv| self.waiting(t) || self.finished(t);
            if t.now() >= until || !t.run_while_not(until - t.now(), progress)? {
                return Ok(self.finished(t));
            }
        }
    }

    /// Reads the key through a fresh clerk, checks every scripted clerk's appends in it
    /// (completed ones exactly once and in order, open ones at most once) and returns it.
    fn check_final_value(&self, t: &mut Kv) -> Check<String> {
        let reader = t.add_clerk(Plan::Manual);
        let value = t.run_op(reader, get(), Duration::from_secs(30))?;
        for &k in &self.clerks {
            let clerk = t.clerk(k);
            let made = clerk.appends.get(KEY).cloned().unwrap_or_default();
            let (done, open): (Vec<_>, Vec<_>) = made.iter().partition(|(_, returned)| *returned);
            let numbers =
                |list: Vec<&(u64, bool)>| list.iter().map(|(j, _)| *j).collect::<Vec<_>>();
            check_appends(KEY, &value, clerk.client.0, &numbers(done), &numbers(open))
                .map_err(Failure::not_linearizable)?;
        }
        Ok(value)
    }
}

/// Reboots server `id` from disk and reconnects it.
fn reboot(t: &mut Kv, id: NodeId) -> Check {
    t.restart(id)?;
    t.connect(id);
    Ok(())
}

/// The faults one faulty run drew, so a test can insist they actually happened.
#[derive(Debug, Default)]
struct Reached {
    restarts: u32,
    full_restarts: u32,
    partitions: u32,
}

/// Four clerks run 40 operations each on 3 servers of a lossy, duplicating network while, in
/// 12 phases of 600 ms, one server or the whole cluster restarts or the leader is isolated;
/// then the network heals, the clerks finish, and the history and the sizes are checked.
fn faulty_run(seed: u64, kv_bugs: KvBugs, max_raft_state: Option<usize>) -> Check<Reached> {
    let mut setup = Setup::kv_unreliable(3);
    setup.net.duplicate = 0.05;
    setup.kv_bugs = kv_bugs;
    if let Some(max) = max_raft_state {
        setup = setup.snapshots(max);
    }
    run(seed, setup, |t| {
        let mut scripts = Scripts::add(t, 4, 40);
        let mut reached = Reached::default();
        for _phase in 0..12 {
            scripts.run_for(t, Duration::from_millis(600))?;
            match t.fault_random(4) {
                0 => {
                    let pick = t.fault_random(3) as usize;
                    let victim = t.server(pick);
                    reboot(t, victim)?;
                    reached.restarts += 1;
                }
                // The whole cluster at once, while clerks may be mid-operation.
                1 => {
                    t.crash_all();
                    t.restart_all()?;
                    reached.full_restarts += 1;
                }
                2 => {
                    if let Some(leader) = t.leader() {
                        let rest = t.servers().iter().copied().filter(|id| *id != leader);
                        t.partition(&[vec![leader], rest.collect()]);
                        reached.partitions += 1;
                    }
                }
                _ => t.heal(),
            }
        }
        t.heal();
        if !scripts.run_to_end(t, Duration::from_secs(50))? {
            return Err(Failure::liveness("the clerks did not finish within 50 s of the heal"));
        }
        scripts.check_final_value(t)?;
        t.check_sizes()?;
        if max_raft_state.is_some() {
            t.goal(t.max_snapshot_size() > 0, "a snapshot was persisted")?;
        }
        t.check_linearizable()?;
        Ok(reached)
    })
}

#[test]
fn reliable_clients_append_exactly_once_without_snapshots() {
    run(7, Setup::kv(3), |t| {
        let mut scripts = Scripts::add(t, 3, 30);
        assert!(scripts.run_to_end(t, Duration::from_secs(30))?, "the clerks are stuck");
        let value = scripts.check_final_value(t)?;
        let returned = t.kv_history().records().iter().filter(|r| r.ret.is_some()).count();
        assert_eq!(returned, 3 * 30 + 1, "every scripted operation and the final read");
        // 3 clients x 30 ops, three in four an append: 69 appends, all present.
        assert_eq!(value.matches('x').count(), 3 * 23, "{value}");
        assert_eq!(t.max_snapshot_size(), 0, "maxraftstate -1 never snapshots");
        t.check_linearizable()
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn faults_and_snapshots_keep_appends_exactly_once() {
    let mut total = Reached::default();
    for seed in 0..6 {
        let reached = faulty_run(seed, KvBugs::none(), Some(1000))
            .unwrap_or_else(|failure| panic!("{failure}"));
        total.restarts += reached.restarts;
        total.full_restarts += reached.full_restarts;
        total.partitions += reached.partitions;
    }
    let exercised = total.restarts >= 4 && total.full_restarts >= 4 && total.partitions >= 4;
    assert!(exercised, "faults not exercised: {total:?}");
}

#[test]
fn faults_without_snapshots_keep_appends_exactly_once() {
    for seed in 10..13 {
        faulty_run(seed, KvBugs::none(), None).unwrap_or_else(|failure| panic!("{failure}"));
    }
}

#[test]
fn snapshot_size_after_800_ops_on_one_key() {
    // 6.824's SnapshotSize: one clerk, Put x 0 / Get / Put x 1 / Get, 200 times.
    run(3, Setup::kv(3).snapshots(1000), |t| {
        let ck = t.add_clerk(Plan::Manual);
        t.check_get(ck, "x", "")?;
        let started = t.now();
        for _ in 0..200 {
            for value in ["0", "1"] {
                let put = Op::Put { key: "x".into(), value: value.into() };
                t.run_op(ck, put, Duration::from_secs(10))?;
                t.check_get(ck, "x", value)?;
            }
        }
        let per_op = (t.now() - started) / 800;
        assert!(t.log_size() <= 8000, "raft state {} bytes", t.log_size());
        let snapshot = t.max_snapshot_size();
        assert!(snapshot > 0 && snapshot <= 500, "snapshot {snapshot} bytes");
        // Speed: each operation takes the four hops it must (clerk to leader, leader to
        // followers and back, leader to clerk), at most 3 ms each, and no more: the server
        // never waits for a heartbeat or a tick. That is well under 6.824's 33.3 ms.
        assert!(per_op <= Duration::from_millis(12), "{per_op:?} per operation");
        t.check_linearizable()
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn a_minority_completes_nothing_until_the_partition_heals() {
    run(11, Setup::kv(5), |t| {
        let ck1 = t.add_clerk(Plan::Manual);
        let first = t.next_element(ck1);
        t.run_op(
            ck1,
            Op::Append { key: KEY.into(), value: first.clone() },
            Duration::from_secs(10),
        )?;
        let leader = t.leader().expect("a leader served the first append");
        let others: Vec<NodeId> = t.servers().iter().copied().filter(|id| *id != leader).collect();
        // The old leader and one follower are cut off from the other three.
        let minority = vec![leader, others[0]];
        let majority = others[1..].to_vec();
        t.partition(&[minority.clone(), majority.clone()]);
        // A clerk that can reach only the minority, and one that can reach only the majority.
        let (ck2, ck3) = (t.add_clerk(Plan::Manual), t.add_clerk(Plan::Manual));
        t.connect_clerk_to(ck2, &minority);
        t.connect_clerk_to(ck3, &majority);
        let (stuck, done) = (t.next_element(ck2), t.next_element(ck3));
        let began = t.now();
        t.start_op(ck2, Op::Append { key: KEY.into(), value: stuck.clone() })?;
        t.run_op(ck3, Op::Append { key: KEY.into(), value: done.clone() }, Duration::from_secs(1))?;
        t.check_get(ck3, KEY, &format!("{first}{done}"))?;
        assert!(t.now() <= began + Duration::from_secs(1), "the majority took over 1 s");
        t.run_until(began + Duration::from_secs(1))?;
        assert!(t.clerk_busy(ck2), "1 s: the minority's append completed");
        t.heal();
        let healed = t.run_while_not(Duration::from_secs(3), |t| !t.clerk_busy(ck2))?;
        assert!(healed, "the minority's append completes within 3 s of the heal");
        let reader = t.add_clerk(Plan::Manual);
        t.check_get(reader, KEY, &format!("{first}{done}{stuck}"))?;
        t.check_linearizable()
    })
    .unwrap_or_else(|failure| panic!("{failure}"));
}

#[test]
fn every_kv_bug_is_caught() {
    for name in KvBugs::NAMES {
        let bugs = KvBugs::only(name).expect("known bug");
        let caught = (0..8).find_map(|seed| {
            // Tiny snapshots (one every few entries) on half the seeds.
            let max_raft_state = if seed % 2 == 0 { Some(100) } else { None };
            faulty_run(100 + seed, bugs, max_raft_state).err()
        });
        let failure = caught.unwrap_or_else(|| panic!("{name} survived every seed"));
        let real = !matches!(failure.broke, Broke::Vacuous | Broke::Undecided | Broke::Liveness);
        assert!(real, "{name} was only 'caught' by {failure}");
    }
}
