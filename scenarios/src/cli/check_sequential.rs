//! `tenrec check FILE --consistency sequential`: is the recorded history sequentially
//! consistent (one order of all operations that keeps each client's program order), and if
//! not, the longest consistent prefix and the operations that cannot follow it.
//!
//! The whole history is one search (sequential consistency is not local), so there is no
//! per-key report; `check.rs` refuses the flags that only mean something key by key.
use std::fmt::Write as _;
use std::io::Write as _;
use std::time::Duration;

use super::op_view::{describe, header, op_json, show, OpView};
use super::stopwatch::Stopwatch;

use checker::interpret::{with_model, WithModel};
use checker::parse::RawHistory;
use checker::{check_sequential, Decision, History, Model, ModelKind, Options, Outcome};
use serde_json::{json, Value};

/// Operations of the longest prefix shown in text output (the last ones, nearest the
/// operations that cannot be placed).
const PREFIX_SHOWN: usize = 12;

/// A frontier operation that cannot be placed, and the state of what it touches.
struct BlockedView {
    op: OpView,
    part: String,
    state: String,
    /// The read that placing it would make impossible (`None`: it is illegal there).
    starves: Option<OpView>,
}

/// The check's outcome, described with the model's words.
struct Report {
    result: checker::SequentialResult,
    returned: usize,
    unknown: usize,
    /// Only a violation's prefix is news (a consistent history's is a whole order).
    prefix: Vec<OpView>,
    blocked: Vec<BlockedView>,
}

/// Checks `raw` for sequential consistency against `model`, prints the result (text or
/// JSON) and returns the decision; a client whose operations overlap is an input error.
pub fn run(
    raw: &RawHistory,
    model: ModelKind,
    options: Options,
    json: bool,
    started: Stopwatch,
) -> Result<Decision, String> {
    let report = with_model(raw, model, Sequential { options, started })
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("{}: {e}", raw.file))?;
    let elapsed = started.elapsed();
    let output = match json {
        true => format!("{}\n", to_json(raw, model, &report, elapsed)),
        false => text(raw, model, &report, elapsed),
    };
    // A closed pipe (`| head`) is the reader's choice, not an error worth a panic.
    let _ = std::io::stdout().write_all(output.as_bytes());
    Ok(report.result.verdict)
}

struct Sequential {
    options: Options,
    started: Stopwatch,
}

impl WithModel for Sequential {
    type Output = Result<Report, checker::ProgramOrderError>;

    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Self::Output {
        // The user's time limit bounds the whole command, reading the file included.
        let left = |limit: Duration| limit.saturating_sub(self.started.elapsed());
        let options = Options { max_time: self.options.max_time.map(left), ..self.options };
        let result = check_sequential(&model, &history, &options)?;
        let view = |index: usize| describe(&model, &history[index]);
        let prefix = match result.verdict {
            Decision::Violated => result.longest_prefix.iter().map(|&i| view(i)).collect(),
            _ => Vec::new(),
        };
        let blocked = result
            .blocked
            .iter()
            .map(|b| BlockedView {
                op: view(b.op),
                part: b.part.clone(),
                state: b.state.clone(),
                starves: b.starves.map(view),
            })
            .collect();
        let unknown = history.iter().filter(|op| op.outcome == Outcome::Unknown).count();
        let returned = history.len() - unknown;
        Ok(Report { result, returned, unknown, prefix, blocked })
    }
}

fn text(raw: &RawHistory, model: ModelKind, report: &Report, elapsed: Duration) -> String {
    let mut out = String::new();
    let result = &report.result;
    header(&mut out, raw, model, report.returned, report.unknown);
    let _ = writeln!(
        out,
        "consistency: sequential (each client's program order, not real time; every key in \
         one order)"
    );
    let why = result.undecided.map(|u| format!(" ({u})")).unwrap_or_default();
    let _ = writeln!(
        out,
        "search: {} clients, {} ops, {} steps, {:.1?}{why}",
        result.clients, result.ops, result.steps, result.elapsed
    );
    if result.verdict == Decision::Violated {
        prefix(&mut out, report);
    }
    let _ = writeln!(out, "verdict: {} ({:.1?})", result.judgement(), elapsed);
    out
}

/// The longest consistent prefix, and every client's next operation, none of which fits.
fn prefix(out: &mut String, report: &Report) {
    let n = report.prefix.len();
    if n == 0 {
        let _ = writeln!(out, "\nno client's first operation can be placed first:");
    } else {
        let noun = if n == 1 { "operation" } else { "operations" };
        let _ = writeln!(out, "\nlongest sequentially consistent prefix, {n} {noun}:");
    }
    let skipped = n.saturating_sub(PREFIX_SHOWN);
    if skipped > 0 {
        let _ = writeln!(out, "    ... {skipped} earlier operations");
    }
    for op in &report.prefix[skipped..] {
        let _ = writeln!(out, "    {}", show(op));
    }
    if n > 0 {
        let _ = writeln!(out, "  no client's next operation can be placed after it:");
    }
    for b in &report.blocked {
        let _ = writeln!(out, "    {}", show(&b.op));
        match &b.starves {
            None => {
                let _ = writeln!(out, "        illegal there: {} is {}", b.part, b.state);
            }
            Some(read) => {
                let _ = writeln!(
                    out,
                    "        legal there ({} is {}), but then this read could never be placed:\n        {}",
                    b.part,
                    b.state,
                    show(read)
                );
            }
        }
    }
}

fn to_json(raw: &RawHistory, model: ModelKind, report: &Report, elapsed: Duration) -> Value {
    let result = &report.result;
    let blocked: Vec<Value> = report
        .blocked
        .iter()
        .map(|b| {
            let mut op = op_json(&b.op);
            op["part"] = json!(b.part);
            op["state"] = json!(b.state);
            op["starves"] = json!(b.starves.as_ref().map(op_json));
            op
        })
        .collect();
    json!({
        "file": raw.file,
        "format": raw.format.name(),
        "model": model.name(),
        "consistency": result.consistency.name(),
        "verdict": result.judgement().slug(),
        "undecided": result.undecided.map(|u| u.to_string()),
        "operations": { "returned": report.returned, "unknown": report.unknown, "failed": raw.left_out() },
        "failed_cas": raw.failed_cas.name(),
        "clients": result.clients,
        "ops": result.ops,
        "steps": result.steps,
        "elapsed_ms": elapsed.as_secs_f64() * 1e3,
        "longest_prefix": report.prefix.iter().map(op_json).collect::<Vec<_>>(),
        "blocked": blocked,
    })
}
