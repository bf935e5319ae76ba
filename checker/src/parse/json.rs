//! tenrec's own JSON history (docs/history-format.md): one document
//! `{"model": .., "operations": [..]}`, a bare array of operations, or JSON lines.
//!
//! Every value is read by serde_json, strictly (`json_value`). What is walked here is only
//! the punctuation around the operations: the top-level object or array and the commas of the
//! "operations" array, because each operation needs its own line (reports and errors name it)
//! and serde_json reports positions only between the values of a stream. So each operation is
//! one value read from where it starts, and its line is the line of that byte.
use std::collections::BTreeMap;

use super::error::{excerpt, ParseError};
use super::json_value::{is_new, read_at, second, Refused, ONE_KEY};
use super::pair::Paired;
use super::raw::RawOp;
use super::value::Value;

const OP_FIELDS: [&str; 7] = ["client", "f", "key", "input", "call", "return", "output"];

/// A top-level object, with the elements of its "operations" array (if any) kept apart with
/// their lines.
struct TopLevel {
    line: usize,
    fields: Value,
    operations: Option<Vec<RawOp>>,
}

/// Returns the declared model (if any) and the operations.
pub fn parse(file: &str, text: &str) -> Result<(Option<String>, Paired), ParseError> {
    let mut doc = Doc { file, text, pos: 0, line: 1, counted: 0 };
    let mut model = None;
    // Each operation becomes a RawOp as soon as it is read: holding every operation's value
    // tree until the end took about 600 bytes per operation (0.6 GB for a million).
    let mut ops: Vec<RawOp> = Vec::new();
    doc.skip_ws();
    // The first value decides the layout: a bare array of operations, a header object (the
    // model, the operations or both), or the first operation of JSON lines.
    match doc.peek() {
        None => {}
        Some(b'[') => ops = doc.operations()?,
        Some(b'{') => {
            let top = doc.top_object()?;
            if top.operations.is_some() || top.fields.get("client").is_none() {
                model = declared_model(file, top.line, &top.fields)?;
                ops = top.operations.unwrap_or_default();
            } else {
                ops.push(operation(file, top.line, &top.fields)?);
            }
        }
        Some(_) => return Err(doc.error("a JSON object `{` or array `[`")),
    }
    // JSON lines: operation objects one after another.
    loop {
        doc.skip_ws();
        if doc.peek().is_none() {
            break;
        }
        let line = doc.line();
        ops.push(operation(file, line, &doc.value()?)?);
    }
    check_clients(file, &ops)?;
    Ok((model, Paired { ops, failed: 0 }))
}

/// A byte position in the text, between values, with the line counted up to it.
struct Doc<'a> {
    file: &'a str,
    text: &'a str,
    pos: usize,
    /// The line of byte `counted`; positions only move forward, so counting is linear.
    line: usize,
    counted: usize,
}

impl Doc<'_> {
    fn skip_ws(&mut self) {
        let rest = &self.text.as_bytes()[self.pos..];
        self.pos += rest.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        self.pos += usize::from(next);
        next
    }

    fn line(&mut self) -> usize {
        let passed = &self.text.as_bytes()[self.counted..self.pos];
        self.line += passed.iter().filter(|&&b| b == b'\n').count();
        self.counted = self.pos;
        self.line
    }

    /// One value, read by serde_json.
    fn value(&mut self) -> Result<Value, ParseError> {
        let (value, end) = read_at(self.text, self.pos).map_err(|refused| {
            let Refused { offset, expected, found } = refused;
            self.error_at(offset, expected, found)
        })?;
        self.pos = end;
        Ok(value)
    }

    /// An error at the current position, quoting what follows.
    fn error(&self, expected: impl Into<String>) -> ParseError {
        let found = match self.text[self.pos..].lines().next() {
            None => "the end of the input".to_string(),
            Some(line) => excerpt(line, 20),
        };
        self.error_at(self.pos, expected, found)
    }

    fn error_at(&self, offset: usize, expected: impl Into<String>, found: String) -> ParseError {
        let before = &self.text.as_bytes()[..offset];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        // Columns count characters: every byte but UTF-8 continuation bytes starts one.
        let column = 1 + before[line_start..].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        ParseError::new(self.file, line, expected, found).at_column(column)
    }

    /// The top-level object, its "operations" array walked element by element.
    fn top_object(&mut self) -> Result<TopLevel, ParseError> {
        let line = self.line();
        self.eat(b'{');
        let mut fields = Vec::new();
        let mut seen = None;
        let mut operations = None;
        self.skip_ws();
        if self.eat(b'}') {
            return Ok(TopLevel { line, fields: Value::Map(fields), operations });
        }
        loop {
            self.skip_ws();
            let key_at = self.pos;
            if self.peek() != Some(b'"') {
                return Err(self.error("a quoted key"));
            }
            // A value starting with `"` is a string.
            let key = self.value()?.as_str().unwrap_or_default().to_string();
            let repeated = match key.as_str() {
                "operations" => operations.is_some(),
                _ => !is_new(&fields, &mut seen, &key),
            };
            if repeated {
                return Err(self.error_at(key_at, ONE_KEY, second(&key)));
            }
            self.skip_ws();
            if !self.eat(b':') {
                return Err(self.error(format!("`:` after the key {key:?}")));
            }
            self.skip_ws();
            if key == "operations" {
                operations = Some(self.operations()?);
            } else {
                let value = self.value()?;
                fields.push((Value::Str(key), value));
            }
            self.skip_ws();
            if self.eat(b'}') {
                return Ok(TopLevel { line, fields: Value::Map(fields), operations });
            }
            if !self.eat(b',') {
                return Err(self.error("`,` or `}`"));
            }
        }
    }

    /// An array of operations, each read with the line it starts on.
    fn operations(&mut self) -> Result<Vec<RawOp>, ParseError> {
        if !self.eat(b'[') {
            return Err(self.error("an \"operations\" array `[`"));
        }
        let mut out = Vec::new();
        self.skip_ws();
        if self.eat(b']') {
            return Ok(out);
        }
        loop {
            self.skip_ws();
            let line = self.line();
            out.push(operation(self.file, line, &self.value()?)?);
            self.skip_ws();
            if self.eat(b']') {
                return Ok(out);
            }
            if !self.eat(b',') {
                return Err(self.error("`,` or `]`"));
            }
        }
    }
}

fn declared_model(file: &str, line: usize, header: &Value) -> Result<Option<String>, ParseError> {
    if let Value::Map(entries) = header {
        if let Some((key, _)) = entries.iter().find(|(k, _)| k.as_name() != Some("model")) {
            let expected = "only \"model\" and \"operations\" in the header";
            return Err(ParseError::new(file, line, expected, format!("{key}")));
        }
    }
    match header.get("model") {
        None => Ok(None),
        Some(Value::Str(name)) => Ok(Some(name.clone())),
        Some(other) => Err(ParseError::new(file, line, "a model name string", format!("{other}"))),
    }
}

/// A client number or a time: any integer from 0 to u64::MAX.
fn time(file: &str, line: usize, name: &str, v: &Value) -> Result<u64, ParseError> {
    v.as_u64().ok_or_else(|| {
        ParseError::new(file, line, format!("a non-negative integer \"{name}\""), format!("{v}"))
    })
}

fn operation(file: &str, line: usize, v: &Value) -> Result<RawOp, ParseError> {
    let Value::Map(entries) = v else {
        return Err(ParseError::new(file, line, "an operation object", v.kind()));
    };
    if let Some((key, _)) =
        entries.iter().find(|(k, _)| !OP_FIELDS.contains(&k.as_name().unwrap_or("")))
    {
        let expected = format!("only the fields {}", OP_FIELDS.join(", "));
        return Err(ParseError::new(file, line, expected, format!("{key}")));
    }
    let need = |name: &str| {
        v.get(name).ok_or_else(|| {
            ParseError::new(file, line, format!("a \"{name}\" field"), format!("{v}"))
        })
    };
    let client = time(file, line, "client", need("client")?)?;
    let f = match need("f")? {
        Value::Str(s) => s.clone(),
        other => {
            return Err(ParseError::new(
                file,
                line,
                "a function name string \"f\"",
                format!("{other}"),
            ))
        }
    };
    let call = time(file, line, "call", need("call")?)?;
    let ret = match need("return")? {
        Value::Nil => None,
        at => Some(time(file, line, "return", at)?).filter(|&at| at >= call).map(Some).ok_or_else(
            || {
                ParseError::new(
                    file,
                    line,
                    "a \"return\" no earlier than \"call\"",
                    format!("{at}"),
                )
            },
        )?,
    };
    let output = ret.map(|_| v.get("output").cloned().unwrap_or(Value::Nil));
    let input = v.get("input").cloned().unwrap_or(Value::Nil);
    // A CAS that returned false failed its compare: the same observation as a Jepsen log's
    // `:fail :cas`, and read the same way (`FailedCas`).
    let failed = f == "cas" && output == Some(Value::Bool(false));
    let output = if failed { None } else { output };
    Ok(RawOp { client, f, key: v.get("key").cloned(), input, output, call, ret, line, failed })
}

/// One client has at most one operation open at a time: the history's contract.
fn check_clients(file: &str, ops: &[RawOp]) -> Result<(), ParseError> {
    let mut by_client: BTreeMap<u64, Vec<&RawOp>> = BTreeMap::new();
    for op in ops {
        by_client.entry(op.client).or_default().push(op);
    }
    for (client, mut mine) in by_client {
        mine.sort_by_key(|op| op.call);
        for pair in mine.windows(2) {
            if pair[0].ret.is_none_or(|ret| ret >= pair[1].call) {
                let expected = format!(
                    "client {client}'s operation at line {} to return before its next call",
                    pair[0].line
                );
                let found = format!("a call at {}", pair[1].call);
                return Err(ParseError::new(file, pair[1].line, expected, found));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"model": "cas-register",
 "operations": [
  {"client": 1, "f": "write", "input": 3, "call": 0, "return": 2},
  {"client": 2, "f": "read", "call": 1, "return": 4, "output": 3},
  {"client": 1, "f": "cas", "input": [3, 4], "call": 3, "return": null}
 ]}"#;

    #[test]
    fn reads_a_document() {
        let (model, Paired { ops, .. }) = parse("h.json", DOC).unwrap();
        assert_eq!(model.as_deref(), Some("cas-register"));
        assert_eq!(ops.len(), 3);
        assert_eq!((ops[0].line, ops[0].input.clone(), ops[0].ret), (3, Value::Int(3), Some(2)));
        assert_eq!((ops[1].line, ops[1].output.clone()), (4, Some(Value::Int(3))));
        assert_eq!((ops[2].line, ops[2].ret, ops[2].output.clone()), (5, None, None));
    }

    #[test]
    fn reads_json_lines() {
        let text = "{\"model\": \"kv\"}\n{\"client\": 0, \"f\": \"put\", \"key\": \"k\", \"input\": \"v\", \"call\": 0, \"return\": 1}\n\
                    {\"client\": 0, \"f\": \"get\", \"key\": \"k\", \"call\": 2, \"return\": 3, \"output\": \"v\"}\n";
        let (model, Paired { ops, .. }) = parse("h.jsonl", text).unwrap();
        assert_eq!(model.as_deref(), Some("kv"));
        assert_eq!((ops[1].line, ops[1].key.clone()), (3, Some(Value::Str("k".into()))));
        let text =
            "[\n{\"client\": 0, \"f\": \"read\", \"call\": 0, \"return\": 1, \"output\": 2}\n]";
        let (model, Paired { ops, .. }) = parse("h.json", text).unwrap();
        assert_eq!((model, ops[0].line, ops[0].output.clone()), (None, 2, Some(Value::Int(2))));
    }

    #[test]
    fn malformed_documents_name_the_line() {
        let bad = DOC.replace("\"call\": 1,", "\"call\": -1,");
        let e = parse("h.json", &bad).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(
            e.to_string().starts_with("h.json:4: expected a non-negative integer \"call\""),
            "{e}"
        );
        let bad = DOC.replace("\"return\": 2", "\"retrun\": 2");
        assert!(parse("h.json", &bad).unwrap_err().expected.contains("only the fields"));
        let bad = DOC.replace("\"return\": 4", "\"return\": 0");
        assert_eq!(parse("h.json", &bad).unwrap_err().line, 4);
        let bad = DOC.replace("\"call\": 3", "\"call\": 1");
        let e = parse("h.json", &bad).unwrap_err();
        assert!(e.expected.contains("client 1's operation at line 3"), "{e}");
        let bad = DOC.replace("},\n  {\"client\": 2", "}\n  {\"client\": 2");
        let e = parse("h.json", &bad).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.expected.contains("`,` or `]`"), "{e}");
    }
}
