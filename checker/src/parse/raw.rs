//! What parsing produces, whatever the syntax: operations with calls paired to completions,
//! values still uninterpreted, each with the line it came from.
//!
//! A CAS that failed is the one completion whose reading depends on who wrote the file, so
//! parsing keeps it, marked, and [`FailedCas`] decides. Jepsen's `:fail` means "definitely
//! did not happen", and Jepsen clients use it for requests that never reached the register;
//! but in the etcd logs Porcupine checks, `:fail :cas` is the server's answer "compare
//! failed": an observation that the register did not hold the expected value at some point
//! between call and return. Dropping it can call a non-linearizable history linearizable
//! (`write 2` then `cas [2 0]` failing, with nothing in between).
use super::error::ParseError;
use super::format::Format;
use super::value::Value;

/// One operation with its call paired to its completion, values still uninterpreted.
#[derive(Clone, Debug, PartialEq)]
pub struct RawOp {
    /// The client (Jepsen process) number.
    pub client: u64,
    /// The function name (`read`, `cas`, `append`, ...), without a keyword's colon.
    pub f: String,
    /// The key, for formats that carry one outside the value (Porcupine kv's `:key`).
    pub key: Option<Value>,
    /// The value given at the call (`:invoke`).
    pub input: Value,
    /// The value given at the completion (`:ok`), or `None` when the outcome is unknown.
    pub output: Option<Value>,
    /// Call time: the position of the call in the file, or the JSON `call` field.
    pub call: u64,
    /// Return time, or `None` when the outcome is unknown.
    pub ret: Option<u64>,
    /// 1-based line of the call in the file.
    pub line: usize,
    /// A CAS that returned "compare failed" (Jepsen's `:fail`, a JSON `"output": false`); its
    /// `ret` is the failure's time and `output` is `None`. Only CASes are kept failed: any
    /// other `:fail` is left out while parsing.
    pub failed: bool,
}

/// How a failed CAS reads (`tenrec check --failed-cas`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailedCas {
    /// A CAS that returned false: the register did not hold the expected value at its
    /// linearization point, and the CAS changed nothing. Porcupine's reading of etcd logs.
    Observed,
    /// It did not happen, and is left out: Knossos's reading of `:fail`.
    Dropped,
}

impl FailedCas {
    pub const ALL: [FailedCas; 2] = [FailedCas::Observed, FailedCas::Dropped];

    /// The reading each format gets unless told otherwise: observed where the file is a
    /// server's answers (Jepsen logs of etcd) or states an output (JSON), dropped for EDN,
    /// where Jepsen clients also `:fail` requests that never reached the register.
    pub fn default_for(format: Format) -> FailedCas {
        match format {
            Format::JepsenLog | Format::Json => FailedCas::Observed,
            Format::Edn | Format::PorcupineKv => FailedCas::Dropped,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FailedCas::Observed => "observed",
            FailedCas::Dropped => "dropped",
        }
    }

    pub fn from_name(name: &str) -> Option<FailedCas> {
        FailedCas::ALL.into_iter().find(|policy| policy.name() == name)
    }
}

/// A parsed file: its operations, and the model it declares (JSON only).
#[derive(Clone, Debug, PartialEq)]
pub struct RawHistory {
    pub file: String,
    pub format: Format,
    pub model: Option<String>,
    pub ops: Vec<RawOp>,
    /// Operations other than CASes that `:fail`ed (they did not happen), left out of `ops`.
    pub failed: usize,
    /// How the failed CASes in `ops` read; [`crate::parse::parse`] sets the format's default,
    /// and a caller may change it before interpreting.
    pub failed_cas: FailedCas,
}

impl RawHistory {
    /// The operations to check: `ops`, less the failed CASes when they are dropped.
    pub fn kept(&self) -> impl Iterator<Item = &RawOp> {
        let dropped = self.failed_cas == FailedCas::Dropped;
        self.ops.iter().filter(move |op| !(dropped && op.failed))
    }

    /// How many operations `:fail`ed and are not checked (the failed CASes, when dropped).
    pub fn left_out(&self) -> usize {
        self.failed + (self.ops.len() - self.kept().count())
    }

    /// A located error about operation `op` of this history.
    pub fn error(
        &self,
        op: &RawOp,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> ParseError {
        ParseError::new(&self.file, op.line, expected, found)
    }
}
