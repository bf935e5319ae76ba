//! Three KV servers on the reference Raft and a few clerks, end to end: appends land exactly
//! once and reads respect real time through message loss, duplication, reordering, partitions,
//! crashes and snapshots; a minority cannot complete anything; every KV bug switch is caught.

mod harness;

use harness::history::token;
use harness::{Faults, World};
use kv::{KvBugs, KvConfig, Op};
use raft::NodeId;
use rand::Rng;

fn append(client: u64, i: u64) -> Op {
    Op::Append { key: "k".into(), value: token(client, i) }
}

fn get() -> Op {
    Op::Get { key: "k".into() }
}

/// `ops` operations for `client`: appends of its own tokens, with a read every fourth one.
fn workload(client: u64, ops: u64) -> Vec<Op> {
    (1..=ops).map(|i| if i % 4 == 0 { get() } else { append(client, i) }).collect()
}

/// Reads the key through a fresh clerk once everything settled.
fn final_value(world: &mut World) -> Result<String, String> {
    world.add_clerk(999, vec![get()]);
    if !world.run_until_done(3000) {
        return Err("the final read never completed".into());
    }
    Ok(world.history.records.last().expect("the final read").value.clone())
}

/// What one faulty run reached, so a test can insist its faults actually happened.
#[derive(Debug, Default)]
struct Reached {
    restarts: u32,
    full_restarts: u32,
    partitions: u32,
}

/// Clerks append concurrently while servers crash and restart and the leader gets isolated;
/// then the network heals, the clerks finish, and the history is checked.
fn faulty_run(seed: u64, bugs: KvBugs, max_raft_state: Option<usize>) -> Result<Reached, String> {
    let adjust = |config: KvConfig| config.with_max_raft_state(max_raft_state).with_bugs(bugs);
    let mut world = World::new(3, seed, adjust);
    world.set_faults(Faults::unreliable());
    for client in 1..=4 {
        world.add_clerk(client, workload(client, 40));
    }
    let mut reached = Reached::default();
    for _phase in 0..12 {
        world.run(60);
        match world.rng().gen_range(0..4) {
            0 => {
                let victim = world.random_server();
                world.restart(victim);
                reached.restarts += 1;
            }
            1 => {
                // The whole cluster at once, while clerks may be mid-operation.
                for id in world.server_ids() {
                    world.restart(id);
                }
                reached.full_restarts += 1;
            }
            2 => {
                if let Some(leader) = world.leader() {
                    world.partition(&[leader]);
                    reached.partitions += 1;
                }
            }
            _ => world.heal(),
        }
    }
    world.heal();
    if !world.run_until_done(5000) {
        return Err(format!("clerks did not finish by round {}", world.round));
    }
    let value = final_value(&mut world)?;
    world.history.check(&value)?;
    if let Some(max) = max_raft_state {
        if world.max_raft_state_seen > 8 * max {
            return Err(format!("raft state reached {} bytes", world.max_raft_state_seen));
        }
        if world.max_snapshot_seen == 0 {
            return Err("no snapshot was ever persisted".into());
        }
    }
    Ok(reached)
}

#[test]
fn reliable_clients_append_exactly_once_without_snapshots() {
    let mut world = World::new(3, 7, |config| config);
    for client in 1..=3 {
        world.add_clerk(client, workload(client, 30));
    }
    assert!(world.run_until_done(3000), "clerks stuck at round {}", world.round);
    let value = final_value(&mut world).unwrap();
    world.history.check(&value).unwrap();
    assert_eq!(world.history.completed(), 91);
    // 3 clients x 30 ops, three reads in four: 68 appends, all present.
    assert_eq!(value.matches('<').count(), 3 * 23);
    assert_eq!(world.max_snapshot_seen, 0, "maxraftstate -1 never snapshots");
}

#[test]
fn faults_and_snapshots_keep_appends_exactly_once() {
    let mut total = Reached::default();
    for seed in 0..6 {
        let reached = faulty_run(seed, KvBugs::none(), Some(1000))
            .unwrap_or_else(|failure| panic!("seed {seed}: {failure}"));
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
        faulty_run(seed, KvBugs::none(), None)
            .unwrap_or_else(|failure| panic!("seed {seed}: {failure}"));
    }
}

#[test]
fn snapshot_size_after_800_ops_on_one_key() {
    // 6.824's SnapshotSize: one clerk, Put x 0 / Get / Put x 1 / Get, 200 times.
    let mut world = World::new(3, 3, |config| config.with_max_raft_state(Some(1000)));
    let mut ops = Vec::new();
    for _ in 0..200 {
        for value in ["0", "1"] {
            ops.push(Op::Put { key: "x".into(), value: value.into() });
            ops.push(Op::Get { key: "x".into() });
        }
    }
    world.add_clerk(1, ops);
    assert!(world.run_until_done(20_000), "stuck at round {}", world.round);
    for pair in world.history.records.chunks(2) {
        let Op::Put { value, .. } = &pair[0].op else { panic!("expected a put") };
        assert_eq!(&pair[1].value, value, "a read after the clerk's own put");
    }
    assert!(world.max_raft_state_seen <= 8000, "raft state {}", world.max_raft_state_seen);
    assert!(world.max_snapshot_seen > 0 && world.max_snapshot_seen <= 500);
    // Speed: each operation takes the four one-round hops it must (clerk to leader, leader to
    // followers and back, leader to clerk) and no more: the server never waits for a
    // heartbeat or a tick. With a few milliseconds per hop that is well under 6.824's
    // 33.3 ms per operation. The slack covers the first election.
    assert!(world.round <= 4 * 800 + 100, "{} rounds for 800 ops", world.round);
}

#[test]
fn a_minority_completes_nothing_until_the_partition_heals() {
    let mut world = World::new(5, 11, |config| config);
    // Elect a leader and settle.
    world.add_clerk(1, vec![append(1, 1)]);
    assert!(world.run_until_done(1000));
    let leader = world.leader().expect("a leader");
    let others: Vec<NodeId> = world.server_ids().into_iter().filter(|id| *id != leader).collect();
    let minority = [leader, others[0]];
    world.partition(&minority);
    // A clerk that can reach only the minority, and one that can reach only the majority.
    world.cut_clerk(2, &others[1..]);
    world.cut_clerk(3, &minority);
    world.add_clerk(2, vec![append(2, 1)]);
    world.add_clerk(3, vec![append(3, 1), get()]);
    world.run(100);
    let done: Vec<u64> = world.history.records.iter().map(|r| r.client.0).collect();
    assert_eq!(done, vec![1, 3, 3], "1 s: the majority progressed, the minority did not");
    world.heal();
    assert!(world.run_until_done(300), "the minority's append completes within 3 s of healing");
    let value = final_value(&mut world).unwrap();
    world.history.check(&value).unwrap();
    assert!(value.contains(&token(2, 1)));
}

#[test]
fn every_kv_bug_is_caught() {
    for name in KvBugs::NAMES {
        let bugs = KvBugs::only(name).expect("known bug");
        let caught = (0..8).find_map(|seed| {
            // Tiny snapshots (one every few entries) on half the seeds.
            let max_raft_state = if seed % 2 == 0 { Some(100) } else { None };
            faulty_run(100 + seed, bugs, max_raft_state).err().map(|failure| (seed, failure))
        });
        let Some((seed, failure)) = caught else { panic!("{name} survived every seed") };
        let failure: String = failure.chars().take(300).collect();
        eprintln!("{name}: caught with seed {seed}: {failure}");
    }
}
