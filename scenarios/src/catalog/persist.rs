//! C. Persistence and crashes: restarts of everyone and of the leader, rolling majority
//! crashes, a restarted ex-leader beating a stale node, the Figure 8 crash storm, and the crash
//! model itself (Raft 2C / 3C).
use std::time::Duration;

use kv::KvService;
use raft::{Consensus, LogIndex};
use sim::NodeId;

use super::figure8::figure8_pause;
use crate::cluster::{Cluster, Setup, ELECTION_TIMEOUT};
use crate::failure::{Check, Failure};
use crate::labels::cmd;
use crate::scenario::Scenario;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("persist.restart_all_and_leader")
.summary("restart all; restart the leader; restart a follower that missed an entry (Persist1)")
.on(|| Setup::raft(3))
.story(restart_all_and_leader),
        Scenario::named("persist.rolling_majority_crash_electability")
.summary("5 nodes, 5 rounds of crashing a majority; only up-to-date nodes may win (Persist2)")
.on(|| Setup::raft(5))
.story(rolling_majority_crash),
        Scenario::named("persist.leader_and_follower_crash_stale_node")
.summary("the restarted ex-leader holding 102 must beat the stale node (Persist3)")
.on(|| Setup::raft(3))
.story(leader_and_follower_crash_stale_node),
        Scenario::named("persist.figure8_crash_storm")
.summary("5 nodes, 1000 rounds of Start on all then crash the leader; final agreement (Figure8)")
.on(|| Setup::raft(5))
.story(figure8_crash_storm),
        Scenario::named("persist.no_reply_after_kill")
.summary("a killed server's in-flight messages and later writes are lost; it restarts from disk")
.on(|| Setup::raft(3))
.story(no_reply_after_kill),
    ]
}

fn restart_all_and_leader<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    t.one(cmd(11), n, true)?;
    t.note("crash and restart every server");
    for id in t.servers().to_vec() {
        t.restart(id)?;
    }
    for id in t.servers().to_vec() {
        t.disconnect(id);
        t.connect(id);
    }
    t.one(cmd(12), n, true)?;

    let leader1 = t.check_one_leader()?;
    t.disconnect(leader1);
    t.restart(leader1)?;
    t.connect(leader1);
    t.one(cmd(13), n, true)?;

    let leader2 = t.check_one_leader()?;
    t.disconnect(leader2);
    t.one(cmd(14), n - 1, true)?;
    t.restart(leader2)?;
    t.connect(leader2);
    t.wait(LogIndex(4), n, None)?;

    let leader3 = t.check_one_leader()?;
    let i3 = t.server(leader3.0 as usize + 1);
    t.note(format!("{i3} misses entry 15, then restarts"));
    t.disconnect(i3);
    t.one(cmd(15), n - 1, true)?;
    t.restart(i3)?;
    t.connect(i3);
    t.one(cmd(16), n, true)?;
    Ok(())
}

fn rolling_majority_crash<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let mut index = 1;
    for round in 0..5 {
        t.one(cmd(10 + index), n, true)?;
        index += 1;
        let leader1 = t.check_one_leader()?;
        let ring = t.ring_from(leader1);
        let at = |k: usize| ring[k % n];
        t.disconnect(at(1));
        t.disconnect(at(2));
        t.one(cmd(10 + index), n - 2, true)?;
        index += 1;
        t.note(format!("round {round}: the up-to-date majority goes down; stale nodes restart"));
        t.disconnect(at(0));
        t.disconnect(at(3));
        t.disconnect(at(4));
        t.restart(at(1))?;
        t.restart(at(2))?;
        t.connect(at(1));
        t.connect(at(2));
        t.sleep(ELECTION_TIMEOUT)?;
        t.restart(at(3))?;
        t.connect(at(3));
        t.one(cmd(10 + index), n - 2, true)?;
        index += 1;
        t.connect(at(4));
        t.connect(at(0));
    }
    t.one(cmd(1000), n, true)?;
    Ok(())
}

fn leader_and_follower_crash_stale_node<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
) -> Check {
    let n = t.servers().len();
    t.one(cmd(101), 3, true)?;
    let leader = t.check_one_leader()?;
    let ring = t.ring_from(leader);
    let at = |k: usize| ring[k % n];
    t.disconnect(at(2));
    t.one(cmd(102), 2, true)?;
    t.note(format!("crash {} and {}; {} is stale", at(0), at(1), at(2)));
    t.crash(at(0));
    t.crash(at(1));
    t.connect(at(2));
    t.restart(at(0))?;
    t.connect(at(0));
    t.one(cmd(103), 2, true)?;
    t.restart(at(1))?;
    t.connect(at(1));
    t.one(cmd(104), n, true)?;
    let second = t.history().get(LogIndex(2)).map(|e| e.command.clone());
    if second != Some(cmd(102)) {
        return Err(Failure::assertion("the committed 102 was lost at index 2".to_string()));
    }
    Ok(())
}

fn figure8_crash_storm<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let c = t.random_command();
    t.one(c, 1, true)?;
    let mut up = n;
    let mut leader_crashes = 0;
    for _ in 0..1000 {
        let mut leader = None;
        for id in t.servers().to_vec() {
            if t.is_alive(id) {
                let c = t.random_command();
                if t.start(id, c)?.is_some() {
                    leader = Some(id);
                }
            }
        }
        figure8_pause(t)?;
        if let Some(leader) = leader {
            t.crash(leader);
            up -= 1;
            leader_crashes += 1;
        }
        if up < 3 {
            let pick = t.fault_random(n as u64) as usize;
            let s = t.server(pick);
            if !t.is_alive(s) {
                t.restart(s)?;
                t.connect(s);
                up += 1;
            }
        }
    }
    for id in t.servers().to_vec() {
        if !t.is_alive(id) {
            t.restart(id)?;
            t.connect(id);
        }
    }
    let c = t.random_command();
    t.one(c, n, true)?;
    t.note(format!("{leader_crashes} leaders crashed"));
    t.goal(leader_crashes >= 10, "at least 10 leaders were crashed")
}

fn no_reply_after_kill<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    t.one(cmd(1), n, true)?;
    let leader = t.check_one_leader()?;
    let victim = t.server(leader.0 as usize + 1);
    t.start(leader, cmd(2))?;
    // Run until the victim has an answer in flight: it handled a request and replied.
    let deadline = t.now() + Duration::from_secs(1);
    while t.sim().counters().sent_by(victim).sent == settled(t, victim) {
        if t.now() >= deadline {
            return Err(Failure::vacuous("the victim never had a reply in flight"));
        }
        t.sleep(Duration::from_micros(100))?;
    }
    let in_flight_before = t.sim().counters().sent_by(victim);
    let disk_at_crash = t.sim().durable(victim).map(|d| d.raft.clone());
    t.note(format!("kill {victim} with a reply in flight"));
    t.crash(victim);
    let to_victim = t.sim().counters().sent_to(victim);
    t.start(leader, cmd(3))?;
    t.sleep(Duration::from_secs(1))?;
    let from_victim = t.sim().counters().sent_by(victim);
    if from_victim.delivered != in_flight_before.delivered {
        return Err(Failure::assertion(format!(
            "{} messages of the killed {victim} were delivered after its death",
            from_victim.delivered - in_flight_before.delivered
        )));
    }
    if t.sim().counters().sent_to(victim).delivered != to_victim.delivered {
        return Err(Failure::assertion(format!("messages were delivered to the dead {victim}")));
    }
    t.goal(from_victim.dropped > in_flight_before.dropped, "the in-flight reply was lost")?;
    if t.sim().durable(victim).map(|d| d.raft.clone()) != disk_at_crash {
        return Err(Failure::assertion(format!("the dead {victim}'s disk changed")));
    }
    t.restart(victim)?;
    t.connect(victim);
    t.one(cmd(4), n, true)?;
    Ok(())
}

/// Messages `id` sent that were already delivered or dropped.
fn settled<R: Consensus, K: KvService>(t: &Cluster<R, K>, id: NodeId) -> u64 {
    let s = t.sim().counters().sent_by(id);
    s.delivered + s.dropped
}
