//! Lab mode as an instructor relies on it: the reference implementations score 100%, a
//! skeleton of unfinished methods scores 0%, every zoo mutant graded as a submission loses points in
//! the part its bug belongs to, and grading twice writes identical results; a failing lab test
//! says what broke and how to replay it on the student's own code, once, without panic noise.
mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use kv::{KvBugs, KvServer};
use raft::{
    Bugs, Command, Config, Consensus, Entry, LogIndex, Message, NotLeader, PersistedState,
    RaftNode, Ready, Status, Term,
};
use scenarios::lab::{grade, run_test, Grade, Grading, Part};
use scenarios::zoo::READ_SWITCHES;
use scenarios::Options;

use common::student::NoUpToDateCheck;

/// A student's first commit: every method still unfinished, failing as the template's
/// placeholders do (the same panic message).
struct Skeleton;

impl Consensus for Skeleton {
    fn restart(_: Config, _: &PersistedState) -> Self {
        Skeleton
    }
    fn tick(&mut self) {
        unfinished("Consensus::tick")
    }
    fn step(&mut self, _: Message) {
        unfinished("Consensus::step")
    }
    fn propose(&mut self, _: Command) -> Result<(LogIndex, Term), NotLeader> {
        unfinished("Consensus::propose")
    }
    fn snapshot(&mut self, _: LogIndex, _: Arc<[u8]>) {
        unfinished("Consensus::snapshot")
    }
    fn ready(&mut self) -> Ready {
        unfinished("Consensus::ready")
    }
    fn status(&self) -> Status {
        unfinished("Consensus::status")
    }
    fn log_term(&self, _: LogIndex) -> Option<Term> {
        unfinished("Consensus::log_term")
    }
    fn log_entry(&self, _: LogIndex) -> Option<Entry> {
        unfinished("Consensus::log_entry")
    }
}

/// What the template's placeholder says when reached: "not yet implemented: <what>".
fn unfinished(what: &str) -> ! {
    panic!("not yet implemented: {what}")
}

const RAFT_PARTS: [Part; 5] =
    [Part::Raft3A, Part::Raft3B, Part::Raft3C, Part::Raft3D, Part::Raft3X];
const KV_PARTS: [Part; 3] = [Part::Kv4A, Part::Kv4B, Part::Kv4X];

fn corpus() -> Vec<u64> {
    (0..5).collect()
}

fn grading(parts: &[Part], options: Options) -> Grading {
    Grading { options, ..Grading::new(parts, corpus()) }
}

fn reference(parts: &[Part], options: Options) -> Grade {
    grade::<RaftNode, KvServer<RaftNode>>(&grading(parts, options))
}

#[test]
fn the_reference_scores_everything_and_grades_the_same_twice() {
    let first = reference(&Part::ALL, Options::default());
    assert_eq!(first.score(), first.max_score(), "{}", first.table());
    assert_eq!(
        first.max_score(),
        63 + 21,
        "every scenario is one graded test, and so is every conformance check"
    );
    let second = reference(&Part::ALL, Options::default());
    assert_eq!(first.results_json("hidden"), second.results_json("hidden"));
    assert_eq!(first.junit_xml(), second.junit_xml());
    let json = first.results_json("hidden");
    assert!(json.contains(r#""name": "3C persist.figure8_crash_storm""#), "{json}");
    assert!(json.contains(r#""visibility": "hidden""#));
    let check = r#""name": "3A conformance.one_vote_per_term""#;
    assert!(json.contains(check), "{json}");
}

#[test]
fn a_skeleton_scores_nothing_and_says_what_is_not_implemented() {
    let grade = grade::<Skeleton, KvServer<Skeleton>>(&grading(&Part::ALL, Options::default()));
    assert_eq!(grade.score(), 0, "{}", grade.table());
    let failed = &grade.tests[0];
    assert!(failed.output.contains("not yet implemented: Consensus::"), "{}", failed.output);
    assert!(failed.output.contains("cargo test --release part3a_"), "{}", failed.output);
}

/// The part each mutant's bug belongs to, where the suite loses its points. Three Raft bugs
/// (the Figure 8 commit rule, stale vote replies, the vote timer) no targeted scenario
/// catches, only the swarm; the conformance checks of their rules do, in their own parts.
const BELONGS: [(&str, Part); 20] = [
    ("vote_without_up_to_date_check", Part::Raft3B),
    ("commit_previous_term_by_counting", Part::Raft3B),
    ("forget_voted_for", Part::Raft3C),
    ("forget_current_term", Part::Raft3C),
    ("accept_stale_vote_replies", Part::Raft3A),
    ("truncate_on_any_append", Part::Raft3B),
    ("no_step_down_on_higher_term", Part::Raft3A),
    ("no_timer_reset_on_vote", Part::Raft3A),
    ("skip_apply_after_snapshot", Part::Raft3D),
    ("block_on_slow_peer", Part::Raft3B),
    // Raft's read mistakes (ReadIndex, leases): only a service's reads reach them, so the KV parts grade them.
    ("read_index_without_term_commit", Part::Kv4A),
    ("read_index_without_heartbeat_round", Part::Kv4A),
    ("lease_without_drift_margin", Part::Kv4A),
    ("no_duplicate_detection", Part::Kv4A),
    ("reply_before_commit", Part::Kv4A),
    ("get_without_log_on_leader", Part::Kv4A),
    ("get_without_log_anywhere", Part::Kv4A),
    ("snapshot_without_sessions", Part::Kv4X),
    // Since Gets are served by ReadIndex, only writes wait at log indices: the grading seeds
    // catch it where restarts and partitions overwrite proposals, in the snapshot part.
    ("reply_without_checking_command", Part::Kv4B),
    ("follower_reads_as_linearizable", Part::Kv4A),
];

#[test]
fn every_zoo_mutant_graded_as_a_submission_loses_points_in_its_part() {
    assert_eq!(BELONGS.len(), Bugs::NAMES.len() + KvBugs::NAMES.len());
    let mut table = String::new();
    for (name, part) in BELONGS {
        let (options, parts) = match (Bugs::only(name), KvBugs::only(name)) {
            (Some(bugs), _) if READ_SWITCHES.contains(&name) => {
                (Options { bugs, ..Options::default() }, &KV_PARTS[..])
            }
            (Some(bugs), _) => (Options { bugs, ..Options::default() }, &RAFT_PARTS[..]),
            (_, Some(kv_bugs)) => (Options { kv_bugs, ..Options::default() }, &KV_PARTS[..]),
            _ => panic!("{name} is no mutation switch"),
        };
        let grade = reference(parts, options);
        let failed = grade.failed_parts();
        table.push_str(&format!("{name}: {}/{} {failed:?}\n", grade.score(), grade.max_score()));
        assert!(grade.score() < grade.max_score(), "{name} loses no points:\n{}", grade.table());
        assert!(failed.contains(&part), "{name} keeps every point of {part}:\n{}", grade.table());
    }
    println!("{table}");
}

#[test]
fn a_failing_lab_test_reports_once_with_the_students_replay_command() {
    std::env::set_var("TENREC_SEED", "0x2a");
    let panic = catch_unwind(AssertUnwindSafe(|| {
        run_test::<Skeleton, KvServer<Skeleton>>(
            "agree.basic_indices",
            "part3b_agree_basic_indices",
        )
    }));
    std::env::remove_var("TENREC_SEED");
    let text = panic.expect_err("the skeleton fails").downcast::<String>().expect("a report");
    assert!(text.contains("FAIL agree.basic_indices seed 42"), "{text}");
    assert!(text.contains("not yet implemented: Consensus::"), "{text}");
    assert!(text.contains("(at scenarios/tests/lab_grade.rs:"), "the student's line: {text}");
    let replay = "TENREC_SEED=0x2a cargo test --release part3b_agree_basic_indices -- --exact";
    assert!(text.contains(replay), "{text}");
    assert!(text.lines().count() < 60, "a short report, not a wall: {text}");
}

/// Runs lab test `test` of `R`; the report it fails with. (The seeds are whatever the
/// environment says: the test next door sets `TENREC_SEED` for a while, and a check that
/// breaks its rule on every seed does not care.)
fn conformance_report<R: Consensus>(check: &str, test: &str) -> String {
    let panic = catch_unwind(AssertUnwindSafe(|| run_test::<R, KvServer<R>>(check, test)));
    *panic.expect_err("the check fails").downcast::<String>().expect("a report")
}

#[test]
fn a_failing_conformance_check_names_the_rule_its_steps_and_the_replay_command() {
    let test = "part3a_conformance_votes_only_for_an_up_to_date_log";
    let text =
        conformance_report::<NoUpToDateCheck>("conformance.votes_only_for_an_up_to_date_log", test);
    assert!(text.starts_with("FAIL conformance.votes_only_for_an_up_to_date_log seed "), "{text}");
    assert!(text.contains("what broke: assertion: n2 (log ending at index 2, term 2)"), "{text}");
    assert!(
        text.contains("the rule: Figure 2, RequestVote RPC, Receiver implementation 2"),
        "{text}"
    );
    assert!(text.contains("    send n2->n1 VoteReply t3 granted\n"), "the node's steps: {text}");
    let replay = format!(" cargo test --release {test} -- --exact\n");
    assert!(text.contains("  replay: TENREC_SEED=0x") && text.contains(&replay), "{text}");
    // The same check on an unfinished node: one report of the first placeholder reached.
    let text = conformance_report::<Skeleton>("conformance.votes_only_for_an_up_to_date_log", test);
    assert!(
        text.contains(
            "what broke: panic: the implementation panicked: not yet implemented: Consensus::"
        ),
        "{text}"
    );
    assert!(text.contains("(at scenarios/tests/lab_grade.rs:"), "the student's line: {text}");
}

#[test]
fn tenrec_grade_runs_workers_and_writes_gradescope_and_junit_results() {
    let out = std::env::temp_dir().join(format!("tenrec-grade-{}", std::process::id()));
    let grade = |extra: &[&str]| {
        let mut args = vec!["grade", "--seeds", "0..2", "--part", "3A", "--out"];
        args.push(out.to_str().expect("a UTF-8 temp dir"));
        args.extend_from_slice(extra);
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_tenrec")).args(&args).output();
        let run = run.expect("tenrec runs");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let results = std::fs::read_to_string(out.join("results.json")).expect("results.json");
        let junit = std::fs::read_to_string(out.join("junit.xml")).expect("junit.xml");
        (String::from_utf8_lossy(&run.stdout).to_string(), results, junit)
    };
    let (table, results, junit) = grade(&[]);
    // Part 3A: four election scenarios and nine conformance checks.
    assert!(table.contains("3A") && table.contains("13/13"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&results).expect("valid JSON");
    let tests = json["tests"].as_array().expect("a tests array");
    assert_eq!(tests.len(), 13);
    for test in tests {
        for field in ["name", "score", "max_score", "output", "visibility"] {
            assert!(!test[field].is_null(), "{field} missing in {test}");
        }
    }
    assert!(junit.contains(r#"<testsuites name="tenrec lab" tests="13" failures="0">"#), "{junit}");

    let (table, results, _) = grade(&["--bug", "no_step_down_on_higher_term"]);
    let json: serde_json::Value = serde_json::from_str(&results).expect("valid JSON");
    assert!(json["score"].as_u64() < Some(13), "{table}");
    let _ = std::fs::remove_dir_all(&out);
}
