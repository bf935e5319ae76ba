//! A small EDN reader: the subset Jepsen and Knossos histories use, with located errors.
//!
//! Reads nil, booleans, integers (and floats), strings with escapes, characters, keywords,
//! symbols, vectors, lists, maps and sets; skips `;` comments, commas and `#_` discards; reads
//! a tagged literal (`#inst "..."`, `#jepsen.history.Op{...}`) as its untagged value.
use super::cursor::Cursor;
use super::error::{excerpt, ParseError};
use super::value::Value;

/// Deeper nesting than this is rejected rather than risking the stack on hostile input. A
/// `#_` discard counts as a level too: the form it discards is read by a nested call, so
/// `#_#_#_...` (each discard's form starts with the next discard) nests as deep as `[[[...`.
const MAX_DEPTH: usize = 100;

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | ';')
}

/// Skips whitespace, commas, comments and `#_` discarded forms.
pub fn skip_ws(cur: &mut Cursor) -> Result<(), ParseError> {
    skip_ws_at(cur, 0)
}

/// `skip_ws` inside a value nested `depth` deep: a discarded form is one level deeper.
fn skip_ws_at(cur: &mut Cursor, depth: usize) -> Result<(), ParseError> {
    loop {
        match cur.peek() {
            Some(c) if c.is_whitespace() || c == ',' => {
                cur.bump();
            }
            Some(';') => {
                cur.take_while(|c| c != '\n');
            }
            Some('#') if cur.peek2() == Some('_') => {
                cur.bump();
                cur.bump();
                read_nested(cur, depth + 1)?;
            }
            _ => return Ok(()),
        }
    }
}

/// Reads one value, after skipping any leading whitespace and comments.
pub fn read_value(cur: &mut Cursor) -> Result<Value, ParseError> {
    read_nested(cur, 0)
}

fn read_nested(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    // Before skipping: a discard there recurses, and must meet the bound first.
    if depth > MAX_DEPTH {
        return Err(cur.error_found("a value", format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    skip_ws_at(cur, depth)?;
    match cur.peek() {
        None => Err(cur.error("a value")),
        Some('(') => read_seq(cur, ')', depth).map(Value::List),
        Some('[') => read_seq(cur, ']', depth).map(Value::Vector),
        Some('{') => read_map(cur, depth),
        Some('"') => read_string(cur).map(Value::Str),
        Some(':') => read_keyword(cur),
        Some('\\') => read_char(cur),
        Some('#') => read_dispatch(cur, depth),
        Some(c) if c.is_ascii_digit() => read_number(cur),
        Some('+' | '-') if cur.peek2().is_some_and(|c| c.is_ascii_digit()) => read_number(cur),
        Some(c) if is_delimiter(c) => Err(cur.error("a value")),
        Some(_) => read_symbol(cur),
    }
}

/// Reads the elements up to `close`; the cursor is on the opening bracket.
fn read_seq(cur: &mut Cursor, close: char, depth: usize) -> Result<Vec<Value>, ParseError> {
    cur.bump();
    let mut items = Vec::new();
    loop {
        skip_ws_at(cur, depth + 1)?;
        match cur.peek() {
            Some(c) if c == close => {
                cur.bump();
                return Ok(items);
            }
            None | Some(')' | ']' | '}') => return Err(cur.error(format!("a value or `{close}`"))),
            Some(_) => items.push(read_nested(cur, depth + 1)?),
        }
    }
}

fn read_map(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    cur.bump();
    let mut entries = Vec::new();
    loop {
        skip_ws_at(cur, depth + 1)?;
        match cur.peek() {
            Some('}') => {
                cur.bump();
                return Ok(Value::Map(entries));
            }
            None | Some(')' | ']') => return Err(cur.error("a key or `}`")),
            Some(_) => {}
        }
        let key = read_nested(cur, depth + 1)?;
        skip_ws_at(cur, depth + 1)?;
        if matches!(cur.peek(), Some('}') | None) {
            return Err(cur.error(format!("a value for the key {key}")));
        }
        let value = read_nested(cur, depth + 1)?;
        entries.push((key, value));
    }
}

fn read_dispatch(cur: &mut Cursor, depth: usize) -> Result<Value, ParseError> {
    cur.bump();
    match cur.peek() {
        Some('{') => read_seq(cur, '}', depth).map(Value::Set),
        Some(c) if c.is_alphabetic() => {
            // A tagged literal: the tag names a type we do not need, so keep only the value.
            cur.take_while(|c| !is_delimiter(c));
            read_nested(cur, depth + 1)
        }
        _ => Err(cur.error("a set `#{`, a discard `#_` or a tag after `#`")),
    }
}

/// Reads a string literal; the cursor is on the opening quote. Shared with the JSON reader,
/// whose escapes are a subset of these.
pub fn read_string(cur: &mut Cursor) -> Result<String, ParseError> {
    cur.bump();
    let mut out = String::new();
    loop {
        match cur.bump() {
            None => return Err(cur.error("a closing `\"`")),
            Some('"') => return Ok(out),
            Some('\\') => out.push(read_escape(cur)?),
            Some(c) => out.push(c),
        }
    }
}

fn read_escape(cur: &mut Cursor) -> Result<char, ParseError> {
    let c = match cur.peek() {
        Some('n') => '\n',
        Some('t') => '\t',
        Some('r') => '\r',
        Some('b') => '\u{8}',
        Some('f') => '\u{c}',
        Some('"') => '"',
        Some('\\') => '\\',
        Some('/') => '/',
        Some('u') => {
            cur.bump();
            return read_unicode(cur);
        }
        _ => return Err(cur.error("an escape (`\\n`, `\\t`, `\\\"`, `\\\\`, `\\uXXXX`, ...)")),
    };
    cur.bump();
    Ok(c)
}

fn read_unicode(cur: &mut Cursor) -> Result<char, ParseError> {
    let rest = cur.rest();
    let code = rest
        .get(..4)
        .filter(|hex| hex.chars().all(|c| c.is_ascii_hexdigit()))
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .ok_or_else(|| cur.error("four hex digits after `\\u`"))?;
    // Surrogates (JSON spells astral characters as pairs) are replaced rather than rejected:
    // a history's strings are compared, never decoded further.
    let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
    for _ in 0..4 {
        cur.bump();
    }
    Ok(c)
}

/// A keyword's, symbol's or number's characters, up to the next delimiter. No control
/// character belongs in one, and refusing it here keeps it out of the values that error
/// messages quote: a binary file must not garble the terminal the message is printed on.
fn read_token<'a>(cur: &mut Cursor<'a>, what: &str) -> Result<&'a str, ParseError> {
    let token = cur.take_while(|c| !is_delimiter(c));
    if token.chars().any(char::is_control) {
        let expected = format!("{what} without control characters");
        return Err(cur.error_found(expected, excerpt(token, 40)));
    }
    Ok(token)
}

fn read_keyword(cur: &mut Cursor) -> Result<Value, ParseError> {
    cur.bump();
    let name = read_token(cur, "a keyword")?;
    if name.is_empty() {
        return Err(cur.error("a keyword name after `:`"));
    }
    Ok(Value::Keyword(name.to_string()))
}

fn read_char(cur: &mut Cursor) -> Result<Value, ParseError> {
    cur.bump();
    let first = cur.bump().ok_or_else(|| cur.error("a character after `\\`"))?;
    let rest = cur.take_while(|c| !is_delimiter(c));
    let c = match (first, rest) {
        (c, "") => c,
        ('n', "ewline") => '\n',
        ('s', "pace") => ' ',
        ('t', "ab") => '\t',
        ('r', "eturn") => '\r',
        _ => {
            let shown: String =
                format!("{first}{rest}").chars().take(40).flat_map(char::escape_debug).collect();
            return Err(cur.error_found("a character literal", format!("`\\{shown}`")));
        }
    };
    Ok(Value::Str(c.to_string()))
}

fn read_number(cur: &mut Cursor) -> Result<Value, ParseError> {
    let token = read_token(cur, "a number")?;
    let bad = || cur.error_found("a number (an integer fits in 64 bits)", excerpt(token, 40));
    if let Ok(n) = token.strip_suffix('N').unwrap_or(token).parse::<i64>() {
        return Ok(Value::Int(n));
    }
    let is_float = token.contains(['.', 'e', 'E']) || token.ends_with('M');
    if is_float {
        let x = token.strip_suffix('M').unwrap_or(token).parse::<f64>().map_err(|_| bad())?;
        return Ok(Value::Float(x));
    }
    Err(bad())
}

fn read_symbol(cur: &mut Cursor) -> Result<Value, ParseError> {
    let token = read_token(cur, "a symbol")?;
    Ok(match token {
        "nil" => Value::Nil,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::Symbol(token.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, ParseError> {
        read_value(&mut Cursor::new("t.edn", text))
    }

    fn kw(s: &str) -> Value {
        Value::Keyword(s.to_string())
    }

    #[test]
    fn reads_scalars() {
        assert_eq!(read("nil").unwrap(), Value::Nil);
        assert_eq!(read(" true").unwrap(), Value::Bool(true));
        assert_eq!(read("-42").unwrap(), Value::Int(-42));
        assert_eq!(read("7N").unwrap(), Value::Int(7));
        assert_eq!(read("1.5").unwrap(), Value::Float(1.5));
        assert_eq!(read(":timed-out").unwrap(), kw("timed-out"));
        assert_eq!(read("\"a\\\"b\\n\\u0041\"").unwrap(), Value::Str("a\"b\nA".into()));
        assert_eq!(read("\\space").unwrap(), Value::Str(" ".into()));
        assert_eq!(read("foo/bar").unwrap(), Value::Symbol("foo/bar".into()));
    }

    #[test]
    fn reads_collections_comments_and_tags() {
        let v = read("; head\n{:f :txn, :value [[:read :x nil] #_ ignored (:write :y 2)] :s #{1}}")
            .unwrap();
        assert_eq!(v.get("f"), Some(&kw("txn")));
        let ops = v.get("value").unwrap().as_seq().unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[1], Value::List(vec![kw("write"), kw("y"), Value::Int(2)]));
        assert_eq!(v.get("s"), Some(&Value::Set(vec![Value::Int(1)])));
        assert_eq!(read("#inst \"2020\"").unwrap(), Value::Str("2020".into()));
    }

    #[test]
    fn errors_are_located() {
        let e = read("{:a 1\n :b}").unwrap_err();
        assert_eq!((e.line, e.column), (2, Some(4)));
        assert!(e.expected.contains("a value for the key :b"), "{e}");
        let e = read("[1 2\n\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("t.edn:3:1: expected a value or `]`"), "{e}");
        assert_eq!(read("\"abc").unwrap_err().line, 1);
        assert!(read("12ab").unwrap_err().expected.contains("a number"));
        assert!(read(")").is_err());
        let e = read("[1 2}").unwrap_err();
        assert_eq!((e.expected.as_str(), e.column), ("a value or `]`", Some(5)));
        assert!(read(": x").is_err());
        assert!(read("\"\\q\"").is_err());
        assert!(read("\"\\u12\"").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        let e = read(&text).unwrap_err();
        assert!(e.found.contains("nesting"), "{e}");
    }
}
