//! From a model's typed history and a check's result to the renderer-neutral [`Report`].
use std::collections::BTreeMap;
use std::time::Duration;

use super::data::{MinimalView, OpView, Report, Section, Step, Summary};
use crate::explain::{replay, Explanation};
use crate::history::{History, Outcome};
use crate::model::Model;
use crate::result::CheckResult;

/// Characters of one state description kept in a report. States such as a key's appended
/// string grow with the history; a report of thousands of steps must stay loadable.
const MAX_STATE_CHARS: usize = 240;

/// Where a history came from, for the summary.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: String,
    pub format: String,
    /// Failed operations the parser left out.
    pub failed: usize,
    pub elapsed: Duration,
}

/// Describes `result` (the check of `history` against `model`) for a report, with the
/// minimal failing sub-history of `explanation` if there is one.
pub fn build<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    result: &CheckResult,
    explanation: Option<&Explanation>,
    source: Source,
) -> Report {
    let unknown = history.iter().filter(|op| op.outcome == Outcome::Unknown).count();
    let summary = Summary {
        file: source.file,
        format: source.format,
        model: model.name().to_string(),
        verdict: result.verdict,
        returned: history.len() - unknown,
        unknown,
        failed: source.failed,
        elapsed: source.elapsed,
        notes: Vec::new(),
    };
    // `check` reports partitions in the order `model.partition` gives them.
    let partitions = model.partition(history);
    let sections = result
        .partitions
        .iter()
        .zip(&partitions)
        .enumerate()
        .map(|(index, (outcome, partition))| {
            let ops = &partition.ops;
            // Partitions need not list their operations in order; look positions up.
            let positions: BTreeMap<usize, usize> =
                ops.iter().enumerate().map(|(at, &global)| (global, at)).collect();
            let local = |global: usize| positions.get(&global).copied();
            let minimal = explanation.filter(|e| e.partition == index).map(|e| MinimalView {
                core: e.minimal.core.iter().filter_map(|&i| local(i)).collect(),
                context: e.minimal.context.iter().filter_map(|&i| local(i)).collect(),
                one_minimal: e.minimal.one_minimal,
            });
            Section {
                label: outcome.label.clone(),
                verdict: outcome.verdict,
                undecided: outcome.undecided.map(|why| why.to_string()),
                ops: ops.iter().map(|&i| view(model, history, i)).collect(),
                linearization: steps(model, history, &outcome.longest_prefix, &local),
                blocked: outcome.blocked.and_then(local),
                minimal,
                cycle: outcome.violation.as_ref().map(ToString::to_string),
            }
        })
        .collect();
    Report { summary, sections }
}

fn view<M: Model>(model: &M, history: &History<M::Input, M::Output>, index: usize) -> OpView {
    let op = &history[index];
    let output = match &op.outcome {
        Outcome::Returned { output, .. } => Some(output),
        Outcome::Unknown => None,
    };
    OpView {
        client: op.client.0,
        call: op.call,
        ret: op.return_time(),
        text: model.describe_operation(&op.input, output),
        line: op.line,
        place: format!("line {}", op.line),
    }
}

/// The linearization `order` (history indices) as steps with the states around each.
fn steps<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    order: &[usize],
    local: &impl Fn(usize) -> Option<usize>,
) -> Vec<Step> {
    let states: Vec<String> =
        replay(model, history, order).iter().map(|s| shorten(&model.describe_state(s))).collect();
    order
        .iter()
        .enumerate()
        .filter_map(|(at, &global)| {
            let unavailable = || "(not replayed)".to_string();
            Some(Step {
                op: local(global)?,
                before: states.get(at).cloned().unwrap_or_else(unavailable),
                after: states.get(at + 1).cloned().unwrap_or_else(unavailable),
            })
        })
        .collect()
}

/// `state` cut to its first and last characters when long: an appended string's news is at
/// its end.
fn shorten(state: &str) -> String {
    let count = state.chars().count();
    if count <= MAX_STATE_CHARS {
        return state.to_string();
    }
    let head: String = state.chars().take(MAX_STATE_CHARS / 3).collect();
    let tail: String = state.chars().skip(count - MAX_STATE_CHARS * 2 / 3).collect();
    format!("{head} … ({} chars) … {tail}", count)
}
