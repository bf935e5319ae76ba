//! Fault schedules end to end: every catalog scenario's recorded schedule replays to its trace
//! hash; a heavy swarm failure of a "student's" Raft (a type of its own, hosted through the
//! generic lab path) shrinks to a few faults that still fail the same way with one hash; and
//! `tenrec shrink --json` then `tenrec replay --schedule` do the same from the command line.
mod common;

use std::process::Command as Process;

use kv::KvServer;
use raft::RaftNode;
use scenarios::catalog::{catalog, find, find_with};
use scenarios::schedule::{shrink_failure, Schedule, ShrinkOptions};
use scenarios::{Broke, Options, Run};

use common::student::NoUpToDateCheck;

#[test]
fn every_scenario_replays_its_recorded_schedule_to_the_same_hash() {
    for scenario in catalog::<RaftNode>() {
        let options = Options { trace_capacity: 0, ..Options::default() };
        let first = scenario.run(Run::new(3).options(options).tail(0).record_schedule());
        let schedule = first.schedule.clone().expect("recorded");
        assert_eq!(schedule.trace_hash, first.trace_hash, "{}", scenario.name);
        // Through the file, as a user replays it.
        let read = Schedule::from_json(&schedule.to_json(), "mem").expect("reads back");
        assert_eq!(read, schedule, "{}", scenario.name);
        let again = scenario.run(Run::new(3).options(options).tail(0).schedule(read));
        assert_eq!(again.trace_hash, first.trace_hash, "{}", scenario.name);
        assert_eq!(again.broke(), first.broke(), "{}", scenario.name);
    }
}

#[test]
fn a_students_heavy_swarm_failure_shrinks_to_the_faults_that_matter() {
    let scenario = find_with::<NoUpToDateCheck, KvServer<NoUpToDateCheck>>("swarm.raft")
        .expect("in the catalog");
    let run = |r: Run| scenario.run(r);
    let options = ShrinkOptions { max_runs: 400 };
    let done =
        shrink_failure(&run, 0, Options::default(), options, &mut |_| true).expect("seed 0 fails");
    let before = done.original.schedule.as_ref().unwrap();
    let after = &done.shrunk.schedule;
    assert!(before.fault_events() >= 500, "a storm: {} fault events", before.fault_events());
    assert_eq!(done.shrunk.original_events, before.fault_events());
    assert!(
        after.fault_events() * 10 <= before.fault_events(),
        "at most 10% kept: {} -> {}",
        before.fault_events(),
        after.fault_events()
    );
    let broke = done.original.broke().unwrap();
    assert!(matches!(broke, Broke::Invariant(_)), "{broke}");
    assert_eq!(done.replay.broke(), Some(broke), "the same invariant still breaks");
    assert!(done.deterministic, "replayed twice to the schedule's hash");
    assert_eq!(done.replay.trace_hash, after.trace_hash);
    // Every fault left is needed: without any one of them the failure goes away or changes
    // (ddmin stopped at a 1-minimal schedule within its budget).
    assert_eq!(done.shrunk.stop.as_str(), "minimal");
}

#[test]
fn tenrec_shrink_writes_a_schedule_that_tenrec_replays() {
    let dir = std::env::temp_dir().join(format!("tenrec-shrink-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shrunk.json");
    let tenrec = env!("CARGO_BIN_EXE_tenrec");
    let args = ["shrink", "swarm.raft", "--seed", "17", "--bug", "no_step_down_on_higher_term"];
    let out = Process::new(tenrec)
        .args(args)
        .args(["--json", "--out", file.to_str().unwrap()])
        .output()
        .expect("tenrec runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(json["kind"], "invariant:election safety");
    let before = json["before"]["fault_events"].as_u64().unwrap();
    let after = json["after"]["fault_events"].as_u64().unwrap();
    assert!(before >= 100 && after * 10 <= before, "{before} -> {after}");
    assert_eq!(json["deterministic"], true);
    let schedule = Schedule::from_json(&std::fs::read_to_string(&file).unwrap(), "f").unwrap();
    assert_eq!(schedule.fault_events() as u64, after);
    assert_eq!(format!("{:016x}", schedule.trace_hash), json["after"]["trace_hash"]);
    assert_eq!(schedule.bugs, vec!["no_step_down_on_higher_term".to_string()]);

    // The replay command it prints: the failure, with the schedule's hash.
    let replay = Process::new(tenrec)
        .args(["replay", "--schedule", file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&replay.stdout);
    assert_eq!(replay.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("{:016x}", schedule.trace_hash)), "{text}");
    assert!(text.contains("election safety"), "{text}");
    assert!(String::from_utf8_lossy(&replay.stderr).contains("the same trace hash as recorded"));

    // A seed that passes has nothing to shrink; a broken schedule file is named in the error.
    let pass = Process::new(tenrec)
        .args(["shrink", "agree.basic_indices", "--seed", "1"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(pass.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pass.stderr).contains("no failure to shrink"));
    std::fs::write(&file, "{\"format\": 7}").unwrap();
    let bad = Process::new(tenrec)
        .args(["replay", "--schedule", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("shrunk.json:1:") && err.contains("expected a string"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_kv_failure_keeps_its_kind_with_fewer_faults_and_a_shorter_workload() {
    let scenario = find::<RaftNode>("kv.concurrent_clients_unreliable").unwrap();
    let run = |r: Run| scenario.run(r);
    let options = Options {
        kv_bugs: kv::KvBugs::only("no_duplicate_detection").unwrap(),
        ..Options::default()
    };
    let done = shrink_failure(&run, 0, options, ShrinkOptions::default(), &mut |_| true)
        .expect("seed 0 fails");
    let before = done.original.schedule.as_ref().unwrap();
    let after = &done.shrunk.schedule;
    assert_eq!(done.replay.broke(), Some(Broke::NotLinearizable));
    assert!(done.deterministic);
    assert!(after.fault_events() * 10 <= before.fault_events(), "{}", after.fault_events());
    // The clerks' random workload may be cut short: the history that still fails is shorter.
    assert!(after.client_ops() < before.client_ops(), "{} ops", after.client_ops());
    let ops = |r: &scenarios::Report| r.kv.unwrap().operations;
    assert!(ops(&done.replay) < ops(&done.original), "{} operations", ops(&done.replay));
}
