//! `cas-register`: Jepsen's and etcd's compare-and-set register, starting empty (nil).
use super::register::show;
use crate::fastpath::{Access, CasOutcome, Value};
use crate::model::{arrow, Model, Next};

/// A compare-and-set register. A CAS returns [`CasOutput::Ok`] when it swapped, or
/// [`CasOutput::Failed`] when its compare failed (a Jepsen `:fail`, when failed CASes are read
/// as observations: `crate::parse::FailedCas`).
#[derive(Clone, Debug, Default)]
pub struct CasRegister {
    initial: Option<i64>,
}

impl CasRegister {
    /// A register that starts holding `initial` (`None`: nil, as in Jepsen's etcd test).
    pub fn new(initial: Option<i64>) -> CasRegister {
        CasRegister { initial }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CasInput {
    Read,
    Write(i64),
    /// Set to `new` if the value is `expected`.
    Cas {
        expected: i64,
        new: i64,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CasOutput {
    /// The value read (`None`: nil).
    Read(Option<i64>),
    /// A write or a successful CAS.
    Ok,
    /// A CAS whose compare failed: the register did not hold the expected value, and kept
    /// the value it had.
    Failed,
}

impl Model for CasRegister {
    type State = Option<i64>;
    type Input = CasInput;
    type Output = CasOutput;

    fn name(&self) -> &'static str {
        "cas-register"
    }

    fn init(&self) -> Option<i64> {
        self.initial
    }

    fn step(&self, state: &Option<i64>, input: &CasInput, output: &CasOutput) -> Next<Option<i64>> {
        match (input, output) {
            (CasInput::Read, CasOutput::Read(value)) if value == state => Next::One(*state),
            (CasInput::Read, _) => Next::Illegal,
            (_, CasOutput::Ok) => self.step_unknown(state, input),
            (CasInput::Cas { expected, .. }, CasOutput::Failed) if *state != Some(*expected) => {
                Next::One(*state)
            }
            _ => Next::Illegal,
        }
    }

    fn step_unknown(&self, state: &Option<i64>, input: &CasInput) -> Next<Option<i64>> {
        match input {
            CasInput::Read => Next::One(*state),
            CasInput::Write(value) => Next::One(Some(*value)),
            CasInput::Cas { expected, new } if *state == Some(*expected) => Next::One(Some(*new)),
            // A CAS that failed its compare left the state as it was, which is the same as
            // never having taken effect.
            CasInput::Cas { .. } => Next::Illegal,
        }
    }

    fn is_read_only(&self, input: &CasInput) -> bool {
        matches!(input, CasInput::Read)
    }

    fn access<'a>(&self, input: &'a CasInput, output: Option<&'a CasOutput>) -> Option<Access<'a>> {
        let value = |value: i64| Value::of(Some(value), self.initial);
        match (input, output) {
            (CasInput::Read, None) => Some(Access::Unobserved),
            (CasInput::Read, Some(CasOutput::Read(read))) => {
                Some(Access::Read(Value::of(*read, self.initial)))
            }
            (CasInput::Write(written), None | Some(CasOutput::Ok)) => {
                Some(Access::Write(value(*written)))
            }
            (CasInput::Cas { expected, new }, output) => {
                let outcome = match output {
                    None => CasOutcome::Unknown,
                    Some(CasOutput::Ok) => CasOutcome::Swapped,
                    Some(CasOutput::Failed) => CasOutcome::Failed,
                    Some(CasOutput::Read(_)) => return None,
                };
                Some(Access::Cas { expected: value(*expected), new: value(*new), outcome })
            }
            _ => None,
        }
    }

    fn describe_operation(&self, input: &CasInput, output: Option<&CasOutput>) -> String {
        match (input, output) {
            (CasInput::Read, Some(CasOutput::Read(value))) => format!("read -> {}", show(*value)),
            (CasInput::Read, _) => "read -> ?".to_string(),
            (CasInput::Write(value), output) => {
                format!("write({value}){}", arrow(output.map(|_| "ok")))
            }
            (CasInput::Cas { expected, new }, output) => {
                let said = output.map(|o| if *o == CasOutput::Failed { "failed" } else { "ok" });
                format!("cas({expected}, {new}){}", arrow(said))
            }
        }
    }

    fn describe_state(&self, state: &Option<i64>) -> String {
        show(*state)
    }
}
