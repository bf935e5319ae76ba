//! Inputs for the fuzzer: a seed, cut to a readable size, then a few mutations chosen to reach
//! the parsers' edges (format tokens, huge numbers, escapes, control characters), their pairing
//! logic (lines moved and spliced between files) and their bounds (a slice repeated thousands of
//! times makes long tokens and deep nesting).
use super::corpus::Seed;
use super::rng::Rng;

/// No input grows past this: big enough for a 20,000-deep chain of `#_`, small enough that
/// every input parses and checks in milliseconds.
pub const MAX_INPUT: usize = 256 << 10;

/// A seed larger than this is usually cut to a window of about this size.
const WINDOW: usize = 16 << 10;

/// Tokens that mean something to one of the four formats, or to a number or string reader.
#[rustfmt::skip]
const TOKENS: &[&[u8]] = &[
    b"{", b"}", b"[", b"]", b"(", b")", b"#_", b"#{", b"#inst ", b"#jepsen.history.Op", b"#",
    b":invoke", b":ok", b":fail", b":info", b":nemesis", b":process", b":type", b":f", b":value",
    b":key", b":read", b":write", b":cas", b":txn", b":append", b":get", b":put", b":add",
    b":enqueue", b":dequeue", b":acquire", b":release", b":r", b":w", b"nil", b"true", b"false",
    b"\"", b"\\", b"\\u", b"\\ud83d", b"\\ude00", b"\\ud83d\\ude00", b"\\\"", b"\\newline", b"\\c",
    b"18446744073709551615", b"18446744073709551616", b"99999999999999999999999",
    b"9007199254740993", b"-9223372036854775808", b"-1", b"0", b"1e999", b"-0.0", b"7N", b"1M",
    b"0x10", b"'", b",", b";", b" ", b"\n", b"\r\n", b"\t", b"\0", b"\x01", b"\x1b", b"\x7f",
    b"\"client\":", b"\"f\":", b"\"call\":", b"\"return\":", b"\"input\":", b"\"output\":",
    b"\"key\":", b"\"model\":", b"\"operations\":", b"null", b"\"ErrNoKey\"",
    b"INFO  jepsen.util - ", b"jepsen.util", b"\xef\xbb\xbf", b"\xc3\xa9", b"\xf0\x9f\x98\x80",
    b"\xff", b"\xc3", b"\xed\xa0\xbd",
];

/// Words that replace a word of the input: a value for a value, a keyword for a keyword, so the
/// file often still parses and the change reaches the pairing, the interpreters and the search.
#[rustfmt::skip]
const WORDS: &[&[u8]] = &[
    b":invoke", b":ok", b":fail", b":info", b":nemesis", b":read", b":write", b":cas", b":txn",
    b":append", b":get", b":put", b":add", b":enqueue", b":dequeue", b":acquire", b":release",
    b":process", b":type", b":f", b":value", b":key", b":timed-out", b"nil", b"true", b"false",
    b"null", b"0", b"1", b"2", b"3", b"-1", b"18446744073709551615", b"18446744073709551616",
    b"9223372036854775807", b"9007199254740993", b"1.5", b"1e999", b"7N", b"[1 2]", b"[2 0]",
    b"[]", b"{}", b"#{1}", b"\"\"", b"\"ErrNoKey\"", b"\"Ok\"", b"\"x 0 0 y\"", b"[0, 1]",
];

/// The input numbered by `rng`'s stream: a seed, maybe cut to a window, mutated 0 to 8 times.
pub fn input(seeds: &[Seed], rng: &mut Rng) -> Vec<u8> {
    let written: Vec<&Seed> = seeds.iter().filter(|s| s.written).collect();
    let seed = match rng.one_in(3) && !written.is_empty() {
        true => rng.pick(&written),
        false => rng.pick(seeds),
    };
    let mut bytes = window(&seed.bytes, rng);
    let mutations = if rng.one_in(8) { 0 } else { rng.skewed(8) };
    for _ in 0..mutations {
        mutate(&mut bytes, seeds, rng);
        bytes.truncate(MAX_INPUT);
    }
    bytes
}

/// A large seed is read whole now and then; otherwise a run of its lines, from the start or
/// the middle, inside a vector again when the seed is one (so it still parses as EDN).
fn window(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    if seed.len() <= WINDOW || rng.one_in(32) {
        return seed.to_vec();
    }
    let start = if rng.one_in(2) { 0 } else { line_start(seed, rng.below(seed.len())) };
    let end = line_start(seed, (start + rng.skewed(WINDOW)).min(seed.len())).max(start);
    let mut bytes = seed[start..end].to_vec();
    let vector = seed.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if vector && end < seed.len() {
        if start > 0 {
            bytes.insert(0, b'[');
        }
        bytes.push(b']');
    }
    bytes
}

/// The start of the line holding byte `at`'s successor: windows cut between lines.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| at + i + 1)
}

fn mutate(bytes: &mut Vec<u8>, seeds: &[Seed], rng: &mut Rng) {
    let len = bytes.len();
    let at = rng.below(len + 1);
    match rng.below(12) {
        0 => {
            if let Some(byte) = bytes.get_mut(at) {
                *byte ^= 1 << rng.below(8);
            }
        }
        1 => {
            let end = (at + rng.skewed(64)).min(len);
            bytes.drain(at..end);
        }
        2 | 3 => {
            let token = rng.pick(TOKENS);
            bytes.splice(at..at, token.iter().copied());
        }
        4 => {
            // Overwrite a few bytes with a token: a value, a keyword or a bracket swapped.
            let end = (at + rng.skewed(8)).min(len);
            let token = rng.pick(TOKENS);
            bytes.splice(at..end, token.iter().copied());
        }
        5 => splice(bytes, &rng.pick(seeds).bytes, rng),
        6 => repeat(bytes, rng),
        7 => bytes.truncate(at),
        8 => move_line(bytes, rng),
        9 | 10 => replace_word(bytes, rng),
        _ => {
            let byte = rng.below(256) as u8;
            bytes.insert(at, byte);
        }
    }
}

/// Head of this input, tail of another (or the other's middle inserted here).
fn splice(bytes: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    let at = rng.below(bytes.len() + 1);
    let from = rng.below(other.len() + 1);
    if rng.one_in(2) {
        let to = (from + rng.skewed(WINDOW)).min(other.len());
        bytes.truncate(at);
        bytes.extend_from_slice(&other[from..to]);
    } else {
        let to = (from + rng.skewed(256)).min(other.len());
        bytes.splice(at..at, other[from..to].iter().copied());
    }
}

/// A slice of the input, or a token, repeated up to 20,000 times in place: chains of `#_`,
/// thousands of `[`, a megabyte-long number or string.
fn repeat(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let at = rng.below(bytes.len() + 1);
    let unit: Vec<u8> = if rng.one_in(2) || at == bytes.len() {
        rng.pick(TOKENS).to_vec()
    } else {
        bytes[at..(at + rng.skewed(16)).min(bytes.len())].to_vec()
    };
    let room = MAX_INPUT.saturating_sub(bytes.len()) / unit.len().max(1);
    let times = rng.skewed(20_000).min(room);
    let run: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * times).collect();
    bytes.splice(at..at, run);
}

/// Cuts one line out and puts it elsewhere (or a copy of it): completions before their
/// invocations, a second invoke while one is open, events of one process interleaved anew.
fn move_line(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let start = line_start(bytes, rng.below(bytes.len() + 1).saturating_sub(1));
    let start = if start >= bytes.len() { 0 } else { start };
    let end = line_start(bytes, start);
    let line: Vec<u8> =
        if rng.one_in(3) { bytes[start..end].to_vec() } else { bytes.drain(start..end).collect() };
    let to = line_start(bytes, rng.below(bytes.len() + 1).saturating_sub(1)).min(bytes.len());
    bytes.splice(to..to, line);
}

/// Replaces the word (a run of letters, digits and `:-_.`) around a random byte with another.
fn replace_word(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let in_word = |b: &u8| b.is_ascii_alphanumeric() || b":-_.".contains(b);
    let at = rng.below(bytes.len());
    let start = bytes[..at].iter().rposition(|b| !in_word(b)).map_or(0, |i| i + 1);
    let end = bytes[at..].iter().position(|b| !in_word(b)).map_or(bytes.len(), |i| at + i);
    let word = rng.pick(WORDS);
    bytes.splice(start..end.max(start), word.iter().copied());
}
