//! A position in a text being read, tracking the line so every error and event can be located.
use super::error::{excerpt, ParseError};

/// Reads a text character by character and knows its line and column.
pub struct Cursor<'a> {
    file: &'a str,
    text: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Cursor { file, text, pos: 0, line: 1, line_start: 0 }
    }

    /// Starts at `line` (1-based) of a larger file, for parsers that read one line at a time.
    pub fn at_line(file: &'a str, text: &'a str, line: usize) -> Self {
        Cursor { file, text, pos: 0, line, line_start: 0 }
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    pub fn line(&self) -> usize {
        self.line
    }

    pub fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    /// The character after the next one.
    pub fn peek2(&self) -> Option<char> {
        let mut chars = self.text[self.pos..].chars();
        chars.next();
        chars.next()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.line_start = self.pos;
        }
        Some(c)
    }

    /// Consumes `c` if it is next.
    pub fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes characters while `pred` holds and returns them.
    pub fn take_while(&mut self, pred: impl Fn(char) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.bump();
        }
        &self.text[start..self.pos]
    }

    /// The rest of the text from here.
    pub fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// An error at the current position; `found` defaults to an excerpt of what follows.
    pub fn error(&self, expected: impl Into<String>) -> ParseError {
        let found = match self.peek() {
            None => "the end of the input".to_string(),
            Some(_) => excerpt(self.rest().lines().next().unwrap_or(""), 20),
        };
        self.error_found(expected, found)
    }

    pub fn error_found(&self, expected: impl Into<String>, found: impl Into<String>) -> ParseError {
        let column = self.text[self.line_start..self.pos].chars().count() + 1;
        ParseError::new(self.file, self.line, expected, found).at_column(column)
    }
}
