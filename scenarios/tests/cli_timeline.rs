//! `--html` on `tenrec run` and `tenrec replay` writes the run's timeline for Raft and KV
//! scenarios alike, passed or failed, after printing the verdict, and keeps the verdict's
//! exit code.
use std::path::{Path, PathBuf};

mod cli;
use cli::tenrec;

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli_timeline").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

#[test]
fn a_failing_raft_run_writes_its_timeline_and_keeps_its_exit_code() {
    let page = scratch("raft").join("out.html");
    let path = page.to_str().expect("a UTF-8 temp dir");
    let args = ["--seed", "0", "--bug", "commit_previous_term_by_counting", "--html", path];
    let out = tenrec(&[&["run", "swarm.raft"][..], &args].concat());
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("what broke: invariant (leader completeness)"), "{}", out.stdout);
    assert!(out.stderr.contains("wrote "), "{}", out.stderr);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("invariant (leader completeness)"));
}

#[test]
fn replay_writes_the_timeline_of_a_passing_kv_run() {
    let page = scratch("kv").join("out.html");
    let path = page.to_str().expect("a UTF-8 temp dir");
    let out = tenrec(&["replay", "kv.basic_one_client", "--seed", "1", "--html", path]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("<span class=\"badge pass\">PASS</span>"));
    assert!(html.contains("\"kv\":{\"clerks\":"), "the client history is in the page data");
}
