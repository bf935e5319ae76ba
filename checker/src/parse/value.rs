//! The format-neutral data value that EDN, JSON and Jepsen log fields are read into.
use std::fmt;

/// A data value as read from a history file. EDN and JSON both map onto it; symbolic names
/// (`:read` in EDN, `"read"` in JSON) are compared through [`Value::as_name`], so the
/// interpreters need not care which format a file used.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    /// An integer above `i64::MAX`: JSON times may be any u64. Smaller integers are always
    /// `Int`, so each number has one representation and `==` stays structural; build integers
    /// from a u64 with [`Value::from_u64`].
    U64(u64),
    Float(f64),
    Str(String),
    /// An EDN keyword, without its leading colon.
    Keyword(String),
    Symbol(String),
    Vector(Vec<Value>),
    List(Vec<Value>),
    /// Entries in file order; EDN and JSON maps are small here, so a vector is enough.
    Map(Vec<(Value, Value)>),
    Set(Vec<Value>),
}

impl Value {
    /// A symbolic name: a keyword, a symbol or a string (`:cas`, `cas`, `"cas"`).
    pub fn as_name(&self) -> Option<&str> {
        match self {
            Value::Keyword(s) | Value::Symbol(s) | Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `n` as an `Int` when it fits, else as a `U64`.
    pub fn from_u64(n: u64) -> Value {
        i64::try_from(n).map_or(Value::U64(n), Value::Int)
    }

    /// An integer that fits in an i64 (not a `U64`, which does not).
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// A non-negative integer, up to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Int(n) => u64::try_from(*n).ok(),
            Value::U64(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of a vector or list (EDN uses both for sequences; JSON has arrays).
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::Vector(items) | Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// Looks a key up in a map by name (`:type` in EDN, `"type"` in JSON).
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => {
                entries.iter().find(|(k, _)| k.as_name() == Some(name)).map(|(_, v)| v)
            }
            _ => None,
        }
    }

    /// A noun for error messages: "an integer", "a vector", ...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::U64(_) => "an integer above i64::MAX",
            Value::Float(_) => "a float",
            Value::Str(_) => "a string",
            Value::Keyword(_) => "a keyword",
            Value::Symbol(_) => "a symbol",
            Value::Vector(_) => "a vector",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
            Value::Set(_) => "a set",
        }
    }
}

fn write_seq(f: &mut fmt::Formatter<'_>, open: &str, items: &[Value], close: &str) -> fmt::Result {
    f.write_str(open)?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(" ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str(close)
}

/// Prints EDN, the notation of most inputs, so messages quote values the way files spell them.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => f.write_str("nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::U64(n) => write!(f, "{n}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Keyword(k) => write!(f, ":{k}"),
            Value::Symbol(s) => f.write_str(s),
            Value::Vector(items) => write_seq(f, "[", items, "]"),
            Value::List(items) => write_seq(f, "(", items, ")"),
            Value::Set(items) => write_seq(f, "#{", items, "}"),
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k} {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}
