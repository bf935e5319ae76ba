//! `tenrec check FILE`: checks a recorded history (tenrec JSON, Porcupine kv log, Jepsen log,
//! Jepsen/Knossos EDN) for linearizability and explains a violation; with `--consistency
//! sequential`, for sequential consistency instead (`check_sequential.rs`).
//!
//! Exit codes: 0 linearizable (or sequentially consistent), 2 not, 4 undecided, 1 usage or
//! input error.
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::check_sequential;
use super::op_view::{describe, header, op_json, show, OpView};
use super::stopwatch::Stopwatch;

use checker::explain::{explain_first_failure, Cut, MinimizeOptions};
use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::{parse_file_limited, FailedCas, Format, RawHistory, DEFAULT_MAX_INPUT_BYTES};
use checker::report::{self, Source};
use checker::{check, Consistency, Decision, History, Model, ModelKind, Options, Outcome, Verdict};
use scenarios::flags::check_writable_file;
use serde_json::{json, Value};

/// Operations of a longest linearizable prefix shown in text output (the last ones, nearest
/// the operation that cannot be placed).
const PREFIX_SHOWN: usize = 12;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The history file.
    file: PathBuf,
    /// The model to check against: register, cas-register, multi-register, kv, versioned-kv,
    /// mutex, set, queue (default: from the file's format, declaration or functions).
    #[arg(long)]
    model: Option<String>,
    /// The file's format: json, porcupine-kv, jepsen-log, edn (default: detected).
    #[arg(long)]
    format: Option<String>,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// What to check: `linearizable` (real-time order, key by key) or `sequential`
    /// (sequential consistency: each client's program order, the whole history at once;
    /// --all-keys and --html do not apply).
    #[arg(long, value_name = "linearizable|sequential", default_value = "linearizable",
        value_parser = parse_consistency)]
    consistency: Consistency,
    /// Decide every partition (key) even after one is found not linearizable.
    #[arg(long)]
    all_keys: bool,
    /// Give up (verdict unknown, exit 4) after this many seconds.
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    time_limit: Option<f64>,
    /// Memory for the search's memo, in megabytes (default 1024).
    #[arg(long, value_name = "MB")]
    memory_limit: Option<usize>,
    /// Also write a self-contained HTML report (timelines, linearization, minimal failing
    /// sub-history) to this file; decides every key, like --all-keys.
    #[arg(long, value_name = "OUT.html")]
    html: Option<PathBuf>,
    /// How a CAS that failed its compare reads: `observed` (it returned false: the register
    /// did not hold the expected value) or `dropped` (it did not happen). Default: observed
    /// for jepsen-log and JSON, dropped for EDN (docs/history-format.md).
    #[arg(long, value_name = "observed|dropped", value_parser = parse_failed_cas)]
    failed_cas: Option<FailedCas>,
    /// Refuse a file larger than this many bytes (default 268435456, 256 MiB), so an endless
    /// input (`/dev/zero`, a pipe) stops with an error instead of filling memory.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_input_bytes: Option<u64>,
}

fn parse_consistency(name: &str) -> Result<Consistency, String> {
    Consistency::from_name(name)
        .ok_or_else(|| format!("`{name}`: expected linearizable or sequential"))
}

fn parse_failed_cas(name: &str) -> Result<FailedCas, String> {
    FailedCas::from_name(name).ok_or_else(|| format!("`{name}`: expected observed or dropped"))
}

/// One partition's outcome, described with the model's words.
struct PartView {
    label: String,
    verdict: Verdict,
    undecided: Option<String>,
    ops: usize,
    steps: u64,
    elapsed: Duration,
    prefix: Vec<OpView>,
    blocked: Option<OpView>,
    minimal: Option<MinimalView>,
    /// Decided by a polynomial fast path (no search steps).
    fast_path: bool,
    /// The fast path's explanation of a violation: a cycle of forced orderings, or a read
    /// nothing could have produced.
    cycle: Option<String>,
}

/// A minimal failing sub-history: its operations as recorded, and how many other
/// state-changing operations it keeps as "may have taken effect".
struct MinimalView {
    core: Vec<OpView>,
    context: usize,
    one_minimal: bool,
    /// Search steps minimizing spent, and the total that cut it short, if one did.
    steps: u64,
    cut: Option<Cut>,
}

/// Counts and verdicts of a whole check.
struct Report {
    verdict: Verdict,
    returned: usize,
    unknown: usize,
    partitions: Vec<PartView>,
    /// The HTML report, when asked for.
    html: Option<String>,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    match run_checked(args) {
        Ok(decision) => ExitCode::from(match decision {
            Decision::Holds => 0,
            Decision::Violated => 2,
            Decision::Unknown => 4,
        }),
        Err(message) => {
            eprintln!("tenrec check: {message}");
            ExitCode::from(1)
        }
    }
}

/// Flags that only mean something for linearizability: refused with sequential consistency,
/// never silently ignored.
fn refuse_linearizable_only(args: &CheckArgs) -> Result<(), String> {
    let flag = match (args.all_keys, &args.html) {
        (true, _) => "--all-keys",
        (false, Some(_)) => "--html",
        (false, None) => return Ok(()),
    };
    let why = match flag {
        "--all-keys" => {
            "sequential consistency is decided over the whole history at once, never key by key"
        }
        _ => "the HTML report draws linearizability searches only",
    };
    Err(format!("{flag} is not available with --consistency sequential: {why}"))
}

fn run_checked(args: &CheckArgs) -> Result<Decision, String> {
    if args.consistency == Consistency::Sequential {
        refuse_linearizable_only(args)?;
    }
    let format = match &args.format {
        None => None,
        Some(name) => Some(Format::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format {name:?}: expected one of {}", known.join(", "))
        })?),
    };
    let requested = match &args.model {
        None => None,
        Some(name) => Some(ModelKind::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown model {name:?}: expected one of {}", known.join(", "))
        })?),
    };
    let options = options(args)?;
    // Before the search, which may take minutes: its verdict must not be lost to an
    // unwritable report at the end.
    if let Some(path) = &args.html {
        check_writable_file(path).map_err(|e| format!("--html: {e}"))?;
    }
    let started = Stopwatch::start();
    let max_bytes = args.max_input_bytes.unwrap_or(DEFAULT_MAX_INPUT_BYTES);
    let mut raw = parse_file_limited(&args.file, format, max_bytes).map_err(|e| e.to_string())?;
    if let Some(policy) = args.failed_cas {
        raw.failed_cas = policy;
    }
    let model = match requested {
        Some(model) => model,
        None => default_model(&raw).map_err(|e| e.to_string())?,
    };
    if args.consistency == Consistency::Sequential {
        return check_sequential::run(&raw, model, options, args.json, started);
    }
    let html =
        args.html.is_some().then(|| (raw.file.clone(), raw.format.to_string(), raw.left_out()));
    let checked = Checked { options, html, started };
    let report = with_model(&raw, model, checked).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if let (Some(path), Some(page)) = (&args.html, &report.html) {
        std::fs::write(path, page).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let output = match args.json {
        true => format!("{}\n", to_json(&raw, model, &report, elapsed)),
        false => text(&raw, model, &report, elapsed),
    };
    // A closed pipe (`| head`) is the reader's choice, not an error worth a panic.
    let _ = std::io::stdout().write_all(output.as_bytes());
    Ok(report.verdict.into())
}

fn options(args: &CheckArgs) -> Result<Options, String> {
    // A report shows every key's verdict.
    let all_keys = args.all_keys || args.html.is_some();
    let mut options = Options { all_keys, ..Options::default() };
    if let Some(seconds) = args.time_limit {
        let limit = Duration::try_from_secs_f64(seconds).map_err(|_| {
            format!("--time-limit {seconds}: expected a non-negative number of seconds")
        })?;
        options.max_time = Some(limit);
    }
    if let Some(mb) = args.memory_limit {
        options.max_memory = mb
            .checked_mul(1 << 20)
            .ok_or_else(|| format!("--memory-limit {mb}: expected fewer megabytes"))?;
    }
    Ok(options)
}

/// Runs the search for whichever model was chosen and describes the result in its words.
struct Checked {
    options: Options,
    /// For an HTML report: the file's name, format and failed operations.
    html: Option<(String, String, usize)>,
    started: Stopwatch,
}

impl WithModel for Checked {
    type Output = Report;

    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Report {
        // The user's time limit, if given, bounds the whole command: reading the file, the
        // check and the explanation.
        let left = |limit: Duration| limit.saturating_sub(self.started.elapsed());
        let options = Options { max_time: self.options.max_time.map(left), ..self.options.clone() };
        let result = check(&model, &history, &options);
        let left = self.options.max_time.map(left);
        let explanation = explain_first_failure(&model, &history, &result, &minimize_options(left));
        let view = |index: usize| describe(&model, &history[index]);
        let mut partitions: Vec<PartView> = result
            .partitions
            .iter()
            .map(|p| PartView {
                label: p.label.clone(),
                verdict: p.verdict,
                undecided: p.undecided.map(|u| u.to_string()),
                ops: p.ops,
                steps: p.steps,
                elapsed: p.elapsed,
                // Only a violation's prefix is news: a linearizable partition's is a whole
                // linearization, an undecided one's merely where the search stopped.
                prefix: match p.verdict {
                    Verdict::NotLinearizable => p.longest_prefix.iter().map(|&i| view(i)).collect(),
                    _ => Vec::new(),
                },
                blocked: p.blocked.map(view),
                minimal: None,
                fast_path: p.fast_path,
                cycle: p.violation.as_ref().map(ToString::to_string),
            })
            .collect();
        if let Some(e) = &explanation {
            partitions[e.partition].minimal = Some(MinimalView {
                core: e.minimal.core.iter().map(|&i| view(i)).collect(),
                context: e.minimal.context.len(),
                one_minimal: e.minimal.one_minimal,
                steps: e.minimal.steps,
                cut: e.minimal.cut,
            });
        }
        let html = self.html.map(|(file, format, failed)| {
            let source = Source { file, format, failed, elapsed: self.started.elapsed() };
            report::html(&report::build(&model, &history, &result, explanation.as_ref(), source))
        });
        let unknown = history.iter().filter(|op| op.outcome == Outcome::Unknown).count();
        let returned = history.len() - unknown;
        Report { verdict: result.verdict, returned, unknown, partitions, html }
    }
}

/// Search steps minimizing a violation may spend over all its candidate checks. Steps, not
/// wall time, so the same file gets the same explanation on every machine. A million steps
/// take about 0.3 s here: Porcupine's c50-bad, every key and its explanation (a 2-operation
/// core), takes 0.4 s in all.
const EXPLAIN_STEPS: u64 = 1_000_000;

/// Minimizing a violation may take a while on long single-key histories; the CLI bounds it by
/// steps (and by what is `left` of the user's --time-limit, if one was given) and says when the
/// result is not known to be 1-minimal. Each candidate's memo is kept small: a weakened
/// candidate with many unknown-outcome operations can otherwise fill the whole default memory
/// limit on every check, and the explanation must not cost more than the verdict by orders of
/// magnitude.
fn minimize_options(left: Option<Duration>) -> MinimizeOptions {
    let defaults = MinimizeOptions::default();
    MinimizeOptions {
        per_check: Options { max_steps: Some(20_000), max_memory: 64 << 20, ..defaults.per_check },
        max_steps: Some(EXPLAIN_STEPS),
        max_time: left,
        ..defaults
    }
}

fn text(raw: &RawHistory, model: ModelKind, report: &Report, elapsed: Duration) -> String {
    let mut out = String::new();
    header(&mut out, raw, model, report.returned, report.unknown);
    let failed_cas = raw.ops.iter().filter(|op| op.failed).count();
    if failed_cas > 0 {
        let reading = match raw.failed_cas {
            FailedCas::Observed => "observed: each returned false",
            FailedCas::Dropped => "dropped: they did not happen",
        };
        let _ = writeln!(out, "failed CAS: {failed_cas}, {reading} (--failed-cas)");
    }
    let _ = writeln!(out, "partitions: {}", report.partitions.len());
    for p in &report.partitions {
        let why = p.undecided.as_ref().map(|u| format!(" ({u})")).unwrap_or_default();
        let how = if p.fast_path { " (fast path)" } else { "" };
        let _ = writeln!(
            out,
            "  {}: {}{why}{how}, {} ops, {} steps, {:.1?}",
            p.label, p.verdict, p.ops, p.steps, p.elapsed
        );
    }
    for p in report.partitions.iter().filter(|p| p.verdict == Verdict::NotLinearizable) {
        violation(&mut out, p);
    }
    let _ = writeln!(out, "verdict: {} ({:.1?})", report.verdict, elapsed);
    out
}

fn violation(out: &mut String, p: &PartView) {
    if !p.prefix.is_empty() || p.blocked.is_some() {
        prefix(out, p);
    }
    if let Some(cycle) = &p.cycle {
        let _ = writeln!(out, "\n{}: why, from the precedence graph:", p.label);
        for line in cycle.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    if let Some(m) = &p.minimal {
        minimal(out, p, m);
    }
}

/// The longest linearizable prefix the search found, and the operation that cannot follow.
fn prefix(out: &mut String, p: &PartView) {
    let n = p.prefix.len();
    let noun = if n == 1 { "operation" } else { "operations" };
    let _ = writeln!(out, "\n{}: longest linearizable prefix, {n} {noun}:", p.label);
    let skipped = p.prefix.len().saturating_sub(PREFIX_SHOWN);
    if skipped > 0 {
        let _ = writeln!(out, "    ... {skipped} earlier operations");
    }
    for op in &p.prefix[skipped..] {
        let _ = writeln!(out, "    {}", show(op));
    }
    if let Some(op) = &p.blocked {
        let _ = writeln!(out, "  cannot be placed next: {}", show(op));
    }
}

/// The minimal failing sub-history and how sure it is.
fn minimal(out: &mut String, p: &PartView, m: &MinimalView) {
    let n = m.core.len();
    let noun = if n == 1 { "operation" } else { "operations" };
    let others = match m.context {
        0 => String::new(),
        1 => ", even if 1 other state-changing operation took effect at any time after \
              its call, or never"
            .to_string(),
        c => format!(
            ", even if {c} other state-changing operations took effect at any time after \
             their call, or never"
        ),
    };
    let minimal = match (m.cut, m.one_minimal) {
        (Some(Cut::Time), _) => format!(
            " (cut by --time-limit after {} steps: may not be minimal, and may differ from \
             run to run)",
            m.steps
        ),
        (Some(Cut::Steps), _) => {
            format!(" (step budget of {EXPLAIN_STEPS} spent: may not be minimal)")
        }
        (Some(Cut::Checks), _) => " (candidate checks spent: may not be minimal)".to_string(),
        (None, false) => " (a candidate's search budget ran out: may not be minimal)".to_string(),
        (None, true) => String::new(),
    };
    let _ = writeln!(
        out,
        "\n{}: minimal failing sub-history{minimal}: {n} {noun} as recorded cannot be linearized{others}:",
        p.label
    );
    for op in &m.core {
        let _ = writeln!(out, "    {}", show(op));
    }
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Linearizable => "linearizable",
        Verdict::NotLinearizable => "not-linearizable",
        Verdict::Unknown => "unknown",
    }
}

fn to_json(raw: &RawHistory, model: ModelKind, report: &Report, elapsed: Duration) -> Value {
    let partitions: Vec<Value> = report
        .partitions
        .iter()
        .map(|p| {
            json!({
                "label": p.label,
                "verdict": verdict_name(p.verdict),
                "undecided": p.undecided,
                "ops": p.ops,
                "steps": p.steps,
                "elapsed_ms": p.elapsed.as_secs_f64() * 1e3,
                "longest_prefix": p.prefix.iter().map(op_json).collect::<Vec<_>>(),
                "blocked": p.blocked.as_ref().map(op_json),
                "fast_path": p.fast_path,
                "cycle": p.cycle,
                "minimal": p.minimal.as_ref().map(|m| json!({
                    "ops": m.core.iter().map(op_json).collect::<Vec<_>>(),
                    "context": m.context,
                    "one_minimal": m.one_minimal,
                    "steps": m.steps,
                    "cut": m.cut.map(|cut| cut.to_string()),
                })),
            })
        })
        .collect();
    json!({
        "file": raw.file,
        "format": raw.format.name(),
        "model": model.name(),
        "consistency": Consistency::Linearizable.name(),
        "verdict": verdict_name(report.verdict),
        "operations": { "returned": report.returned, "unknown": report.unknown, "failed": raw.left_out() },
        "failed_cas": raw.failed_cas.name(),
        "elapsed_ms": elapsed.as_secs_f64() * 1e3,
        "partitions": partitions,
    })
}
