//! tenrec's own JSON history (docs/history-format.md): one document
//! `{"model": .., "operations": [..]}`, a bare array of operations, or JSON lines.
use std::collections::BTreeMap;

use super::cursor::Cursor;
use super::edn::read_string;
use super::error::ParseError;
use super::json_value::{read_value, skip_ws};
use super::pair::Paired;
use super::raw::RawOp;
use super::value::Value;

const OP_FIELDS: [&str; 7] = ["client", "f", "key", "input", "call", "return", "output"];

/// A top-level object, with the elements of its "operations" array (if any) kept apart with
/// their lines, since the value reader keeps no positions inside values.
struct TopLevel {
    line: usize,
    fields: Value,
    operations: Option<Vec<(usize, Value)>>,
}

/// Returns the declared model (if any) and the operations.
pub fn parse(file: &str, text: &str) -> Result<(Option<String>, Paired), ParseError> {
    let mut cur = Cursor::new(file, text);
    let mut model = None;
    let mut op_values: Vec<(usize, Value)> = Vec::new();
    let mut first = true;
    loop {
        skip_ws(&mut cur);
        if cur.at_end() {
            break;
        }
        let top = match cur.peek() {
            // A bare array of operations: a document without a header.
            Some('[') => TopLevel {
                line: cur.line(),
                fields: Value::Map(Vec::new()),
                operations: Some(read_operations(&mut cur)?),
            },
            _ => read_top(&mut cur)?,
        };
        let is_header = first && (top.operations.is_some() || top.fields.get("client").is_none());
        first = false;
        if !is_header {
            op_values.push((top.line, top.fields));
            continue;
        }
        model = declared_model(file, top.line, &top.fields)?;
        op_values.extend(top.operations.unwrap_or_default());
    }
    let ops = op_values
        .iter()
        .map(|(line, v)| operation(file, *line, v))
        .collect::<Result<Vec<_>, _>>()?;
    check_clients(file, &ops)?;
    Ok((model, Paired { ops, failed: 0 }))
}

fn read_top(cur: &mut Cursor) -> Result<TopLevel, ParseError> {
    let line = cur.line();
    if !cur.eat('{') {
        return Err(cur.error("a JSON object `{`"));
    }
    let mut entries = Vec::new();
    let mut operations = None;
    skip_ws(cur);
    if !cur.eat('}') {
        loop {
            skip_ws(cur);
            if cur.peek() != Some('"') {
                return Err(cur.error("a quoted key"));
            }
            let key = read_string(cur)?;
            skip_ws(cur);
            if !cur.eat(':') {
                return Err(cur.error(format!("`:` after the key {key:?}")));
            }
            skip_ws(cur);
            if key == "operations" {
                operations = Some(read_operations(cur)?);
            } else {
                entries.push((Value::Str(key), read_value(cur)?));
            }
            skip_ws(cur);
            if cur.eat('}') {
                break;
            }
            if !cur.eat(',') {
                return Err(cur.error("`,` or `}`"));
            }
        }
    }
    Ok(TopLevel { line, fields: Value::Map(entries), operations })
}

fn read_operations(cur: &mut Cursor) -> Result<Vec<(usize, Value)>, ParseError> {
    if !cur.eat('[') {
        return Err(cur.error("an \"operations\" array `[`"));
    }
    let mut out = Vec::new();
    skip_ws(cur);
    if cur.eat(']') {
        return Ok(out);
    }
    loop {
        skip_ws(cur);
        out.push((cur.line(), read_value(cur)?));
        skip_ws(cur);
        if cur.eat(']') {
            return Ok(out);
        }
        if !cur.eat(',') {
            return Err(cur.error("`,` or `]`"));
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

fn time(file: &str, line: usize, name: &str, v: &Value) -> Result<u64, ParseError> {
    match v {
        Value::Int(n) if *n >= 0 => Ok(*n as u64),
        other => Err(ParseError::new(
            file,
            line,
            format!("a non-negative integer \"{name}\""),
            format!("{other}"),
        )),
    }
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
