//! What a report shows, independent of how it is drawn: plain strings and indices, so the
//! HTML renderer needs neither the model's types nor the command line.
use std::time::Duration;

use crate::result::Verdict;

/// A whole check, ready to render.
#[derive(Clone, Debug)]
pub struct Report {
    pub summary: Summary,
    pub sections: Vec<Section>,
}

/// Where the history came from and what the check found overall.
#[derive(Clone, Debug)]
pub struct Summary {
    /// The history file as the user named it.
    pub file: String,
    /// Its format (`porcupine-kv`).
    pub format: String,
    /// The model it was checked against (`kv`).
    pub model: String,
    pub verdict: Verdict,
    /// Operations with a known outcome.
    pub returned: usize,
    /// Operations whose outcome nobody saw.
    pub unknown: usize,
    /// Operations that failed and were left out (they did not happen).
    pub failed: usize,
    /// Wall-clock time of the check.
    pub elapsed: Duration,
    /// Extra (label, value) rows, e.g. a simulated run's verdict; `build` leaves it empty.
    pub notes: Vec<(String, String)>,
}

/// One partition (key) of the history.
#[derive(Clone, Debug)]
pub struct Section {
    /// `key "3"`, or `all`.
    pub label: String,
    pub verdict: Verdict,
    /// Why the verdict is unknown, if it is.
    pub undecided: Option<String>,
    /// The partition's operations, in history order.
    pub ops: Vec<OpView>,
    /// The longest linearization the search found (the whole one when linearizable).
    pub linearization: Vec<Step>,
    /// The operation that cannot be placed after the linearization (index into `ops`).
    pub blocked: Option<usize>,
    /// The minimal failing sub-history, for the partition that was minimized.
    pub minimal: Option<MinimalView>,
    /// Why the fast path found it not linearizable: a cycle of forced orderings, one per
    /// line.
    pub cycle: Option<String>,
}

/// One operation, described in the model's words.
#[derive(Clone, Debug)]
pub struct OpView {
    pub client: u64,
    pub call: u64,
    /// The return time, or `None` when the outcome is unknown.
    pub ret: Option<u64>,
    /// `append("0", "x 1 y") -> ok`.
    pub text: String,
    /// The line of the call in the input file (0 when unknown).
    pub line: usize,
    /// Where the report says the operation is: `line 12` from `build`; a caller whose
    /// history has no file (a simulated run) may say `called 1.2s, returned 1.5s` instead.
    pub place: String,
}

/// One linearized operation with the model state around it.
#[derive(Clone, Debug)]
pub struct Step {
    /// Index into the section's `ops`.
    pub op: usize,
    pub before: String,
    pub after: String,
}

/// A minimal failing sub-history within a section (indices into the section's `ops`).
#[derive(Clone, Debug)]
pub struct MinimalView {
    /// Operations kept exactly as recorded.
    pub core: Vec<usize>,
    /// State-changing operations kept as "took effect some time after the call, or never".
    pub context: Vec<usize>,
    /// Whether weakening any one core operation was checked to make it linearizable.
    pub one_minimal: bool,
}
