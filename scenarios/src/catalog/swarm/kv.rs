//! `swarm.kv`: clerks on random keys, the targeted story the mix drew (if any), then the
//! drawn faults (single-server crashes and restarts, partition shapes, a lossy or reordering
//! network, snapshots or not); then the faults stop, a majority heals, every clerk must
//! finish and a fresh operation complete within a bound, and the whole history must be
//! linearizable.
use std::time::Duration;

use kv::KvService;
use kv::Op;
use raft::Consensus;
use sim::rand::Rng;
use sim::{ChaCha8Rng, NetConfig, NodeId};

use super::kv_stories;
use super::mix::Mix;
use super::shapes::cuts;
use crate::cluster::{Cluster, Setup};
use crate::failure::Check;
use crate::kv::Plan;
use crate::labels::seeded;

/// The cluster of `seed`'s mix: its size, network and maxraftstate.
pub fn setup(seed: u64) -> Setup {
    let mix = Mix::draw(seed, true);
    let setup =
        Setup::kv(mix.servers).on(mix.net.clone()).clocks(mix.clocks.clone()).reads(mix.reads);
    if mix.snapshots {
        setup.snapshots(1000)
    } else {
        setup
    }
}

pub fn body<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let seed = t.sim().seed();
    let mix = Mix::draw(seed, true);
    let mut faults = seeded(sim::fingerprint(&("swarm.kv faults", seed)));
    t.set_fault_mix(mix.to_string());
    let keys = faults.gen_range(1..=4);
    for _ in 0..mix.clients {
        t.add_clerk(Plan::RandomKeys { keys });
    }
    let last = t.add_clerk(Plan::Manual);
    // Each story gets a manual clerk of its own, so its operations are only the story's.
    let story_clerks: Vec<usize> = mix.stories.iter().map(|_| t.add_clerk(Plan::Manual)).collect();
    t.start_clients()?;
    for (&story, &k) in mix.stories.iter().zip(&story_clerks) {
        kv_stories::run(t, story, k, &mix.net)?;
    }
    let end = t.now() + mix.safety;
    while t.now() < end {
        fault_step(t, &mix, &mut faults)?;
        let (lo, hi) = mix.step_ms;
        t.sleep(Duration::from_millis(faults.gen_range(lo..hi)))?;
    }
    heal_majority(t, &mix, &mut faults)?;
    t.stop_clients();
    t.wait_clients(Duration::from_secs(20))?;
    let put = Op::Put { key: "0".into(), value: "swarm".into() };
    t.run_op(last, put, Duration::from_secs(10))?;
    let ops: u64 = (0..mix.clients).map(|k| t.clerk(k).completed).sum();
    t.goal(ops > 0, "the clerks completed operations under faults")?;
    t.check_linearizable()
}

fn fault_step<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    mix: &Mix,
    rng: &mut ChaCha8Rng,
) -> Check {
    let servers = t.servers().to_vec();
    let alive: Vec<NodeId> = servers.iter().copied().filter(|s| t.is_alive(*s)).collect();
    let dead: Vec<NodeId> = servers.iter().copied().filter(|s| !t.is_alive(*s)).collect();
    if rng.gen_range(0..100) < mix.crash_percent && alive.len() > 1 {
        let victim = alive[rng.gen_range(0..alive.len())];
        t.note(format!("swarm: crash {victim}"));
        t.crash(victim);
        return Ok(());
    }
    if !dead.is_empty() && rng.gen_range(0..100) < mix.restart_percent {
        let back = dead[rng.gen_range(0..dead.len())];
        t.note(format!("swarm: restart {back}"));
        return t.revive(back);
    }
    t.heal();
    if !mix.shapes.is_empty() && rng.gen_range(0..3) > 0 {
        let shape = mix.shapes[rng.gen_range(0..mix.shapes.len())];
        let cut = cuts(shape, &servers, t.leader(), &mut |k| rng.gen_range(0..k.max(1)));
        t.note(format!("swarm: {shape:?} cuts {} links", cut.len()));
        for (from, to) in cut {
            t.set_link(from, to, false);
        }
    }
    Ok(())
}

/// Faults stop: a calm network, every link up, every crashed server back but one if the mix
/// leaves one down.
fn heal_majority<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    mix: &Mix,
    rng: &mut ChaCha8Rng,
) -> Check {
    t.set_net(NetConfig::reliable());
    t.heal();
    let servers = t.servers().to_vec();
    let mut dead: Vec<NodeId> = servers.iter().copied().filter(|s| !t.is_alive(*s)).collect();
    if mix.leave_one_down && dead.is_empty() {
        t.crash(servers[rng.gen_range(0..servers.len())]);
    } else if mix.leave_one_down {
        dead.pop();
    }
    for id in dead {
        t.revive(id)?;
    }
    t.note("swarm: faults stop, a majority is healed");
    Ok(())
}
