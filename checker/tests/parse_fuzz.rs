//! Hostile input never panics: random bytes, and random mutations of the real data files,
//! either parse or give an error whose line lies inside the file.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::{parse, Format, ParseError};
use checker::{History, Model, ModelKind};
use proptest::prelude::*;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// The contents of every history file under tests/data, read once.
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut paths = Vec::new();
        collect(Path::new(DATA), &mut paths);
        paths.sort();
        paths.iter().map(|p| std::fs::read(p).expect("a readable data file")).collect()
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the tests/data directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt" || e == "log" || e == "edn") {
            out.push(path);
        }
    }
}

/// Interprets for a model without searching: only the conversion is under test here.
struct Count;

impl WithModel for Count {
    type Output = usize;
    fn run<M: Model>(self, _model: M, history: History<M::Input, M::Output>) -> usize {
        history.len()
    }
}

fn assert_located(e: &ParseError, bytes: &[u8]) {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    assert!(e.line <= lines, "line {} past the end ({lines} lines): {e}", e.line);
    assert!(e.to_string().starts_with("fuzz"), "{e}");
}

/// Parses with every format (forced and detected) and interprets for every model.
fn exercise(bytes: &[u8]) {
    let formats = Format::ALL.into_iter().map(Some).chain([None]);
    for format in formats {
        match parse("fuzz", bytes, format) {
            Err(e) => assert_located(&e, bytes),
            Ok(raw) => {
                if let Err(e) = default_model(&raw) {
                    assert_located(&e, bytes);
                }
                for kind in ModelKind::ALL {
                    match with_model(&raw, kind, Count) {
                        Ok(n) => assert_eq!(n, raw.kept().count()),
                        Err(e) => assert_located(&e, bytes),
                    }
                }
            }
        }
    }
}

/// A mutation of a file: bytes likely to matter to a parser, at random places.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, u8),
    Delete(usize, usize),
    Replace(usize, u8),
    Duplicate(usize, usize),
}

fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![prop::sample::select(b"[](){}#:;\"\\,\n\t -0123456789nN.e".to_vec()), any::<u8>(),]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), interesting_byte()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), interesting_byte()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        (any::<usize>(), 1usize..200).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
        Mutation::Delete(at, n) => {
            let start = at % len;
            let end = (start + n).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Mutation::Replace(at, b) => {
            if let Some(slot) = bytes.get_mut(at % len) {
                *slot = b;
            }
        }
        Mutation::Duplicate(at, n) => {
            let start = at % len;
            let end = (start + n).min(bytes.len());
            let copy = bytes[start.min(end)..end].to_vec();
            bytes.splice(end..end, copy);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(interesting_byte(), 0..400)) {
        exercise(&bytes);
    }

    #[test]
    fn mutated_data_files_never_panic(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let mut bytes = file.get(corpus()).clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        exercise(&bytes);
    }
}

#[test]
fn the_corpus_is_not_empty() {
    assert!(corpus().len() >= 10, "found {} data files", corpus().len());
}
