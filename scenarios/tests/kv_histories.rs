//! SCENARIOS.md 40: every KV scenario records its clients' history and checks it. Each KV
//! scenario's report must show a linearizability check that decided a non-empty history (by
//! the search or by the fast path for unique values), and
//! its goals; a checker that cannot decide is its own verdict (exit code 4), never a pass.
use raft::RaftNode;
use scenarios::{catalog, Broke, Failure, Options, Run};

#[test]
fn every_kv_scenario_checks_a_non_empty_history() {
    let kv: Vec<_> = catalog::<RaftNode>().into_iter().filter(|s| s.is_kv()).collect();
    assert!(kv.len() >= 23, "sections F and G hold 23 KV scenarios, found {}", kv.len());
    for scenario in &kv {
        let report = scenario.run(Run::new(0).options(Options::default()).tail(0));
        assert!(report.passed(), "{}", report.failure_text());
        let kv = report.kv.unwrap_or_else(|| panic!("{}: no KV facts", scenario.name));
        assert!(kv.operations >= 5, "{}: only {} operations", scenario.name, kv.operations);
        let decided = kv.check.steps + kv.check.fast_path_keys;
        assert!(decided > 0, "{}: the checker decided no key", scenario.name);
        assert!(!report.goals.is_empty(), "{}: no goal reached", scenario.name);
    }
}

#[test]
fn an_undecided_check_has_its_own_exit_code() {
    let failure = Failure::undecided("out of steps");
    assert_eq!(failure.broke, Broke::Undecided);
    assert_eq!(failure.broke.exit_code(), 4);
    assert_eq!(Failure::not_linearizable("stale read").broke.exit_code(), 2);
}

#[test]
fn raft_scenarios_have_no_client_history_and_swarm_reports_its_mix() {
    let raft = catalog::find::<RaftNode>("agree.basic_indices").expect("a Raft scenario");
    assert!(!raft.is_kv());
    let report = raft.run(Run::new(1));
    assert!(report.kv.is_none() && report.history.is_none() && report.fault_mix.is_none());
    let swarm = catalog::find::<RaftNode>("swarm.raft").expect("the Raft swarm");
    let mix = swarm.run(Run::new(1)).fault_mix.expect("a swarm run reports its mix");
    assert!(mix.contains("servers"), "{mix}");
}
