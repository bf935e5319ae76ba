//! Follower reads (issue 14) on the reference KV: `kv.follower_reads_partitioned`'s recorded
//! history holds a stale read served by a cut-off follower, which the linearizability checker
//! rejects and the sequential-consistency check accepts; the same story on a linearizable
//! read path keeps its history linearizable; the swarm never draws follower reads.
use checker::models::Kv;
use checker::{check, check_sequential, Decision, Verdict};
use kv::ReadPath;
use raft::RaftNode;
use scenarios::{catalog, Options, Run};

const SCENARIO: &str = "kv.follower_reads_partitioned";

#[test]
fn seed_0_is_not_linearizable_and_is_sequentially_consistent() {
    let scenario = catalog::find::<RaftNode>(SCENARIO).expect("in the catalog");
    let report = scenario.run(Run::new(0).keep_history());
    assert!(report.passed(), "{}", report.failure_text());
    let history = report.history.expect("kept").to_checker();
    let reads: Vec<String> = history
        .iter()
        .map(|op| format!("c{} {:?} {:?}", op.client.0, op.input.op, op.outcome))
        .collect();
    assert_eq!(reads.len(), 5, "the reader's Put and Get, the writer's, the stale Get: {reads:?}");
    let options = checker::Options::default();
    assert_eq!(check(&Kv, &history, &options).verdict, Verdict::NotLinearizable);
    let sequential = check_sequential(&Kv, &history, &options).expect("a program order");
    assert_eq!(sequential.verdict, Decision::Holds);
    let goals = [
        "the follower applied the reader's write before the partition",
        "the follower's stale read: not linearizable, sequentially consistent",
    ];
    assert_eq!(report.goals, goals);
}

#[test]
fn on_the_log_read_path_the_minority_cannot_answer_and_the_history_is_linearizable() {
    let scenario = catalog::find::<RaftNode>(SCENARIO).expect("in the catalog");
    let options = Options { reads: Some(ReadPath::Log), ..Options::default() };
    let report = scenario.run(Run::new(0).options(options).keep_history());
    assert!(report.passed(), "{}", report.failure_text());
    assert_eq!(report.goals.len(), 1, "no stale read was served: {:?}", report.goals);
    let history = report.history.expect("kept").to_checker();
    assert_eq!(check(&Kv, &history, &checker::Options::default()).verdict, Verdict::Linearizable);
}

#[test]
fn the_bug_makes_a_linearizable_read_path_serve_the_stale_read() {
    // With the switch on, `--reads read-index` still serves the cut-off follower's stale
    // value, so the story takes its follower-read branch and passes: the same histories.
    let scenario = catalog::find::<RaftNode>(SCENARIO).expect("in the catalog");
    let kv_bugs = kv::KvBugs::only("follower_reads_as_linearizable").unwrap();
    let options = Options { reads: Some(ReadPath::ReadIndex), kv_bugs, ..Options::default() };
    let report = scenario.run(Run::new(0).options(options).keep_history());
    assert!(report.passed(), "{}", report.failure_text());
    let history = report.history.expect("kept").to_checker();
    let options = checker::Options::default();
    assert_eq!(check(&Kv, &history, &options).verdict, Verdict::NotLinearizable);
}

#[test]
fn no_other_scenario_and_no_swarm_seed_draws_follower_reads() {
    // Every other story ends in the linearizability check, which follower reads fail.
    for scenario in scenarios::catalog::<RaftNode>() {
        for seed in 0..200 {
            let follower = scenario.setup(seed).read_path == ReadPath::Follower;
            assert_eq!(follower, scenario.name == SCENARIO, "{} seed {seed}", scenario.name);
        }
    }
}
