//! The crash model: delivery stops at once, a dead incarnation's timers, messages and writes
//! are void, and a restart sees exactly what was last persisted.
mod common;

use std::time::Duration;

use common::{deliveries, drain, probes, send, Msg, Probe, Seen};
use sim::{DropReason, EventKind, NetConfig, NodeId, Sim};

const N1: NodeId = NodeId(1);
const N2: NodeId = NodeId(2);

fn drops(sim: &mut Sim<Probe>) -> Vec<DropReason> {
    let mut reasons = Vec::new();
    while let Some(ev) = sim.step() {
        if let EventKind::Drop(reason) = ev.kind {
            reasons.push(reason);
        }
    }
    reasons
}

#[test]
fn a_crashed_node_receives_nothing_even_what_was_already_in_flight() {
    let mut sim = probes(2, NetConfig::reliable(), 1);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.crash(N2);
    assert!(!sim.is_alive(N2) && sim.node(N2).is_none());
    send(&mut sim, N1, N2, Msg::Req(2)); // dropped at send: the receiver is down
    assert_eq!(drops(&mut sim), vec![DropReason::ReceiverDown]);
    assert!(deliveries(&drain(&mut sim)).is_empty());
    assert_eq!(sim.counters().sent_to(N2).dropped, 2);
    assert_eq!(sim.counters().sent_to(N2).delivered, 0);
}

#[test]
fn a_message_in_flight_to_the_old_incarnation_is_not_delivered_to_the_new_one() {
    let mut sim = probes(2, NetConfig::reliable(), 2);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.restart(N2, |_| Probe { echo: true, ..Probe::default() }); // crash + restart at once
    assert_eq!(sim.incarnation(N2), Some(1));
    assert_eq!(drops(&mut sim), vec![DropReason::ReceiverRestarted]);
    assert!(deliveries(&drain(&mut sim)).is_empty());
}

#[test]
fn messages_sent_by_a_dead_incarnation_are_not_delivered() {
    let mut sim = probes(2, NetConfig::reliable(), 3);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.crash(N1);
    sim.restart(N1, |_| Probe::default());
    // The restarted sender is up, but the words of the dead one are lost.
    assert_eq!(drops(&mut sim), vec![DropReason::SenderCrashed]);
    assert!(deliveries(&drain(&mut sim)).is_empty());

    // A reply a server sends and then crashes before it lands is lost too (labrpc: a crashed
    // server's replies are never delivered).
    send(&mut sim, N1, N2, Msg::Req(2));
    sim.step(); // n2 receives Req(2) and answers
    sim.crash(N2);
    assert_eq!(drops(&mut sim), vec![DropReason::SenderCrashed]);
    assert_eq!(deliveries(&drain(&mut sim)), vec![(N2, N1, Msg::Req(2))]);
}

#[test]
fn timers_of_a_dead_incarnation_never_fire_on_the_new_one() {
    let mut sim: Sim<Probe> = Sim::new(4);
    let probe = || Probe { start_timer: Some(Duration::from_millis(100)), ..Probe::default() };
    sim.add_node(N1, probe()); // timer tag 1000 due at 100 ms
    sim.run_for(Duration::from_millis(10));
    sim.crash(N1);
    sim.run_for(Duration::from_millis(10));
    sim.restart(N1, |_| probe()); // timer tag 1001 due at 120 ms
    sim.run_for(Duration::from_secs(1));
    let fired: Vec<(u64, u32, u64)> = drain(&mut sim)
        .into_iter()
        .filter_map(|(_, s)| match s {
            Seen::Timer { at, tag, incarnation } => Some((tag, incarnation, at.as_millis())),
            _ => None,
        })
        .collect();
    assert_eq!(fired, vec![(1001, 1, 120)]);
}

#[test]
fn a_cancelled_timer_does_not_fire_and_others_timers_cannot_be_cancelled() {
    let mut sim: Sim<Probe> = Sim::new(5);
    sim.add_node(N1, Probe::default());
    sim.add_node(N2, Probe::default());
    let t1 = sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(5), 1)).unwrap();
    let t2 = sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(6), 2)).unwrap();
    assert!(!sim.with_node(N2, |_, ctx| ctx.cancel_timer(t2)).unwrap());
    assert!(sim.with_node(N1, |_, ctx| ctx.cancel_timer(t1)).unwrap());
    assert!(!sim.with_node(N1, |_, ctx| ctx.cancel_timer(t1)).unwrap());
    sim.run_for(Duration::from_millis(10));
    let tags: Vec<u64> = drain(&mut sim)
        .into_iter()
        .filter_map(|(_, s)| if let Seen::Timer { tag, .. } = s { Some(tag) } else { None })
        .collect();
    assert_eq!(tags, vec![2]);
    assert!(!sim.with_node(N1, |_, ctx| ctx.cancel_timer(t2)).unwrap(), "already fired");
}

#[test]
fn writes_after_a_crash_are_lost_and_restart_sees_the_last_persisted_state() {
    let mut sim: Sim<Probe> = Sim::new(6);
    sim.add_node(N1, Probe { persist_on_timer: true, ..Probe::default() });
    for (after, tag) in [(10, 1), (20, 2), (40, 4)] {
        sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(after), tag));
    }
    sim.run_for(Duration::from_millis(30)); // persists 1 and 2
    sim.crash(N1);
    assert!(
        sim.with_node(N1, |_, ctx| ctx.durable_mut().push(99)).is_none(),
        "no ctx for the dead"
    );
    sim.run_for(Duration::from_millis(100)); // the timer that would persist 4 is void
    assert_eq!(sim.durable(N1), Some(&vec![1, 2]));

    let mut seen_by_factory = None;
    sim.restart(N1, |durable| {
        seen_by_factory = Some(durable.clone());
        Probe { persist_on_timer: true, ..Probe::default() }
    });
    assert_eq!(seen_by_factory, Some(vec![1, 2]));
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(1), 7));
    sim.run_for(Duration::from_millis(5));
    assert_eq!(sim.durable(N1), Some(&vec![1, 2, 7]));
}

#[test]
fn the_tester_can_replace_durable_state_before_a_restart() {
    let mut sim: Sim<Probe> = Sim::new(7);
    sim.add_node(N1, Probe::default());
    sim.crash(N1);
    *sim.durable_mut(N1).unwrap() = vec![42]; // e.g. a snapshot to restart from
    let mut seen = Vec::new();
    sim.restart(N1, |d| {
        seen = d.clone();
        Probe::default()
    });
    assert_eq!(seen, vec![42]);
}

#[test]
fn a_dead_sender_gets_no_undeliverable_notice() {
    let mut sim = probes(2, NetConfig::reliable(), 8);
    sim.crash(N2);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.crash(N1);
    sim.restart(N1, |_| Probe::default());
    sim.run_for(Duration::from_secs(1));
    assert!(drain(&mut sim).is_empty());
}

#[test]
fn run_until_stops_at_its_bound_even_after_skipping_void_timers() {
    let mut sim: Sim<Probe> = Sim::new(9);
    sim.add_node(N1, Probe::default());
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(10), 1)); // void after the crash
    sim.restart(N1, |_| Probe::default());
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(60), 2));
    assert_eq!(sim.run_until(sim::SimTime::from_millis(50)), 0);
    assert_eq!(sim.now(), sim::SimTime::from_millis(50));
    assert!(drain(&mut sim).is_empty(), "the 60 ms timer must not run before 60 ms");
    assert_eq!(sim.run_for(Duration::from_millis(10)), 1);
    assert_eq!(drain(&mut sim).len(), 1);
}

/// A tester steps by hand: it peeks, compares with its bound, then steps. Void events at the
/// head must not fool it: with only a dead node's timers left, nothing is pending (a churn
/// scenario that crashed every server once panicked on "an event is pending"), and a peek
/// within the bound is followed by exactly that event, never a later one.
#[test]
fn peek_time_sees_past_void_events_so_a_peek_then_step_loop_is_exact() {
    let mut sim: Sim<Probe> = Sim::new(10);
    sim.add_node(N1, Probe::default());
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(10), 1));
    sim.crash(N1);
    assert_eq!(sim.peek_time(), None, "only a dead incarnation's timer is left");
    assert!(sim.step().is_none());

    sim.restart(N1, |_| Probe::default());
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(10), 2)); // void soon
    sim.restart(N1, |_| Probe::default());
    sim.with_node(N1, |_, ctx| ctx.set_timer(Duration::from_millis(60), 3));
    let bound = sim::SimTime::from_millis(50);
    assert_eq!(sim.peek_time(), Some(sim::SimTime::from_millis(60)));
    assert!(sim.peek_time().is_some_and(|t| t > bound), "the void 10 ms timer is not seen");
    let ev = sim.step().expect("the 60 ms timer is pending");
    assert_eq!(ev.time, sim::SimTime::from_millis(60));
}
