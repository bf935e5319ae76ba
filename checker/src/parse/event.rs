//! Jepsen-style events (`:invoke`, `:ok`, `:fail`, `:info` of a process), read from EDN maps.
use super::error::ParseError;
use super::value::Value;

/// What an event says about its process's operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// The operation starts.
    Invoke,
    /// It happened, with this value.
    Ok,
    /// It did not happen.
    Fail,
    /// Unknown: it may have happened at any point after its invoke, or never.
    Info,
}

impl EventType {
    pub fn from_name(name: &str) -> Option<EventType> {
        match name {
            "invoke" => Some(EventType::Invoke),
            "ok" => Some(EventType::Ok),
            "fail" => Some(EventType::Fail),
            "info" => Some(EventType::Info),
            _ => None,
        }
    }
}

/// One line of a Jepsen history.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub process: u64,
    pub kind: EventType,
    pub f: String,
    pub key: Option<Value>,
    pub value: Value,
    pub line: usize,
}

/// A process field: a client number, or `None` for the nemesis (fault injection, not a client).
pub fn process(file: &str, line: usize, value: &Value) -> Result<Option<u64>, ParseError> {
    match value {
        Value::Int(n) if *n >= 0 => Ok(Some(*n as u64)),
        Value::Keyword(k) if k == "nemesis" => Ok(None),
        other => Err(ParseError::new(
            file,
            line,
            "a process number or :nemesis",
            format!("{} `{other}`", other.kind()),
        )),
    }
}

/// A `:type` field.
pub fn event_type(file: &str, line: usize, value: &Value) -> Result<EventType, ParseError> {
    value.as_name().and_then(EventType::from_name).ok_or_else(|| {
        ParseError::new(file, line, "a type :invoke, :ok, :fail or :info", format!("`{value}`"))
    })
}

/// A `:f` field. A name with a control character (possible in a string) is refused: later
/// messages quote the function, and a binary file must not garble the terminal.
pub fn function(file: &str, line: usize, value: &Value) -> Result<String, ParseError> {
    let printable = |name: &&str| !name.chars().any(char::is_control);
    value.as_name().filter(printable).map(str::to_string).ok_or_else(|| {
        ParseError::new(file, line, "a function name such as :read", format!("`{value}`"))
    })
}

/// Reads an operation map; `Ok(None)` for nemesis events, which are skipped.
pub fn from_map(file: &str, line: usize, map: &Value) -> Result<Option<Event>, ParseError> {
    if !matches!(map, Value::Map(_)) {
        let found = format!("{} `{map}`", map.kind());
        return Err(ParseError::new(
            file,
            line,
            "an operation map {:process .. :type .. :f ..}",
            found,
        ));
    }
    let field = |name: &str| {
        map.get(name).ok_or_else(|| {
            ParseError::new(
                file,
                line,
                format!("a :{name} key in the operation map"),
                format!("`{map}`"),
            )
        })
    };
    let Some(process) = process(file, line, field("process")?)? else {
        return Ok(None);
    };
    let kind = event_type(file, line, field("type")?)?;
    let f = function(file, line, field("f")?)?;
    // A missing :value is read as nil: Jepsen omits it for some functions.
    let value = map.get("value").cloned().unwrap_or(Value::Nil);
    let key = map.get("key").cloned();
    Ok(Some(Event { process, kind, f, key, value, line }))
}
