//! One operation as `tenrec check` shows it, in text and JSON, whichever consistency it
//! checks: its line, its client, and the model's words for it.
use checker::{Model, Operation, Outcome};
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
