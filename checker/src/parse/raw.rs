//! What parsing produces, whatever the syntax: operations with calls paired to completions,
//! values still uninterpreted, each with the line it came from.
use super::error::ParseError;
use super::format::Format;
use super::value::Value;

/// One operation with its call paired to its completion, values still uninterpreted.
#[derive(Clone, Debug, PartialEq)]
pub struct RawOp {
    /// The client (Jepsen process) number.
    pub client: u64,
    /// The function name (`read`, `cas`, `append`, ...), without a keyword's colon.
    pub f: String,
    /// The key, for formats that carry one outside the value (Porcupine kv's `:key`).
    pub key: Option<Value>,
    /// The value given at the call (`:invoke`).
    pub input: Value,
    /// The value given at the completion (`:ok`), or `None` when the outcome is unknown.
    pub output: Option<Value>,
    /// Call time: the position of the call in the file, or the JSON `call` field.
    pub call: u64,
    /// Return time, or `None` when the outcome is unknown.
    pub ret: Option<u64>,
    /// 1-based line of the call in the file.
    pub line: usize,
}

/// A parsed file: its operations, and the model it declares (JSON only).
#[derive(Clone, Debug, PartialEq)]
pub struct RawHistory {
    pub file: String,
    pub format: Format,
    pub model: Option<String>,
    pub ops: Vec<RawOp>,
    /// Operations that `:fail`ed (they did not happen), left out of `ops`.
    pub failed: usize,
}

impl RawHistory {
    /// A located error about operation `op` of this history.
    pub fn error(
        &self,
        op: &RawOp,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ParseError {
        ParseError::new(&self.file, op.line, expected, found)
    }
}
