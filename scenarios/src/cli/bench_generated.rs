//! `tenrec bench checker --generated`: the checker on a fixed table of generated register and
//! cas-register histories (`checker::generate`), long and concurrent or long and sequential,
//! with and without a violation near the end. Each case runs in a fresh child process (this
//! executable again, with `--case NAME`), because peak memory (VmHWM) is process-wide: a case
//! run after another would report the larger of the two. The peak is reset once the history
//! is generated, so it is the check's, the history it reads included. `--write DIR` saves the
//! histories as tenrec JSON instead, for `tenrec check`.
use std::fmt::Write as _;
use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Duration;

use super::stopwatch::Stopwatch;

use checker::generate::{self, Shape};
use checker::models::{CasInput, CasOutput, CasRegister, Register, RegisterInput, RegisterOutput};
use checker::{check, CheckResult, History, Model, Operation, Options, Outcome, Verdict};

/// What to run: the whole table (in child processes), one case (here), or writing files.
pub struct Generated<'a> {
    pub case: Option<&'a str>,
    /// Caps every case's operation count, to scale the table down.
    pub ops: Option<usize>,
    pub max_ms: Option<u64>,
    pub write: Option<&'a Path>,
    /// Print the case's row only: the parent prints the header.
    pub child: bool,
}

/// One row of the table.
struct Case {
    name: &'static str,
    cas: bool,
    ops: usize,
    clients: usize,
    unique: bool,
    violation: bool,
    unknown: f64,
}

const fn case(name: &'static str, cas: bool, ops: usize, clients: usize, unique: bool) -> Case {
    Case { name, cas, ops, clients, unique, violation: false, unknown: 0.0 }
}

const M: usize = 1_000_000;
const SEQUENTIAL: usize = 200_000;

/// The targets: 1M concurrent operations under 5 s and 500 MB; 200k sequential ones
/// under 1 s; a violation near the end found (not linearizable, not unknown).
const CASES: [Case; 17] = [
    case("register-c5-unique", false, M, 5, true),
    case("register-c5-repeated", false, M, 5, false),
    case("register-c10-unique", false, M, 10, true),
    case("register-c10-repeated", false, M, 10, false),
    case("cas-c5-unique", true, M, 5, true),
    case("cas-c5-repeated", true, M, 5, false),
    case("cas-c10-unique", true, M, 10, true),
    case("cas-c10-repeated", true, M, 10, false),
    Case { violation: true, ..case("register-c10-unique-bad", false, M, 10, true) },
    Case { violation: true, ..case("cas-c5-repeated-bad", true, M, 5, false) },
    // Repeated values keep the fast path out: the search's exhaustive passes prove these.
    Case { violation: true, ..case("register-c10-repeated-bad", false, M, 10, false) },
    Case { violation: true, ..case("cas-c10-repeated-bad", true, M, 10, false) },
    // Crashed clients: their operations stay open to the end, as in Jepsen.
    Case { unknown: 0.001, ..case("cas-c5-repeated-crashes", true, M, 5, false) },
    case("register-seq-repeated", false, SEQUENTIAL, 1, false),
    case("register-seq-unique", false, SEQUENTIAL, 1, true),
    Case { violation: true, ..case("register-seq-repeated-bad", false, SEQUENTIAL, 1, false) },
    Case { violation: true, ..case("register-seq-unique-bad", false, SEQUENTIAL, 1, true) },
];

/// The seed of every case: the table is the same on every run and machine.
const SEED: u64 = 1;

impl Case {
    fn shape(&self, cap: Option<usize>) -> Shape {
        Shape {
            ops: cap.map_or(self.ops, |cap| cap.min(self.ops)),
            clients: self.clients,
            seed: SEED,
            unique_values: self.unique,
            violation_near_end: self.violation,
            unknown_outcomes: self.unknown,
        }
    }

    fn model(&self) -> &'static str {
        if self.cas {
            "cas-register"
        } else {
            "register"
        }
    }

    fn expected(&self) -> Verdict {
        match self.violation {
            true => Verdict::NotLinearizable,
            false => Verdict::Linearizable,
        }
    }
}

pub fn run(args: &Generated) -> ExitCode {
    let cases: Vec<&Case> = match args.case {
        None => CASES.iter().collect(),
        Some(name) => match CASES.iter().find(|case| case.name == name) {
            Some(case) => vec![case],
            None => {
                let known: Vec<&str> = CASES.iter().map(|case| case.name).collect();
                eprintln!("tenrec bench checker: no case {name:?}: expected one of {known:?}");
                return ExitCode::from(1);
            }
        },
    };
    if let Some(dir) = args.write {
        return write_all(dir, &cases, args.ops);
    }
    if !args.child {
        println!("{}", header());
    }
    match args.case {
        Some(_) => run_here(cases[0], args),
        None => run_children(args),
    }
}

fn header() -> String {
    format!(
        "{:<26} {:<12} {:>8} {:>7} {:<8} {:<9} {:<32} {:>8} {:>8} {:>8} {:>12}",
        "case",
        "model",
        "ops",
        "clients",
        "values",
        "violation",
        "verdict",
        "check s",
        "hist MB",
        "peak MB",
        "steps"
    )
}

/// Each case in a child process, whose row is printed as it comes. Exit 2 when a verdict
/// contradicts the construction (a checker bug), 1 when a child could not run.
fn run_children(args: &Generated) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            eprintln!("tenrec bench checker: cannot find this executable: {error}");
            return ExitCode::from(1);
        }
    };
    let mut worst = 0;
    for case in &CASES {
        let mut command = Command::new(&exe);
        command.args(["bench", "checker", "--generated", "--child", "--case", case.name]);
        if let Some(ops) = args.ops {
            command.args(["--ops", &ops.to_string()]);
        }
        if let Some(ms) = args.max_ms {
            command.args(["--max-ms", &ms.to_string()]);
        }
        let code = match command.status() {
            Ok(status) => status.code().unwrap_or_else(|| {
                println!("{:<26} ended by a signal ({status})", case.name);
                1
            }),
            Err(error) => {
                println!("{:<26} could not start: {error}", case.name);
                1
            }
        };
        worst = worst.max(code);
    }
    ExitCode::from(worst.clamp(0, 255) as u8)
}

/// Generates and checks one case in this process, and prints its row.
fn run_here(case: &Case, args: &Generated) -> ExitCode {
    let shape = case.shape(args.ops);
    let options =
        Options { max_time: args.max_ms.map(Duration::from_millis), ..Options::default() };
    let measured = match case.cas {
        true => measure(&CasRegister::new(None), &generate::cas_register(&shape), &options),
        false => measure(&Register::new(None), &generate::register(&shape), &options),
    };
    let result = &measured.result;
    let mut verdict = result.verdict.to_string();
    if let Some(why) = result.undecided().find_map(|p| p.undecided) {
        let _ = write!(verdict, " ({why})");
    }
    let wrong = result.verdict != Verdict::Unknown && result.verdict != case.expected();
    if wrong {
        verdict.push_str(" WRONG");
    }
    println!(
        "{:<26} {:<12} {:>8} {:>7} {:<8} {:<9} {:<32} {:>8.2} {:>8} {:>8} {:>12}",
        case.name,
        case.model(),
        shape.ops,
        case.clients,
        if case.unique { "unique" } else { "repeated" },
        if case.violation { "near end" } else { "none" },
        verdict,
        measured.elapsed.as_secs_f64(),
        megabytes(measured.rss_before),
        megabytes(status_kb("VmHWM:")),
        result.steps()
    );
    if wrong {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// A check's result and cost, with the memory the process held before it (mostly the
/// history).
struct Measured {
    result: CheckResult,
    elapsed: Duration,
    rss_before: Option<u64>,
}

fn measure<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    options: &Options,
) -> Measured {
    let rss_before = status_kb("VmRSS:");
    // The peak so far is the generator's; from here on, the peak is the check's (with the
    // history it reads).
    reset_peak();
    let started = Stopwatch::start();
    let result = check(model, history, options);
    Measured { result, elapsed: started.elapsed(), rss_before }
}

/// A field of /proc/self/status in kB (`VmHWM:` the peak resident set, `VmRSS:` the current
/// one); `None` where there is no /proc.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// Resets VmHWM to the current resident set (Linux 4.0+: "5" to /proc/self/clear_refs);
/// where that fails, the peak printed includes generating the history.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn megabytes(kb: Option<u64>) -> String {
    kb.map_or("?".to_string(), |kb| (kb / 1024).to_string())
}

/// Writes each case's history to `DIR/NAME.json` (tenrec JSON lines, docs/history-format.md).
fn write_all(dir: &Path, cases: &[&Case], cap: Option<usize>) -> ExitCode {
    if let Err(error) = std::fs::create_dir_all(dir) {
        eprintln!("tenrec bench checker: {}: {error}", dir.display());
        return ExitCode::from(1);
    }
    for case in cases {
        let path = dir.join(format!("{}.json", case.name));
        let shape = case.shape(cap);
        let written = match case.cas {
            true => write_history(&path, "cas-register", &generate::cas_register(&shape), cas_json),
            false => write_history(&path, "register", &generate::register(&shape), register_json),
        };
        if let Err(error) = written {
            eprintln!("tenrec bench checker: {}: {error}", path.display());
            return ExitCode::from(1);
        }
        let exit = if case.violation { 2 } else { 0 };
        println!("{}  ({} ops; tenrec check exits {exit})", path.display(), shape.ops);
    }
    ExitCode::SUCCESS
}

/// A header line naming the model, then one operation object per line.
fn write_history<I, O>(
    path: &Path,
    model: &str,
    history: &History<I, O>,
    fields: fn(&I, Option<&O>) -> String,
) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "{{\"model\": \"{model}\"}}")?;
    for op in history {
        writeln!(out, "{}", op_json(op, fields))?;
    }
    out.flush()
}

/// `{"client": 1, "call": 0, "return": 2, "f": "write", "input": 3}`.
fn op_json<I, O>(op: &Operation<I, O>, fields: fn(&I, Option<&O>) -> String) -> String {
    let (ret, output) = match &op.outcome {
        Outcome::Returned { at, output } => (at.to_string(), Some(output)),
        Outcome::Unknown => ("null".to_string(), None),
    };
    let fields = fields(&op.input, output);
    format!("{{\"client\": {}, \"call\": {}, \"return\": {ret}, {fields}}}", op.client.0, op.call)
}

fn register_json(input: &RegisterInput, output: Option<&RegisterOutput>) -> String {
    match (input, output) {
        (RegisterInput::Write(value), _) => format!("\"f\": \"write\", \"input\": {value}"),
        (RegisterInput::Read, Some(RegisterOutput::Read(value))) => {
            format!("\"f\": \"read\", \"output\": {}", number(*value))
        }
        (RegisterInput::Read, _) => "\"f\": \"read\"".to_string(),
    }
}

fn cas_json(input: &CasInput, output: Option<&CasOutput>) -> String {
    match (input, output) {
        (CasInput::Write(value), _) => format!("\"f\": \"write\", \"input\": {value}"),
        (CasInput::Read, Some(CasOutput::Read(value))) => {
            format!("\"f\": \"read\", \"output\": {}", number(*value))
        }
        (CasInput::Read, _) => "\"f\": \"read\"".to_string(),
        (CasInput::Cas { expected, new }, output) => {
            let failed =
                if output == Some(&CasOutput::Failed) { ", \"output\": false" } else { "" };
            format!("\"f\": \"cas\", \"input\": [{expected}, {new}]{failed}")
        }
    }
}

fn number(value: Option<i64>) -> String {
    value.map_or("null".to_string(), |value| value.to_string())
}
