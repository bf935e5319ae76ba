//! `tenrec soak`: a short soak stops when its time is up and reports seeds/hour per scenario;
//! a soak of a broken Raft stops at its first failure with the failure's exit code and replay
//! command; and that first failure is the lowest failing seed, whatever the number of jobs.

use serde_json::Value;

mod cli;
use cli::tenrec;

#[test]
fn a_short_soak_stops_in_time_and_reports_seeds_per_hour() {
    // 0.02 minutes is 1.2 s; what a host takes beyond that is finishing the runs in flight.
    let out = tenrec(&["soak", "--minutes", "0.02", "--jobs", "2"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    for scenario in ["swarm.raft", "swarm.kv"] {
        let line = out.stdout.lines().find(|l| l.trim_start().starts_with(scenario));
        let line = line.unwrap_or_else(|| panic!("no line for {scenario}: {}", out.stdout));
        assert!(line.contains("seeds/hour"), "{line}");
    }
    assert!(out.stdout.contains(", 0 failed"), "{}", out.stdout);
    assert!(out.stdout.contains("go on with: tenrec soak --from 1"), "{}", out.stdout);
    assert!(out.stderr.contains("from seed 1000000"), "{}", out.stderr);
}

#[test]
fn a_soak_stops_at_the_first_failure_with_its_code_and_replay_command() {
    let out = tenrec(&["soak", "--minutes", "5", "--bug", "forget_voted_for"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    // Every swarm.raft seed fails with this bug, and swarm.raft is first in catalog order.
    assert!(out.stdout.starts_with("FAIL swarm.raft seed 1000000 "), "{}", out.stdout);
    assert!(out.stdout.contains("what broke: ready contract"), "{}", out.stdout);
    let replay = "replay: cargo run --release -p scenarios --bin tenrec -- run swarm.raft \
                  --seed 1000000 --bug forget_voted_for";
    assert!(out.stdout.contains(replay), "{}", out.stdout);
    assert!(out.stdout.contains("seeds/hour"), "{}", out.stdout);
    assert!(!out.stdout.contains("go on with"), "{}", out.stdout);
}

#[test]
fn the_first_failure_is_the_lowest_failing_seed_whatever_the_jobs() {
    // This bug fails some swarm.raft seeds and not others: the sweep names the lowest one.
    let bug = "accept_stale_vote_replies";
    let seeds = "1000000..1000012";
    let sweep = tenrec(&["sweep", "swarm.raft", "--seeds", seeds, "--bug", bug, "--json"]);
    let summary: Value = serde_json::from_str(&sweep.stdout).expect("a JSON summary");
    let lowest = summary["failures"][0]["seed"].as_u64().expect("a failure in the range");
    assert!(lowest > 1_000_000, "the first seed fails: pick a bug that lets it pass");
    let expected = format!("FAIL swarm.raft seed {lowest} ");
    for jobs in ["1", "2", "3"] {
        let out = tenrec(&["soak", "--scenarios", "swarm.raft", "--jobs", jobs, "--bug", bug]);
        assert_eq!(out.code, Some(2), "--jobs {jobs}: {}", out.stderr);
        assert!(out.stdout.starts_with(&expected), "--jobs {jobs}: {}", out.stdout);
    }
}
