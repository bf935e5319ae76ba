//! `swarm.raft`: a warm-up commit, the targeted stories the mix drew, a safety phase of
//! client commands under the drawn faults, then the liveness phase.
use kv::KvService;
use raft::Consensus;
use sim::{NetConfig, NodeId};

use super::liveness;
use super::mix::Mix;
use super::shapes::cuts;
use super::stories;
use crate::cluster::{Cluster, Setup};
use crate::failure::Check;

/// The cluster of `seed`'s mix: its size and snapshot interval.
pub fn setup(seed: u64) -> Setup {
    let mix = Mix::draw(seed, false);
    let setup = Setup::raft(mix.servers).clocks(mix.clocks.clone());
    if mix.snapshots {
        setup.snapshots(10)
    } else {
        setup
    }
}

pub fn body<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let mix = Mix::draw(t.sim().seed(), false);
    t.set_fault_mix(mix.to_string());
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, n, true)?;
    for story in mix.stories.clone() {
        stories::run(t, story)?;
    }
    let steps = safety_phase(t, &mix)?;
    t.goal(steps > 0, "the safety phase ran fault steps")?;
    liveness::heal_majority(t, &mix)?;
    liveness::settle(t)
}

/// Client commands on every live server, and one fault step at a time, until the phase ends.
fn safety_phase<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, mix: &Mix) -> Check<u64> {
    t.set_net(mix.net.clone());
    let end = t.now() + mix.safety;
    let mut steps = 0;
    while t.now() < end {
        for id in t.servers().to_vec() {
            for _ in 0..mix.clients {
                if t.is_alive(id) {
                    let c = t.random_command();
                    t.start(id, c)?;
                }
            }
        }
        fault_step(t, mix)?;
        steps += 1;
        let (lo, hi) = mix.step_ms;
        let pause = lo + t.fault_random(hi - lo);
        t.sleep(std::time::Duration::from_millis(pause))?;
    }
    t.set_net(NetConfig::long_delays());
    Ok(steps)
}

/// One fault: crash a live node, restart a dead one, cut links in a drawn shape, or heal.
fn fault_step<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, mix: &Mix) -> Check {
    let servers = t.servers().to_vec();
    let alive: Vec<NodeId> = servers.iter().copied().filter(|s| t.is_alive(*s)).collect();
    let dead: Vec<NodeId> = servers.iter().copied().filter(|s| !t.is_alive(*s)).collect();
    let roll = t.fault_random(100);
    if roll < mix.crash_percent && alive.len() > 1 {
        let victim = alive[t.fault_random(alive.len() as u64) as usize];
        t.note(format!("swarm: crash {victim}"));
        t.crash(victim);
        return Ok(());
    }
    if !dead.is_empty() && t.fault_random(100) < mix.restart_percent {
        let back = dead[t.fault_random(dead.len() as u64) as usize];
        t.note(format!("swarm: restart {back}"));
        t.restart(back)?;
        t.connect(back);
        return Ok(());
    }
    if !mix.shapes.is_empty() && t.fault_random(3) > 0 {
        let shape = mix.shapes[t.fault_random(mix.shapes.len() as u64) as usize];
        let leader = t.claimed_leaders().last().map(|(_, id)| *id);
        let cut = cuts(shape, &servers, leader, &mut |k| t.fault_random(k));
        t.note(format!("swarm: {shape:?} cuts {} links", cut.len()));
        heal_links(t);
        for (from, to) in cut {
            t.set_link(from, to, false);
        }
        return Ok(());
    }
    heal_links(t);
    Ok(())
}

/// Every link up, without connecting crashed or restarted-but-not-rejoined nodes.
fn heal_links<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) {
    let servers = t.servers().to_vec();
    for &a in &servers {
        for &b in &servers {
            if a != b {
                t.set_link(a, b, true);
            }
        }
    }
}
