//! `set`: a grow-only set of integers with whole-set reads.
use std::collections::BTreeSet;

use crate::model::{arrow, Model, Next};

/// Add an element; read the whole set.
#[derive(Clone, Debug, Default)]
pub struct Set;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SetInput {
    Add(i64),
    Read,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SetOutput {
    Added,
    /// The elements a read saw.
    Read(BTreeSet<i64>),
}

impl Model for Set {
    type State = BTreeSet<i64>;
    type Input = SetInput;
    type Output = SetOutput;

    fn name(&self) -> &'static str {
        "set"
    }

    fn init(&self) -> BTreeSet<i64> {
        BTreeSet::new()
    }

    fn step(
        &self,
        state: &BTreeSet<i64>,
        input: &SetInput,
        output: &SetOutput,
    ) -> Next<BTreeSet<i64>> {
        match (input, output) {
            (SetInput::Add(_), SetOutput::Added) => self.step_unknown(state, input),
            (SetInput::Read, SetOutput::Read(seen)) if seen == state => Next::One(state.clone()),
            _ => Next::Illegal,
        }
    }

    fn step_unknown(&self, state: &BTreeSet<i64>, input: &SetInput) -> Next<BTreeSet<i64>> {
        let mut after = state.clone();
        if let SetInput::Add(element) = input {
            after.insert(*element);
        }
        Next::One(after)
    }

    fn is_read_only(&self, input: &SetInput) -> bool {
        matches!(input, SetInput::Read)
    }

    fn describe_operation(&self, input: &SetInput, output: Option<&SetOutput>) -> String {
        match (input, output) {
            (SetInput::Add(element), output) => {
                format!("add({element}){}", arrow(output.map(|_| "ok")))
            }
            (SetInput::Read, Some(SetOutput::Read(seen))) => format!("read -> {seen:?}"),
            (SetInput::Read, _) => "read -> ?".to_string(),
        }
    }

    fn state_size(&self, state: &BTreeSet<i64>) -> usize {
        std::mem::size_of::<BTreeSet<i64>>() + state.len() * 16
    }

    fn describe_state(&self, state: &BTreeSet<i64>) -> String {
        format!("{state:?}")
    }
}
