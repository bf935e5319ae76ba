//! The liveness phase: faults stop, a majority heals (one node may stay down), and a leader
//! must commit and then keep its term for a while, within a bound; otherwise the run is a
//! liveness failure (exit 3), reported as such.
use std::time::Duration;

use kv::KvService;
use raft::{Consensus, Term};
use sim::NetConfig;

use super::mix::Mix;
use crate::cluster::Cluster;
use crate::failure::{Check, Failure};

/// How long the cluster has to settle once the faults stop.
const BOUND: Duration = Duration::from_secs(20);
/// How long a settled leader must keep its term (no election in that time).
const HOLD: Duration = Duration::from_secs(3);

/// Stops the faults: a calm network, every link up, every dead node restarted except one when
/// the mix leaves one down.
pub fn heal_majority<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, mix: &Mix) -> Check {
    t.set_net(NetConfig::long_delays());
    t.heal();
    let servers = t.servers().to_vec();
    let mut dead: Vec<_> = servers.iter().copied().filter(|s| !t.is_alive(*s)).collect();
    if mix.leave_one_down && dead.is_empty() {
        let victim = servers[t.fault_random(servers.len() as u64) as usize];
        t.crash(victim);
    } else if mix.leave_one_down {
        dead.pop();
    }
    for id in dead {
        t.restart(id)?;
    }
    for id in servers {
        if t.is_alive(id) {
            t.connect(id);
        }
    }
    t.note("swarm: faults stop, a majority is healed");
    Ok(())
}

/// Within `BOUND`, every live server applies a new command and then no term changes for
/// `HOLD`: progress resumed and elections settled.
pub fn settle<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let deadline = t.now() + BOUND;
    let live = t.servers().iter().filter(|s| t.is_alive(**s)).count();
    let first = max_term(t);
    while t.now() < deadline {
        let c = t.random_command();
        t.one(c, live, true)?;
        let term = max_term(t);
        t.sleep(HOLD)?;
        if max_term(t) == term && !t.claimed_leaders().is_empty() {
            t.note(format!("swarm: settled in term {term}"));
            return Ok(());
        }
    }
    Err(Failure::liveness(format!(
        "elections never settled within {} s of the heal: terms went from {first} to {}",
        BOUND.as_secs(),
        max_term(t)
    )))
}

fn max_term<R: Consensus, K: KvService>(t: &Cluster<R, K>) -> Term {
    let ids = t.servers().to_vec();
    ids.iter().filter_map(|id| t.status(*id)).map(|s| s.current_term).max().unwrap_or(Term(0))
}
