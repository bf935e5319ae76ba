//! D. Unreliable network and churn: concurrent agreement under loss, Figure 8 with long
//! reordering, churn with clients on a reliable and an unreliable network, and a leader that
//! must not block on a peer whose RPCs take seconds to fail (Raft 2C / 3C).
use std::time::Duration;

use kv::KvService;
use raft::{Command, Consensus, LogIndex};
use sim::{NetConfig, SimTime};

use super::figure8::figure8_pause;
use crate::cluster::{Cluster, OneCall, Setup, ELECTION_TIMEOUT};
use crate::failure::{Check, Failure};
use crate::labels::cmd;
use crate::scenario::Scenario;

fn unreliable(servers: usize) -> Setup {
    Setup { net: NetConfig::long_delays().with_unreliable(), ..Setup::raft(servers) }
}

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("unreliable.concurrent_agreement")
.summary("5 nodes, 49 rounds of 5 concurrent one() on a lossy net; then all agree")
.on(|| unreliable(5))
.story(concurrent_agreement),
        Scenario::named("unreliable.figure8_long_reordering")
.summary("1000 rounds disconnecting the leader, long reordering from round 200 (Figure8Unreliable)")
.on(|| unreliable(5))
.story(figure8_long_reordering),
        Scenario::named("churn.reliable")
.summary("3 clients and 20 rounds of random disconnect/connect/crash/restart (ReliableChurn)")
.on(|| Setup::raft(5))
.story(churn),
        Scenario::named("churn.unreliable")
.summary("the same churn on an unreliable network (UnreliableChurn)")
.on(|| unreliable(5))
.story(churn),
        Scenario::named("net.long_delays_nonblocking_leader")
.summary("a disconnected peer's RPCs fail only after up to 7 s; the leader keeps committing")
.on(|| Setup::raft(3))
.story(long_delays_nonblocking_leader),
    ]
}

fn concurrent_agreement<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let mut background = Vec::new();
    for round in 1..50u64 {
        for j in 0..4 {
            background.push(OneCall::new(t.now(), cmd(100 * round + j), 1, true));
        }
        t.one_with_background(cmd(round), 1, true, &mut background)?;
    }
    t.set_net(NetConfig::long_delays());
    t.one_concurrently(background)?;
    t.one(cmd(100), n, true)?;
    let lost = t.sim().counters().total().dropped;
    t.goal(lost > 0, "the network lost messages")
}

fn figure8_long_reordering<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let c = cmd(t.random(10_000));
    t.one(c, 1, true)?;
    let mut up = n;
    let mut isolations = 0;
    for round in 0..1000 {
        if round == 200 {
            t.note("long reordering from now on");
            t.set_net(NetConfig::long_delays().with_unreliable().with_long_reordering());
        }
        let mut leader = None;
        for id in t.servers().to_vec() {
            let c = cmd(t.random(10_000));
            if t.start(id, c)?.is_some() && t.is_connected(id) {
                leader = Some(id);
            }
        }
        figure8_pause(t)?;
        if let Some(leader) = leader {
            if t.fault_random(1000) < ELECTION_TIMEOUT.as_millis() as u64 / 2 {
                t.disconnect(leader);
                up -= 1;
                isolations += 1;
            }
        }
        if up < 3 {
            let pick = t.fault_random(n as u64) as usize;
            let s = t.server(pick);
            if !t.is_connected(s) {
                t.connect(s);
                up += 1;
            }
        }
    }
    for id in t.servers().to_vec() {
        t.connect(id);
    }
    let c = cmd(t.random(10_000));
    t.one(c, n, true)?;
    t.goal(isolations >= 10, "at least 10 leaders were disconnected")
}

/// One of the churn test's clients: Start on every live server, then watch the index for a
/// while (10, 20, 50, 100, 200 ms) and keep the value if it was committed there.
struct ChurnClient {
    me: u64,
    next_at: SimTime,
    watching: Option<(LogIndex, Command, usize)>,
    committed: Vec<Command>,
}

const WATCH: [u64; 5] = [10, 20, 50, 100, 200];

impl ChurnClient {
    fn act<R: Consensus, K: KvService>(&mut self, t: &mut Cluster<R, K>) -> Check {
        if let Some((index, x, step)) = self.watching.take() {
            let (count, command) = t.n_committed(index);
            if count > 0 {
                if command.as_ref() == Some(&x) {
                    self.committed.push(x);
                }
            } else if step < WATCH.len() {
                self.watching = Some((index, x, step + 1));
                self.next_at = t.now() + Duration::from_millis(WATCH[step]);
                return Ok(());
            }
        }
        let x = t.random_command();
        let mut accepted = None;
        for id in t.servers().to_vec() {
            if let Some((index, _)) = t.start(id, x.clone())? {
                accepted = Some(index);
            }
        }
        match accepted {
            Some(index) => {
                self.watching = Some((index, x, 0));
                self.next_at = t.now();
            }
            None => self.next_at = t.now() + Duration::from_millis(79 + self.me * 17),
        }
        Ok(())
    }
}

/// Runs until `until`, letting every client act whenever it is due.
fn run_clients<R: Consensus, K: KvService>(
    t: &mut Cluster<R, K>,
    clients: &mut [ChurnClient],
    until: SimTime,
) -> Check {
    loop {
        let due = clients.iter().map(|c| c.next_at).min().unwrap_or(until);
        if due > until {
            return t.run_until(until);
        }
        t.run_until(due.max(t.now()))?;
        for client in clients.iter_mut() {
            if client.next_at <= t.now() {
                client.act(t)?;
            }
        }
    }
}

fn churn<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    let mut clients: Vec<ChurnClient> = (0..3)
        .map(|me| ChurnClient { me, next_at: t.now(), watching: None, committed: Vec::new() })
        .collect();
    let (mut crashes, mut cuts) = (0, 0);
    for _ in 0..20 {
        if t.fault_random(1000) < 200 {
            let pick = t.fault_random(n as u64) as usize;
            t.disconnect(t.server(pick));
            cuts += 1;
        }
        if t.fault_random(1000) < 500 {
            let pick = t.fault_random(n as u64) as usize;
            t.revive(t.server(pick))?;
        }
        if t.fault_random(1000) < 200 {
            let pick = t.fault_random(n as u64) as usize;
            let victim = t.server(pick);
            if t.is_alive(victim) {
                t.crash(victim);
                crashes += 1;
            }
        }
        let until = t.now() + ELECTION_TIMEOUT * 7 / 10;
        run_clients(t, &mut clients, until)?;
    }
    let until = t.now() + ELECTION_TIMEOUT;
    run_clients(t, &mut clients, until)?;
    t.set_net(NetConfig::long_delays());
    for id in t.servers().to_vec() {
        t.revive(id)?;
    }
    let values: Vec<Command> = clients.into_iter().flat_map(|c| c.committed).collect();
    t.sleep(ELECTION_TIMEOUT)?;
    let c = t.random_command();
    let last = t.one(c, n, true)?;
    // By fingerprint: thousands of commands, each looked up once.
    let mut really = std::collections::BTreeSet::new();
    for index in 1..=last.0 {
        if let Some(command) = t.wait(LogIndex(index), n, None)? {
            really.insert(sim::fingerprint(&command));
        }
    }
    for v in &values {
        if !really.contains(&sim::fingerprint(v)) {
            return Err(Failure::assertion(format!(
                "a client saw {} committed but it is not in the final log",
                crate::labels::label(v)
            )));
        }
    }
    t.goal(crashes + cuts > 0, "the churn crashed or disconnected a server")?;
    t.goal(!values.is_empty(), "the clients saw commands committed")
}

fn long_delays_nonblocking_leader<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let n = t.servers().len();
    t.one(cmd(1), n, true)?;
    let leader = t.check_one_leader()?;
    let term = t.check_terms()?;
    let peer = t.server(leader.0 as usize + 1);
    t.note(format!("disconnect {peer}: its RPCs fail only after up to 7 s"));
    t.disconnect(peer);
    for k in 0..20 {
        t.one(cmd(100 + k), n - 1, false)?;
        t.sleep(Duration::from_millis(200))?;
    }
    if t.check_terms()? != term || t.claimed_leaders() != vec![(term, leader)] {
        return Err(Failure::assertion(format!(
            "leadership changed while {peer} was unreachable: the leader stalled on it"
        )));
    }
    let failed = t.sim().counters().sent_to(peer).dropped;
    t.goal(failed > 0, "requests to the unreachable peer failed")?;
    t.connect(peer);
    t.one(cmd(1000), n, true)?;
    Ok(())
}
