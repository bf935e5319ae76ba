//! Hostile input ends in a located error, never in a crash or unbounded growth: an endless or
//! oversized file stops at the input limit, chained EDN discards (`#_#_#_...`) meet the depth
//! bound instead of overflowing the stack, and a megabyte-long token is cut in the message.
use std::path::{Path, PathBuf};

use checker::parse::{parse, parse_file, parse_file_limited, Format, DEFAULT_MAX_INPUT_BYTES};

/// Writes `bytes` to a file of its own in the temp directory.
fn write_temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tenrec-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp directory");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("a writable temp file");
    path
}

#[test]
fn an_endless_input_stops_at_the_limit() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    let e = parse_file_limited(zero, None, 1 << 20).expect_err("/dev/zero is too large");
    assert_eq!(e.line, 0);
    let shown = e.to_string();
    assert!(shown.starts_with("/dev/zero: expected a history of at most 1048576 bytes"), "{e}");
    assert!(shown.contains("--max-input-bytes"), "{e}");
}

#[test]
fn a_file_over_the_limit_is_refused_and_one_at_it_is_read() {
    let text = "[{:process 0 :type :invoke :f :read}]";
    let path = write_temp("small.edn", text.as_bytes());
    let size = text.len() as u64;
    let e = parse_file_limited(&path, None, size - 1).expect_err("one byte over");
    assert!(e.to_string().contains(&format!("found {size} bytes")), "{e}");
    assert_eq!(parse_file_limited(&path, None, size).map(|raw| raw.ops.len()), Ok(1));
    assert_eq!(parse_file(&path, None).map(|raw| raw.ops.len()), Ok(1));
    assert_eq!(DEFAULT_MAX_INPUT_BYTES, 256 << 20);
}

/// `text` must fail to parse (as any format) with a depth error, and not crash the test.
fn assert_too_deep(name: &str, text: &str) {
    let e = parse(name, text.as_bytes(), None).expect_err("too deep");
    assert!(e.to_string().contains("nesting deeper than 100 levels"), "{name}: {e}");
}

#[test]
fn chained_discards_meet_the_depth_bound() {
    assert_too_deep("chain.edn", &format!("[{}]", "#_".repeat(20_000)));
    assert_too_deep("alternate.edn", &format!("[{}]", "#_[".repeat(20_000)));
    // Detection does not take a leading `#_` for EDN; forced, it is read and too deep.
    let top = format!("{}[]", "#_".repeat(20_000));
    let e = parse("top.edn", top.as_bytes(), Some(Format::Edn)).expect_err("too deep");
    assert!(e.to_string().contains("nesting deeper than 100 levels"), "{e}");
    assert!(parse("top.edn", top.as_bytes(), None).is_err());
    assert_too_deep("tags.edn", &format!("[{}1]", "#a ".repeat(20_000)));
    let log = format!("INFO  jepsen.util - 0 :invoke :read {}nil\n", "#_".repeat(20_000));
    assert_too_deep("chain.log", &log);
    let kv = format!(
        "{{:process 0 :type :invoke :f :get :key \"0\" {}:value nil}}\n",
        "#_".repeat(20_000)
    );
    assert_too_deep("chain.txt", &kv);
    // A short chain is still EDN: `#_#_ a b` discards two forms.
    let raw = parse("ok.edn", b"[#_#_ 1 2 {:process 0 :type :invoke :f :read}]", None)
        .expect("two discards in a row");
    assert_eq!(raw.ops.len(), 1);
}

#[test]
fn long_tokens_are_cut_in_messages() {
    let long = "x".repeat(1 << 20);
    let cases = [
        ("f.edn", format!("[{{:process 0 :type :invoke :f :{long}}}]")),
        ("t.edn", format!("[{{:process 0 :type :{long} :f :read}}]")),
        ("j.json", format!("[{{\"client\": 0, \"f\": \"read\", \"call\": 0, \"{long}\": 1}}]")),
        ("s.json", long.clone()),
        ("l.log", format!("INFO  jepsen.util - 0 :invoke :read nil {long}\n")),
    ];
    for (name, text) in cases {
        let e = parse(name, text.as_bytes(), None)
            .and_then(|raw| checker::interpret::default_model(&raw).map(|_| raw))
            .expect_err("a malformed history");
        let shown = e.to_string();
        assert!(shown.len() < 400, "{name}: {} characters: {}", shown.len(), &shown[..400]);
    }
}

#[test]
fn an_endless_random_input_stops_at_the_limit() {
    let random = Path::new("/dev/urandom");
    if !random.exists() {
        return;
    }
    let e = parse_file_limited(random, None, 1 << 20).expect_err("/dev/urandom is too large");
    assert_eq!(e.line, 0, "{e}");
}

#[test]
fn deep_brackets_meet_the_depth_bound_in_every_edn_based_format() {
    let deep = "[".repeat(20_000);
    assert_too_deep("deep.edn", &deep);
    assert_too_deep("deep.log", &format!("INFO  jepsen.util - 0 :invoke :read {deep}\n"));
    let kv = format!("{{:process 0 :type :invoke :f :get :key \"0\" :value {deep}}}\n");
    assert_too_deep("deep.txt", &kv);
    assert_too_deep("maps.edn", &format!("[{}", "{:a ".repeat(20_000)));
    assert_too_deep("sets.edn", &format!("[{}", "#{".repeat(20_000)));
}

#[test]
fn long_numbers_and_keys_are_cut_in_messages() {
    let digits = "9".repeat(1 << 20);
    let cases = [
        ("n.edn", format!("[{{:process {digits} :type :invoke :f :read}}]")),
        ("n.log", format!("INFO  jepsen.util - {digits} :invoke :read nil\n")),
        ("n.txt", format!("{{:process 0, :type :invoke, :f :get, :key {digits}, :value nil}}\n")),
        (
            "k.txt",
            format!(
                "{{:process 0, :type :invoke, :f :get, :key \"{digits}\", :value nil}}\n\
                 {{:process 0, :type :ok, :f :get, :key \"b\", :value nil}}\n"
            ),
        ),
    ];
    for (name, text) in cases {
        let e = parse(name, text.as_bytes(), None).expect_err("a malformed history");
        let shown = e.to_string();
        assert!(shown.len() < 400, "{name}: {} characters: {}", shown.len(), &shown[..400]);
    }
    // One past u64::MAX is an error naming the token, not a panic or a wrapped number.
    let e = parse("big.edn", b"[{:process 18446744073709551616 :type :invoke :f :read}]", None)
        .expect_err("too large a process number");
    assert!(e.to_string().contains("`18446744073709551616`"), "{e}");
}

/// Found by the fuzzer (checker/tests/fuzz.rs): a control character inside an EDN keyword or
/// symbol was quoted raw in the message (`found `:invo\0ke``), so a binary file could garble
/// the terminal. Such a token is now an error of its own, quoted escaped.
#[test]
fn control_characters_in_edn_tokens_are_errors_quoted_escaped() {
    let cases = [
        ("nul.edn", "[{:process 0 :type :invo\0ke :f :read}]"),
        ("del.edn", "[{:process 0 :type :\u{7f}k :f :read}]"),
        ("esc.txt", "{:proc\u{1b}ss 1, :type :invoke, :f :get, :key \"0\", :value nil}\n"),
        ("sym.edn", "[{:process 0 :type \u{1} :f :read}]"),
        ("num.log", "INFO  jepsen.util - 0\u{1} :invoke :read nil\n"),
        ("char.edn", "[\\a\u{2}]"),
    ];
    for (name, text) in cases {
        let e = parse(name, text.as_bytes(), None).expect_err("a control character");
        let shown = e.to_string();
        assert!(!shown.chars().any(char::is_control), "{name}: {shown:?}");
        assert!(shown.contains('\\'), "{name}: the character is shown escaped: {shown}");
    }
}

/// Found by the fuzzer too: a function name is quoted by later messages (an unknown function,
/// no model for the functions), so one with a control character is refused in Jepsen formats
/// and quoted escaped from JSON, where `"\u0000"` is a valid string.
#[test]
fn control_characters_in_function_names_are_quoted_escaped() {
    let edn = parse("f.edn", b"[{:process 0 :type :invoke :f \"re\x01ad\"}]", None);
    let e = edn.expect_err("a control character in :f");
    assert!(e.to_string().contains("a function name"), "{e}");
    let json = br#"[{"client": 0, "f": "\u0000write", "call": 0, "return": 1}]"#;
    let raw = parse("f.json", json, None).expect("valid JSON");
    let inferred = checker::interpret::default_model(&raw).expect_err("no model has \\0write");
    let forced = checker::interpret::with_model(&raw, checker::ModelKind::Register, Len)
        .expect_err("register has no \\0write");
    for e in [e, inferred, forced] {
        let shown = e.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
    }
}

/// Interprets without checking: only the interpreter's errors matter here.
struct Len;

impl checker::interpret::WithModel for Len {
    type Output = usize;
    fn run<M: checker::Model>(self, _: M, history: checker::History<M::Input, M::Output>) -> usize {
        history.len()
    }
}
