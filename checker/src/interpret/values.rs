//! Reading model inputs and outputs out of raw values, with messages for what does not fit.
use std::collections::BTreeSet;

use crate::parse::Value;

/// Why an operation does not fit a model: what was expected and what was found. The caller
/// adds the file, line and model name.
#[derive(Debug)]
pub struct Misfit {
    pub expected: String,
    pub found: String,
}

impl Misfit {
    pub fn new(expected: impl Into<String>, found: &Value) -> Misfit {
        Misfit { expected: expected.into(), found: format!("{} `{found}`", found.kind()) }
    }
}

pub fn int(v: &Value, what: &str) -> Result<i64, Misfit> {
    v.as_int().ok_or_else(|| Misfit::new(format!("an integer {what}"), v))
}

/// An integer or nil (`None`), as registers hold.
pub fn opt_int(v: &Value, what: &str) -> Result<Option<i64>, Misfit> {
    match v {
        Value::Nil => Ok(None),
        other => int(other, what).map(Some),
    }
}

/// A text value: a string, or a number or keyword spelled as text.
pub fn text(v: &Value, what: &str) -> Result<String, Misfit> {
    match v {
        Value::Str(s) | Value::Keyword(s) | Value::Symbol(s) => Ok(s.clone()),
        Value::Int(n) => Ok(n.to_string()),
        // JSON integers above i64::MAX: a key is text, whatever its size.
        Value::U64(n) => Ok(n.to_string()),
        other => Err(Misfit::new(format!("a string {what}"), other)),
    }
}

/// Exactly `n` elements of a vector or list.
pub fn tuple<'v>(v: &'v Value, n: usize, what: &str) -> Result<&'v [Value], Misfit> {
    match v.as_seq() {
        Some(items) if items.len() == n => Ok(items),
        _ => Err(Misfit::new(what, v)),
    }
}

/// A collection of integers (vector, list or set), as set reads return.
pub fn int_set(v: &Value, what: &str) -> Result<BTreeSet<i64>, Misfit> {
    let items = match v {
        Value::Vector(items) | Value::List(items) | Value::Set(items) => items,
        other => return Err(Misfit::new(format!("a collection of integers {what}"), other)),
    };
    items.iter().map(|item| int(item, "element")).collect()
}

/// A status name compared loosely, so `ErrNoKey`, `:err-no-key` and `"err_no_key"` agree.
pub fn status(v: &Value) -> Option<String> {
    let name = v.as_name()?;
    Some(name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect())
}

#[cfg(test)]
mod tests {
    use super::text;
    use crate::parse::Value;

    #[test]
    fn integers_of_any_size_are_text() {
        assert_eq!(text(&Value::Int(-3), "key").ok(), Some("-3".to_string()));
        let largest = Value::from_u64(u64::MAX);
        assert_eq!(text(&largest, "key").ok(), Some(u64::MAX.to_string()));
        assert!(text(&Value::Nil, "key").is_err());
    }
}
