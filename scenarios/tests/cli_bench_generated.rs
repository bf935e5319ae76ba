//! `tenrec bench checker --generated`, scaled down: every case of the table runs in its own
//! process and gets the verdict its construction promises, and `--write` gives files that
//! `tenrec check` reads with the same verdicts.
mod cli;

use std::path::PathBuf;

use cli::tenrec;

#[test]
fn the_scaled_down_table_has_every_case_with_its_verdict() {
    let out = tenrec(&["bench", "checker", "--generated", "--ops", "2000"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines[0].starts_with("case"), "{}", out.stdout);
    let rows = &lines[1..];
    assert_eq!(rows.len(), 17, "{}", out.stdout);
    for row in rows {
        let expected = if row.contains("near end") { "not linearizable" } else { " linearizable" };
        assert!(row.contains(expected) && !row.contains("WRONG"), "{row}");
    }
    for name in ["register-c10-repeated", "cas-c5-unique", "register-seq-unique-bad"] {
        assert!(rows.iter().any(|row| row.starts_with(name)), "{name} missing: {}", out.stdout);
    }
}

#[test]
fn written_histories_check_as_generated() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-generated");
    let _ = std::fs::remove_dir_all(&dir);
    let dir_arg = dir.to_str().expect("a UTF-8 temp dir");
    for (case, exit) in [("cas-c5-repeated-bad", 2), ("register-c5-unique", 0)] {
        let args = ["bench", "checker", "--generated", "--case", case, "--ops", "800"];
        let out = tenrec(&[&args[..], &["--write", dir_arg]].concat());
        assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
        let file = dir.join(format!("{case}.json"));
        let checked = tenrec(&["check", file.to_str().expect("a UTF-8 path")]);
        assert_eq!(checked.code, Some(exit), "{case}: {}{}", checked.stdout, checked.stderr);
        assert!(checked.stdout.contains("800 returned"), "{}", checked.stdout);
    }
}

#[test]
fn an_unknown_case_and_a_missing_directory_are_usage_errors() {
    let out = tenrec(&["bench", "checker", "--generated", "--case", "nope"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("register-seq-unique"), "{}", out.stderr);
    assert_ne!(tenrec(&["bench", "checker"]).code, Some(0));
    assert_ne!(tenrec(&["bench", "checker", "--ops", "10"]).code, Some(0));
}
