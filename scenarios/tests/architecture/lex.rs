//! The lexer of the architecture test: identifiers, `::` and the punctuation that shapes
//! paths and items. Comments are dropped and each literal becomes one opaque token, so nothing
//! inside a doc comment or a string is read as a path, and no path runs across a literal.

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Punct(&'static str),
    /// A literal, lifetime or any other character: present only so paths do not run across it.
    Other,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

pub fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer { chars, at: 0, line: 1, out: Vec::new() };
    lexer.run();
    lexer.out
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: usize,
    out: Vec<Token>,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> char {
        self.chars.get(self.at + ahead).copied().unwrap_or('\0')
    }

    fn bump(&mut self) -> char {
        let c = self.peek(0);
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        c
    }

    fn push(&mut self, tok: Tok, line: usize) {
        self.out.push(Token { tok, line });
    }

    fn run(&mut self) {
        while self.at < self.chars.len() {
            let (c, line) = (self.peek(0), self.line);
            if c.is_whitespace() {
                self.bump();
            } else if c == '/' && self.peek(1) == '/' {
                while self.at < self.chars.len() && self.peek(0) != '\n' {
                    self.bump();
                }
            } else if c == '/' && self.peek(1) == '*' {
                self.block_comment();
            } else if let Some(hashes) = self.raw_string_start() {
                self.raw_string(hashes);
                self.push(Tok::Other, line);
            } else if c == '"' || (matches!(c, 'b' | 'c') && self.peek(1) == '"') {
                self.string();
                self.push(Tok::Other, line);
            } else if c == 'b' && self.peek(1) == '\'' {
                self.bump();
                self.quote();
                self.push(Tok::Other, line);
            } else if c == '\'' {
                self.quote();
                self.push(Tok::Other, line);
            } else if c == 'r' && self.peek(1) == '#' && is_ident_start(self.peek(2)) {
                self.at += 2;
                let ident = self.ident();
                self.push(Tok::Ident(ident), line);
            } else if is_ident_start(c) {
                let ident = self.ident();
                self.push(Tok::Ident(ident), line);
            } else if c.is_ascii_digit() {
                while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == '_' {
                    self.bump();
                }
                self.push(Tok::Other, line);
            } else if c == ':' && self.peek(1) == ':' {
                self.at += 2;
                self.push(Tok::Punct("::"), line);
            } else {
                self.bump();
                self.push(punct(c), line);
            }
        }
    }

    fn block_comment(&mut self) {
        let mut depth = 0;
        while self.at < self.chars.len() {
            if self.peek(0) == '/' && self.peek(1) == '*' {
                depth += 1;
                self.at += 2;
            } else if self.peek(0) == '*' && self.peek(1) == '/' {
                depth -= 1;
                self.at += 2;
                if depth == 0 {
                    return;
                }
            } else {
                self.bump();
            }
        }
    }

    /// `r"`, `r#"`, `br"`, `cr#"` ...: the number of `#`s, when a raw string starts here.
    fn raw_string_start(&self) -> Option<usize> {
        let prefix = match (self.peek(0), self.peek(1)) {
            ('r', _) => 1,
            ('b' | 'c', 'r') => 2,
            _ => return None,
        };
        let hashes = (0..).take_while(|&i| self.peek(prefix + i) == '#').count();
        (self.peek(prefix + hashes) == '"').then_some(hashes)
    }

    fn raw_string(&mut self, hashes: usize) {
        while self.bump() != '"' {}
        loop {
            if self.at >= self.chars.len() {
                return;
            }
            if self.bump() == '"' && (0..hashes).all(|i| self.peek(i) == '#') {
                self.at += hashes;
                return;
            }
        }
    }

    fn string(&mut self) {
        while self.bump() != '"' {}
        while self.at < self.chars.len() {
            match self.bump() {
                '\\' => {
                    self.bump();
                }
                '"' => return,
                _ => {}
            }
        }
    }

    /// A char literal (`'a'`, `'\''`) or a lifetime or label (`'a`), after its quote.
    fn quote(&mut self) {
        self.bump();
        if self.peek(0) == '\\' {
            // The escaped character may itself be a quote (`'\''`): skip it before looking for
            // the closing one.
            self.at += 2;
            while self.at < self.chars.len() && self.bump() != '\'' {}
        } else if self.peek(1) == '\'' {
            self.at += 2;
        } else {
            while is_ident_continue(self.peek(0)) {
                self.bump();
            }
        }
    }

    fn ident(&mut self) -> String {
        let start = self.at;
        while is_ident_continue(self.peek(0)) {
            self.bump();
        }
        self.chars[start..self.at].iter().collect()
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn punct(c: char) -> Tok {
    let p = match c {
        '{' => "{",
        '}' => "}",
        '(' => "(",
        ')' => ")",
        '[' => "[",
        ']' => "]",
        ';' => ";",
        ',' => ",",
        '*' => "*",
        '#' => "#",
        '!' => "!",
        '$' => "$",
        '<' => "<",
        _ => return Tok::Other,
    };
    Tok::Punct(p)
}
