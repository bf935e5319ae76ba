//! The located error every parser returns: which file, which line (and column), what was expected.
use std::fmt;

/// The most characters of `found` a message keeps: it often quotes the file (a token, a whole
/// value), and a hostile file's token can be megabytes long.
const MAX_FOUND: usize = 80;
/// The same for `expected`, which is mostly our words but may name a key or function from
/// the file.
const MAX_EXPECTED: usize = 160;

/// Input that does not parse, or does not fit the chosen model. Displays as
/// `file:line:column: expected X, found Y` so editors and terminals can jump to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The file name as given by the caller (or `<input>`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// What the parser expected at that point, in words.
    pub expected: String,
    /// What it found instead (a short excerpt or description).
    pub found: String,
}

impl ParseError {
    pub fn new(
        file: &str,
        line: usize,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        ParseError {
            file: file.to_string(),
            line,
            column: None,
            expected: cut(expected.into(), MAX_EXPECTED),
            found: cut(found.into(), MAX_FOUND),
        }
    }

    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": expected {}, found {}", self.expected, self.found)
    }
}

impl std::error::Error for ParseError {}

/// `text` cut to `max` characters, marked with `…` and the length it had.
fn cut(text: String, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => format!("{}… ({} characters)", &text[..end], text.chars().count()),
    }
}

/// A short, printable excerpt of untrusted text for error messages: at most `max` characters,
/// control characters escaped, so a binary file cannot garble the terminal.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).flat_map(char::escape_debug).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    format!("`{out}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_column_when_known() {
        let e = ParseError::new("h.edn", 7, "a value", "`}`");
        assert_eq!(e.to_string(), "h.edn:7: expected a value, found `}`");
        assert_eq!(e.at_column(3).to_string(), "h.edn:7:3: expected a value, found `}`");
        let whole = ParseError::new("h.edn", 0, "a history", "an empty file");
        assert_eq!(whole.to_string(), "h.edn: expected a history, found an empty file");
    }

    #[test]
    fn long_tokens_are_cut() {
        let token = "x".repeat(100_000);
        let e = ParseError::new("h.edn", 1, format!("a function, not {token}"), token.clone());
        assert_eq!(e.found, format!("{}… (100000 characters)", &token[..MAX_FOUND]));
        assert!(e.to_string().len() < 400, "{e}");
        assert_eq!(ParseError::new("h", 1, "x", "short").found, "short");
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("a\tb", 10), "`a\\tb`");
        assert_eq!(excerpt("abcdef", 3), "`abc…`");
    }
}
