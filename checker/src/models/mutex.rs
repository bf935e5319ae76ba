//! `mutex`: a lock without owners (Knossos's mutex model).
use crate::model::{arrow, Model, Next};

/// Acquire succeeds only when the lock is free, release only when it is held. No owner is
/// tracked, as in Knossos.
#[derive(Clone, Debug, Default)]
pub struct Mutex;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MutexInput {
    Acquire,
    Release,
}

/// Acquire and release have no output beyond succeeding.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MutexOutput;

impl Model for Mutex {
    /// Whether the lock is held.
    type State = bool;
    type Input = MutexInput;
    type Output = MutexOutput;

    fn name(&self) -> &'static str {
        "mutex"
    }

    fn init(&self) -> bool {
        false
    }

    fn step(&self, held: &bool, input: &MutexInput, _output: &MutexOutput) -> Next<bool> {
        self.step_unknown(held, input)
    }

    fn step_unknown(&self, held: &bool, input: &MutexInput) -> Next<bool> {
        match input {
            MutexInput::Acquire => (!*held).then_some(true).into(),
            MutexInput::Release => held.then_some(false).into(),
        }
    }

    fn describe_operation(&self, input: &MutexInput, output: Option<&MutexOutput>) -> String {
        let name = match input {
            MutexInput::Acquire => "acquire",
            MutexInput::Release => "release",
        };
        format!("{name}{}", arrow(output.map(|_| "ok")))
    }

    fn describe_state(&self, held: &bool) -> String {
        if *held { "held" } else { "free" }.to_string()
    }
}
