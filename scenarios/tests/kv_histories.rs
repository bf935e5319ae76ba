//! SCENARIOS.md 40: every KV scenario records its clients' history and checks it. Each KV
//! scenario's trace must hold the note of a linearizability check over a non-empty history,
//! and its goals; a checker that cannot decide is its own verdict (exit code 4), never a pass.
use raft::RaftNode;
use scenarios::{catalog, Broke, Failure, Options};

#[test]
fn every_kv_scenario_checks_a_non_empty_history() {
    let kv: Vec<_> = catalog::<RaftNode>().into_iter().filter(|s| s.is_kv()).collect();
    assert!(kv.len() >= 23, "sections F and G hold 23 KV scenarios, found {}", kv.len());
    for scenario in &kv {
        let options = Options { trace_capacity: 1_000_000, ..Options::default() };
        let report = scenario.run(0, &options, usize::MAX);
        assert!(report.passed(), "{}", report.failure_text());
        let checked = report
            .trace_tail
            .iter()
            .filter_map(|line| line.split("linearizability check of ").nth(1))
            .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
            .next_back();
        let ops = checked.unwrap_or_else(|| panic!("{}: no linearizability check", scenario.name));
        assert!(ops >= 5, "{}: only {ops} operations checked", scenario.name);
        assert!(report.trace_tail.iter().any(|l| l.contains("goal reached")), "{}", scenario.name);
    }
}

#[test]
fn an_undecided_check_has_its_own_exit_code() {
    let failure = Failure::undecided("out of steps");
    assert_eq!(failure.broke, Broke::Undecided);
    assert_eq!(failure.broke.exit_code(), 4);
    assert_eq!(Failure::not_linearizable("stale read").broke.exit_code(), 2);
}
