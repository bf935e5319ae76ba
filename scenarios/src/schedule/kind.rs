//! What counts as "the same failure" while shrinking: the same class of broken property, and
//! for an invariant the same invariant. Messages differ between runs (indices, terms), so
//! they are not compared.
use std::fmt;

use crate::failure::Broke;

/// The kind of failure a shrunk schedule must keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureKind(pub Broke);

impl FailureKind {
    /// Whether a candidate's failure (if any) is this kind.
    pub fn matches(&self, broke: Option<Broke>) -> bool {
        broke == Some(self.0)
    }

    /// A short stable name for reports and JSON (`invariant:election safety`, `liveness`).
    pub fn name(&self) -> String {
        match self.0 {
            Broke::Invariant(name) => format!("invariant:{name}"),
            Broke::Contract => "contract".into(),
            Broke::Assertion => "assertion".into(),
            Broke::Liveness => "liveness".into(),
            Broke::Vacuous => "vacuous".into(),
            Broke::Panic => "panic".into(),
            Broke::NotLinearizable => "linearizability".into(),
            Broke::Undecided => "undecided".into(),
            Broke::Runaway => "runaway".into(),
        }
    }
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
