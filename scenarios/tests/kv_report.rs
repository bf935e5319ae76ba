//! How a failing KV scenario is explained: with kv's `no_duplicate_detection` switch on,
//! `kv.concurrent_clients_unreliable` seed 0 fails as not linearizable, its failure text names
//! the key, the minimal failing sub-history (client, virtual times, operation) and the
//! operation that cannot be placed, the same text on every run; the replay command asks for
//! the HTML report, and that report shows the failing key and the blocked operation.
use kv::KvBugs;
use raft::RaftNode;
use scenarios::{catalog, Broke, Options, Report, Run};

const NAME: &str = "kv.concurrent_clients_unreliable";

/// Runs NAME seed 0 with duplicate detection off, as `tenrec run --bug no_duplicate_detection`
/// does, keeping the history for the HTML report.
fn run_seed0() -> Report {
    let scenario = catalog::find::<RaftNode>(NAME).expect("a catalog scenario");
    let kv_bugs = KvBugs::only("no_duplicate_detection").expect("a kv switch");
    let options = Options { kv_bugs, ..Options::default() };
    scenario.run(Run::new(0).options(options).keep_history())
}

#[test]
fn the_failure_text_shows_the_minimal_sub_history_and_is_deterministic() {
    let report = run_seed0();
    let failure = report.failure.as_ref().expect("duplicate detection off is caught");
    assert_eq!(failure.broke, Broke::NotLinearizable, "{}", report.failure_text());
    let text = report.failure_text();
    for needle in [
        "is not linearizable on key \"3\"",
        "key \"3\": minimal failing sub-history: 1 operation as recorded cannot be linearized",
        // The core: the read that saw an append twice, with its client and virtual times.
        "c4   called 712.98473ms, returned 725.239205ms  get(\"3\") -> \"x4.0yx4.0yx4.1y\"",
        // Its context: the appends, each allowed to take effect once or never.
        "append(\"3\", \"x4.0y\") -> ok",
        "no linearization can place next:",
        "--html out.html",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!report.history.as_ref().expect("kept").records().is_empty());

    // Minimizing is bounded by counts, not wall time: the same text every time.
    let again = run_seed0();
    assert_eq!(again.trace_hash, report.trace_hash);
    assert_eq!(again.failure_text(), text);
}

#[test]
fn the_html_report_shows_the_failing_key_and_the_blocked_operation() {
    let page = run_seed0().html().expect("a KV run kept its history");
    let path = std::env::temp_dir().join(format!("tenrec-kv-report-{}.html", std::process::id()));
    std::fs::write(&path, &page).expect("the report is written");
    let written = std::fs::read_to_string(&path).expect("the report reads back");
    let _ = std::fs::remove_file(&path);
    assert!(written.starts_with("<!DOCTYPE html>"));
    // Every key is decided; the failing one is a section of its own.
    assert_eq!(written.matches(r#"data-verdict="not-linearizable""#).count(), 1, "one failing key");
    assert!(written.contains(r#"data-verdict="linearizable""#), "the other keys are shown too");
    assert!(written.contains("<h2>key &quot;3&quot;</h2>"), "the failing key's section");
    // The operation that cannot be placed, marked on the timeline and said in words.
    assert!(written.contains("data-blocked=\"get(&quot;3&quot;) -&gt;"), "blocked marker");
    assert!(written.contains("class=\"blocked-op\""));
    assert!(written.contains("Minimal failing sub-history"));
    // Operations are placed in virtual time, as the sim prints it, and the run's verdict and
    // replay command are on top.
    assert!(written.contains("called 712.98473ms, returned 725.239205ms"));
    assert!(written.contains("FAIL (linearizability)"));
    assert!(written.contains("--bug no_duplicate_detection"));
}

#[test]
fn a_passing_run_has_a_report_too() {
    let scenario = catalog::find::<RaftNode>(NAME).expect("a catalog scenario");
    let report = scenario.run(Run::new(0).keep_history());
    assert!(report.passed(), "{}", report.failure_text());
    let page = report.html().expect("a KV run kept its history");
    assert!(page.contains(">PASS<"));
    assert!(!page.contains(r#"data-verdict="not-linearizable""#));
}

#[test]
fn raft_scenarios_have_no_client_history() {
    let scenario = catalog::find::<RaftNode>("agree.basic_indices").expect("a Raft scenario");
    // `--html` draws its timeline instead (scenarios::timeline); the checker's page needs a history.
    assert!(!scenario.is_kv());
    assert!(scenario.run(Run::new(0).keep_history()).html().is_none());
}
