//! `queue`: a FIFO queue of integers.
use std::collections::VecDeque;

use crate::model::{arrow, Model, Next};

/// Enqueue at the back; dequeue from the front (or see it empty).
#[derive(Clone, Debug, Default)]
pub struct Queue;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum QueueInput {
    Enqueue(i64),
    Dequeue,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum QueueOutput {
    Enqueued,
    /// The element dequeued, or `None` when the queue was empty.
    Dequeued(Option<i64>),
}

impl Model for Queue {
    type State = VecDeque<i64>;
    type Input = QueueInput;
    type Output = QueueOutput;

    fn name(&self) -> &'static str {
        "queue"
    }

    fn init(&self) -> VecDeque<i64> {
        VecDeque::new()
    }

    fn step(
        &self,
        state: &VecDeque<i64>,
        input: &QueueInput,
        output: &QueueOutput,
    ) -> Next<VecDeque<i64>> {
        match (input, output) {
            (QueueInput::Enqueue(element), QueueOutput::Enqueued) => {
                let mut after = state.clone();
                after.push_back(*element);
                Next::One(after)
            }
            (QueueInput::Dequeue, QueueOutput::Dequeued(seen))
                if state.front() == seen.as_ref() =>
            {
                let mut after = state.clone();
                after.pop_front();
                Next::One(after)
            }
            _ => Next::Illegal,
        }
    }

    fn step_unknown(&self, state: &VecDeque<i64>, input: &QueueInput) -> Next<VecDeque<i64>> {
        let mut after = state.clone();
        match input {
            QueueInput::Enqueue(element) => after.push_back(*element),
            // Dequeuing an empty queue changes nothing, the same as never taking effect.
            QueueInput::Dequeue => {
                if after.pop_front().is_none() {
                    return Next::Illegal;
                }
            }
        }
        Next::One(after)
    }

    fn describe_operation(&self, input: &QueueInput, output: Option<&QueueOutput>) -> String {
        match (input, output) {
            (QueueInput::Enqueue(element), output) => {
                format!("enqueue({element}){}", arrow(output.map(|_| "ok")))
            }
            (QueueInput::Dequeue, Some(QueueOutput::Dequeued(Some(element)))) => {
                format!("dequeue -> {element}")
            }
            (QueueInput::Dequeue, Some(_)) => "dequeue -> empty".to_string(),
            (QueueInput::Dequeue, None) => "dequeue -> ?".to_string(),
        }
    }

    fn state_size(&self, state: &VecDeque<i64>) -> usize {
        std::mem::size_of::<VecDeque<i64>>() + state.len() * 8
    }

    fn describe_state(&self, state: &VecDeque<i64>) -> String {
        format!("{state:?}")
    }
}
