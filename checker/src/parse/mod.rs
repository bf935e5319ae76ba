//! Parsers: history files (tenrec JSON, Porcupine kv logs, Jepsen logs, Jepsen/Knossos EDN)
//! into a format-neutral list of operations, each with the file line it came from.
//!
//! Parsing knows nothing of models: it pairs calls with their completions and keeps the raw
//! values. [`crate::interpret`] then turns a [`RawHistory`] into a model's typed history.
//! Every failure is a [`ParseError`] naming the file, the line and what was expected.
mod cursor;
mod detect;
pub mod edn;
mod edn_history;
mod error;
mod event;
mod jepsen_log;
mod json;
mod json_value;
mod pair;
mod porcupine_kv;
mod value;

use std::fmt;
use std::path::Path;

pub use detect::detect;
pub use error::ParseError;
pub use event::{Event, EventType};
pub use value::Value;

/// The syntaxes tenrec reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// tenrec's own JSON history (docs/history-format.md), as one document or JSON lines.
    Json,
    /// Porcupine's kv logs: one EDN map per line, with `:key`.
    PorcupineKv,
    /// Jepsen's log output (`INFO  jepsen.util - 0 :invoke :read nil`), as in Porcupine's etcd
    /// test data.
    JepsenLog,
    /// Jepsen/Knossos EDN: a vector or list of operation maps.
    Edn,
}

impl Format {
    pub const ALL: [Format; 4] =
        [Format::Json, Format::PorcupineKv, Format::JepsenLog, Format::Edn];

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::PorcupineKv => "porcupine-kv",
            Format::JepsenLog => "jepsen-log",
            Format::Edn => "edn",
        }
    }

    /// Parses a format name as printed by [`Format::name`]; `jepsen-etcd-log` is an alias.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "jepsen-etcd-log" | "etcd" => Some(Format::JepsenLog),
            _ => Format::ALL.into_iter().find(|f| f.name() == name),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

/// Parses `bytes` (the contents of `file`, which is used only in messages), detecting the
/// format from the content unless `format` is given.
pub fn parse(file: &str, bytes: &[u8], format: Option<Format>) -> Result<RawHistory, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        ParseError::new(file, line, "UTF-8 text", "bytes that are not UTF-8")
    })?;
    let format = match format {
        Some(format) => format,
        None => detect(file, text)?,
    };
    let (model, pair::Paired { ops, failed }) = match format {
        Format::Json => json::parse(file, text)?,
        Format::PorcupineKv => (None, porcupine_kv::parse(file, text)?),
        Format::JepsenLog => (None, jepsen_log::parse(file, text)?),
        Format::Edn => (None, edn_history::parse(file, text)?),
    };
    Ok(RawHistory { file: file.to_string(), format, model, ops, failed })
}

/// Reads and parses a file; an unreadable file is an error at line 0.
pub fn parse_file(path: &Path, format: Option<Format>) -> Result<RawHistory, ParseError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| ParseError::new(&name, 0, "a readable file", e.to_string()))?;
    parse(&name, &bytes, format)
}
