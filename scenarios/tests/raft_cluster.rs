//! Small Raft clusters driven directly through the cluster core's verbs, as a lab test file
//! would: elections, agreement, partitions, crash and restart from what was persisted, RPC
//! count and byte bounds, snapshots, and replay from the seed. The core checks the invariant
//! bundle and the `Ready` contract after every event; these tests add each story's own
//! assertions. (Moved here from raft's in-crate testkit, retired by issue 11 item 5.)
use std::time::Duration;

use raft::{Command, LogIndex, RaftNode, Role};
use scenarios::cluster::ELECTION_TIMEOUT;
use scenarios::labels::cmd;
use scenarios::{Check, Cluster, Failure, Setup};
use sim::{NetConfig, NodeId};

type Raft = Cluster<RaftNode>;

/// Runs `story` on a fresh cluster; a failed core check fails the test with the trace's tail.
fn run(seed: u64, setup: Setup, story: impl FnOnce(&mut Raft) -> Check) {
    let mut t = Raft::new(seed, setup);
    if let Err(failure) = story(&mut t) {
        panic!("seed {seed}: {failure}\n{}", t.sim().trace_tail(30).join("\n"));
    }
}

/// The servers other than `but`, in order.
fn others(t: &Raft, but: NodeId) -> Vec<NodeId> {
    t.servers().iter().copied().filter(|id| *id != but).collect()
}

/// Restarts `id` from what it persisted and reconnects it: the core's `restart` leaves a
/// server disconnected, as the lab's `start1` does.
fn reboot(t: &mut Raft, id: NodeId) -> Check {
    t.restart(id)?;
    t.connect(id);
    Ok(())
}

/// `one()` offered only to `group`'s newest leader. The core's `one` offers a command to every
/// connected server, so under a partition a stale leader on the other side would take it and
/// stall the call for its two-second attempt.
fn commit_in(t: &mut Raft, group: &[NodeId], command: Command, expected: usize) -> Check<LogIndex> {
    let deadline = t.now() + Duration::from_secs(10);
    while t.now() < deadline {
        let leaders = group.iter().filter_map(|id| Some((t.status(*id)?, *id)));
        let leader =
            leaders.filter(|(s, _)| s.role == Role::Leader).max_by_key(|(s, _)| s.current_term);
        if let Some((_, id)) = leader {
            if let Some((index, _)) = t.start(id, command.clone())? {
                let applied = |t: &Raft| {
                    let (count, at) = t.n_committed(index);
                    count >= expected && at.as_ref() == Some(&command)
                };
                if t.run_while_not(Duration::from_secs(2), applied)? {
                    return Ok(index);
                }
            }
        }
        t.sleep(Duration::from_millis(50))?;
    }
    Err(Failure::liveness(format!("{group:?} did not agree on a command within 10 s")))
}

#[test]
fn election_initial_is_stable_and_cheap() {
    run(1, Setup::raft(3), |t| {
        let leader = t.check_one_leader()?;
        let requests = t.rpc_total();
        assert!((1..=30).contains(&requests), "the initial election used {requests} RPCs");
        let term = t.check_terms()?;
        // Two election timeouts without failures: no spurious election.
        t.sleep(2 * ELECTION_TIMEOUT)?;
        assert_eq!(t.claimed_leaders(), vec![(term, leader)]);
        assert_eq!(t.check_terms()?, term);
        // An idle second costs at most 60 RPCs for 3 nodes (<= 10 heartbeats per second each).
        let before = t.rpc_total();
        t.sleep(Duration::from_secs(1))?;
        let idle = t.rpc_total() - before;
        assert!((1..=60).contains(&idle), "an idle second used {idle} RPCs");
        Ok(())
    });
}

#[test]
fn election_after_leader_isolation_and_rejoin() {
    run(2, Setup::raft(3), |t| {
        let old = t.check_one_leader()?;
        t.disconnect(old);
        let new = t.check_one_leader()?;
        assert_ne!(new, old);
        // The old leader rejoins and steps down on seeing the higher term.
        t.connect(old);
        t.sleep(ELECTION_TIMEOUT)?;
        assert_eq!(t.leader(), Some(new));
        assert_eq!(t.status(old).map(|s| s.role), Some(Role::Follower));
        // With two of three gone nobody can win: the lone server must not become leader.
        let gone = others(t, old);
        for id in &gone {
            t.disconnect(*id);
        }
        t.sleep(2 * ELECTION_TIMEOUT)?;
        t.check_no_leader()?;
        t.heal();
        t.check_one_leader()?;
        Ok(())
    });
}

#[test]
fn agree_basic_indices_are_one_two_three() {
    run(3, Setup::raft(3), |t| {
        t.check_one_leader()?;
        for n in 1..=3 {
            t.assert_not_committed(LogIndex(n), "it was not started yet")?;
            assert_eq!(t.one(cmd(n), 3, false)?, LogIndex(n));
        }
        Ok(())
    });
}

#[test]
fn agree_eleven_pipelined_entries_within_the_rpc_budget() {
    run(4, Setup::raft(3), |t| {
        let leader = t.check_one_leader()?;
        t.sleep(Duration::from_millis(200))?;
        let before = t.rpc_total();
        let mut indices = Vec::new();
        for n in 0..11 {
            let (index, _) = t.start(leader, cmd(n))?.expect("the leader accepts");
            indices.push(index);
        }
        assert!(indices.windows(2).all(|w| w[1] == w[0].next()), "consecutive: {indices:?}");
        let last = *indices.last().expect("11 indices");
        assert!(t.run_while_not(Duration::from_secs(3), |t| t.n_committed(last).0 == 3)?);
        let used = t.rpc_total() - before;
        assert!(used <= 42, "11 entries used {used} RPCs");
        Ok(())
    });
}

#[test]
fn agree_rpc_bytes_stay_near_the_payload() {
    run(5, Setup::raft(3), |t| {
        t.check_one_leader()?;
        let before = t.bytes_total();
        let mut payload = 0;
        for n in 0..10u8 {
            let command = Command::from(vec![n; 5000]);
            payload += command.len() as u64;
            t.one(command, 3, false)?;
        }
        let bytes = t.bytes_total() - before;
        assert!(bytes <= 3 * payload + 50_000, "{bytes} bytes for {payload} bytes of payload");
        Ok(())
    });
}

#[test]
fn agree_without_a_majority_nothing_commits_until_heal() {
    run(6, Setup::raft(5), |t| {
        let leader = t.check_one_leader()?;
        assert_eq!(t.one(cmd(1), 5, false)?, LogIndex(1));
        for id in others(t, leader).into_iter().take(3) {
            t.disconnect(id);
        }
        let (index, _) = t.start(leader, cmd(2))?.expect("still the leader");
        assert_eq!(index, LogIndex(2));
        t.sleep(2 * ELECTION_TIMEOUT)?;
        t.assert_not_committed(LogIndex(2), "only 2 of 5 servers hold it")?;
        t.heal();
        let index = t.one(cmd(3), 5, true)?;
        assert!((2..=3).contains(&index.0), "agreed at {index} after the heal");
        Ok(())
    });
}

#[test]
fn agree_rejoining_leader_discards_its_uncommitted_entries() {
    run(7, Setup::raft(3), |t| {
        let old = t.check_one_leader()?;
        t.one(cmd(101), 3, true)?;
        t.disconnect(old);
        for n in 102..=104 {
            assert!(t.start(old, cmd(n))?.is_some(), "the isolated leader still accepts");
        }
        t.check_one_leader()?;
        assert_eq!(t.one(cmd(103), 2, true)?, LogIndex(2));
        t.connect(old);
        assert_eq!(t.one(cmd(104), 3, true)?, LogIndex(3));
        let second = t.history().get(LogIndex(2)).map(|e| e.command.clone());
        assert_eq!(second, Some(cmd(103)));
        Ok(())
    });
}

#[test]
fn agree_fast_backup_over_fifty_divergent_entries() {
    run(8, Setup::raft(5), |t| {
        let leader1 = t.check_one_leader()?;
        t.one(cmd(0), 5, true)?;
        // The leader and one follower are cut off together and collect 50 uncommitted entries.
        let rest = others(t, leader1);
        let (ally, rest) = (rest[0], rest[1..].to_vec());
        t.partition(&[vec![leader1, ally], rest.clone()]);
        for n in 1..=50 {
            assert!(t.start(leader1, cmd(n))?.is_some(), "{leader1} still leads its side");
        }
        t.sleep(Duration::from_millis(200))?;
        // The other three elect a leader and commit 50 entries of their own.
        for n in 51..=100 {
            commit_in(t, &rest, cmd(n), 3)?;
        }
        // Everyone reconnects; the stale pair must be overwritten fast (one() allows 10 s).
        t.heal();
        let index = t.one(cmd(1000), 5, true)?;
        assert_eq!(index, LogIndex(52), "1 + 50 entries of the majority, then this one");
        Ok(())
    });
}

#[test]
fn persist_restart_all_and_leader_keeps_committed_entries() {
    run(9, Setup::raft(3), |t| {
        t.check_one_leader()?;
        assert_eq!(t.one(cmd(11), 3, true)?, LogIndex(1));
        for id in t.servers().to_vec() {
            reboot(t, id)?;
        }
        assert_eq!(t.one(cmd(12), 3, true)?, LogIndex(2));
        let leader = t.check_one_leader()?;
        reboot(t, leader)?;
        assert_eq!(t.one(cmd(13), 3, true)?, LogIndex(3));
        // A follower misses an entry while down, then catches up.
        let leader = t.check_one_leader()?;
        let follower = others(t, leader)[0];
        t.crash(follower);
        assert_eq!(t.one(cmd(14), 2, true)?, LogIndex(4));
        reboot(t, follower)?;
        assert_eq!(t.one(cmd(15), 3, true)?, LogIndex(5));
        Ok(())
    });
}

#[test]
fn net_a_dead_follower_never_stalls_the_leader() {
    // The Raft labs' network: requests to the dead follower fail only after up to 7 s.
    run(10, Setup::raft(3), |t| {
        let leader = t.check_one_leader()?;
        t.crash(others(t, leader)[0]);
        for n in 1..=20 {
            let began = t.now();
            t.one(cmd(n), 2, false)?;
            assert!(t.now() - began <= Duration::from_secs(1), "stalled at {n}");
        }
        assert_eq!(t.leader(), Some(leader));
        Ok(())
    });
}

#[test]
fn snap_a_disconnected_follower_catches_up_by_install_snapshot() {
    run(11, Setup::raft(3).snapshots(10), |t| {
        let leader = t.check_one_leader()?;
        let victim = others(t, leader)[0];
        t.disconnect(victim);
        for n in 1..=35 {
            t.one(cmd(n), 2, true)?;
        }
        t.connect(victim);
        t.one(cmd(36), 3, true)?;
        assert!(t.delivered("Snap") > 0, "the victim caught up without an InstallSnapshot");
        let status = t.status(victim).expect("the victim is up");
        assert!(status.snapshot_index >= LogIndex(30), "caught up by snapshot: {status:?}");
        assert!(t.log_size() < 2000, "a server persists {} bytes of raft state", t.log_size());
        Ok(())
    });
}

#[test]
fn snap_restarts_resume_from_the_snapshot_and_indices_grow() {
    run(12, Setup::raft(3).snapshots(10), |t| {
        t.check_one_leader()?;
        let mut last = LogIndex(0);
        for round in 0..5u64 {
            for n in 0..12 {
                last = t.one(cmd(round * 100 + n), 3, true)?;
            }
            for id in t.servers().to_vec() {
                reboot(t, id)?;
            }
            let next = t.one(cmd(round * 100 + 99), 3, true)?;
            assert!(next > last, "the index went from {last} to {next}");
            last = next;
            assert!(t.log_size() < 2000, "{} bytes of raft state", t.log_size());
        }
        assert!(t.snapshots_loaded() > 0, "no service ever loaded a snapshot");
        Ok(())
    });
}

#[test]
fn runs_replay_exactly_from_the_seed() {
    let trace = |seed| {
        let mut t = Raft::new(seed, Setup::raft(5).on(NetConfig::long_delays().with_unreliable()));
        for n in 0..30 {
            if let Some(leader) = t.leader() {
                t.start(leader, cmd(n)).expect("the checks hold");
            }
            t.sleep(Duration::from_millis(70)).expect("the checks hold");
        }
        (t.sim().trace_hash(), t.sim().trace_tail(50))
    };
    assert_eq!(trace(42), trace(42));
    assert_ne!(trace(42).0, trace(43).0);
}
