//! One operation as `tenrec check` shows it, in text and JSON, whichever consistency it
//! checks: its line, its client, and the model's words for it; and the text's first lines
//! about the history (file, format, model, operation counts), the same for both checks.
use std::fmt::Write as _;

use checker::parse::RawHistory;
use checker::{Model, ModelKind, Operation, Outcome};
use serde_json::{json, Value};

/// One operation as reports show it.
pub struct OpView {
    pub line: usize,
    pub client: u64,
    pub text: String,
}

pub fn describe<M: Model>(model: &M, op: &Operation<M::Input, M::Output>) -> OpView {
    let output = match &op.outcome {
        Outcome::Returned { output, .. } => Some(output),
        Outcome::Unknown => None,
    };
    OpView { line: op.line, client: op.client.0, text: model.describe_operation(&op.input, output) }
}

pub fn show(op: &OpView) -> String {
    format!("line {:>5}  c{:<4} {}", op.line, op.client, op.text)
}

pub fn op_json(op: &OpView) -> Value {
    json!({ "line": op.line, "client": op.client, "op": op.text })
}

/// The text report's first lines: which file, in which format, under which model, and how many
/// operations returned, stayed open or failed.
pub(super) fn header(
    out: &mut String,
    raw: &RawHistory,
    model: ModelKind,
    returned: usize,
    unknown: usize,
) {
    let _ = writeln!(out, "{} ({}, model {model})", raw.file, raw.format);
    let _ = writeln!(
        out,
        "operations: {returned} returned, {unknown} with unknown outcome, {} failed (left out)",
        raw.left_out()
    );
}
