//! `tenrec check --consistency sequential` on the real binary: one history with a stale
//! follower read is not linearizable (exit 2) but sequentially consistent (exit 0), in text
//! and JSON; the classic two-key history is not sequentially consistent and is never called
//! "not linearizable"; the flags that only mean something key by key are refused by name.
mod cli;

use std::path::PathBuf;

use cli::tenrec;
use serde_json::Value;

/// c1 puts x = 1; after it returned, c2 reads x from a follower that has not caught up.
const STALE_READ: &str = r#"{"model": "kv", "operations": [
 {"client": 1, "f": "put", "key": "x", "input": "1", "call": 0, "return": 10},
 {"client": 2, "f": "get", "key": "x", "call": 20, "return": 30, "output": ""}
]}"#;

/// c1 puts x then reads y = ""; c2 puts y then reads x = "": each key alone is fine.
const TWO_KEYS: &str = r#"{"model": "kv", "operations": [
 {"client": 1, "f": "put", "key": "x", "input": "1", "call": 0, "return": 10},
 {"client": 1, "f": "get", "key": "y", "call": 20, "return": 30, "output": ""},
 {"client": 2, "f": "put", "key": "y", "input": "1", "call": 0, "return": 10},
 {"client": 2, "f": "get", "key": "x", "call": 20, "return": 30, "output": ""}
]}"#;

fn write(name: &str, text: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("temp file written");
    path.to_str().expect("a UTF-8 temp path").to_string()
}

fn json(args: &[&str], code: i32) -> Value {
    let out = tenrec(args);
    assert_eq!(out.code, Some(code), "{args:?}: {}{}", out.stdout, out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON output")
}

#[test]
fn a_stale_read_is_not_linearizable_but_sequentially_consistent() {
    let file = write("stale-read.json", STALE_READ);
    let linearizable = json(&["check", &file, "--json"], 2);
    assert_eq!(linearizable["consistency"], "linearizable");
    assert_eq!(linearizable["verdict"], "not-linearizable");
    let explicit = tenrec(&["check", &file, "--consistency", "linearizable"]);
    assert_eq!(explicit.code, Some(2));
    assert!(explicit.stdout.contains("verdict: not linearizable"), "{}", explicit.stdout);

    let sequential = json(&["check", &file, "--consistency", "sequential", "--json"], 0);
    assert_eq!(sequential["consistency"], "sequential");
    assert_eq!(sequential["verdict"], "sequentially-consistent");
    assert_eq!(sequential["clients"], 2);
    let text = tenrec(&["check", &file, "--consistency", "sequential"]);
    assert_eq!(text.code, Some(0));
    assert!(text.stdout.contains("verdict: sequentially consistent"), "{}", text.stdout);
}

#[test]
fn two_keys_fine_alone_are_not_sequentially_consistent_together() {
    let file = write("two-keys.json", TWO_KEYS);
    let sequential = json(&["check", &file, "--consistency", "sequential", "--json"], 2);
    assert_eq!(sequential["verdict"], "not-sequentially-consistent");
    let blocked = sequential["blocked"].as_array().expect("blocked operations");
    assert_eq!(blocked.len(), 2, "{sequential}");
    assert_eq!(blocked[0]["op"], r#"put("x", "1") -> ok"#);
    assert_eq!(blocked[0]["starves"]["op"], r#"get("x") -> """#);
    let text = tenrec(&["check", &file, "--consistency", "sequential"]).stdout;
    assert!(text.contains("verdict: not sequentially consistent"), "{text}");
    assert!(!text.contains("linearizable"), "an SC verdict never reads as linearizability: {text}");
}

#[test]
fn flags_that_only_mean_something_key_by_key_are_refused() {
    let file = write("refused.json", STALE_READ);
    let html = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("refused.html");
    let html = html.to_str().expect("a UTF-8 temp path");
    for (flag, extra) in [("--all-keys", None), ("--html", Some(html))] {
        let mut args = vec!["check", &file, "--consistency", "sequential", flag];
        args.extend(extra);
        let out = tenrec(&args);
        assert_eq!(out.code, Some(1), "{flag}: {}", out.stdout);
        assert!(out.stderr.contains(flag), "{flag}: {}", out.stderr);
        assert!(out.stderr.contains("--consistency sequential"), "{}", out.stderr);
    }
    let out = tenrec(&["check", &file, "--consistency", "causal"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("expected linearizable or sequential"), "{}", out.stderr);
}
