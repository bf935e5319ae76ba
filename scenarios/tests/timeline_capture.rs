//! What a run records for its timeline, checked against the run itself: roles and terms that
//! start at time 0, agree with election safety and restart with each new incarnation; every
//! message paired with its fate; the failure marked at the time the run stopped; KV
//! operations placed inside their call..return interval, and the one that cannot be placed
//! being the one the failure text names. A run that did not ask records nothing.
use std::collections::BTreeMap;

use kv::KvBugs;
use raft::{Bugs, RaftNode, Role};
use scenarios::timeline::{pair, Fate};
use scenarios::{catalog, Broke, Options, Report, Run};
use sim::{NodeId, SimTime, TraceEvent};

fn run(name: &str, run: Run) -> Report {
    catalog::find::<RaftNode>(name).expect("a catalog scenario").run(run)
}

#[test]
fn a_raft_run_with_restarts_records_roles_terms_and_lives() {
    let report = run("persist.leader_and_follower_crash_stale_node", Run::new(3).timeline());
    assert!(report.passed(), "{}", report.failure_text());
    let timeline = report.timeline.as_ref().expect("asked for");
    let servers = timeline.servers();
    assert_eq!(servers.len(), 3);

    // Every lane starts at time 0, as a follower of term 0.
    for id in servers {
        let first = timeline.roles().iter().find(|c| c.node == *id).expect("sampled");
        assert_eq!((first.at, first.role, first.term.0), (SimTime::ZERO, Role::Follower, 0));
    }
    // Election safety, read off the lanes: one leader per term, and leaders were elected.
    let mut leaders: BTreeMap<u64, NodeId> = BTreeMap::new();
    for change in timeline.roles().iter().filter(|c| c.role == Role::Leader) {
        let first = *leaders.entry(change.term.0).or_insert(change.node);
        assert_eq!(first, change.node, "two leaders in term {}", change.term.0);
    }
    assert!(!leaders.is_empty(), "the story elects leaders");
    // A server's term never goes down, not even across a restart (it is persisted).
    for id in servers {
        let terms: Vec<u64> =
            timeline.roles().iter().filter(|c| c.node == *id).map(|c| c.term.0).collect();
        assert!(terms.windows(2).all(|w| w[0] <= w[1]), "{id}: {terms:?}");
    }
    // Each restart in the trace starts a new life on the server's lane at that very time.
    let restarts: Vec<(SimTime, NodeId)> = timeline
        .records()
        .iter()
        .filter_map(|r| match r.event {
            TraceEvent::Restart { node } => Some((r.time, node)),
            _ => None,
        })
        .collect();
    let crashes =
        timeline.records().iter().filter(|r| matches!(r.event, TraceEvent::Crash { .. })).count();
    assert!(!restarts.is_empty() && crashes >= restarts.len(), "the story crashes servers");
    for (k, &(at, node)) in restarts.iter().enumerate() {
        let life = restarts[..=k].iter().filter(|(_, n)| *n == node).count() as u32;
        let change = timeline.roles().iter().find(|c| c.node == node && c.incarnation == life);
        let change = change.unwrap_or_else(|| panic!("no sample of {node}'s life {life}"));
        assert_eq!(change.at, at, "{node} restarted at {at}");
    }
    // The records are the whole trace: the report's tail is its end.
    let last = timeline.records().last().expect("records").to_string();
    assert_eq!(report.trace_tail.last(), Some(&last));
    assert_eq!(timeline.end(), report.virtual_time);
}

#[test]
fn every_message_is_paired_with_its_fate() {
    // A lossy network that duplicates: swarm.raft seed 0 drops and copies messages.
    let report = run("swarm.raft", Run::new(0).timeline());
    let timeline = report.timeline.as_ref().expect("asked for");
    let count = |name: &str| timeline.records().iter().filter(|r| r.event.name() == name).count();
    let messages = pair(timeline.records());
    assert_eq!(messages.len(), count("send") + count("duplicate"));
    assert!(count("duplicate") > 0 && count("drop") > 0, "the network copies and loses");
    let delivered = messages.iter().filter(|m| matches!(m.fate, Fate::Delivered(_))).count();
    let dropped = messages.iter().filter(|m| matches!(m.fate, Fate::Dropped(..))).count();
    assert_eq!(delivered, count("deliver"), "each delivery found its send");
    assert_eq!(dropped, count("drop"), "each drop found its send");
    for m in &messages {
        if let Fate::Delivered(at) | Fate::Dropped(at, _) = m.fate {
            assert!(at >= m.sent, "{m:?}");
        }
    }
}

#[test]
fn a_broken_invariant_is_marked_when_the_run_stopped() {
    let bugs = Bugs::only("commit_previous_term_by_counting").expect("a switch");
    let options = Options { bugs, ..Options::default() };
    let report = run("swarm.raft", Run::new(0).options(options).timeline());
    let failure = report.failure.as_ref().expect("the bug is caught");
    let mark = report.timeline.as_ref().and_then(|t| t.failure()).expect("marked");
    assert_eq!(mark.kind, failure.broke.to_string());
    assert_eq!(mark.message, failure.message);
    assert_eq!(mark.at, report.virtual_time);
    assert_eq!(mark.blocked_op, None);
}

#[test]
fn kv_operations_are_placed_and_the_unplaceable_one_is_the_one_named() {
    let kv_bugs = KvBugs::only("no_duplicate_detection").expect("a kv switch");
    let options = Options { kv_bugs, ..Options::default() };
    let report = run("kv.concurrent_clients_unreliable", Run::new(0).options(options).timeline());
    assert_eq!(report.broke(), Some(Broke::NotLinearizable), "{}", report.failure_text());
    let timeline = report.timeline.as_ref().expect("asked for");
    let kv = timeline.kv().expect("a KV run");
    let records = kv.history.records();
    let blocked = timeline.failure().and_then(|f| f.blocked_op).expect("an unplaceable op");
    let op = &records[blocked];
    let (ret, _) = op.ret.as_ref().expect("it returned");
    let named = format!("called {}, returned {}", op.call, ret);
    let text = report.failure_text();
    let after = text.split("no linearization can place next:").nth(1).expect("named");
    assert!(after.contains(&named), "{named} not in:\n{text}");
    assert!(kv.linearization.places[blocked].is_none());
    // Every client of the history has a clerk (a lane) on the timeline.
    for record in records {
        assert!(kv.clerks.iter().any(|(client, _)| *client == record.client), "{record:?}");
    }
}

#[test]
fn a_linearizable_history_places_every_returned_operation_inside_its_interval() {
    let report = run("kv.concurrent_clients_reliable", Run::new(1).timeline());
    assert!(report.passed(), "{}", report.failure_text());
    let kv = report.timeline.as_ref().and_then(|t| t.kv()).expect("a KV run");
    assert!(kv.linearization.blocked.is_empty());
    for (record, place) in kv.history.records().iter().zip(&kv.linearization.places) {
        let Some((ret, _)) = &record.ret else { continue };
        let place = place.as_ref().expect("a linearizable history places every returned op");
        assert!(record.call <= place.earliest && place.earliest <= place.point);
        assert!(place.point <= place.latest && place.latest <= *ret, "{record:?} {place:?}");
        assert!(place.state_after.starts_with("key "), "{}", place.state_after);
    }
}

#[test]
fn a_run_that_does_not_ask_records_no_timeline_and_the_same_trace() {
    let plain = run("persist.leader_and_follower_crash_stale_node", Run::new(3));
    let timed = run("persist.leader_and_follower_crash_stale_node", Run::new(3).timeline());
    assert!(plain.timeline.is_none());
    assert_eq!(plain.trace_hash, timed.trace_hash, "recording changes nothing in the run");
    assert_eq!(plain.events, timed.events);
}
