//! A small JSON reader producing [`Value`]s, so JSON histories get the same located errors
//! (and per-operation line numbers) as the other formats.
use super::cursor::Cursor;
use super::edn::read_string;
use super::error::ParseError;
use super::value::Value;

/// Deeper nesting than this is rejected rather than risking the stack on hostile input.
const MAX_DEPTH: usize = 100;

pub fn skip_ws(cur: &mut Cursor) {
    cur.take_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
}

/// Reads one JSON value, after skipping leading whitespace.
pub fn read_value(cur: &mut Cursor) -> Result<Value, ParseError> {
    read_nested(cur, 0)
}

fn read_nested(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    skip_ws(cur);
    if depth > MAX_DEPTH {
        return Err(cur.error_found("a value", format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    match cur.peek() {
        Some('{') => read_object(cur, depth),
        Some('[') => read_array(cur, depth),
        Some('"') => read_string(cur).map(Value::Str),
        Some(c) if c == '-' || c.is_ascii_digit() => read_number(cur),
        Some(c) if c.is_ascii_alphabetic() => read_literal(cur),
        _ => Err(cur.error("a JSON value")),
    }
}

fn read_object(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    cur.bump();
    let mut entries = Vec::new();
    skip_ws(cur);
    if cur.eat('}') {
        return Ok(Value::Map(entries));
    }
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
        let value = read_nested(cur, depth + 1)?;
        entries.push((Value::Str(key), value));
        skip_ws(cur);
        if cur.eat('}') {
            return Ok(Value::Map(entries));
        }
        if !cur.eat(',') {
            return Err(cur.error("`,` or `}`"));
        }
    }
}

fn read_array(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    cur.bump();
    let mut items = Vec::new();
    skip_ws(cur);
    if cur.eat(']') {
        return Ok(Value::Vector(items));
    }
    loop {
        items.push(read_nested(cur, depth + 1)?);
        skip_ws(cur);
        if cur.eat(']') {
            return Ok(Value::Vector(items));
        }
        if !cur.eat(',') {
            return Err(cur.error("`,` or `]`"));
        }
    }
}

fn read_number(cur: &mut Cursor) -> Result<Value, ParseError> {
    let token = cur.take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'));
    if let Ok(n) = token.parse::<i64>() {
        return Ok(Value::Int(n));
    }
    match token.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Value::Float(x)),
        _ => Err(cur.error_found("a number", format!("`{token}`"))),
    }
}

fn read_literal(cur: &mut Cursor) -> Result<Value, ParseError> {
    let word = cur.take_while(|c| c.is_ascii_alphanumeric());
    match word {
        "null" => Ok(Value::Nil),
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(cur.error_found("a JSON value", format!("`{word}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, ParseError> {
        read_value(&mut Cursor::new("t.json", text))
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
    }

    #[test]
    fn errors_are_located() {
        let e = read("{\"a\": 1,\n \"b\" 2}").unwrap_err();
        assert_eq!((e.line, e.column), (2, Some(6)));
        assert!(e.expected.contains("`:` after the key \"b\""), "{e}");
        assert_eq!(read("[1,\n2,\n").unwrap_err().line, 3);
        assert!(read("[1 2]").unwrap_err().expected.contains("`,` or `]`"));
        assert!(read("nul").is_err());
        assert!(read("1e999").is_err());
        assert!(read(&"[".repeat(10_000)).is_err());
    }
}
