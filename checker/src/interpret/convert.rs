//! The conversion every model's interpreter shares: one raw operation at a time into a typed
//! one, with errors that name the line, the model and what was expected. It lives apart from
//! `mod.rs`, which dispatches to the interpreters, so that they need not import their caller.
use crate::history::{ClientId, History, Operation, Outcome};
use crate::models::ModelKind;
use crate::parse::{ParseError, RawHistory, RawOp, Value};

use super::values::Misfit;

/// Builds a typed history, converting each operation with `convert`, which returns the input
/// and (when the operation returned) the output.
pub fn convert<I, O>(
    raw: &RawHistory,
    model: ModelKind,
    convert: impl Fn(&RawOp) -> Result<(I, Option<O>), Misfit>,
) -> Result<History<I, O>, ParseError> {
    raw.kept()
        .map(|op| {
            let (input, output) = convert(op).map_err(|misfit| {
                let expected = format!("{} (model {model})", misfit.expected);
                raw.error(op, expected, misfit.found)
            })?;
            let outcome = match (op.ret, output) {
                (Some(at), Some(output)) => Outcome::Returned { at, output },
                _ => Outcome::Unknown,
            };
            Ok(Operation {
                client: ClientId(op.client),
                input,
                call: op.call,
                outcome,
                line: op.line,
            })
        })
        .collect()
}

/// The error for a function the model does not have; its name is quoted escaped (a JSON name
/// may hold any character, `"\u0000"` included).
pub fn unknown_function(op: &RawOp, known: &[&str]) -> Misfit {
    let expected = format!("a function {}", known.join(", "));
    Misfit { expected, found: format!("`{}`", op.f.escape_debug()) }
}

/// The output value of a returned operation, converted by `read`; `None` when unknown.
pub fn output<O>(
    op: &RawOp,
    read: impl FnOnce(&Value) -> Result<O, Misfit>,
) -> Result<Option<O>, Misfit> {
    op.output.as_ref().map(read).transpose()
}
