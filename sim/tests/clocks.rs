//! Per-node clocks: perfect clocks change nothing; drifting and jumping clocks are
//! deterministic, keep their rate within the bound, fire timers by the node's own clock
//! (early when fast, at a forward jump, late after a backward one), and survive crashes.
mod common;

use std::time::Duration;

use common::{drain, Probe, Seen};
use proptest::prelude::*;
use sim::{ClockConfig, NetConfig, NodeId, Sim, SimConfig, SimTime, TraceEvent};

const N1: NodeId = NodeId(1);
const N2: NodeId = NodeId(2);
const SECOND: u64 = 1_000_000_000;

/// Three echoing probes with start timers that chat for two seconds: messages and timers.
fn chat(config: SimConfig) -> Sim<Probe> {
    chat_on(Sim::with_config(config))
}

/// `chat` on a sim built beforehand (and perhaps configured after construction).
fn chat_on(mut sim: Sim<Probe>) -> Sim<Probe> {
    for i in 1..=3 {
        let start_timer = Some(Duration::from_millis(100 * u64::from(i)));
        sim.add_node(NodeId(i), Probe { echo: true, start_timer, ..Probe::default() });
    }
    for round in 0..20u64 {
        let from = NodeId(1 + (round % 3) as u32);
        let to = NodeId(1 + ((round + 1) % 3) as u32);
        common::send(&mut sim, from, to, common::Msg::Req(round));
        sim.with_node(from, |_, ctx| ctx.set_timer(Duration::from_millis(7 * round), round));
        sim.run_for(Duration::from_millis(100));
    }
    sim
}

fn config(seed: u64, clocks: ClockConfig) -> SimConfig {
    let mut config = SimConfig::new(seed);
    config.net = NetConfig::unreliable();
    config.clocks = clocks;
    config
}

fn rough() -> ClockConfig {
    ClockConfig::drift(50_000)
        .with_wander(5_000, Duration::from_millis(100))
        .with_jumps(Duration::from_millis(300), Duration::from_millis(20))
}

#[test]
fn perfect_clocks_hash_like_no_clock_config_at_all() {
    for seed in 0..5 {
        let plain = chat(SimConfig { net: NetConfig::unreliable(), ..SimConfig::new(seed) });
        let off = chat(config(seed, ClockConfig::off()));
        let mut set = config(seed, ClockConfig::off());
        set.clocks = ClockConfig::drift(0).with_wander(10, Duration::from_secs(1));
        let perfect_but_different = chat(set);
        assert_eq!(plain.trace_hash(), off.trace_hash());
        assert_eq!(plain.trace_hash(), perfect_but_different.trace_hash());
        assert_eq!(plain.trace_tail(5000), off.trace_tail(5000));
        assert!(plain.clock_report().iter().all(|c| c.rate_ppm == 0 && c.offset_nanos == 0));
    }
}

#[test]
fn the_same_seed_and_clocks_give_the_same_trace() {
    let a = chat(config(11, rough()));
    let b = chat(config(11, rough()));
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.clock_report(), b.clock_report());
    assert_ne!(a.trace_hash(), chat(config(11, ClockConfig::off())).trace_hash());
    assert_ne!(a.trace_hash(), chat(config(12, rough())).trace_hash());
}

#[test]
fn setting_clocks_at_time_zero_is_the_same_as_configuring_them() {
    let configured = chat(config(3, rough()));
    let mut plain = config(3, ClockConfig::off());
    plain.clocks = ClockConfig::off();
    let mut sim: Sim<Probe> = Sim::with_config(plain);
    sim.set_clock_config(rough()).expect("valid");
    assert_eq!(sim.clock_config(), &rough());
    // `chat` on the sim whose clocks were set after construction.
    let set_later = chat_on(sim);
    assert_eq!(configured.trace_hash(), set_later.trace_hash());
}

#[test]
fn a_refused_config_is_an_error_not_a_panic() {
    let mut sim: Sim<Probe> = Sim::new(1);
    let error = sim.set_clock_config(ClockConfig::drift(2_000_000)).unwrap_err();
    assert!(error.to_string().contains("max_drift_ppm"), "{error}");
    assert_eq!(sim.clock_config(), &ClockConfig::off());
}

/// A sim of probes `n1..=n{nodes}` (no start timers) with `clocks`.
fn quiet(seed: u64, nodes: u32, clocks: ClockConfig) -> Sim<Probe> {
    let mut sim = Sim::with_config(SimConfig { clocks, ..SimConfig::new(seed) });
    for i in 1..=nodes {
        sim.add_node(NodeId(i), Probe::default());
    }
    sim
}

/// Sets a timer of `after` on `node` now and runs until it fires; (true time, local time).
fn fire(sim: &mut Sim<Probe>, node: NodeId, after: Duration) -> (SimTime, SimTime) {
    sim.with_node(node, |_, ctx| ctx.set_timer(after, 77)).expect("node is up");
    loop {
        sim.step().expect("the timer is pending");
        if let Some((_, Seen::Timer { at, tag: 77, .. })) = drain(sim).pop() {
            return (sim.now(), at);
        }
    }
}

#[test]
fn a_fast_clock_fires_a_one_second_timer_early_by_its_rate() {
    let mut checked = 0;
    for seed in 0..10 {
        let mut sim = quiet(seed, 1, ClockConfig::drift(100_000));
        let rate = i128::from(sim.clock_report()[0].rate_ppm);
        let (fired, local) = fire(&mut sim, N1, Duration::from_secs(1));
        // 1 s / (1 + r / 1e6), in integers: the first nanosecond the clock reads 1 s.
        let expected = 1_000_000_000i128 * 1_000_000 / (1_000_000 + rate);
        let error = i128::from(fired.as_nanos()) - expected;
        assert!(error.abs() <= 2, "seed {seed}: rate {rate} fired at {fired}, expected {expected}");
        assert!(local >= SimTime::from_secs(1) && local.as_nanos() - SECOND <= 1, "{local}");
        if rate > 0 {
            assert!(fired < SimTime::from_secs(1), "a fast clock fires early");
            checked += 1;
        }
    }
    assert!(checked > 0, "some seed must draw a fast clock");
}

#[test]
fn nodes_read_their_own_clocks_while_sim_now_is_the_truth() {
    let mut sim = quiet(5, 2, ClockConfig::drift(20_000));
    sim.run_until(SimTime::from_secs(10));
    assert_eq!(sim.now(), SimTime::from_secs(10));
    let (one, two) = (sim.local_time(N1), sim.local_time(N2));
    assert_ne!(one, two);
    assert_ne!(one, sim.now());
    let seen = sim.with_node(N1, |_, ctx| ctx.now()).expect("up");
    assert_eq!(seen, one, "Ctx::now is the node's clock");
    for summary in sim.clock_report() {
        let offset = i128::from(sim.local_time(summary.node).as_nanos()) - 10 * i128::from(SECOND);
        assert_eq!(i128::from(summary.offset_nanos), offset);
        assert_eq!(i128::from(summary.offset_nanos), 10 * i128::from(summary.rate_ppm) * 1000);
    }
}

/// `node`'s clock offset at true time `t`, from a fresh run (a clock is a pure function).
fn offset_at(seed: u64, clocks: &ClockConfig, node: NodeId, t: u64) -> i128 {
    let mut sim = quiet(seed, node.0, clocks.clone());
    sim.run_until(SimTime::from_nanos(t));
    i128::from(sim.local_time(node).as_nanos()) - i128::from(t)
}

/// The first jump of `node`'s clock (when the clock only jumps): its true time and size.
fn first_jump(seed: u64, clocks: &ClockConfig, node: NodeId) -> (u64, i128) {
    let (mut lo, mut hi) = (0u64, 2 * SECOND); // offset 0 at lo, not at hi
    assert_ne!(offset_at(seed, clocks, node, hi), 0, "a jump within 2 s");
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_at(seed, clocks, node, mid) == 0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (hi, offset_at(seed, clocks, node, hi))
}

fn jumpy() -> ClockConfig {
    ClockConfig::off().with_jumps(Duration::from_secs(1), Duration::from_millis(400))
}

#[test]
fn a_forward_jump_fires_a_timer_it_skips_at_the_jump() {
    let seed = (0..50).find(|&s| first_jump(s, &jumpy(), N1).1 > 1_000).expect("a forward jump");
    let (at, by) = first_jump(seed, &jumpy(), N1);
    let mut sim = quiet(seed, 1, jumpy());
    // Without the jump this timer would fire halfway through the skipped stretch.
    let after = Duration::from_nanos(at + (by / 2) as u64);
    let (fired, local) = fire(&mut sim, N1, after);
    assert_eq!(fired.as_nanos(), at);
    assert_eq!(i128::from(local.as_nanos()), i128::from(at) + by);
    let jump = sim.trace_records(10).find(|r| matches!(r.event, TraceEvent::ClockJump { .. }));
    let jump = jump.expect("the jump is traced when the timer observes it");
    assert_eq!(jump.time.as_nanos(), at);
    assert_eq!(
        jump.event.to_string(),
        // Jumps here are under a second, where the trace's short durations read as `SimTime`'s.
        format!(
            "clock n1 jumps +{} at {}",
            SimTime::from_nanos(by as u64),
            SimTime::from_nanos(at)
        )
    );
    assert_eq!(sim.clock_report()[0].jumps, 1);
}

#[test]
fn a_backward_jump_delays_a_pending_timer() {
    let seed = (0..50).find(|&s| first_jump(s, &jumpy(), N1).1 < -1_000).expect("a backward jump");
    let (at, by) = first_jump(seed, &jumpy(), N1);
    let mut sim = quiet(seed, 1, jumpy());
    let after = Duration::from_nanos(at + 1_000_000);
    let (fired, local) = fire(&mut sim, N1, after);
    // The clock reads `at + by` right after the jump and must climb back to `at + 1ms`.
    assert_eq!(i128::from(fired.as_nanos()), i128::from(at) - by + 1_000_000);
    assert_eq!(local.as_nanos(), at + 1_000_000);
}

#[test]
fn local_time_saturates_at_zero_after_an_early_backward_jump() {
    let early = ClockConfig::off().with_jumps(Duration::from_millis(1), Duration::from_secs(1));
    let two_ms = 2_000_000;
    let seed = (0..50)
        .find(|&s| offset_at(s, &early, N1, two_ms) == -i128::from(two_ms))
        .expect("an early jump back past zero");
    let mut sim = quiet(seed, 1, early);
    sim.run_until(SimTime::from_nanos(two_ms));
    assert_eq!(sim.local_time(N1), SimTime::ZERO);
    assert_eq!(sim.clock_report()[0].offset_nanos, -2_000_000, "the offset of the reading");
    let (fired, local) = fire(&mut sim, N1, Duration::from_millis(1));
    // From a raw reading below zero the clock needs a forward jump, or more than 1 ms.
    assert!(fired > SimTime::from_nanos(two_ms), "{fired}");
    assert!(local >= SimTime::from_millis(1), "{local}");
}

#[test]
fn a_clock_keeps_running_through_a_crash_and_restart() {
    let clocks = ClockConfig::drift(30_000).with_wander(3_000, Duration::from_millis(50));
    let mut steady = quiet(8, 2, clocks.clone());
    steady.run_until(SimTime::from_secs(3));

    let mut crashed = quiet(8, 2, clocks);
    crashed.run_until(SimTime::from_secs(1));
    crashed.crash(N1);
    assert_ne!(crashed.local_time(N1), SimTime::from_secs(1), "a drifting clock reads off");
    crashed.run_until(SimTime::from_secs(2));
    let timer = Some(Duration::from_millis(500));
    crashed.restart(N1, |_| Probe { start_timer: timer, ..Probe::default() });
    let at_restart = crashed.local_time(N1);
    assert!(at_restart > SimTime::from_millis(1900), "not reset by the restart: {at_restart}");
    crashed.run_until(SimTime::from_secs(3));
    assert_eq!(crashed.local_time(N1), steady.local_time(N1));
    assert_eq!(crashed.clock_report(), steady.clock_report());
    let fired = drain(&mut crashed).into_iter().find_map(|(_, seen)| match seen {
        Seen::Timer { at, .. } => Some(at),
        _ => None,
    });
    let fired = fired.expect("the restarted node's timer fired");
    assert!(fired.as_nanos() - (at_restart.as_nanos() + 500_000_000) <= 1, "{fired}");
}

#[test]
fn switching_clocks_mid_run_steps_each_clock_to_the_new_function() {
    let drift = ClockConfig::drift(100_000);
    let mut fresh = quiet(4, 2, drift.clone());
    fresh.run_until(SimTime::from_secs(1));

    let mut sim = quiet(4, 2, ClockConfig::off());
    sim.run_until(SimTime::from_secs(1));
    let before = sim.trace_hash();
    sim.set_clock_config(ClockConfig::off()).expect("valid");
    assert_eq!(sim.trace_hash(), before, "off to off changes nothing");
    sim.set_clock_config(drift).expect("valid");
    assert_ne!(sim.trace_hash(), before, "a new clock model is hashed");
    assert_eq!(sim.local_time(N1), fresh.local_time(N1));
    assert_eq!(sim.local_time(N2), fresh.local_time(N2));
    let last = sim.trace_tail(1).pop().expect("a record");
    assert!(last.ends_with("note: clocks: drift <=100000ppm"), "{last}");
    sim.set_clock_config(ClockConfig::off()).expect("valid");
    assert_eq!(sim.local_time(N1), sim.now());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However the rate wanders, every stretch of a clock without jumps runs within the bound
    /// (up to a nanosecond of rounding at each end), and so does the rate it reports.
    #[test]
    fn the_measured_rate_stays_within_the_bound(
        seed in any::<u64>(),
        max_drift in 1u32..200_000,
        wander in 0u32..100_000,
        every_ms in 1u64..50,
    ) {
        let clocks = ClockConfig::drift(max_drift).with_wander(wander, Duration::from_millis(every_ms));
        let mut sim = quiet(seed, 3, clocks);
        let mut last: Vec<(u64, u64)> = vec![(0, 0); 4];
        for step in 1..=200u64 {
            let t = step * 7_777_777;
            sim.run_until(SimTime::from_nanos(t));
            for node in 1..=3u32 {
                let local = sim.local_time(NodeId(node)).as_nanos();
                let (t0, l0) = last[node as usize];
                let (dt, dl) = (i128::from(t - t0), i128::from(local) - i128::from(l0));
                prop_assert!(dl > 0, "the clock runs forward");
                let error = (dl - dt).abs() * 1_000_000;
                prop_assert!(error <= i128::from(max_drift) * dt + 2_000_000,
                    "n{node}: {dl} local ns in {dt} true ns, bound {max_drift}ppm");
                last[node as usize] = (t, local);
            }
            for summary in sim.clock_report() {
                prop_assert!(summary.rate_ppm.unsigned_abs() <= u64::from(max_drift));
            }
        }
    }
}
