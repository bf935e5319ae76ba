//! JSON values read strictly (RFC 8259) by serde_json into [`Value`]s, with refusals located.
//!
//! serde_json already refuses what RFC 8259 does not allow in a value: raw control characters
//! in strings, lone surrogates in escapes (a pair decodes to its one character), trailing
//! commas, numbers out of range, and nesting deeper than its recursion limit of 128 (left on,
//! so the recursion through [`ValueVisitor`] is bounded too). What it allows and we do not is
//! a repeated key: its own map keeps the last, so a second `"client"` would silently replace
//! the first. Hence our own visitor, which builds a [`Value`] and refuses a key seen before.
//!
//! Integers come as i64 or u64 from serde_json and become `Int`, or `U64` above `i64::MAX`;
//! integers beyond u64 come as floats, which no integer field accepts.
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::error::excerpt;
use super::value::Value;

/// Objects up to this many keys are checked for a repeat by a scan (operations have seven
/// fields); larger ones through a hash set, so a hostile object of a million keys is not
/// quadratic.
const SCAN_KEYS: usize = 16;

/// The expected half of a repeated key's message.
pub const ONE_KEY: &str = "each key at most once in an object";

/// A value that did not read: the byte offset (into the whole text) where, and what was
/// expected and found there.
#[derive(Debug)]
pub struct Refused {
    pub offset: usize,
    pub expected: String,
    pub found: String,
}

/// Reads the JSON value at byte `start` of `text` (after whitespace), returning it and the
/// byte offset just past it.
pub fn read_at(text: &str, start: usize) -> Result<(Value, usize), Refused> {
    let rest = &text[start..];
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Json>();
    match values.next() {
        Some(Ok(Json(value))) => Ok((value, start + values.byte_offset())),
        Some(Err(e)) => Err(refused(rest, start, &e)),
        None => Err(Refused {
            offset: text.len(),
            expected: "a JSON value".into(),
            found: "the end of the input".into(),
        }),
    }
}

/// Whether `key` is not yet among `entries`' keys; `seen` is the hash set that takes over
/// from the scan once the object is large (start it at `None`).
pub fn is_new(entries: &[(Value, Value)], seen: &mut Option<HashSet<String>>, key: &str) -> bool {
    if seen.is_none() && entries.len() < SCAN_KEYS {
        return entries.iter().all(|(k, _)| k.as_str() != Some(key));
    }
    let seen = seen.get_or_insert_with(|| {
        entries.iter().filter_map(|(k, _)| k.as_str()).map(str::to_string).collect()
    });
    seen.insert(key.to_string())
}

/// The found half of a repeated key's message.
pub fn second(key: &str) -> String {
    format!("a second {key:?}")
}

/// A [`Value`] deserialized from JSON, for serde_json's stream deserializer.
struct Json(Value);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(Json)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Nil)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from_u64(n))
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Value, E> {
        Ok(Value::Float(x))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_string()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Vector(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        let mut seen = None;
        while let Some(key) = map.next_key::<String>()? {
            if !is_new(&entries, &mut seen, &key) {
                // The message is split back into expected and found by `describe`.
                let message = format!("expected {ONE_KEY}, found {}", second(&key));
                return Err(de::Error::custom(message));
            }
            let Json(value) = map.next_value()?;
            entries.push((Value::Str(key), value));
        }
        Ok(Value::Map(entries))
    }
}

/// serde_json's error, at its place in the whole text. Its line and column count from `start`
/// (where this deserializer began), the column in bytes up to and including the offending
/// one.
fn refused(rest: &str, start: usize, e: &serde_json::Error) -> Refused {
    let line_start = match e.line() {
        0 | 1 => 0,
        line => rest.match_indices('\n').nth(line - 2).map_or(rest.len(), |(i, _)| i + 1),
    };
    // At the end of the input the column counts every byte of the last line; otherwise,
    // column 0 is the newline ending the line before (a raw one inside a string, say).
    let mut offset = match e.column() {
        column if e.is_eof() => (line_start + column).min(rest.len()),
        0 => line_start.saturating_sub(1),
        column => (line_start + column - 1).min(rest.len()),
    };
    while !rest.is_char_boundary(offset) {
        offset -= 1;
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let (expected, found) = describe(message, &rest[offset..]);
    Refused { offset: start + offset, expected, found }
}

/// serde_json's message as expected and found, the way the other parsers word theirs.
fn describe(message: &str, next: &str) -> (String, String) {
    let here = || match next.lines().next() {
        None => "the end of the input".to_string(),
        Some(line) => excerpt(line, 20),
    };
    let words = |expected: &str, found: &str| (expected.to_string(), found.to_string());
    if let Some(expected) = message.strip_prefix("expected ") {
        return match expected.split_once(", found ") {
            Some((expected, found)) => words(expected, found),
            None if expected == "ident" => ("`true`, `false` or `null`".into(), here()),
            None => (expected.to_string(), here()),
        };
    }
    if let Some(what) = message.strip_prefix("EOF while parsing ") {
        return (format!("the rest of {what}"), "the end of the input".into());
    }
    if message.starts_with("control character") {
        return words(
            "a string with its control characters escaped (`\\n`, `\\u0000`)",
            "a raw control character",
        );
    }
    if message == "recursion limit exceeded" {
        return words("JSON nested at most 127 levels deep", "deeper nesting");
    }
    words("valid JSON (RFC 8259)", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, Refused> {
        read_at(text, 0).map(|(value, _)| value)
    }

    #[test]
    fn reads_json() {
        let v = read(r#" {"a": [1, -2.5, "x\u00e9", null, true, {}], "b": false}"#).unwrap();
        let a = v.get("a").unwrap().as_seq().unwrap();
        assert_eq!(a[0], Value::Int(1));
        assert_eq!(a[1], Value::Float(-2.5));
        assert_eq!(a[2], Value::Str("xé".into()));
        assert_eq!(a[3], Value::Nil);
        assert_eq!(v.get("b"), Some(&Value::Bool(false)));
        assert_eq!(read("18446744073709551615").unwrap(), Value::U64(u64::MAX));
        assert_eq!(read("9223372036854775807").unwrap(), Value::Int(i64::MAX));
    }

    #[test]
    fn refusals_are_located_in_the_whole_text() {
        let text = "[0, {\"a\": 1,\n \"b\" 2}]";
        let e = read_at(text, 4).unwrap_err();
        assert_eq!((&text[e.offset..], e.expected.as_str()), ("2}]", "`:`"));
        assert_eq!(e.found, "`2}]`");
        let e = read("{\"a\": 1, \"a\": 2}").unwrap_err();
        assert_eq!((e.expected.as_str(), e.found.as_str()), (ONE_KEY, "a second \"a\""));
        let e = read("[1,\n2,\n").unwrap_err();
        assert_eq!(
            (e.expected.as_str(), e.found.as_str()),
            ("the rest of a value", "the end of the input")
        );
        assert_eq!(read("[nul]").unwrap_err().expected, "`true`, `false` or `null`");
        assert_eq!(read("1e999").unwrap_err().found, "number out of range");
        assert_eq!(read(&"[".repeat(10_000)).unwrap_err().found, "deeper nesting");
    }

    #[test]
    fn large_objects_still_refuse_a_repeat() {
        let keys: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let ok = format!("{{{}}}", keys.join(", "));
        assert_eq!(read(&ok).unwrap().get("k99"), Some(&Value::Int(99)));
        let repeat = format!("{{{}, \"k3\": 0}}", keys.join(", "));
        assert_eq!(read(&repeat).unwrap_err().found, "a second \"k3\"");
    }
}
