//! `tenrec sweep --shard I/N --jsonl FILE` and `tenrec sweep --merge FILE...` as a CI matrix
//! uses them: the shards of one sweep are disjoint and together are exactly the unsharded
//! sweep, run for run; their merge prints the unsharded summary with its exit code; a missing
//! shard or a malformed file is never read as a pass.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod cli;
use cli::{tenrec, Output};

/// A bug that fails some seeds of swarm.raft and not others, so a summary has both.
const SOME_FAIL: &str = "accept_stale_vote_replies";

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sweep_shards").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().expect("a UTF-8 temp dir").to_string()
}

/// The run lines of a `--jsonl` file (its header dropped), as JSON values.
fn runs(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(file).expect("the --jsonl file was written");
    let mut lines = text.lines().map(|l| serde_json::from_str(l).expect("a JSON line"));
    let header: Value = lines.next().expect("a header line");
    assert_eq!(header["tenrec_sweep"], 1, "{header}");
    lines.collect()
}

/// Sweeps swarm.raft over `seeds` unsharded and as `count` shards, each with `extra` flags;
/// returns the unsharded file and output, and the shard files.
fn sweep_and_shards(
    dir: &Path,
    seeds: &str,
    count: u32,
    extra: &[&str],
) -> (String, Output, Vec<String>) {
    let whole = path(dir, "whole.jsonl");
    let mut args = vec!["sweep", "swarm.raft", "--seeds", seeds, "--jsonl", &whole];
    args.extend_from_slice(extra);
    let unsharded = tenrec(&args);
    let mut files = Vec::new();
    for index in 1..=count {
        let (file, shard) =
            (path(dir, &format!("shard-{index}.jsonl")), format!("{index}/{count}"));
        let mut args = vec!["sweep", "swarm.raft", "--seeds", seeds, "--shard", &shard];
        args.extend_from_slice(&["--jsonl", &file]);
        args.extend_from_slice(extra);
        let out = tenrec(&args);
        assert!(matches!(out.code, Some(0 | 2)), "shard {shard}: {}", out.stderr);
        files.push(file);
    }
    (whole, unsharded, files)
}

#[test]
fn the_shards_are_disjoint_and_together_are_the_unsharded_sweep() {
    let dir = scratch("cover");
    let (whole, out, files) = sweep_and_shards(&dir, "0..24", 3, &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let whole: Vec<Value> = runs(&whole);
    assert_eq!(whole.len(), 24);
    let mut union = BTreeSet::new();
    for file in &files {
        let shard = runs(file);
        assert!(!shard.is_empty(), "{file}: a shard of 24 runs in 3 got none");
        for run in shard {
            // Every field, trace hash included: the same run, not just the same name.
            assert!(union.insert(run.to_string()), "{file}: {run} is in two shards");
        }
    }
    let whole: BTreeSet<String> = whole.iter().map(Value::to_string).collect();
    assert_eq!(union, whole, "the shards' runs differ from the unsharded sweep's");
}

#[test]
fn merging_the_shards_prints_the_unsharded_summary_and_exit_code() {
    let dir = scratch("merge");
    let (_, unsharded, files) = sweep_and_shards(&dir, "0..10", 4, &["--bug", SOME_FAIL]);
    assert_eq!(unsharded.code, Some(2), "{}", unsharded.stdout);
    assert!(unsharded.stdout.contains(" passed, ") && unsharded.stdout.contains("FAIL swarm.raft"));
    assert!(!unsharded.stdout.contains(" 0 failed"), "{}", unsharded.stdout);
    // The files in any order: the summary comes out in (scenario, seed) order.
    let mut args = vec!["sweep", "--merge"];
    args.extend(files.iter().rev().map(String::as_str));
    let merged = tenrec(&args);
    assert_eq!(merged.stdout, unsharded.stdout);
    assert_eq!(merged.code, Some(2));
    let replay = "replay: cargo run --release -p scenarios --bin tenrec -- run swarm.raft --seed";
    assert!(merged.stdout.contains(replay), "{}", merged.stdout);
    assert!(merged.stderr.contains("merged 4 file(s): all 10 runs"), "{}", merged.stderr);

    // A shard merged twice changes nothing but a note.
    let twice =
        tenrec(&["sweep", "--merge", &files[0], &files[0], &files[1], &files[2], &files[3]]);
    assert_eq!((twice.code, &twice.stdout), (Some(2), &unsharded.stdout));
}

#[test]
fn a_merge_with_a_shard_missing_is_incomplete_never_a_pass() {
    let dir = scratch("missing");
    let (_, out, files) = sweep_and_shards(&dir, "0..12", 3, &[]);
    assert_eq!(out.code, Some(0));
    let merged = tenrec(&["sweep", "--merge", &files[0], &files[2]]);
    assert_eq!(merged.code, Some(1), "{}", merged.stdout);
    assert!(merged.stderr.contains("no file for shard(s) 2/3"), "{}", merged.stderr);
    assert!(merged.stderr.contains("run(s) missing: swarm.raft seed"), "{}", merged.stderr);
}

#[test]
fn a_malformed_merge_file_is_an_error_naming_file_and_line() {
    let dir = scratch("malformed");
    let (whole, _, _) = sweep_and_shards(&dir, "0..3", 1, &[]);
    let text = std::fs::read_to_string(&whole).unwrap();
    let header = text.lines().next().unwrap();
    let cases = [
        ("empty.jsonl", String::new(), "empty: expected a header line"),
        ("no-header.jsonl", "{\"seed\": 1}\n".to_string(), ":1: expected the header line"),
        ("garbage.jsonl", format!("{header}\nnot json\n"), ":2: not a JSON object"),
        (
            "field.jsonl",
            format!("{header}\n{{\"scenario\": \"swarm.raft\"}}\n"),
            ":2: expected a run line",
        ),
        ("seed.jsonl", text.replacen("\"seed\":0,", "\"seed\":99,", 1), ":2: seed 99 is outside"),
    ];
    for (name, content, expected) in cases {
        let file = path(&dir, name);
        std::fs::write(&file, content).unwrap();
        let out = tenrec(&["sweep", "--merge", &file]);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        assert!(out.stderr.contains(&format!("error: {file}")), "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: want `{expected}` in {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{name}: no summary from a bad file: {}", out.stdout);
    }
}
