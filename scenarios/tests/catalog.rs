//! Every scenario of the catalog passes on the reference Raft for a few seeds, each run twice
//! with the same trace hash. `TENREC_SEEDS=0..200` widens the seed range.
use raft::RaftNode;
use scenarios::{catalog, Options, Run};

/// The seeds to run: `TENREC_SEEDS` (`A..B` or one seed), else a small fixed set for CI.
fn seeds() -> std::ops::Range<u64> {
    let Ok(text) = std::env::var("TENREC_SEEDS") else { return 0..5 };
    let parse = |s: &str| -> u64 {
        let s = s.trim();
        match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => s.parse(),
        }
        .unwrap_or_else(|_| panic!("TENREC_SEEDS: `{s}` is not a seed"))
    };
    match text.split_once("..") {
        Some((a, b)) => parse(a)..parse(b),
        None => parse(&text)..parse(&text) + 1,
    }
}

#[test]
fn every_scenario_passes_twice_with_the_same_trace() {
    let all = catalog::<RaftNode>();
    assert!(all.len() >= 30, "sections A-E hold at least 30 scenarios");
    let mut failures = Vec::new();
    for scenario in &all {
        for seed in seeds() {
            let options = Options::default();
            let first = scenario.run(Run::new(seed).options(options).tail(0));
            let second = scenario.run(Run::new(seed).options(options).tail(0));
            if !first.passed() {
                // Run again with the trace on for a readable report.
                let traced = scenario.run(
                    Run::new(seed).options(Options { trace_capacity: 2000, ..options }).tail(30),
                );
                failures.push(traced.failure_text());
            }
            assert_eq!(
                (first.trace_hash, first.events, first.virtual_time),
                (second.trace_hash, second.events, second.virtual_time),
                "{} seed {seed} is not deterministic",
                scenario.name
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_unique_and_dotted() {
    let all = catalog::<RaftNode>();
    let mut names: Vec<&str> = all.iter().map(|s| s.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), all.len(), "duplicate scenario names");
    for prefix in ["election.", "agree.", "persist.", "unreliable.", "churn.", "snap."] {
        assert!(names.iter().any(|n| n.starts_with(prefix)), "no {prefix} scenario");
    }
}

#[test]
fn the_trace_does_not_change_the_hash() {
    let scenario = catalog::find::<RaftNode>("agree.follower_reconnect_catchup").unwrap();
    let quiet = scenario.run(Run::new(9).options(Options::default()).tail(0));
    let traced = scenario
        .run(Run::new(9).options(Options { trace_capacity: 5000, ..Options::default() }).tail(50));
    assert_eq!(quiet.trace_hash, traced.trace_hash);
    assert!(!traced.trace_tail.is_empty());
    assert_ne!(
        quiet.trace_hash,
        scenario.run(Run::new(10).options(Options::default()).tail(0)).trace_hash
    );
}
