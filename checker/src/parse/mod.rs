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

use std::fs::File;
use std::io::Read;
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

/// The largest history file [`parse_file`] reads: far above any real history (Porcupine's
/// largest test file is under 200 KB; a million operations of Jepsen EDN is about 100 MB), and
/// small enough that reading it, and the operations it parses into, fit in memory. Without a
/// bound, `tenrec check /dev/zero` would grow until the machine runs out.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads and parses a file of at most [`DEFAULT_MAX_INPUT_BYTES`]; an unreadable or larger
/// file is an error at line 0.
pub fn parse_file(path: &Path, format: Option<Format>) -> Result<RawHistory, ParseError> {
    parse_file_limited(path, format, DEFAULT_MAX_INPUT_BYTES)
}

/// [`parse_file`] for a file of at most `max_bytes`. The file is read through a bounded
/// reader, so an endless one (`/dev/zero`, a pipe) stops at the limit too.
pub fn parse_file_limited(
    path: &Path,
    format: Option<Format>,
    max_bytes: u64,
) -> Result<RawHistory, ParseError> {
    let name = path.display().to_string();
    let unreadable =
        |e: std::io::Error| ParseError::new(&name, 0, "a readable file", e.to_string());
    let file = File::open(path).map_err(unreadable)?;
    let too_large = |found: String| {
        let expected = format!(
            "a history of at most {max_bytes} bytes (the input limit; \
             `tenrec check --max-input-bytes N` raises it)"
        );
        ParseError::new(&name, 0, expected, found)
    };
    // A regular file says its size: no need to read it to refuse it.
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    if let Some(size) = size.filter(|&size| size > max_bytes) {
        return Err(too_large(format!("{size} bytes")));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large("more than that".to_string()));
    }
    parse(&name, &bytes, format)
}
