//! What the fuzzer does with one input: parse it as each of the four formats and with the
//! format detected; interpret every history that parses for every model that accepts it, under
//! each reading of a failed CAS; and check it, and explain a violation, within a small step
//! budget, so every input is bounded. Errors must stay located and short.
use std::time::Duration;

use checker::explain::{explain_first_failure, MinimizeOptions};
use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::{parse, FailedCas, Format, ParseError, RawHistory};
use checker::{check, History, Model, ModelKind, Options, Verdict};

/// The parses tried per input: each format forced, then detection.
pub const PARSES: [Option<Format>; 5] = [
    Some(Format::Json),
    Some(Format::PorcupineKv),
    Some(Format::JepsenLog),
    Some(Format::Edn),
    None,
];

/// The search budget of each check: small, so an input costs milliseconds, and in steps, not
/// wall time, so a run is the same on any machine.
fn options() -> Options {
    Options { max_steps: Some(20_000), max_memory: 64 << 20, ..Options::default() }
}

/// The explanation's budget, likewise counted in checks and steps only: 40 candidate checks of
/// 2,000 steps. (With 20,000 steps each, a mutated 48 KB kv log spent 1.6 s in 800,000 steps of
/// minimization: kv states hash their appended strings, about 3 µs a step.)
fn minimize_options() -> MinimizeOptions {
    let per_check = Options { max_steps: Some(2_000), ..options() };
    MinimizeOptions { per_check, max_checks: 40, max_steps: None, max_time: None }
}

/// Counts over a run, summed across inputs and threads.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub inputs: u64,
    pub bytes: u64,
    /// Per entry of [`PARSES`]: histories parsed, and errors.
    pub parsed: [u64; 5],
    pub rejected: [u64; 5],
    /// Histories a model accepted (and so checked), and those it refused.
    pub interpreted: u64,
    pub refused: u64,
    pub linearizable: u64,
    pub not_linearizable: u64,
    pub unknown: u64,
    pub explained: u64,
    /// The slowest input: how long it took, and its number.
    pub slowest: (Duration, u64),
}

impl Stats {
    pub fn add(&mut self, other: &Stats) {
        self.inputs += other.inputs;
        self.bytes += other.bytes;
        for i in 0..PARSES.len() {
            self.parsed[i] += other.parsed[i];
            self.rejected[i] += other.rejected[i];
        }
        self.interpreted += other.interpreted;
        self.refused += other.refused;
        self.linearizable += other.linearizable;
        self.not_linearizable += other.not_linearizable;
        self.unknown += other.unknown;
        self.explained += other.explained;
        self.slowest = self.slowest.max(other.slowest);
    }

    /// Notes that input `n` took `time`.
    pub fn timed(&mut self, n: u64, time: Duration) {
        self.slowest = self.slowest.max((time, n));
    }

    pub fn checks(&self) -> u64 {
        self.linearizable + self.not_linearizable + self.unknown
    }
}

/// Runs one input through every parser, model and the search; panics on a broken invariant.
pub fn exercise(bytes: &[u8], stats: &mut Stats) {
    stats.inputs += 1;
    stats.bytes += bytes.len() as u64;
    for (slot, format) in PARSES.into_iter().enumerate() {
        match parse("fuzz", bytes, format) {
            Err(e) => {
                stats.rejected[slot] += 1;
                assert_located(&e, bytes);
            }
            Ok(raw) => {
                stats.parsed[slot] += 1;
                // Detection parses exactly as the format it names, checked above already.
                if format.is_some() {
                    check_every_model(raw, bytes, stats);
                }
            }
        }
    }
}

fn check_every_model(mut raw: RawHistory, bytes: &[u8], stats: &mut Stats) {
    if let Err(e) = default_model(&raw) {
        assert_located(&e, bytes);
    }
    let readings: &[FailedCas] =
        if raw.ops.iter().any(|op| op.failed) { &FailedCas::ALL } else { &[raw.failed_cas] };
    for &reading in readings {
        raw.failed_cas = reading;
        for kind in ModelKind::ALL {
            match with_model(&raw, kind, Checked { stats }) {
                Ok(()) => stats.interpreted += 1,
                Err(e) => {
                    stats.refused += 1;
                    assert_located(&e, bytes);
                }
            }
        }
    }
}

/// Checks a typed history and explains a violation, as `tenrec check` does.
struct Checked<'a> {
    stats: &'a mut Stats,
}

impl WithModel for Checked<'_> {
    type Output = ();

    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) {
        let result = check(&model, &history, &options());
        match result.verdict {
            Verdict::Linearizable => self.stats.linearizable += 1,
            Verdict::NotLinearizable => self.stats.not_linearizable += 1,
            Verdict::Unknown => self.stats.unknown += 1,
        }
        if explain_first_failure(&model, &history, &result, &minimize_options()).is_some() {
            self.stats.explained += 1;
        }
    }
}

/// An error names the file and a line inside it, stays short however long the input's tokens
/// are (issue 18: a 10 MB string once gave a 10 MB message), and is printable: one line.
fn assert_located(e: &ParseError, bytes: &[u8]) {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    assert!(e.line <= lines, "line {} past the end ({lines} lines): {e}", e.line);
    let shown = e.to_string();
    assert!(shown.starts_with("fuzz"), "an error not naming its file: {shown}");
    let head: String = shown.chars().take(1_000).collect();
    assert!(shown.len() <= 1_000, "a {}-byte error message: {head}", shown.len());
    // A binary file must not garble the terminal the message is printed on.
    assert!(!shown.chars().any(char::is_control), "a control character in {:?}", head);
}
