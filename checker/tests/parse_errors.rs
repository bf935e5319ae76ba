//! What `tenrec check` prints for a malformed file: the error names the file path and line.
use std::path::PathBuf;

use checker::parse::{parse_file, Format};

/// Writes `text` to a file of its own in the temp directory.
fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tenrec-parse-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a writable temp file");
    path
}

fn error_of(name: &str, text: &str) -> String {
    let path = write_temp(name, text);
    let e = parse_file(&path, None).expect_err("a malformed file");
    e.to_string()
}

#[test]
fn each_format_names_file_and_line() {
    let cases = [
        ("a.edn", "[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :read :value [1}\n]", 2),
        ("b.txt", "{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}\n\n{:process 0, :type :okay, :f :get, :key \"0\"}\n", 3),
        ("c.log", "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t\"unterminated\n", 2),
        ("d.json", "{\"operations\": [\n {\"client\": 0, \"f\": \"read\", \"call\": 0, \"return\": 1},\n {\"client\": 1, \"f\": \"read\", \"call\": 0}\n]}", 3),
    ];
    for (name, text, line) in cases {
        let shown = error_of(name, text);
        let path = std::env::temp_dir()
            .join(format!("tenrec-parse-errors-{}", std::process::id()))
            .join(name);
        let prefix = format!("{}:{line}:", path.display());
        assert!(shown.starts_with(&prefix), "{shown:?} should start with {prefix:?}");
        assert!(shown.contains("expected "), "{shown}");
    }
}

#[test]
fn a_missing_file_and_a_forced_wrong_format_are_errors() {
    let missing = std::env::temp_dir().join("tenrec-no-such-history.edn");
    let e = parse_file(&missing, None).unwrap_err();
    assert!(e.to_string().contains("expected a readable file"), "{e}");
    let path = write_temp("e.edn", "[{:process 0 :type :invoke :f :read}]");
    let e = parse_file(&path, Some(Format::JepsenLog)).unwrap_err();
    assert!(e.to_string().contains("jepsen.util"), "{e}");
    let e = parse_file(&path, Some(Format::Json)).unwrap_err();
    assert!(e.to_string().contains(":1:"), "{e}");
}
