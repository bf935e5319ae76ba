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
mod format;
mod jepsen_log;
mod json;
mod json_value;
mod pair;
mod porcupine_kv;
mod raw;
mod value;

use std::path::Path;

pub use detect::detect;
pub use error::ParseError;
pub use event::{Event, EventType};
pub use format::Format;
pub use raw::{FailedCas, RawHistory, RawOp};
pub use value::Value;

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
    let failed_cas = FailedCas::default_for(format);
    Ok(RawHistory { file: file.to_string(), format, model, ops, failed, failed_cas })
}

/// Reads and parses a file; an unreadable file is an error at line 0.
pub fn parse_file(path: &Path, format: Option<Format>) -> Result<RawHistory, ParseError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| ParseError::new(&name, 0, "a readable file", e.to_string()))?;
    parse(&name, &bytes, format)
}
