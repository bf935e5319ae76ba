//! Seeded fault storms on the cluster core: crashes of the leader, isolations, heals and
//! restarts from disk on a lossy, duplicating, reordering network, ending with a liveness goal.
//! The reference Raft must survive every storm; a storm must catch the mutation switches whose
//! damage random faults expose, and a dead follower must expose the leader that blocks on it.
//! (The bug zoo in miniature; `tests/zoo.rs` holds the full kill matrix over the catalog.)
use std::time::Duration;

use raft::{Bugs, RaftNode};
use scenarios::labels::cmd;
use scenarios::{Broke, Check, Cluster, Options, Report, Run, Scenario, Setup};
use sim::{NetConfig, NodeId};

type Raft = Cluster<RaftNode>;

/// The storm's network: lossy (10% of requests and replies) and duplicating; odd seeds add
/// long reordering, so messages (vote replies included) arrive hundreds of ms late.
fn storm_setup(seed: u64) -> Setup {
    let mut net = NetConfig::long_delays().with_unreliable();
    net.duplicate = 0.05;
    if seed % 2 == 1 {
        net = net.with_long_reordering();
    }
    Setup::raft(5).on(net)
}

const STORM: Scenario<RaftNode> = Scenario::named("test.storm")
    .summary("200 steps of leader crashes, isolations, heals and restarts; then all five agree")
    .drawn(storm_setup)
    .story(storm);

/// The same storm while the services snapshot every 5 entries.
const STORM_SNAPSHOTS: Scenario<RaftNode> = Scenario::named("test.storm_snapshots")
    .summary("the storm with a snapshot every 5 applied entries")
    .drawn(|seed| storm_setup(seed).snapshots(5))
    .story(storm);

/// Restarts a live server from disk, leaving it as connected as it was (the core's restart
/// leaves it disconnected, as the lab's `start1` does).
fn reboot(t: &mut Raft, id: NodeId) -> Check {
    if t.is_alive(id) {
        let connected = t.is_connected(id);
        t.restart(id)?;
        if connected {
            t.connect(id);
        }
    }
    Ok(())
}

/// Crash the leader every third step (keeping three servers up), isolate a server every 11
/// steps and heal 5 steps later, restart any server from disk now and then (right after it
/// voted, perhaps); then bring everyone back on a loss-free network and agree.
fn storm(t: &mut Raft) -> Check {
    let ids = t.servers().to_vec();
    let seed = t.sim().seed() as usize;
    let mut down: Vec<NodeId> = Vec::new();
    let mut crashes = 0;
    for n in 0..200u64 {
        let k = n as usize;
        if let Some(leader) = t.leader() {
            t.start(leader, cmd(n))?;
            if n % 3 == 0 && down.len() < 2 {
                t.crash(leader);
                down.push(leader);
                crashes += 1;
            }
        }
        match n % 11 {
            0 => t.disconnect(ids[(k / 11) % ids.len()]),
            5 => t.heal(),
            8 => reboot(t, ids[(k * 7 + seed) % ids.len()])?,
            _ => {}
        }
        t.sleep(Duration::from_millis(10 * (1 + n % 13)))?;
        if down.len() == 2 || n % 7 == 0 {
            if let Some(id) = down.pop() {
                t.revive(id)?;
            }
        }
    }
    for id in down {
        t.revive(id)?;
    }
    t.heal();
    t.set_net(NetConfig::long_delays());
    t.one(cmd(9999), ids.len(), true)?;
    t.goal(crashes >= 5, "at least 5 leaders crashed")
}

fn run(scenario: &Scenario<RaftNode>, seed: u64, bugs: Bugs) -> Report {
    let options = Options { bugs, trace_capacity: 400, ..Options::default() };
    scenario.run(Run::new(seed).options(options))
}

#[test]
fn the_reference_survives_every_storm() {
    for seed in 0..10 {
        for scenario in [&STORM, &STORM_SNAPSHOTS] {
            let report = run(scenario, seed, Bugs::none());
            assert!(report.passed(), "{}", report.failure_text());
        }
    }
}

/// Switches whose damage a random storm exposes, by a real check (not a vacuous run); the
/// others need targeted schedules (raft's tests/bugs.rs narrates a trigger for every switch).
#[test]
fn storms_catch_the_safety_and_blocking_bugs() {
    // The Figure 8 mistake only shows when a leader commits an old-term entry by counting and a
    // later leader overwrites it: about one storm in twenty arranges that (first at seed 20).
    const SEEDS: u64 = 40;
    for name in [
        "vote_without_up_to_date_check",
        "commit_previous_term_by_counting",
        "truncate_on_any_append",
        "no_step_down_on_higher_term",
    ] {
        let bugs = Bugs::only(name).expect("a raft switch");
        let caught = (0..SEEDS).map(|seed| run(&STORM, seed, bugs)).find(|r| !r.passed());
        let report = caught.unwrap_or_else(|| panic!("{name} escaped {SEEDS} storms"));
        let broke = report.broke().expect("a failure");
        assert!(!matches!(broke, Broke::Vacuous | Broke::Undecided), "{name}: {broke}");
    }
}

/// LongDelays in miniature: with one follower dead (its RPCs fail only after up to 7 s), the
/// other two must keep committing, each command within one 2 s attempt.
fn progress_with_a_dead_follower(bugs: Bugs) -> Check {
    let mut setup = Setup::raft(3);
    setup.bugs = bugs;
    let mut t = Raft::new(5, setup);
    let leader = t.check_one_leader()?;
    let dead = t.servers().iter().copied().find(|id| *id != leader).expect("3 servers");
    t.crash(dead);
    for n in 1..=10 {
        t.one(cmd(n), 2, false)?;
    }
    Ok(())
}

#[test]
fn a_dead_follower_catches_the_blocking_leader() {
    assert_eq!(progress_with_a_dead_follower(Bugs::none()), Ok(()));
    let blocked = progress_with_a_dead_follower(Bugs::only("block_on_slow_peer").unwrap());
    assert_eq!(blocked.map_err(|f| f.broke), Err(Broke::Liveness));
}
