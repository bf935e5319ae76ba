//! The KV scenarios catch kv's mutation switches: with duplicate detection off, the unreliable
//! scenarios fail on the linearizability check or the append checks, and the failure's replay
//! command (scenario, seed, `--bug`) reproduces the very same run.
use kv::KvBugs;
use raft::RaftNode;
use scenarios::{catalog, Broke, Options, Report, Run};

/// Runs `name` for `seed` with `bugs` on.
fn run(name: &str, seed: u64, bugs: KvBugs) -> Report {
    let scenario = catalog::find::<RaftNode>(name).expect("a catalog scenario");
    let options = Options { kv_bugs: bugs, ..Options::default() };
    scenario.run(Run::new(seed).options(options).tail(0))
}

/// Parses a replay command back into (scenario, seed, kv bugs), as `tenrec run` would.
fn parse_replay(command: &str) -> (String, u64, KvBugs) {
    let words: Vec<&str> = command.split_whitespace().collect();
    // `cargo run ... -- run NAME --seed N [--bug B]...`: the subcommand follows the `--`.
    let at = words.iter().position(|w| *w == "--").expect("a cargo run command") + 1;
    assert_eq!(words[at], "run");
    let name = words[at + 1].to_string();
    let seed_at = words.iter().position(|w| *w == "--seed").expect("a seed");
    let seed = words[seed_at + 1].parse().expect("a decimal seed");
    let mut bugs = KvBugs::none();
    for pair in words.windows(2).filter(|pair| pair[0] == "--bug") {
        bugs = bugs.union(KvBugs::only(pair[1]).expect("a kv bug"));
    }
    (name, seed, bugs)
}

#[test]
fn no_duplicate_detection_fails_the_unreliable_scenarios_and_replays() {
    let bugs = KvBugs::only("no_duplicate_detection").unwrap();
    for name in [
        "kv.concurrent_clients_unreliable",
        "kv.one_key_concurrent_appends_unreliable",
        "kv.restarts_many_unreliable",
    ] {
        let caught = (0..4).map(|seed| run(name, seed, bugs)).find(|report| !report.passed());
        let report = caught.unwrap_or_else(|| panic!("{name} never caught no_duplicate_detection"));
        let broke = &report.failure.as_ref().unwrap().broke;
        assert_eq!(*broke, Broke::NotLinearizable, "{name}: {}", report.failure_text());
        assert_eq!(report.exit_code(), 2);
        let command = report.replay_command();
        assert!(command.contains("--bug no_duplicate_detection"), "{command}");
        let (replay_name, seed, replay_bugs) = parse_replay(&command);
        let again = run(&replay_name, seed, replay_bugs);
        assert_eq!((again.trace_hash, again.failure), (report.trace_hash, report.failure));
    }
}

#[test]
fn the_correct_server_passes_the_same_runs() {
    for name in ["kv.concurrent_clients_unreliable", "kv.one_key_concurrent_appends_unreliable"] {
        let report = run(name, 0, KvBugs::none());
        assert!(report.passed(), "{}", report.failure_text());
    }
}
