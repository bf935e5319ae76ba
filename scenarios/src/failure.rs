//! What broke in a failed run, and the exit code it maps to (DESIGN.md: 2 safety, 3 liveness).
use std::fmt;

/// The class of a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broke {
    /// A cluster invariant (named after its property, e.g. `election safety`).
    Invariant(&'static str),
    /// The implementation broke the `Ready` contract (persist before send, contiguous entries).
    Contract,
    /// A scenario's assertion about what must (not) happen, e.g. "index 4 is never committed".
    Assertion,
    /// Something that had to happen in time did not (no leader, no agreement, budget spent).
    Liveness,
    /// The run never exercised the fault it is about, so a pass would prove nothing.
    Vacuous,
    /// The implementation panicked.
    Panic,
    /// The clients' history is not linearizable, or breaks the lab's append checks.
    NotLinearizable,
    /// The linearizability checker ran out of budget: never a pass (exit code 4).
    Undecided,
    /// The run went past the event budget its caller set (a shrinker's candidate whose
    /// schedule makes nodes talk without time passing).
    Runaway,
}

impl Broke {
    /// The process exit code: 2 for safety violations, 3 for liveness failures, 4 when the
    /// checker could not decide.
    pub fn exit_code(&self) -> u8 {
        match self {
            Broke::Invariant(_) | Broke::Contract | Broke::Assertion | Broke::Panic => 2,
            Broke::NotLinearizable => 2,
            Broke::Liveness | Broke::Vacuous | Broke::Runaway => 3,
            Broke::Undecided => 4,
        }
    }
}

impl fmt::Display for Broke {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Broke::Invariant(name) => write!(f, "invariant ({name})"),
            Broke::Contract => f.write_str("ready contract"),
            Broke::Assertion => f.write_str("assertion"),
            Broke::Liveness => f.write_str("liveness"),
            Broke::Vacuous => f.write_str("vacuous run (a goal was never reached)"),
            Broke::Panic => f.write_str("panic"),
            Broke::NotLinearizable => f.write_str("linearizability"),
            Broke::Undecided => f.write_str("linearizability undecided (checker budget spent)"),
            Broke::Runaway => f.write_str("runaway (event budget spent)"),
        }
    }
}

/// A failed check: what class of property broke and a sentence saying how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub broke: Broke,
    pub message: String,
}

impl Failure {
    pub fn invariant(name: &'static str, message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Invariant(name), message: message.into() }
    }
    pub fn contract(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Contract, message: message.into() }
    }
    pub fn assertion(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Assertion, message: message.into() }
    }
    pub fn liveness(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Liveness, message: message.into() }
    }
    pub fn vacuous(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Vacuous, message: message.into() }
    }
    pub fn not_linearizable(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::NotLinearizable, message: message.into() }
    }
    pub fn runaway(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Runaway, message: message.into() }
    }
    pub fn undecided(message: impl Into<String>) -> Failure {
        Failure { broke: Broke::Undecided, message: message.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.broke, self.message)
    }
}

/// What scenario steps return.
pub type Check<T = ()> = Result<T, Failure>;
