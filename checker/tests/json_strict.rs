//! tenrec JSON is read strictly, per RFC 8259: a repeated key, a raw control character or a
//! lone surrogate is an error, never a silent guess; times take any u64; and every error names
//! the file, the line and what was expected, with long tokens cut.
use checker::parse::{parse, Format, ParseError, RawHistory, Value};

fn read(text: &str) -> Result<RawHistory, ParseError> {
    parse("h.json", text.as_bytes(), Some(Format::Json))
}

/// The error for `text`; an accepted file fails the test without echoing a huge input.
fn refused(text: &str) -> ParseError {
    match read(text) {
        Ok(raw) => panic!("accepted, with {} operations", raw.ops.len()),
        Err(e) => e,
    }
}

/// One operation object with `fields` spliced in before its times.
fn op(fields: &str, call: &str, ret: &str) -> String {
    format!("{{\"client\": 0, \"f\": \"read\", {fields}\"call\": {call}, \"return\": {ret}}}")
}

#[test]
fn a_repeated_top_level_key_is_an_error() {
    let first = op("", "0", "1");
    // A second "operations" used to replace the first, hiding the first array's operations.
    let text =
        format!("{{\"model\": \"register\",\n \"operations\": [{first}],\n \"operations\": []}}");
    let e = refused(&text);
    assert_eq!((e.line, e.column), (3, Some(2)), "{e}");
    assert_eq!(e.expected, "each key at most once in an object");
    assert_eq!(e.found, "a second \"operations\"");
    let e = refused(&format!(
        "{{\"model\": \"register\", \"model\": \"kv\", \"operations\": [{first}]}}"
    ));
    assert_eq!(e.found, "a second \"model\"", "{e}");
}

#[test]
fn a_repeated_operation_field_is_an_error() {
    let twice = "{\"client\": 0, \"client\": 1, \"f\": \"read\", \"call\": 0, \"return\": 1}";
    let layouts = [
        format!("{{\"operations\": [\n{twice}\n]}}"),
        format!("[\n{twice}\n]"),
        format!("{}\n{twice}\n", op("", "2", "3")),
    ];
    for text in layouts {
        let e = refused(&text);
        assert_eq!(e.line, 2, "{e}");
        assert_eq!(
            (e.expected.as_str(), e.found.as_str()),
            ("each key at most once in an object", "a second \"client\"")
        );
    }
    // Escapes are decoded before keys are compared: `"cli\u0065nt"` is "client".
    let e = refused(&format!("[{}]", op("\"cli\\u0065nt\": 1, ", "0", "1")));
    assert_eq!(e.found, "a second \"client\"", "{e}");
    // Nested objects too.
    let e = refused(&format!("[{}]", op("\"input\": {\"a\": 1, \"a\": 2}, ", "0", "1")));
    assert_eq!(e.found, "a second \"a\"", "{e}");
}

#[test]
fn a_raw_control_character_in_a_string_is_an_error() {
    for raw in ['\u{0}', '\u{1}', '\t', '\n', '\u{1f}'] {
        let text = format!("[{}]", op(&format!("\"input\": \"a{raw}b\", "), "0", "1"));
        let e = refused(&text);
        assert!(e.expected.contains("control characters escaped"), "{raw:?}: {e}");
        assert_eq!(e.line, 1, "{raw:?}: {e}");
    }
    // Escaped, they are fine.
    let raw = read(&format!("[{}]", op("\"input\": \"a\\tb\\u0001\", ", "0", "1"))).unwrap();
    assert_eq!(raw.ops[0].input, Value::Str("a\tb\u{1}".into()));
}

#[test]
fn escaped_surrogate_pairs_decode_to_distinct_characters() {
    let text = format!(
        "[{},\n {}]",
        op("\"input\": \"\\ud83d\\ude00\", ", "0", "1"),
        op("\"input\": \"\\ud83d\\ude01\", ", "2", "3")
    );
    let raw = read(&text).unwrap();
    assert_eq!(raw.ops[0].input, Value::Str("😀".into()));
    assert_eq!(raw.ops[1].input, Value::Str("😁".into()));
    assert_ne!(raw.ops[0].input, raw.ops[1].input);
    // A lone surrogate is no character: an error, not U+FFFD.
    for lone in ["\\ud83d", "\\ude00", "\\ud83dx", "\\ud83d\\u0041"] {
        let e = refused(&format!("[{}]", op(&format!("\"input\": \"{lone}\", "), "0", "1")));
        assert_eq!(e.expected, "valid JSON (RFC 8259)", "{lone}: {e}");
    }
}

#[test]
fn call_times_up_to_u64_max_are_accepted_and_shown_as_integers() {
    let (max, below) = (u64::MAX.to_string(), (u64::MAX - 1).to_string());
    let raw =
        read(&format!("[{}]", op("\"input\": 18446744073709551615, ", &below, &max))).unwrap();
    assert_eq!((raw.ops[0].call, raw.ops[0].ret), (u64::MAX - 1, Some(u64::MAX)));
    assert_eq!(raw.ops[0].input, Value::U64(u64::MAX));
    assert_eq!(raw.ops[0].input.to_string(), max);
    // Quoted back in a message, a large time is an integer, not `1.8446744073709552e19`.
    let e = refused(&format!("[{}]", op("", &max, &below)));
    assert_eq!(e.found, below, "{e}");
    let e = refused(&format!("[{{\"client\": {max}, \"call\": 0, \"return\": 1}}]"));
    assert!(e.found.contains(&max) && !e.found.contains("e19"), "{e}");
    // Past u64 it is not an integer time.
    let e = refused(&format!("[{}]", op("", "18446744073709551616", "0")));
    assert!(e.expected.contains("non-negative integer \"call\""), "{e}");
    assert!(refused(&format!("[{}]", op("", "-1", "0"))).expected.contains("\"call\""));
}

#[test]
fn long_tokens_are_cut_in_the_message() {
    let long = "k".repeat(100_000);
    let e = refused(&format!("[{}]", op(&format!("\"{long}\": 1, \"{long}\": 2, "), "0", "1")));
    assert!(e.found.starts_with("a second \"kkk"), "{e}");
    assert!(e.found.ends_with("(100011 characters)"), "{e}");
    assert!(e.to_string().len() < 400, "{} characters", e.to_string().len());
    for text in [
        format!("[{}]", op(&format!("\"{long}\": 1, "), "0", "1")),
        format!("{{\"operations\": [], \"{long}\": 1}}"),
        format!("[{}]", op("", &format!("1{}", "0".repeat(100_000)), "1")),
        format!("[{long}]"),
    ] {
        let e = refused(&text);
        assert!(e.to_string().len() < 400, "{} characters: {e}", e.to_string().len());
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for open in ["[", "{\"a\": "] {
        let deep = format!("[{}]", op(&format!("\"input\": {}, ", open.repeat(100_000)), "0", "1"));
        let e = refused(&deep);
        assert_eq!(e.expected, "JSON nested at most 127 levels deep", "{e}");
        assert_eq!(e.line, 1);
    }
    // Top-level arrays and objects nested deep, without an operation around them.
    assert!(read(&"[".repeat(100_000)).is_err());
    assert!(read(&"{\"operations\": ".repeat(100_000)).is_err());
    // An operation object and 126 arrays in it are within the bound; one more is not.
    let nested = |depth| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(read(&format!("[{}]", op(&format!("\"input\": {}, ", nested(126)), "0", "1"))).is_ok());
    assert!(read(&format!("[{}]", op(&format!("\"input\": {}, ", nested(127)), "0", "1"))).is_err());
}

#[test]
fn errors_name_the_file_and_the_line_of_the_operation() {
    // Each operation's line is the line it starts on, whichever layout holds it.
    let pretty = "{\"model\": \"register\",\n \"operations\": [\n  {\"client\": 0, \"f\": \"read\",\n   \"call\": 0, \"return\": 1},\n  {\"client\": 1,\n   \"f\": \"read\", \"call\": -4, \"return\": 1}\n ]}";
    let e = refused(pretty);
    assert!(e.to_string().starts_with("h.json:5: expected a non-negative integer \"call\""), "{e}");
    let lines = format!("{}\n\n{}\n", op("", "0", "1"), op("", "3", "2"));
    assert!(refused(&lines).to_string().starts_with("h.json:3: expected a \"return\" no earlier"));
    let raw = read(&format!("[\n{},\n\n{}]", op("", "0", "1"), op("", "2", "3"))).unwrap();
    assert_eq!((raw.ops[0].line, raw.ops[1].line), (2, 4));
    // Syntax errors name the line and column (in characters) of the offending byte.
    let e = refused("[\n{\"client\": 0, \"f\": \"é\", \"call\": 0 \"return\": 1}]");
    assert_eq!(e.to_string(), "h.json:2:35: expected `,` or `}`, found `\\\"return\\\": 1}]`");
    // Errors come in file order: operations are checked as they are read.
    let e = refused("[\n{\"client\": 0}\n{\"client\": 1}]");
    assert!(e.to_string().starts_with("h.json:2: expected a \"f\" field"), "{e}");
    let e = refused(
        "[\n{\"client\": 0, \"f\": \"read\", \"call\": 0, \"return\": 1}\n{\"client\": 1}]",
    );
    assert_eq!(e.to_string(), "h.json:3:1: expected `,` or `]`, found `{\\\"client\\\": 1}]`");
    let e = refused("{\"operations\": [\n{\"client\": 0,\n");
    assert!(e.to_string().starts_with("h.json:3:1: expected the rest of a value"), "{e}");
}
