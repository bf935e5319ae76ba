//! `tenrec`'s usage errors, found before any work starts: a `--jobs` beyond the bound (which
//! would start that many threads), an empty or overflowing seed range (which would sweep
//! nothing and pass), and an output file or directory that cannot be written (which would
//! lose a long run's verdict at its end). Each exits 1 with a message naming the flag. Also
//! `tenrec check --failed-cas`, whose unknown values are usage errors too.
use std::path::{Path, PathBuf};

mod cli;
use cli::tenrec;

/// Asserts a usage error: exit 1, nothing on stdout (no run happened), `needle` on stderr.
fn assert_usage_error(args: &[&str], needle: &str) {
    let out = tenrec(args);
    assert_eq!(out.code, Some(1), "{args:?}: {}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{args:?} ran: {}", out.stdout);
    assert!(out.stderr.contains(needle), "{args:?}: {needle:?} not in {}", out.stderr);
}

/// A fresh directory holding a plain file, `plain`: a path under it cannot be created.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_usage").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    std::fs::write(dir.join("plain"), "a file, not a directory").expect("a plain file");
    dir
}

fn under_plain(dir: &Path, name: &str) -> String {
    dir.join("plain").join(name).to_str().expect("a UTF-8 temp dir").to_string()
}

#[test]
fn jobs_beyond_the_bound_are_usage_errors() {
    for jobs in ["100000", "257", "0", "99999999999999999999999"] {
        assert_usage_error(&["sweep", "swarm.raft", "--seeds", "0..1", "--jobs", jobs], "256");
        assert_usage_error(&["soak", "--minutes", "0.01", "--jobs", jobs], "256");
        assert_usage_error(&["mutants", "--seeds", "1", "--jobs", jobs], "256");
    }
    assert_usage_error(&["grade", "--seeds", "0", "--jobs", "100000"], "--jobs");
}

#[test]
fn the_bound_itself_is_accepted() {
    let out = tenrec(&["sweep", "swarm.raft", "--seeds", "0..1", "--jobs", "256"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn empty_and_overflowing_seed_ranges_are_usage_errors() {
    let sweep = |seeds| ["sweep", "swarm.raft", "--seeds", seeds];
    assert_usage_error(&sweep("0xffffffffffffffff"), "past 0xffffffffffffffff");
    assert_usage_error(&sweep("18446744073709551615"), "past 0xffffffffffffffff");
    assert_usage_error(&sweep("5..5"), "empty seed range");
    assert_usage_error(&sweep("9..5"), "empty seed range");
    assert_usage_error(&sweep("0..0x10000000000000000"), "larger than the largest seed");
    assert_usage_error(&["run", "swarm.raft", "--seed", "18446744073709551616"], "largest seed");
    assert_usage_error(&["soak", "--from", "0x10000000000000000"], "largest seed");
    assert_usage_error(&["bench", "suite", "raft", "--seed", "0xffffffffffffffff"], "too large");
    assert_usage_error(&["bench", "suite", "raft", "--seeds", "3..3"], "empty seed range");
    assert_usage_error(&["mutants", "--seeds", "0"], "--seeds");
    assert_usage_error(&["grade", "--seeds", "4..4"], "empty seed range");
}

#[test]
fn unwritable_outputs_are_found_before_the_run() {
    let dir = scratch("outputs");
    let jsonl = under_plain(&dir, "runs.jsonl");
    assert_usage_error(&["sweep", "swarm.raft", "--seeds", "0..2", "--jsonl", &jsonl], "--jsonl");
    let html = under_plain(&dir, "out.html");
    assert_usage_error(&["run", "kv.basic_one_client", "--seed", "1", "--html", &html], "--html");
    let trace = under_plain(&dir, "trace.jsonl");
    assert_usage_error(&["run", "swarm.raft", "--seed", "1", "--trace", &trace], "cannot create");
    let history = dir.join("history.json");
    std::fs::write(
        &history,
        r#"[{"client": 0, "f": "write", "input": 1, "call": 0, "return": 1}]"#,
    )
    .expect("a history");
    let history = history.to_str().expect("a UTF-8 temp dir");
    assert_usage_error(&["check", history, "--html", &html], "--html");
    let out = under_plain(&dir, "grades");
    assert_usage_error(&["grade", "--seeds", "0", "--part", "3A", "--out", &out], "--out");
    let directory = dir.to_str().expect("a UTF-8 temp dir");
    assert_usage_error(&["check", history, "--html", directory], "is a directory");
}

/// Jepsen's smallest shape of a failed CAS that no order explains: `write 2` returned, then
/// `cas [2 0]` failed with nothing in between.
const FAILED_CAS_LOG: &str = "INFO  jepsen.util - 0\t:invoke\t:write\t2\n\
                              INFO  jepsen.util - 0\t:ok\t:write\t2\n\
                              INFO  jepsen.util - 1\t:invoke\t:cas\t[2 0]\n\
                              INFO  jepsen.util - 1\t:fail\t:cas\t[2 0]\n";

#[test]
fn check_reads_a_failed_cas_as_told() {
    let dir = scratch("failed_cas");
    let log = dir.join("etcd.log");
    std::fs::write(&log, FAILED_CAS_LOG).expect("a log");
    let log = log.to_str().expect("a UTF-8 temp dir");
    let default = tenrec(&["check", log, "--json"]);
    assert_eq!(default.code, Some(2), "observed by default in a Jepsen log: {}", default.stdout);
    assert!(default.stdout.contains(r#""failed_cas":"observed""#), "{}", default.stdout);
    assert_eq!(tenrec(&["check", log, "--failed-cas", "observed"]).code, Some(2));
    let dropped = tenrec(&["check", log, "--failed-cas", "dropped"]);
    assert_eq!(dropped.code, Some(0), "{}{}", dropped.stdout, dropped.stderr);
    assert!(dropped.stdout.contains("1 failed (left out)"), "{}", dropped.stdout);
    assert_usage_error(&["check", log, "--failed-cas", "ignored"], "observed or dropped");
}

#[test]
fn check_stops_at_the_input_limit_and_the_depth_bound() {
    if Path::new("/dev/zero").exists() {
        let out = tenrec(&["check", "/dev/zero", "--max-input-bytes", "100000"]);
        assert_eq!(out.code, Some(1), "{}", out.stderr);
        assert!(out.stderr.contains("at most 100000 bytes"), "{}", out.stderr);
    }
    assert_usage_error(&["check", "/dev/zero", "--max-input-bytes", "0"], "--max-input-bytes");
    let dir = scratch("hostile");
    let chain = dir.join("x.edn");
    std::fs::write(&chain, format!("[{}]\n", "#_".repeat(20_000))).expect("a file");
    let out = tenrec(&["check", chain.to_str().expect("a UTF-8 temp dir")]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("nesting deeper than 100 levels"), "{}", out.stderr);
}
