//! Explaining a KV history that is not linearizable in words a person can act on: the failing
//! key, its minimal failing sub-history (each operation with its client, virtual call and
//! return times and the model's description) and the operation no linearization can place
//! next. Also the checker's HTML report of a run's whole history (`tenrec run --html`).
//!
//! Minimizing is bounded by counts only (candidate checks, search steps per check, memo bytes
//! as the checker estimates them), never by wall time, so the text is the same on every
//! machine and every replay.
use std::fmt::Write as _;

use checker::explain::{explain_first_failure, replay, Explanation};
use checker::models::{Kv, KvInput, KvOutput};
use checker::report::{build, html, Source};
use checker::{check, CheckResult, History, Model, Operation, Outcome, Verdict};
use sim::SimTime;

use super::budget::{minimize_options, CHECK_STEPS, MINIMIZE_CHECKS, MINIMIZE_STEPS};
use super::history::KvHistory;

/// Context operations listed under a core; more are only counted, so the core stays readable.
const CONTEXT_LISTED: usize = 8;

/// Characters of a model state shown in a failure text: an appended string grows with the
/// history, and what matters is usually its end.
const STATE_CHARS: usize = 120;

/// How an explanation starts, so a failure that already carries one is not explained twice.
pub const HEADLINE: &str = "the history of ";

/// The explanation of `result`, a NotLinearizable check of `ops`: one line naming the key,
/// then indented lines with the minimal failing sub-history and the blocked operation. Lines
/// after the first start with a newline and four spaces, to sit under the report's
/// "what broke:" line.
pub fn explain(ops: &History<KvInput, KvOutput>, result: &CheckResult) -> String {
    let model = Kv;
    let Some(failed) = result.failed().next() else {
        return format!("{HEADLINE}{} operations is not linearizable", ops.len());
    };
    let key = &failed.label;
    let mut text = format!(
        "{HEADLINE}{} operations is not linearizable on {key} ({} of its operations \
         linearized before the search got stuck)",
        ops.len(),
        failed.longest_prefix.len()
    );
    match explain_first_failure(&model, ops, result, &minimize_options()) {
        Some(explanation) => minimal_text(&mut text, ops, key, &explanation),
        None => {
            let _ = write!(
                text,
                "\n    {key}: no minimal failing sub-history within {MINIMIZE_CHECKS} checks of \
                 {MINIMIZE_STEPS} steps"
            );
        }
    }
    if let Some(blocked) = failed.blocked {
        let states = replay(&model, ops, &failed.longest_prefix);
        let state = states.last().map_or("?".to_string(), |s| shorten(&model.describe_state(s)));
        let _ = write!(
            text,
            "\n    {key}: after {} linearized operations (state {state}), no linearization can \
             place next:\
             \n      {}",
            failed.longest_prefix.len(),
            show(&ops[blocked])
        );
    }
    text
}

/// The minimal failing sub-history, core then (some of) its context.
fn minimal_text(
    text: &mut String,
    ops: &History<KvInput, KvOutput>,
    key: &str,
    explanation: &Explanation,
) {
    let minimal = &explanation.minimal;
    let n = minimal.core.len();
    let noun = if n == 1 { "operation" } else { "operations" };
    let others = match minimal.context.len() {
        0 => String::new(),
        1 => ", even if 1 other state-changing operation took effect at any time after its \
              call, or never"
            .to_string(),
        c => format!(
            ", even if {c} other state-changing operations took effect at any time after their \
             call, or never"
        ),
    };
    let verdict = if !minimal.one_minimal {
        " (budget spent: may not be minimal)"
    } else if n > 1 {
        "; without any one of them, they can"
    } else {
        ""
    };
    let _ = write!(
        text,
        "\n    {key}: minimal failing sub-history: {n} {noun} as recorded cannot be \
         linearized{others}{verdict}:"
    );
    for &i in &minimal.core {
        let _ = write!(text, "\n      {}", show(&ops[i]));
    }
    if !minimal.context.is_empty() {
        let _ = write!(text, "\n    where these may each have taken effect once, or never:");
        for &i in minimal.context.iter().take(CONTEXT_LISTED) {
            let _ = write!(text, "\n      {}", show(&ops[i]));
        }
        let more = minimal.context.len().saturating_sub(CONTEXT_LISTED);
        if more > 0 {
            let _ = write!(text, "\n      ... and {more} more");
        }
    }
}

/// `c5  called 101.2ms, returned 205ms  append("4", "x5.0y") -> ok`, times as the sim
/// prints them.
pub fn show(op: &Operation<KvInput, KvOutput>) -> String {
    let output = match &op.outcome {
        Outcome::Returned { output, .. } => Some(output),
        Outcome::Unknown => None,
    };
    format!(
        "c{:<3} {}  {}",
        op.client.0,
        place(op.call, op.return_time()),
        Kv.describe_operation(&op.input, output)
    )
}

/// Where an operation sits in virtual time: `called 101.2ms, returned 205ms`.
fn place(call: u64, ret: Option<u64>) -> String {
    let ret = ret
        .map_or("never returned".to_string(), |at| format!("returned {}", SimTime::from_nanos(at)));
    format!("called {}, {ret}", SimTime::from_nanos(call))
}

/// `state` cut to its first and last characters when long.
fn shorten(state: &str) -> String {
    let count = state.chars().count();
    if count <= STATE_CHARS {
        return state.to_string();
    }
    let head: String = state.chars().take(STATE_CHARS / 4).collect();
    let tail: String = state.chars().skip(count - STATE_CHARS * 3 / 4).collect();
    format!("{head}…({count} chars)…{tail}")
}

/// The checker's self-contained HTML report of `history`: every key decided, the first
/// failing one with its minimal sub-history, each operation placed in virtual time. `title`
/// names the run; `notes` are extra summary rows (its verdict, its replay command).
pub fn html_report(history: &KvHistory, title: &str, notes: Vec<(String, String)>) -> String {
    let ops = history.to_checker();
    let model = Kv;
    // Every key, not just up to the first failure: the report is read for the whole run.
    let options =
        checker::Options { max_steps: Some(CHECK_STEPS), all_keys: true, ..Default::default() };
    let result = check(&model, &ops, &options);
    let explanation = match result.verdict {
        Verdict::NotLinearizable => {
            explain_first_failure(&model, &ops, &result, &minimize_options())
        }
        _ => None,
    };
    let source = Source {
        file: title.to_string(),
        format: "KV clients' history, virtual time".to_string(),
        failed: 0,
        // The checker's own measure of its search; the report is written after the
        // simulation, whose verdict and trace it cannot change.
        elapsed: result.elapsed(),
    };
    let mut report = build(&model, &ops, &result, explanation.as_ref(), source);
    report.summary.notes = notes;
    for section in &mut report.sections {
        for op in &mut section.ops {
            op.place = place(op.call, op.ret);
        }
    }
    html(&report)
}
