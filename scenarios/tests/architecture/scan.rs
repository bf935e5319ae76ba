//! What one source file says about other modules: the files it declares (`mod x;`), the names
//! it defines, the paths of its `use` trees and the multi-segment paths in its code, with
//! everything under `#[cfg(test)]` removed first.
use std::collections::BTreeSet;

use super::lex::{lex, Tok, Token};

/// One path of a `use` tree: `use a::{b as c, d::*}` gives `a::b` named `c` and `a::d` glob.
#[derive(Debug)]
pub struct UsePath {
    pub segments: Vec<String>,
    /// The name the path is imported under; `None` for a glob.
    pub name: Option<String>,
    /// How many inline modules (`mod tag { .. }`) the `use` sits in.
    pub inline: usize,
    pub line: usize,
}

/// A path of two or more segments in code (`crate::log::f`, `super::Role::Leader`).
#[derive(Debug)]
pub struct CodePath {
    pub segments: Vec<String>,
    pub inline: usize,
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct FileScan {
    /// `mod x;` declarations of the file's own module: its child files.
    pub mods: Vec<String>,
    /// Items the file's own module defines (functions, types, inline modules, macros ...).
    pub defines: BTreeSet<String>,
    /// `macro_rules!` names: an exported one is an item of the crate root, wherever defined.
    pub macros: BTreeSet<String>,
    pub uses: Vec<UsePath>,
    pub paths: Vec<CodePath>,
}

pub fn scan(text: &str) -> FileScan {
    let tokens = without_test_code(lex(text));
    let mut scanner = Scanner { tokens: &tokens, at: 0, depth: 0, inline: Vec::new() };
    let mut out = FileScan::default();
    scanner.run(&mut out);
    out
}

fn ident(token: Option<&Token>) -> Option<&str> {
    match token.map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn is(token: Option<&Token>, punct: &str) -> bool {
    matches!(token.map(|t| &t.tok), Some(Tok::Punct(p)) if *p == punct)
}

/// Drops every item marked `#[cfg(test)]`, or the whole file under `#![cfg(test)]`.
fn without_test_code(tokens: Vec<Token>) -> Vec<Token> {
    if is(tokens.first(), "#") && is(tokens.get(1), "!") && is_cfg_test(&tokens, 2) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut at = 0;
    while at < tokens.len() {
        if is(tokens.get(at), "#") && is_cfg_test(&tokens, at + 1) {
            at = end_of_item(&tokens, at + 7);
        } else {
            out.push(tokens[at].clone());
            at += 1;
        }
    }
    out
}

/// `[cfg(test)]` starting at `at`.
fn is_cfg_test(tokens: &[Token], at: usize) -> bool {
    is(tokens.get(at), "[")
        && ident(tokens.get(at + 1)) == Some("cfg")
        && is(tokens.get(at + 2), "(")
        && ident(tokens.get(at + 3)) == Some("test")
        && is(tokens.get(at + 4), ")")
        && is(tokens.get(at + 5), "]")
}

/// The index just past the item starting at `at` (after any further attributes): its `;`, or
/// the `}` closing its first brace block.
fn end_of_item(tokens: &[Token], mut at: usize) -> usize {
    let mut depth = 0usize;
    while at < tokens.len() {
        match &tokens[at].tok {
            Tok::Punct("(" | "[") => depth += 1,
            Tok::Punct(")" | "]") => depth = depth.saturating_sub(1),
            Tok::Punct(";") if depth == 0 => return at + 1,
            Tok::Punct("{") if depth == 0 => return matching_brace(tokens, at) + 1,
            _ => {}
        }
        at += 1;
    }
    at
}

fn matching_brace(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (at, token) in tokens.iter().enumerate().skip(open) {
        match token.tok {
            Tok::Punct("{") => depth += 1,
            Tok::Punct("}") => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Keywords whose next identifier is the name of an item they define.
const DEFINING: [&str; 8] = ["fn", "struct", "enum", "trait", "type", "union", "static", "const"];

struct Scanner<'a> {
    tokens: &'a [Token],
    at: usize,
    /// Brace depth.
    depth: usize,
    /// The brace depth at which each enclosing inline module opened.
    inline: Vec<usize>,
}

impl Scanner<'_> {
    fn get(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead)
    }

    /// True at the file's own module level: not inside a block, nor an inline module.
    fn at_file_level(&self) -> bool {
        self.depth == 0 && self.inline.is_empty()
    }

    fn run(&mut self, out: &mut FileScan) {
        while self.at < self.tokens.len() {
            let word = ident(self.get(0)).map(str::to_string);
            match word.as_deref() {
                Some("use") if !is(self.get(1), "<") => self.use_item(out),
                Some("pub") if is(self.get(1), "(") && ident(self.get(2)) == Some("in") => {
                    // `pub(in crate::a)` names a module for visibility, not a dependency.
                    self.at += 3;
                    while self.at < self.tokens.len() && !is(self.get(0), ")") {
                        self.at += 1;
                    }
                }
                Some("mod") => self.module(out),
                Some("macro_rules") if is(self.get(1), "!") => {
                    if let Some(name) = ident(self.get(2)) {
                        out.defines.insert(name.to_string());
                        out.macros.insert(name.to_string());
                    }
                    self.at += 2;
                }
                Some(keyword) if DEFINING.contains(&keyword) && self.at_file_level() => {
                    self.definition(keyword, out);
                }
                Some(_) if is(self.get(1), "::") && !self.continues_a_path() => self.path(out),
                _ => self.punctuation(),
            }
        }
    }

    /// True when the identifier here follows `::` or `$` (`$crate::x`, resolved where the
    /// macro expands).
    fn continues_a_path(&self) -> bool {
        self.at > 0
            && (is(self.tokens.get(self.at - 1), "::") || is(self.tokens.get(self.at - 1), "$"))
    }

    fn punctuation(&mut self) {
        if is(self.get(0), "{") {
            self.depth += 1;
        } else if is(self.get(0), "}") {
            self.depth = self.depth.saturating_sub(1);
            if self.inline.last() == Some(&self.depth) {
                self.inline.pop();
            }
        }
        self.at += 1;
    }

    fn definition(&mut self, keyword: &str, out: &mut FileScan) {
        let mut next = 1;
        if keyword == "static" && ident(self.get(1)) == Some("mut") {
            next = 2;
        }
        match ident(self.get(next)) {
            // `const fn f`, `const unsafe fn f`: the `fn` that follows defines the name.
            Some("fn" | "unsafe" | "async" | "extern") if keyword == "const" => {}
            Some(name) => {
                out.defines.insert(name.to_string());
            }
            None => {}
        }
        self.at += 1;
    }

    /// `mod x;` declares a child file; `mod x { .. }` is an inline module, an item of this file.
    fn module(&mut self, out: &mut FileScan) {
        let Some(name) = ident(self.get(1)).map(str::to_string) else {
            self.at += 1;
            return;
        };
        if is(self.get(2), "{") {
            if self.at_file_level() {
                out.defines.insert(name);
            }
            self.inline.push(self.depth);
            self.depth += 1;
            self.at += 3;
        } else {
            if is(self.get(2), ";") && self.at_file_level() {
                out.mods.push(name);
            }
            self.at += 2;
        }
    }

    fn path(&mut self, out: &mut FileScan) {
        let line = self.get(0).map_or(0, |t| t.line);
        let mut segments = Vec::new();
        while let Some(segment) = ident(self.get(0)) {
            segments.push(segment.to_string());
            if !(is(self.get(1), "::") && ident(self.get(2)).is_some()) {
                self.at += 1;
                break;
            }
            self.at += 2;
        }
        out.paths.push(CodePath { segments, inline: self.inline.len(), line });
    }

    fn use_item(&mut self, out: &mut FileScan) {
        let line = self.get(0).map_or(0, |t| t.line);
        self.at += 1;
        let mut paths = Vec::new();
        self.use_tree(Vec::new(), &mut paths);
        for (segments, name) in paths {
            out.uses.push(UsePath { segments, name, inline: self.inline.len(), line });
        }
        while self.at < self.tokens.len() && !is(self.get(0), ";") {
            self.at += 1;
        }
        self.at += 1;
    }

    /// One tree of a `use`: `a::b`, `a::b as c`, `a::*`, `a::{..}`, `a::{self, ..}`.
    fn use_tree(
        &mut self,
        mut segments: Vec<String>,
        out: &mut Vec<(Vec<String>, Option<String>)>,
    ) {
        loop {
            if is(self.get(0), "::") {
                self.at += 1;
            } else if is(self.get(0), "*") {
                self.at += 1;
                out.push((segments, None));
                return;
            } else if is(self.get(0), "{") {
                self.at += 1;
                while self.at < self.tokens.len() && !is(self.get(0), "}") {
                    self.use_tree(segments.clone(), out);
                    if is(self.get(0), ",") {
                        self.at += 1;
                    }
                }
                self.at += 1;
                return;
            } else if let Some(segment) = ident(self.get(0)) {
                segments.push(segment.to_string());
                self.at += 1;
                if is(self.get(0), "::") {
                    continue;
                }
                return self.use_leaf(segments, out);
            } else {
                return;
            }
        }
    }

    fn use_leaf(
        &mut self,
        mut segments: Vec<String>,
        out: &mut Vec<(Vec<String>, Option<String>)>,
    ) {
        if segments.last().map(String::as_str) == Some("self") {
            segments.pop();
        }
        let mut name = segments.last().cloned();
        if ident(self.get(0)) == Some("as") {
            name = ident(self.get(1)).map(str::to_string);
            self.at += 2;
        }
        if !segments.is_empty() {
            out.push((segments, name));
        }
    }
}
