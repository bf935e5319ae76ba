//! The suite is generic over the `Consensus` trait: broken implementations must fail it, with
//! the right class of failure, and the printed replay command must reproduce the failure
//! (same verdict, same trace hash).
use std::process::Command as Process;
use std::sync::Arc;

use raft::{
    Bugs, Command, Config, Consensus, Entry, LogIndex, Message, NotLeader, PersistedState,
    RaftNode, Ready, Status, Term,
};
use scenarios::{catalog, Broke, Options, Report, Run};

/// The reference Raft with one deliberate mistake a student makes: it never writes
/// `current_term` / `voted_for` to disk, yet votes and campaigns.
struct ForgetsHardState(RaftNode);

impl Consensus for ForgetsHardState {
    fn restart(config: Config, persisted: &PersistedState) -> Self {
        ForgetsHardState(RaftNode::restart(config, persisted))
    }
    fn tick(&mut self) {
        self.0.tick()
    }
    fn step(&mut self, message: Message) {
        self.0.step(message)
    }
    fn propose(&mut self, command: Command) -> Result<(LogIndex, Term), NotLeader> {
        self.0.propose(command)
    }
    fn snapshot(&mut self, index: LogIndex, data: Arc<[u8]>) {
        self.0.snapshot(index, data)
    }
    fn ready(&mut self) -> Ready {
        let mut ready = self.0.ready();
        ready.hard_state = None;
        ready
    }
    fn status(&self) -> Status {
        self.0.status()
    }
    fn log_term(&self, index: LogIndex) -> Option<Term> {
        self.0.log_term(index)
    }
    fn log_entry(&self, index: LogIndex) -> Option<Entry> {
        self.0.log_entry(index)
    }
}

#[test]
fn a_raft_that_does_not_persist_its_vote_breaks_the_ready_contract() {
    let scenario = catalog::find::<ForgetsHardState>("election.initial_stable").unwrap();
    let report = scenario.run(Run::new(5).options(Options::default()).tail(0));
    let failure = report.failure.clone().expect("the broken Raft must fail");
    assert_eq!(failure.broke, Broke::Contract, "{failure}");
    assert_eq!(report.exit_code(), 2);
    // The reference Raft passes the same scenario and seed.
    let reference = catalog::find::<RaftNode>("election.initial_stable").unwrap();
    assert!(reference.run(Run::new(5).options(Options::default()).tail(0)).passed());
}

/// Reruns a report's replay command in-process: the scenario, seed and `--bug` switches it
/// names.
fn replay_in_process(report: &Report) -> Report {
    let line = report.replay_command();
    let words: Vec<&str> = line.split_whitespace().collect();
    let after = |flag: &str| -> Vec<&str> {
        words.windows(2).filter(|w| w[0] == flag).map(|w| w[1]).collect()
    };
    let run_at = words.iter().rposition(|w| *w == "run").expect("a tenrec run command");
    let name = words[run_at + 1];
    let seed: u64 = after("--seed")[0].parse().unwrap();
    let bugs = Bugs::parse(&after("--bug")).expect("known switches");
    catalog::find::<RaftNode>(name).unwrap().run(
        Run::new(seed).options(Options { bugs, trace_capacity: 0, ..Options::default() }).tail(0),
    )
}

/// Mutation switches and a scenario that catches each, with the class of failure expected.
const ZOO: [(&str, &str, u64, Broke); 7] = [
    ("forget_voted_for", "agree.basic_indices", 0, Broke::Contract),
    ("forget_current_term", "election.initial_stable", 0, Broke::Contract),
    (
        "vote_without_up_to_date_check",
        "agree.follower_reconnect_catchup",
        0,
        Broke::Invariant("leader completeness"),
    ),
    (
        "no_step_down_on_higher_term",
        "agree.partitioned_leader_rejoin_discards_uncommitted",
        0,
        Broke::Invariant("election safety"),
    ),
    ("skip_apply_after_snapshot", "snap.basic_no_faults", 0, Broke::Invariant("in-order apply")),
    ("block_on_slow_peer", "net.long_delays_nonblocking_leader", 1, Broke::Liveness),
    (
        "commit_previous_term_by_counting",
        "unreliable.figure8_long_reordering",
        24,
        Broke::Invariant("leader completeness"),
    ),
];

#[test]
fn each_mutation_switch_is_caught_and_its_replay_reproduces_it() {
    for (bug, name, seed, broke) in ZOO {
        let options =
            Options { bugs: Bugs::only(bug).unwrap(), trace_capacity: 0, ..Options::default() };
        let report =
            catalog::find::<RaftNode>(name).unwrap().run(Run::new(seed).options(options).tail(0));
        let failure = report.failure.clone().unwrap_or_else(|| panic!("{bug} escaped {name}"));
        assert_eq!(failure.broke, broke, "{bug} in {name}: {failure}");
        assert!(report.replay_command().contains(&format!("--bug {bug}")));
        let again = replay_in_process(&report);
        assert_eq!(again.failure, report.failure, "{bug}: the replay gives another verdict");
        assert_eq!(again.trace_hash, report.trace_hash, "{bug}: the replay takes another path");
    }
}

#[test]
fn the_tenrec_binary_reproduces_a_failure_with_the_same_hash() {
    let options = Options {
        bugs: Bugs::only("forget_current_term").unwrap(),
        trace_capacity: 0,
        ..Options::default()
    };
    let report = catalog::find::<RaftNode>("agree.basic_indices")
        .unwrap()
        .run(Run::new(42).options(options).tail(0));
    assert!(!report.passed());
    let out = Process::new(env!("CARGO_BIN_EXE_tenrec"))
        .args(["run", "agree.basic_indices", "--seed", "0x2a", "--bug", "forget_current_term"])
        .output()
        .expect("tenrec runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains(&format!("{:016x}", report.trace_hash)), "{stdout}");
    assert!(stdout.contains("what broke: ready contract"), "{stdout}");
    assert!(stdout.contains(&report.replay_command()), "{stdout}");
}

#[test]
fn the_tenrec_binary_passes_the_reference_and_rejects_bad_usage() {
    let tenrec = env!("CARGO_BIN_EXE_tenrec");
    let out = Process::new(tenrec).args(["run", "agree.basic_indices", "--seed", "7"]).output();
    let out = out.expect("tenrec runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("PASS agree.basic_indices seed 7"));
    let out = Process::new(tenrec).args(["run", "no.such", "--seed", "7"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let mut sweep = Process::new(tenrec);
    let out = sweep.args(["sweep", "agree.basic_indices", "--seeds", "0..4"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 passed, 0 failed"));
}
