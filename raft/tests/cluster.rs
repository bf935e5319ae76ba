//! Transcript-style tests of small clusters on the in-crate testkit: elections, agreement,
//! partitions, crashes and restarts, unreliable networks and snapshots, with the lab's bounds.
//! One round is one tick, 10 ms of virtual time; the testkit checks election safety, apply
//! safety and in-order apply after every event.

use raft::testkit::{Cluster, NetworkFaults};
use raft::{Command, LogIndex, NodeId, Role};

fn cmd(n: u64) -> Command {
    Command::from(format!("cmd{n}").as_str())
}

fn elect(cluster: &mut Cluster) -> NodeId {
    assert!(
        cluster.run_until(500, |c| c.connected_leader().is_some()),
        "{}",
        cluster.trace_tail(30)
    );
    cluster.connected_leader().expect("a leader")
}

#[test]
fn election_initial_is_stable_and_cheap() {
    let mut cluster = Cluster::new(3, 1);
    let leader = elect(&mut cluster);
    let requests = cluster.traffic().requests;
    assert!((1..=30).contains(&requests), "initial election used {requests} RPCs");
    let term = cluster.status(leader).unwrap().current_term;
    // Two election timeouts without failures: no spurious election.
    cluster.run(120);
    assert_eq!(cluster.connected_leader(), Some(leader));
    for id in cluster.ids() {
        assert_eq!(cluster.status(id).unwrap().current_term, term);
    }
    // An idle second costs at most 60 RPCs for 3 nodes (<= 10 heartbeats per second each).
    let before = cluster.traffic().requests;
    cluster.run(100);
    let idle = cluster.traffic().requests - before;
    assert!(idle <= 60, "idle second used {idle} RPCs");
}

#[test]
fn election_after_leader_isolation_and_rejoin() {
    let mut cluster = Cluster::new(3, 2);
    let old = elect(&mut cluster);
    cluster.isolate(old);
    let new = elect(&mut cluster);
    assert_ne!(new, old);
    // The old leader rejoins and steps down on seeing the higher term.
    cluster.heal();
    cluster.run(100);
    assert_eq!(cluster.leader(), Some(new));
    assert_eq!(cluster.status(old).unwrap().role, Role::Follower);
    // With two of three gone nobody can win: a lone node must not lead a majority.
    let others: Vec<NodeId> = cluster.ids().into_iter().filter(|id| *id != new).collect();
    for id in &others {
        cluster.isolate(*id);
    }
    cluster.run(200);
    assert_eq!(cluster.connected_leader(), None);
    cluster.heal();
    elect(&mut cluster);
}

#[test]
fn agree_basic_indices_are_one_two_three() {
    let mut cluster = Cluster::new(3, 3);
    elect(&mut cluster);
    for n in 1..=3 {
        assert_eq!(cluster.committed_at(LogIndex(n)), None, "committed before Start");
        assert_eq!(cluster.one(cmd(n), 3, 200), Some(LogIndex(n)), "{}", cluster.trace_tail(30));
    }
}

#[test]
fn agree_eleven_pipelined_entries_within_the_rpc_budget() {
    let mut cluster = Cluster::new(3, 4);
    let leader = elect(&mut cluster);
    cluster.run(20);
    let before = cluster.traffic().requests;
    let mut indices = Vec::new();
    for n in 0..11 {
        indices.push(cluster.propose(leader, cmd(n)).expect("leader accepts").0);
    }
    assert!(indices.windows(2).all(|w| w[1] == w[0].next()), "consecutive: {indices:?}");
    let last = *indices.last().unwrap();
    assert!(cluster.run_until(300, |c| c.ids().iter().all(|id| c.last_applied(*id) >= last)));
    let used = cluster.traffic().requests - before;
    assert!(used <= 42, "11 entries used {used} RPCs");
}

#[test]
fn agree_rpc_bytes_stay_near_the_payload() {
    let mut cluster = Cluster::new(3, 5);
    elect(&mut cluster);
    let before = cluster.traffic().bytes;
    let mut payload = 0;
    for n in 0..10u8 {
        let command = Command::from(vec![n; 5000]);
        payload += command.len() as u64;
        assert!(cluster.one(command, 3, 300).is_some());
    }
    let bytes = cluster.traffic().bytes - before;
    assert!(bytes <= 3 * payload + 50_000, "{bytes} bytes for {payload} bytes of payload");
}

#[test]
fn agree_without_a_majority_nothing_commits_until_heal() {
    let mut cluster = Cluster::new(5, 6);
    let leader = elect(&mut cluster);
    assert_eq!(cluster.one(cmd(1), 5, 300), Some(LogIndex(1)));
    let followers: Vec<NodeId> =
        cluster.ids().into_iter().filter(|id| *id != leader).take(3).collect();
    for id in &followers {
        cluster.isolate(*id);
    }
    let (index, _) = cluster.propose(leader, cmd(2)).expect("still leader");
    assert_eq!(index, LogIndex(2));
    cluster.run(200);
    assert_eq!(cluster.committed_at(LogIndex(2)), None, "committed without a majority");
    cluster.heal();
    let index = cluster.one(cmd(3), 5, 1000).expect("agreement after heal");
    assert!((2..=3).contains(&index.0));
}

#[test]
fn agree_rejoining_leader_discards_its_uncommitted_entries() {
    let mut cluster = Cluster::new(3, 7);
    let old = elect(&mut cluster);
    assert!(cluster.one(cmd(101), 3, 300).is_some());
    cluster.isolate(old);
    for n in 102..=104 {
        cluster.propose(old, cmd(n)).unwrap();
    }
    elect(&mut cluster);
    assert_eq!(cluster.one(cmd(103), 2, 300), Some(LogIndex(2)));
    cluster.heal();
    assert_eq!(cluster.one(cmd(104), 3, 1000), Some(LogIndex(3)));
    assert_eq!(cluster.committed_at(LogIndex(2)), Some(&cmd(103)));
}

#[test]
fn agree_fast_backup_over_fifty_divergent_entries() {
    let mut cluster = Cluster::new(5, 8);
    let leader1 = elect(&mut cluster);
    assert!(cluster.one(cmd(0), 5, 300).is_some());
    // Leader and one follower are cut off and collect 50 uncommitted entries.
    let ids = cluster.ids();
    let ally = *ids.iter().find(|id| **id != leader1).unwrap();
    let rest: Vec<NodeId> =
        ids.iter().copied().filter(|id| *id != leader1 && *id != ally).collect();
    cluster.partition(&[leader1, ally]);
    for n in 1..=50 {
        cluster.propose(leader1, cmd(n)).unwrap();
    }
    cluster.run(20);
    // The other three elect a leader and commit 50 entries of their own.
    assert!(cluster
        .run_until(500, |c| rest.iter().any(|id| c.status(*id).unwrap().role == Role::Leader)));
    for n in 51..=100 {
        assert!(cluster.one(cmd(n), 3, 100).is_some(), "{}", cluster.trace_tail(20));
    }
    // Everyone reconnects; the stale pair must be overwritten fast (each one() within 10 s).
    cluster.heal();
    let start = cluster.round();
    assert!(cluster.one(cmd(1000), 5, 1000).is_some(), "{}", cluster.trace_tail(40));
    assert!(cluster.round() - start <= 1000);
}

#[test]
fn persist_restart_all_and_leader_keeps_committed_entries() {
    let mut cluster = Cluster::new(3, 9);
    elect(&mut cluster);
    assert_eq!(cluster.one(cmd(11), 3, 300), Some(LogIndex(1)));
    for id in cluster.ids() {
        cluster.restart(id);
    }
    assert_eq!(cluster.one(cmd(12), 3, 1000), Some(LogIndex(2)));
    let leader = elect(&mut cluster);
    cluster.restart(leader);
    assert_eq!(cluster.one(cmd(13), 3, 1000), Some(LogIndex(3)));
    // A follower misses an entry while down, then catches up.
    let leader = elect(&mut cluster);
    let follower = cluster.ids().into_iter().find(|id| *id != leader).unwrap();
    cluster.crash(follower);
    assert_eq!(cluster.one(cmd(14), 2, 300), Some(LogIndex(4)));
    cluster.restart(follower);
    assert_eq!(cluster.one(cmd(15), 3, 1000), Some(LogIndex(5)));
}

#[test]
fn net_a_dead_follower_never_stalls_the_leader() {
    let mut cluster = Cluster::new(3, 10);
    let leader = elect(&mut cluster);
    let dead = cluster.ids().into_iter().find(|id| *id != leader).unwrap();
    cluster.crash(dead);
    for n in 1..=20 {
        assert!(cluster.one(cmd(n), 2, 100).is_some(), "stalled at {n}");
    }
    assert_eq!(cluster.connected_leader(), Some(leader));
}

#[test]
fn figure8_crash_storm_on_an_unreliable_network() {
    for seed in 0..10 {
        let mut cluster = Cluster::new(5, 100 + seed);
        cluster.set_faults(NetworkFaults::unreliable());
        let ids = cluster.ids();
        let mut down: Vec<NodeId> = Vec::new();
        for n in 0..300 {
            if let Some(leader) = cluster.leader() {
                let _ = cluster.propose(leader, cmd(n));
                // Crash the leader now and then, keeping at least three servers up.
                if n % 3 == 0 && down.len() < 2 {
                    cluster.crash(leader);
                    down.push(leader);
                }
            }
            cluster.run(1 + n % 13);
            if down.len() == 2 || n % 7 == 0 {
                if let Some(id) = down.pop() {
                    cluster.restart(id);
                }
            }
        }
        for id in down {
            cluster.restart(id);
        }
        cluster.set_faults(NetworkFaults::reliable());
        assert!(
            cluster.one(cmd(9999), ids.len(), 1000).is_some(),
            "seed {seed}: no final agreement"
        );
    }
}

#[test]
fn churn_with_partitions_and_restarts_across_seeds() {
    for seed in 0..10 {
        let mut cluster = Cluster::new(5, 200 + seed);
        cluster.set_faults(NetworkFaults::unreliable());
        let ids = cluster.ids();
        for n in 0..40u64 {
            match n % 5 {
                0 => cluster.isolate(ids[(n as usize / 5) % ids.len()]),
                1 => cluster.heal(),
                2 => cluster.restart(ids[(n as usize * 3) % ids.len()]),
                _ => {}
            }
            if let Some(leader) = cluster.leader() {
                let _ = cluster.propose(leader, cmd(n));
            }
            cluster.run(10 + n % 17);
        }
        cluster.heal();
        cluster.set_faults(NetworkFaults::reliable());
        assert!(cluster.one(cmd(7777), ids.len(), 1000).is_some(), "seed {seed}");
    }
}

#[test]
fn snap_a_disconnected_follower_catches_up_by_install_snapshot() {
    let mut cluster = Cluster::new(3, 11);
    cluster.snapshot_every(10);
    let leader = elect(&mut cluster);
    let victim = cluster.ids().into_iter().find(|id| *id != leader).unwrap();
    cluster.isolate(victim);
    for n in 1..=35 {
        assert!(cluster.one(cmd(n), 2, 200).is_some());
    }
    cluster.heal();
    assert!(cluster.one(cmd(36), 3, 1000).is_some(), "{}", cluster.trace_tail(30));
    let status = cluster.status(victim).unwrap();
    assert!(status.snapshot_index >= LogIndex(30), "caught up by snapshot: {status:?}");
    for id in cluster.ids() {
        let size = cluster.durable(id).size_bytes();
        assert!(size < 2000, "{id} persists {size} bytes of raft state");
    }
}

#[test]
fn snap_restarts_resume_from_the_snapshot_and_indices_grow() {
    let mut cluster = Cluster::new(3, 12);
    cluster.snapshot_every(10);
    elect(&mut cluster);
    let mut last = LogIndex(0);
    for round in 0..5u64 {
        for n in 0..12 {
            last = cluster.one(cmd(round * 100 + n), 3, 1000).expect("agreement");
        }
        for id in cluster.ids() {
            cluster.restart(id);
        }
        let next = cluster.one(cmd(round * 100 + 99), 3, 1000).expect("agreement after restart");
        assert!(next > last, "index went from {last} to {next}");
        last = next;
        for id in cluster.ids() {
            assert!(cluster.durable(id).size_bytes() < 2000);
        }
    }
}

#[test]
fn runs_replay_exactly_from_the_seed() {
    let run = |seed| {
        let mut cluster = Cluster::new(5, seed);
        cluster.set_faults(NetworkFaults::unreliable());
        for n in 0..30 {
            if let Some(leader) = cluster.leader() {
                let _ = cluster.propose(leader, cmd(n));
            }
            cluster.run(7);
        }
        cluster.trace_tail(500)
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
}
