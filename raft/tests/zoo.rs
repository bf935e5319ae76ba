//! The bug zoo in miniature: every mutation switch must be caught by the testkit's checks
//! (safety) or by a liveness goal, under some seeded fault schedule. Proves that the checks
//! can fail and that each switch really changes behaviour.

use std::panic::{catch_unwind, AssertUnwindSafe};

use raft::testkit::{Cluster, NetworkFaults};
use raft::{Bugs, Command, NodeId};

fn cmd(n: u64) -> Command {
    Command::from(format!("cmd{n}").as_str())
}

/// A crash-and-partition storm ending with a liveness goal. Returns what went wrong, if anything.
fn storm(bugs: Bugs, seed: u64, snapshots: bool) -> Option<String> {
    let long_delays = seed % 2 == 1;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut cluster: Cluster = Cluster::with_configs(5, seed, |c| c.with_bugs(bugs));
        if snapshots {
            cluster.snapshot_every(5);
        }
        let faults = if long_delays {
            // Long reordering: messages (vote replies included) arrive many rounds late.
            NetworkFaults { loss_percent: 10, duplicate_percent: 10, max_delay_rounds: 60 }
        } else {
            NetworkFaults::unreliable()
        };
        cluster.set_faults(faults);
        let ids = cluster.ids();
        let mut down: Vec<NodeId> = Vec::new();
        for n in 0..200u64 {
            if let Some(leader) = cluster.leader() {
                let _ = cluster.propose(leader, cmd(n));
                if n % 3 == 0 && down.len() < 2 {
                    cluster.crash(leader);
                    down.push(leader);
                }
            }
            match n % 11 {
                0 => cluster.isolate(ids[(n as usize / 11) % ids.len()]),
                5 => cluster.heal(),
                // Any server may crash right after voting, not only leaders.
                8 => cluster.restart(ids[(n as usize * 7 + seed as usize) % ids.len()]),
                _ => {}
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
        cluster.heal();
        cluster.set_faults(NetworkFaults::reliable());
        cluster.one(cmd(9999), ids.len(), 1500).is_some()
    }));
    match outcome {
        Ok(true) => None,
        Ok(false) => Some("liveness: no final agreement".to_string()),
        Err(_) => Some("safety: a check failed".to_string()),
    }
}

fn caught(bugs: Bugs, seeds: u64, snapshots: bool) -> Option<(u64, String)> {
    (0..seeds).find_map(|seed| storm(bugs, seed, snapshots).map(|why| (seed, why)))
}

#[test]
fn the_correct_implementation_survives_the_storms() {
    for seed in 0..6 {
        assert_eq!(storm(Bugs::none(), seed, false), None, "seed {seed}");
        assert_eq!(storm(Bugs::none(), seed, true), None, "seed {seed} with snapshots");
    }
}

/// Switches whose damage a random storm exposes; the others need targeted schedules (see
/// tests/bugs.rs for a narrated trigger of every switch).
#[test]
fn storms_catch_the_safety_and_blocking_bugs() {
    for name in [
        "vote_without_up_to_date_check",
        "commit_previous_term_by_counting",
        "truncate_on_any_append",
        "no_step_down_on_higher_term",
    ] {
        let bugs = Bugs::only(name).unwrap();
        assert!(caught(bugs, 20, false).is_some(), "{name} escaped 20 storms");
    }
}

/// LongDelays in miniature: with one follower dead, the other two must keep committing.
fn progress_with_a_dead_follower(bugs: Bugs) -> bool {
    let mut cluster: Cluster = Cluster::with_configs(3, 5, |c| c.with_bugs(bugs));
    if !cluster.run_until(500, |c| c.leader().is_some()) {
        return false;
    }
    let leader = cluster.leader().unwrap();
    let dead = cluster.ids().into_iter().find(|id| *id != leader).unwrap();
    cluster.crash(dead);
    (1..=10).all(|n| cluster.one(cmd(n), 2, 300).is_some())
}

#[test]
fn a_dead_follower_catches_the_blocking_leader() {
    assert!(progress_with_a_dead_follower(Bugs::none()));
    assert!(!progress_with_a_dead_follower(Bugs::only("block_on_slow_peer").unwrap()));
}
