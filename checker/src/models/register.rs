//! `register`: one read/write register holding an integer (or nothing, before any write).
use crate::fastpath::{Access, Value};
use crate::model::{arrow, Model, Next};

/// A read/write register. Porcupine's register tests start at 0; Jepsen's at nil.
#[derive(Clone, Debug, Default)]
pub struct Register {
    initial: Option<i64>,
}

impl Register {
    /// A register that starts holding `initial` (`None`: empty, reads return nil).
    pub fn new(initial: Option<i64>) -> Register {
        Register { initial }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RegisterInput {
    Read,
    Write(i64),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RegisterOutput {
    /// The value read (`None`: the register was empty).
    Read(Option<i64>),
    Written,
}

impl Model for Register {
    type State = Option<i64>;
    type Input = RegisterInput;
    type Output = RegisterOutput;

    fn name(&self) -> &'static str {
        "register"
    }

    fn init(&self) -> Option<i64> {
        self.initial
    }

    fn step(
        &self,
        state: &Option<i64>,
        input: &RegisterInput,
        output: &RegisterOutput,
    ) -> Next<Option<i64>> {
        match (input, output) {
            (RegisterInput::Read, RegisterOutput::Read(value)) if value == state => {
                Next::One(*state)
            }
            (RegisterInput::Write(value), RegisterOutput::Written) => Next::One(Some(*value)),
            _ => Next::Illegal,
        }
    }

    fn step_unknown(&self, state: &Option<i64>, input: &RegisterInput) -> Next<Option<i64>> {
        match input {
            RegisterInput::Read => Next::One(*state),
            RegisterInput::Write(value) => Next::One(Some(*value)),
        }
    }

    fn is_read_only(&self, input: &RegisterInput) -> bool {
        matches!(input, RegisterInput::Read)
    }

    fn read_state(&self, input: &RegisterInput, output: &RegisterOutput) -> Option<Option<i64>> {
        match (input, output) {
            (RegisterInput::Read, RegisterOutput::Read(value)) => Some(*value),
            _ => None,
        }
    }

    fn reset_state(&self, input: &RegisterInput) -> Option<Option<i64>> {
        match input {
            RegisterInput::Write(value) => Some(Some(*value)),
            RegisterInput::Read => None,
        }
    }

    /// Only writes change a register, and they are resets.
    fn may_grow_into(&self, from: &Option<i64>, to: &Option<i64>) -> bool {
        from == to
    }

    fn access<'a>(
        &self,
        input: &'a RegisterInput,
        output: Option<&'a RegisterOutput>,
    ) -> Option<Access<'a>> {
        match (input, output) {
            (RegisterInput::Read, None) => Some(Access::Unobserved),
            (RegisterInput::Read, Some(RegisterOutput::Read(value))) => {
                Some(Access::Read(Value::of(*value, self.initial)))
            }
            (RegisterInput::Write(value), None | Some(RegisterOutput::Written)) => {
                Some(Access::Write(Value::of(Some(*value), self.initial)))
            }
            _ => None,
        }
    }

    fn describe_operation(&self, input: &RegisterInput, output: Option<&RegisterOutput>) -> String {
        match (input, output) {
            (RegisterInput::Read, Some(RegisterOutput::Read(value))) => {
                format!("read -> {}", show(*value))
            }
            (RegisterInput::Read, _) => "read -> ?".to_string(),
            (RegisterInput::Write(value), output) => {
                format!("write({value}){}", arrow(output.map(|_| "ok")))
            }
        }
    }

    fn describe_state(&self, state: &Option<i64>) -> String {
        show(*state)
    }
}

/// A register value for reports: the integer, or `nil`.
pub(crate) fn show(value: Option<i64>) -> String {
    value.map_or_else(|| "nil".to_string(), |value| value.to_string())
}
