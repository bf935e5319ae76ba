//! Targeted stories the swarm draws sometimes, for bugs that random storms rarely reach: each
//! steers the cluster into the one situation where the bug shows, and leaves the cluster
//! healed and in agreement for the next phase.
use std::time::Duration;

use kv::KvService;
use raft::{Consensus, Role};
use sim::{Latency, NetConfig, NodeId};

use super::liveness;
use super::mix::Story;
use crate::cluster::Cluster;
use crate::failure::Check;

pub fn run<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, story: Story) -> Check {
    t.note(format!("swarm story: {story:?}"));
    match story {
        Story::Figure8 => figure8(t)?,
        Story::StaleVotes => stale_votes(t)?,
        Story::SlowVotes => slow_votes(t)?,
        Story::SnapshotLag => snapshot_lag(t)?,
        // A KV story: a bare Raft cluster has no clerks to retry (Raft mixes never draw it).
        Story::RetryAcrossSnapshot => {}
    }
    t.heal();
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, n, true).map(|_| ())
}

/// Figure 8 (§5.4.2): L1 writes e2 onto itself and P only; L3, elected by the other three,
/// writes e3 at the same index onto itself only; a leader of {L1, P, Qa, Qb} then copies e2
/// onto a majority (it must not count it as committed: it is from an older term); finally L3
/// wins with Qa and Qb, and overwrites e2. A leader that committed e2 by counting applied it,
/// so L3's victory breaks leader completeness.
fn figure8<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let l1 = t.check_one_leader()?;
    let p = pick_other(t, &[l1]);
    let q = others(t, &[l1, p]);
    t.partition(&[vec![l1, p], q.clone()]);
    let e2 = t.random_command();
    if t.start(l1, e2)?.is_none() {
        t.note("figure8: the leader moved on before the story began");
        return Ok(());
    }
    t.sleep(Duration::from_millis(100))?;
    let Some(l3) = wait_leader_in(t, &q)? else { return Ok(()) };
    let rest: Vec<NodeId> = q.iter().copied().filter(|s| *s != l3).collect();
    t.partition(&[vec![l1, p], vec![l3], rest.clone()]);
    let e3 = t.random_command();
    if t.start(l3, e3)?.is_none() {
        return Ok(());
    }
    t.sleep(Duration::from_millis(50))?;
    let four = [vec![l1, p], rest.clone()].concat();
    t.partition(&[four.clone(), vec![l3]]);
    if wait_leader_in(t, &four)?.is_none() {
        return Ok(());
    }
    t.sleep(Duration::from_secs(1))?;
    t.partition(&[[vec![l3], rest.clone()].concat(), vec![l1], vec![p]]);
    wait_leader_in(t, &[vec![l3], rest].concat())?;
    Ok(())
}

/// A candidate C whose incoming links take 3 s: its vote replies arrive terms later. Once it
/// has asked for votes, its outgoing links are cut; the others elect a leader and commit an
/// entry C lacks. The late grants must not make C a leader of a later term.
fn stale_votes<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let leader = t.check_one_leader()?;
    let c = pick_other(t, &[leader]);
    let rest = others(t, &[c]);
    for &o in &rest {
        t.set_link_latency(o, c, Some(Latency::fixed(Duration::from_secs(3))));
    }
    let campaigned = t.now();
    let mut candidate = false;
    while !candidate && t.now() < campaigned + Duration::from_secs(3) {
        t.sleep(Duration::from_millis(5))?;
        candidate = t.status(c).is_some_and(|s| s.role == Role::Candidate);
    }
    if candidate {
        t.sleep(Duration::from_millis(20))?;
        for &o in &rest {
            t.set_link(c, o, false);
        }
        let cmd = t.random_command();
        t.one(cmd, rest.len().min(3), true)?;
        t.run_until(campaigned + Duration::from_secs(4))?;
    }
    for &o in &rest {
        t.set_link_latency(o, c, None);
        t.set_link(c, o, true);
    }
    Ok(())
}

/// Every message takes 110–140 ms: a voter that resets its timer on granting hears the
/// winner's first heartbeat (≤ 280 ms later) before it can time out (≥ 300 ms); one that
/// does not keeps deposing winners. The leader is isolated to force elections, then the
/// cluster must settle.
fn slow_votes<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let mut net = NetConfig::long_delays();
    net.latency = Latency::millis(110, 140);
    t.set_net(net);
    for _ in 0..4 {
        let leader = t.check_one_leader()?;
        let rest = others(t, &[leader]);
        t.partition(&[vec![leader], rest]);
        t.sleep(Duration::from_secs(2))?;
        t.heal();
        liveness::settle(t)?;
    }
    t.set_net(NetConfig::long_delays());
    Ok(())
}

/// A follower misses enough entries that the leader compacted them into a snapshot; on
/// reconnecting it must catch up by InstallSnapshot and apply everything after it in order.
fn snapshot_lag<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let leader = t.check_one_leader()?;
    let f = pick_other(t, &[leader]);
    t.disconnect(f);
    let n = t.servers().len();
    for _ in 0..25 {
        let c = t.random_command();
        t.one(c, n - 1, true)?;
    }
    let before = t.delivered("Snap");
    t.connect(f);
    let c = t.random_command();
    t.one(c, n, true)?;
    t.goal(t.delivered("Snap") > before, "a lagging follower caught up through InstallSnapshot")
}

/// The newest-term leader among `group` (its term is the highest in the group), waiting up
/// to 5 s; `None` if none emerged.
fn wait_leader_in<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    group: &[NodeId],
) -> Check<Option<NodeId>> {
    let until = t.now() + Duration::from_secs(5);
    while t.now() < until {
        t.sleep(Duration::from_millis(20))?;
        let statuses: Vec<_> = group.iter().filter_map(|id| Some((*id, t.status(*id)?))).collect();
        let top = statuses.iter().map(|(_, s)| s.current_term).max();
        let leader = statuses
            .iter()
            .find(|(_, s)| s.role == Role::Leader && Some(s.current_term) == top)
            .map(|(id, _)| *id);
        if leader.is_some() {
            return Ok(leader);
        }
    }
    t.note("no leader emerged in the group; the story stops here");
    Ok(None)
}

fn others<R: Consensus, K: KvService>(t: &Cluster<R, K>, not: &[NodeId]) -> Vec<NodeId> {
    t.servers().iter().copied().filter(|s| !not.contains(s)).collect()
}

fn pick_other<R: Consensus, K: KvService>(t: &mut Cluster<R, K>, not: &[NodeId]) -> NodeId {
    let rest = others(t, not);
    rest[t.fault_random(rest.len() as u64) as usize]
}
