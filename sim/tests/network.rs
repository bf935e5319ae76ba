//! Network faults: loss rates within statistical bounds, partitions, one-way links,
//! disconnects, duplication, reordering, per-link latency and undeliverable notices.
mod common;

use std::time::Duration;

use common::{deliveries, drain, probes, send, Msg, Seen};
use sim::{DropReason, EventKind, Latency, NetConfig, NodeId, SimTime};

const N1: NodeId = NodeId(1);
const N2: NodeId = NodeId(2);
const N3: NodeId = NodeId(3);

/// `count` successes out of `trials` must be within 5 standard deviations of `p * trials`.
fn assert_binomial(count: u64, trials: u64, p: f64) {
    let mean = p * trials as f64;
    let sd = (trials as f64 * p * (1.0 - p)).sqrt();
    let z = (count as f64 - mean) / sd;
    assert!(z.abs() < 5.0, "{count} of {trials}, expected ~{mean:.0} (z = {z:.2})");
}

#[test]
fn unreliable_drops_ten_percent_of_requests_and_of_replies() {
    let mut sim = probes(2, NetConfig::unreliable(), 11);
    let trials = 20_000;
    for i in 0..trials {
        send(&mut sim, N1, N2, Msg::Req(i));
    }
    sim.run_for(Duration::from_secs(1));
    let c = sim.counters();
    let requests = c.kind("Req");
    assert_eq!(requests.sent, trials);
    assert_eq!(requests.delivered + requests.dropped, trials);
    assert_binomial(requests.dropped, trials, 0.1);
    let replies = c.kind("Rep");
    assert_eq!(replies.sent, requests.delivered, "every delivered request is answered");
    assert_binomial(replies.dropped, replies.sent, 0.1);
}

#[test]
fn unreliable_delays_requests_by_up_to_27ms_more() {
    let mut sim = probes(2, NetConfig::unreliable(), 3);
    sim.set_net_config(NetConfig {
        drop_requests: 0.0,
        drop_replies: 0.0,
        ..NetConfig::unreliable()
    });
    for i in 0..2000 {
        send(&mut sim, N1, N2, Msg::Req(i));
    }
    sim.run_for(Duration::from_secs(1));
    let out = drain(&mut sim);
    let arrivals: Vec<SimTime> = out
        .iter()
        .filter_map(|(_, s)| match s {
            Seen::Msg { at, msg: Msg::Req(_), .. } => Some(*at),
            _ => None,
        })
        .collect();
    assert_eq!(arrivals.len(), 2000);
    let max = arrivals.iter().max().unwrap().as_millis();
    let min = arrivals.iter().min().unwrap().as_millis();
    // Base latency U[1,3) ms plus U[0,27) ms.
    assert!(min >= 1 && max < 30, "arrivals between {min} and {max} ms");
    assert!(max >= 20, "the request delay is used (max {max} ms)");
}

#[test]
fn a_partition_delivers_nothing_across_it_then_heals() {
    let mut sim = probes(5, NetConfig::reliable(), 5);
    let client = NodeId(100);
    sim.add_node(client, common::Probe::default());
    let left = [N1, N2, client];
    let right = [N3, NodeId(4), NodeId(5)];
    sim.partition(&[&left[..], &right[..]]);
    let everyone: Vec<NodeId> = left.iter().chain(&right).copied().collect();
    for round in 0..20 {
        for &a in &everyone {
            for &b in &everyone {
                if a != b {
                    send(&mut sim, a, b, Msg::Req(round));
                }
            }
        }
        sim.run_for(Duration::from_millis(10));
    }
    let side = |id: NodeId| left.contains(&id);
    let got = deliveries(&drain(&mut sim));
    assert!(!got.is_empty());
    for (to, from, msg) in &got {
        assert_eq!(side(*to), side(*from), "{from}->{to} {msg} crossed the partition");
    }
    assert!(!sim.can_reach(N1, N3) && sim.can_reach(N1, client) && sim.can_reach(N3, NodeId(5)));

    sim.heal();
    send(&mut sim, N1, N3, Msg::Req(99));
    send(&mut sim, client, NodeId(5), Msg::Req(98));
    sim.run_for(Duration::from_millis(10));
    let got = deliveries(&drain(&mut sim));
    assert!(got.contains(&(N3, N1, Msg::Req(99))));
    assert!(got.contains(&(NodeId(5), client, Msg::Req(98))));
}

#[test]
fn a_partition_drops_messages_already_in_flight_across_it() {
    let mut sim = probes(3, NetConfig::reliable(), 6);
    send(&mut sim, N1, N3, Msg::Req(1));
    send(&mut sim, N1, N2, Msg::Req(2));
    sim.partition(&[vec![N1, N2], vec![N3]]);
    let mut kinds = Vec::new();
    while let Some(ev) = sim.step() {
        kinds.push((ev.node, ev.kind));
    }
    assert!(kinds.contains(&(N3, EventKind::Drop(DropReason::Partitioned))));
    let got = deliveries(&drain(&mut sim));
    assert!(got.iter().all(|(to, _, _)| *to != N3));
    assert!(got.contains(&(N2, N1, Msg::Req(2))));
}

#[test]
fn a_one_way_link_carries_traffic_in_the_other_direction_only() {
    let mut sim = probes(2, NetConfig::reliable(), 7);
    sim.set_link(N1, N2, false);
    send(&mut sim, N1, N2, Msg::Req(1));
    send(&mut sim, N2, N1, Msg::Req(2));
    sim.run_for(Duration::from_millis(50));
    let got = deliveries(&drain(&mut sim));
    // n2's request arrives; n1's answer to it (n1 -> n2) is cut like n1's own request.
    assert_eq!(got, vec![(N1, N2, Msg::Req(2))]);
    assert_eq!(sim.counters().sent_by(N1).dropped, 2);
    sim.set_link(N1, N2, true);
    send(&mut sim, N1, N2, Msg::Req(3));
    sim.run_for(Duration::from_millis(50));
    assert!(deliveries(&drain(&mut sim)).contains(&(N2, N1, Msg::Req(3))));
}

#[test]
fn a_disconnected_node_neither_sends_nor_receives() {
    let mut sim = probes(3, NetConfig::reliable(), 8);
    sim.disconnect(N3);
    for (a, b) in [(N1, N3), (N3, N1), (N1, N2)] {
        send(&mut sim, a, b, Msg::Req(0));
    }
    sim.run_for(Duration::from_millis(50));
    let got = deliveries(&drain(&mut sim));
    assert_eq!(got, vec![(N2, N1, Msg::Req(0)), (N1, N2, Msg::Rep(0))]);
    sim.connect(N3);
    send(&mut sim, N3, N1, Msg::Req(1));
    sim.run_for(Duration::from_millis(50));
    assert_eq!(deliveries(&drain(&mut sim)), vec![(N1, N3, Msg::Req(1)), (N3, N1, Msg::Rep(1))]);
}

#[test]
fn duplication_delivers_copies_at_the_configured_rate() {
    let net = NetConfig { duplicate: 0.25, ..NetConfig::reliable() };
    let mut sim = probes(2, net, 9);
    sim.with_node(N2, |p, _| p.echo = false);
    let trials = 8000;
    for i in 0..trials {
        send(&mut sim, N1, N2, Msg::Req(i));
    }
    sim.run_for(Duration::from_secs(1));
    let stats = sim.counters().total();
    assert_binomial(stats.duplicated, trials, 0.25);
    assert_eq!(stats.delivered, trials + stats.duplicated);
}

#[test]
fn long_reordering_holds_back_about_two_thirds_of_replies() {
    let mut sim = probes(2, NetConfig::long_reordering(), 10);
    let trials = 3000;
    for i in 0..trials {
        send(&mut sim, N1, N2, Msg::Req(i));
    }
    sim.run_for(Duration::from_secs(5));
    let out = drain(&mut sim);
    let reply_times: Vec<u64> = out
        .iter()
        .filter_map(|(_, s)| match s {
            Seen::Msg { at, msg: Msg::Rep(_), .. } => Some(at.as_millis()),
            _ => None,
        })
        .collect();
    assert_eq!(reply_times.len() as u64, trials);
    let late = reply_times.iter().filter(|&&t| t >= 200).count() as u64;
    assert_binomial(late, trials, 2.0 / 3.0);
    assert!(reply_times.iter().all(|&t| t < 2210), "200 + rand(1 + rand(2000)) ms at most");
    // Requests are not reordered: all arrive within the base latency.
    let requests_late = out
        .iter()
        .any(|(_, s)| matches!(s, Seen::Msg { at, msg: Msg::Req(_), .. } if at.as_millis() >= 3));
    assert!(!requests_late);
}

#[test]
fn a_per_link_latency_overrides_the_base() {
    let mut sim = probes(3, NetConfig::reliable(), 12);
    sim.set_link_latency(N1, N2, Some(Latency::fixed(Duration::from_millis(500))));
    send(&mut sim, N1, N2, Msg::Req(1));
    send(&mut sim, N1, N3, Msg::Req(2));
    sim.run_for(Duration::from_secs(1));
    let out = drain(&mut sim);
    let at = |to: NodeId| {
        out.iter()
            .find_map(|(id, s)| match s {
                Seen::Msg { at, msg: Msg::Req(_), .. } if *id == to => Some(at.as_millis()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(at(N2), 500);
    assert!(at(N3) < 3);
}

#[test]
fn a_request_to_a_down_peer_comes_back_within_the_notice_window() {
    for (net, window_ms) in [(NetConfig::reliable(), 100), (NetConfig::long_delays(), 7000)] {
        let mut sim = probes(2, net, 13);
        sim.crash(N2);
        for i in 0..500 {
            send(&mut sim, N1, N2, Msg::Req(i));
        }
        sim.run_for(Duration::from_secs(10));
        let times: Vec<u64> = drain(&mut sim)
            .iter()
            .filter_map(|(_, s)| match s {
                Seen::Undeliverable { at, to, .. } if *to == N2 => Some(at.as_millis()),
                _ => None,
            })
            .collect();
        assert_eq!(times.len(), 500, "every request comes back");
        let max = *times.iter().max().unwrap();
        assert!(max < window_ms && max > window_ms * 8 / 10, "max {max} ms, window {window_ms} ms");
    }
}

#[test]
fn lost_replies_and_disabled_notices_give_no_notice() {
    let net = NetConfig { drop_replies: 1.0, ..NetConfig::reliable() };
    let mut sim = probes(2, net, 14);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.run_for(Duration::from_secs(1));
    let out = drain(&mut sim);
    assert!(out.iter().all(|(_, s)| !matches!(s, Seen::Undeliverable { .. })));
    assert_eq!(sim.counters().kind("Rep").dropped, 1);

    let net = NetConfig { undeliverable_notice: None, ..NetConfig::reliable() };
    let mut sim = probes(2, net, 14);
    sim.crash(N2);
    send(&mut sim, N1, N2, Msg::Req(1));
    sim.run_for(Duration::from_secs(1));
    assert!(drain(&mut sim).is_empty());
}

#[test]
fn labrpc_counters_count_dispatched_requests_and_rpc_bytes() {
    let mut sim = probes(3, NetConfig::reliable(), 15);
    sim.crash(N3);
    for i in 0..4 {
        send(&mut sim, N1, N2, Msg::Req(i));
    }
    send(&mut sim, N1, N3, Msg::Req(9));
    sim.run_for(Duration::from_secs(1));
    let c = sim.counters();
    assert_eq!(c.total().requests_sent, 5);
    assert_eq!(c.sent_to(N2).requests_delivered, 4);
    assert_eq!(c.sent_to(N3).requests_delivered, 0);
    // Five requests of 100 bytes at send, four replies of 10 bytes at delivery.
    assert_eq!(c.total().rpc_bytes, 5 * 100 + 4 * 10);
    assert_eq!(c.sent_by(N1).sent, 5);
    assert_eq!(c.sent_by(N1).dropped, 1);
}
