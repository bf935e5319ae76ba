//! Determinism: the same seed and configuration give the same trace hash; different seeds
//! give different hashes; streams are independent, so a fault on one path does not shift
//! the random draws of another.
mod common;

use std::fmt;
use std::time::Duration;

use proptest::prelude::*;
use sim::rand::{Rng, RngCore};
use sim::{
    Ctx, Latency, Message, NetConfig, Node, NodeId, Purpose, Sim, SimConfig, Spike, TimerId,
};

#[derive(Clone, Debug, Hash)]
enum Chat {
    Req { n: u64, pad: u16 },
    Rep { n: u64 },
}

impl fmt::Display for Chat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chat::Req { n, pad } => write!(f, "Req({n}, pad={pad})"),
            Chat::Rep { n } => write!(f, "Rep({n})"),
        }
    }
}

impl Message for Chat {
    fn size_bytes(&self) -> usize {
        match self {
            Chat::Req { pad, .. } => 16 + usize::from(*pad),
            Chat::Rep { .. } => 8,
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            Chat::Req { .. } => "Req",
            Chat::Rep { .. } => "Rep",
        }
    }
    fn is_reply(&self) -> bool {
        matches!(self, Chat::Rep { .. })
    }
}

/// Talks to random peers on random timers, answers requests, persists a counter and
/// cancels a timer now and then: a little of everything the simulator does.
struct Chatter {
    peers: Vec<NodeId>,
    sent: u64,
    pending: Option<TimerId>,
}

impl Node for Chatter {
    type Msg = Chat;
    type Durable = u64;
    type Output = u64;

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        let after = Duration::from_micros(ctx.rng().gen_range(1_000..50_000));
        ctx.set_timer(after, 0);
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Chat) {
        match msg {
            Chat::Req { n, .. } => ctx.send(from, Chat::Rep { n }),
            Chat::Rep { n } => {
                *ctx.durable_mut() += 1;
                ctx.emit(n);
            }
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, _timer: TimerId, tag: u64) {
        if tag != 0 {
            return;
        }
        for _ in 0..ctx.rng().gen_range(1..4) {
            let to = self.peers[ctx.rng().gen_range(0..self.peers.len())];
            self.sent += 1;
            let pad = ctx.rng().gen_range(0..500);
            ctx.send(to, Chat::Req { n: self.sent, pad });
        }
        if let Some(t) = self.pending.take() {
            ctx.cancel_timer(t);
        }
        if ctx.rng().gen_bool(0.5) {
            self.pending = Some(ctx.set_timer(Duration::from_millis(3), 1));
        }
        let after = Duration::from_micros(ctx.rng().gen_range(1_000..50_000));
        ctx.set_timer(after, 0);
    }

    fn on_undeliverable(&mut self, ctx: &mut Ctx<'_, Self>, _to: NodeId, msg: Chat) {
        let to = self.peers[ctx.rng().gen_range(0..self.peers.len())];
        ctx.send(to, msg);
    }
}

const SERVERS: u32 = 5;
const CLIENTS: [u32; 2] = [100, 101];

fn chatter(id: u32) -> Chatter {
    let peers = (1..=SERVERS).chain(CLIENTS).filter(|&p| p != id).map(NodeId).collect();
    Chatter { peers, sent: 0, pending: None }
}

/// One fault the schedule can apply.
#[derive(Clone, Debug)]
enum Fault {
    Crash(u32),
    Restart(u32),
    Disconnect(u32),
    Connect(u32),
    Split(u32),
    OneWay(u32, u32),
    Heal,
}

fn apply(sim: &mut Sim<Chatter>, fault: &Fault) {
    match *fault {
        Fault::Crash(i) => sim.crash(NodeId(i)),
        Fault::Restart(i) => sim.restart(NodeId(i), |_| chatter(i)),
        Fault::Disconnect(i) => sim.disconnect(NodeId(i)),
        Fault::Connect(i) => sim.connect(NodeId(i)),
        Fault::Split(mask) => {
            let (a, b): (Vec<NodeId>, Vec<NodeId>) = (1..=SERVERS)
                .chain(CLIENTS)
                .map(NodeId)
                .partition(|id| (mask >> (id.0 % 32)) & 1 == 1);
            sim.partition(&[a, b]);
        }
        Fault::OneWay(a, b) => sim.set_link(NodeId(a), NodeId(b), false),
        Fault::Heal => sim.heal(),
    }
}

/// A random fault schedule drawn from the faults stream: one fault every 50-300 ms.
fn random_schedule(sim: &Sim<Chatter>, horizon_ms: u64) -> Vec<(u64, Fault)> {
    let mut rng = sim.rng_stream(Purpose::Faults);
    let mut at = 0;
    let mut schedule = Vec::new();
    loop {
        at += rng.gen_range(50..300);
        if at >= horizon_ms {
            return schedule;
        }
        let node = rng.gen_range(1..=SERVERS);
        let fault = match rng.gen_range(0..7) {
            0 => Fault::Crash(node),
            1 => Fault::Restart(node),
            2 => Fault::Disconnect(node),
            3 => Fault::Connect(node),
            4 => Fault::Split(rng.next_u32()),
            5 => Fault::OneWay(node, rng.gen_range(1..=SERVERS)),
            _ => Fault::Heal,
        };
        schedule.push((at, fault));
    }
}

fn build(seed: u64, net: NetConfig) -> Sim<Chatter> {
    let config = SimConfig { net, trace_capacity: 64, ..SimConfig::new(seed) };
    let mut sim = Sim::with_config(config);
    for id in (1..=SERVERS).chain(CLIENTS) {
        sim.add_node(NodeId(id), chatter(id));
    }
    sim
}

fn run(sim: &mut Sim<Chatter>, schedule: &[(u64, Fault)], horizon_ms: u64) -> u64 {
    for (at, fault) in schedule {
        sim.run_until(sim::SimTime::from_millis(*at));
        apply(sim, fault);
    }
    sim.run_until(sim::SimTime::from_millis(horizon_ms));
    sim.drain_outputs().for_each(drop);
    sim.trace_hash()
}

/// A full run: an unreliable network for a while, then a phase with fixed latency so many
/// events share a timestamp (ties must break by insertion order, not by anything else).
fn hash_of(seed: u64) -> u64 {
    let mut sim = build(seed, NetConfig::unreliable().with_long_reordering());
    let schedule = random_schedule(&sim, 2000);
    run(&mut sim, &schedule, 2000);
    sim.set_net_config(NetConfig { latency: Latency::millis(5, 5), ..NetConfig::reliable() });
    sim.heal();
    sim.run_for(Duration::from_millis(500));
    assert!(sim.events_processed() > 1000, "the run did something");
    sim.trace_hash()
}

#[test]
fn the_same_seed_gives_the_same_trace_hash() {
    for seed in [0, 1, 0xdead_beef] {
        assert_eq!(hash_of(seed), hash_of(seed), "seed {seed:#x}");
    }
}

#[test]
fn different_seeds_give_different_trace_hashes() {
    let mut hashes: Vec<u64> = (0..16).map(hash_of).collect();
    hashes.sort_unstable();
    hashes.dedup();
    assert_eq!(hashes.len(), 16);
}

#[test]
fn a_fault_on_one_path_does_not_shift_draws_on_another() {
    // n1 sends to n2 and to n3 every 10 ms; the arrival times at n2 must not depend on
    // whether n3 is partitioned away (its messages are dropped), since the sender's network
    // stream is drawn the same number of times either way.
    let arrivals = |cut_n3: bool| {
        let mut sim = common::probes(3, NetConfig::unreliable(), 77);
        if cut_n3 {
            sim.partition(&[vec![NodeId(1), NodeId(2)], vec![NodeId(3)]]);
        }
        for round in 0..200 {
            common::send(&mut sim, NodeId(1), NodeId(2), common::Msg::Req(round));
            common::send(&mut sim, NodeId(1), NodeId(3), common::Msg::Req(round));
            sim.run_for(Duration::from_millis(10));
        }
        let out = common::drain(&mut sim);
        out.into_iter()
            .filter_map(|(id, s)| match s {
                common::Seen::Msg { at, msg: common::Msg::Req(n), .. } if id == NodeId(2) => {
                    Some((n, at))
                }
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let (plain, cut) = (arrivals(false), arrivals(true));
    assert!(plain.len() > 150);
    assert_eq!(plain, cut);
}

#[test]
fn trace_tail_and_json_lines_show_every_event_kind() {
    let mut sim = build(5, NetConfig::unreliable());
    sim.set_trace_capacity(100_000);
    let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    sim.set_trace_writer(Some(Box::new(SharedBuf(buffer.clone()))));
    let schedule = [
        (100, Fault::Crash(1)),
        (200, Fault::Split(0b1010)),
        (300, Fault::Restart(1)),
        (400, Fault::OneWay(2, 3)),
        (500, Fault::Heal),
    ];
    run(&mut sim, &schedule, 1000);
    sim.note("done");
    assert!(sim.take_trace_write_error().is_none());
    let tail = sim.trace_tail(100_000);
    for word in [
        " send ",
        " deliver ",
        " drop(",
        " timer ",
        " crash",
        " restart",
        "partition [",
        " link down",
        "heal",
        "note: done",
    ] {
        assert!(tail.iter().any(|l| l.contains(word)), "no {word:?} line in the trace");
    }
    let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The writer was attached after the nodes started; from then on it saw what the ring saw.
    let ring_part = &tail[tail.len() - lines.len()..];
    assert!(lines.len() > 1000);
    for (line, ring_line) in lines.iter().zip(ring_part) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["t_ns"].is_u64() && v["event"].is_string());
        assert_eq!(v["line"].as_str(), Some(ring_line.trim_start()));
    }
}

struct SharedBuf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn net_strategy() -> impl Strategy<Value = NetConfig> {
    (
        (0u64..5, 0u64..30),
        (0.0..0.5f64, 0.0..0.5f64, 0.0..0.3f64),
        (any::<bool>(), any::<bool>(), proptest::option::of(0u64..8000)),
    )
        .prop_map(
            |((lo, spread), (drop_requests, drop_replies, duplicate), (reorder, spike, notice))| {
                let mut net = NetConfig {
                    latency: Latency::millis(lo, lo + spread),
                    drop_requests,
                    drop_replies,
                    duplicate,
                    undeliverable_notice: notice.map(|max| Latency::millis(0, max)),
                    ..NetConfig::reliable()
                };
                if reorder {
                    net = net.with_long_reordering();
                }
                if spike {
                    net.spike =
                        Some(Spike { probability: 0.05, extra: Latency::millis(100, 3000) });
                }
                net
            },
        )
}

fn fault_strategy() -> impl Strategy<Value = Fault> {
    let node = 1..=SERVERS;
    prop_oneof![
        node.clone().prop_map(Fault::Crash),
        node.clone().prop_map(Fault::Restart),
        node.clone().prop_map(Fault::Disconnect),
        node.clone().prop_map(Fault::Connect),
        any::<u32>().prop_map(Fault::Split),
        (node.clone(), node).prop_map(|(a, b)| Fault::OneWay(a, b)),
        Just(Fault::Heal),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_fault_configuration_replays_to_the_same_hash(
        seed in any::<u64>(),
        net in net_strategy(),
        mut schedule in proptest::collection::vec((0u64..1500, fault_strategy()), 0..12),
    ) {
        schedule.sort_by_key(|(at, _)| *at);
        let once = |net: NetConfig| {
            let mut sim = build(seed, net);
            let hash = run(&mut sim, &schedule, 1500);
            (hash, sim.events_processed(), sim.counters().clone())
        };
        let (a, b) = (once(net.clone()), once(net));
        prop_assert_eq!(a.0, b.0);
        prop_assert_eq!(a.1, b.1);
        prop_assert_eq!(a.2, b.2);
    }
}

#[test]
fn a_simulation_can_move_to_another_thread_for_parallel_sweeps() {
    fn assert_send<T: Send>(_: &T) {}
    let sim = build(1, NetConfig::reliable());
    assert_send(&sim);
}

/// `hash_of`'s run, with a schedule recorded or replayed (or both) from the start.
fn scheduled_run(
    seed: u64,
    replay: Option<sim::NetSchedule>,
) -> (u64, sim::NetSchedule, sim::Counters) {
    let mut sim = build(seed, NetConfig::unreliable().with_long_reordering());
    if let Some(schedule) = replay {
        sim.replay_schedule(schedule);
    }
    sim.record_schedule();
    let schedule = random_schedule(&sim, 2000);
    run(&mut sim, &schedule, 2000);
    sim.set_net_config(NetConfig { latency: Latency::millis(5, 5), ..NetConfig::reliable() });
    sim.heal();
    sim.run_for(Duration::from_millis(500));
    let recorded = sim.recorded_schedule().expect("recording is on");
    (sim.trace_hash(), recorded, sim.counters().clone())
}

#[test]
fn a_recorded_schedule_replays_to_the_same_trace_hash() {
    for seed in [0, 1, 0xdead_beef] {
        let (hash, schedule, _) = scheduled_run(seed, None);
        assert_eq!(hash, hash_of(seed), "recording must not change the run (seed {seed:#x})");
        assert!(schedule.messages() > 1000 && schedule.faults() > 100, "{}", schedule.faults());
        let (replayed, again, _) = scheduled_run(seed, Some(schedule.clone()));
        assert_eq!(replayed, hash, "seed {seed:#x}");
        assert_eq!(again, schedule, "a replay records the schedule it replayed");
    }
}

#[test]
fn a_schedule_without_faults_loses_nothing_at_random() {
    let (_, mut schedule, before) = scheduled_run(3, None);
    assert!(schedule.faults() > 0);
    for fate in schedule.fates.values_mut().flatten() {
        *fate = sim::Fate { base: fate.base, ..sim::Fate::default() };
    }
    let (_, recorded, counters) = scheduled_run(3, Some(schedule));
    assert_eq!(recorded.faults(), 0);
    assert!(counters.total().dropped < before.total().dropped, "no loss, only cuts and crashes");
    // Past a lane's end a replay gives the plainest fate, never a drawn fault.
    let (_, recorded, _) = scheduled_run(3, Some(sim::NetSchedule::default()));
    assert_eq!(recorded.faults(), 0);
    assert!(recorded.messages() > 1000);
}
