//! `tenrec check`'s explanation is bounded by search steps, not wall time: the same file gets
//! the same minimal failing sub-history on every run (and machine), and when the step budget
//! cuts it short the output says so.
mod cli;

use cli::tenrec;
use serde_json::Value;

const C50_BAD: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../checker/tests/data/porcupine/kv/c50-bad.txt");

/// The explanation of c50-bad (every key decided), as `--json` gives it.
fn minimal() -> Value {
    let out = tenrec(&["check", C50_BAD, "--all-keys", "--json"]);
    assert_eq!(out.code, Some(2), "{}{}", out.stdout, out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON output");
    let partitions = json["partitions"].as_array().expect("partitions");
    let explained: Vec<&Value> = partitions.iter().filter(|p| !p["minimal"].is_null()).collect();
    assert_eq!(explained.len(), 1, "{}", out.stdout);
    explained[0]["minimal"].clone()
}

#[test]
fn the_same_file_gets_the_same_explanation_twice() {
    let first = minimal();
    assert_eq!(first, minimal());
    let core = first["ops"].as_array().expect("a core");
    assert!(!core.is_empty() && core.len() <= 4, "{first}");
}

#[test]
fn an_explanation_cut_by_the_step_budget_says_so() {
    let first = minimal();
    assert_eq!(first["cut"], "steps", "{first}");
    assert_eq!(first["steps"], 1_000_000, "{first}");
    let text = tenrec(&["check", C50_BAD, "--all-keys"]).stdout;
    assert!(text.contains("(step budget of 1000000 spent: may not be minimal)"), "{text}");
}
