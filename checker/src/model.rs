//! The `Model` trait: a sequential specification the search linearizes a history against.
use std::fmt::Debug;
use std::hash::Hash;

use crate::fastpath::Access;
use crate::history::History;

/// The states an operation may lead to from one state. Deterministic models give at most one
/// (`Next::from(Option<S>)`); nondeterministic ones (an operation that may or may not have
/// taken effect, like 6.5840's `ErrMaybe`) give several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next<S> {
    /// The operation cannot have returned this output in this state.
    Illegal,
    /// Exactly one next state.
    One(S),
    /// Several possible next states (an empty vector means illegal).
    Many(Vec<S>),
}

impl<S> From<Option<S>> for Next<S> {
    fn from(state: Option<S>) -> Self {
        match state {
            Some(state) => Next::One(state),
            None => Next::Illegal,
        }
    }
}

impl<S> Next<S> {
    /// The next states as a vector (empty when illegal).
    pub fn into_vec(self) -> Vec<S> {
        match self {
            Next::Illegal => Vec::new(),
            Next::One(state) => vec![state],
            Next::Many(states) => states,
        }
    }
}

/// A subset of a history checked on its own (P-compositionality: a history is linearizable
/// iff each partition is, when the model's state splits into independent parts such as keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    /// What the partition is, for reports (`key "3"`, or `all`).
    pub label: String,
    /// Indices into the history.
    pub ops: Vec<usize>,
}

impl Partition {
    /// The whole history as one partition.
    pub fn whole(len: usize) -> Partition {
        Partition { label: "all".to_string(), ops: (0..len).collect() }
    }
}

/// A sequential specification. `State` must be cheap to hash and compare: the search interns
/// states and memoizes (linearized set, state) pairs.
pub trait Model {
    type State: Clone + Eq + Hash + Debug;
    type Input: Clone + Eq + Hash + Debug;
    type Output: Clone + Eq + Hash + Debug;

    /// The name the model is registered under (`cas-register`).
    fn name(&self) -> &'static str;

    /// The state before any operation.
    fn init(&self) -> Self::State;

    /// The states after `input` took effect in `state` and returned `output`.
    fn step(
        &self,
        state: &Self::State,
        input: &Self::Input,
        output: &Self::Output,
    ) -> Next<Self::State>;

    /// The states after `input` took effect in `state` with an output nobody saw: every state
    /// some output allows. A model may leave out outputs that keep the state unchanged,
    /// because the search may always leave an unknown-outcome operation out altogether.
    fn step_unknown(&self, state: &Self::State, input: &Self::Input) -> Next<Self::State>;

    /// True when `input` never changes the state (a read). The search linearizes a legal
    /// read-only operation at once without branching, and drops unknown-outcome ones, which
    /// constrain nothing.
    fn is_read_only(&self, _input: &Self::Input) -> bool {
        false
    }

    /// The one state in which this read-only operation, having returned `output`, is legal,
    /// if there is exactly one (a get that saw `"x1"` needs the value `"x1"`). With
    /// `may_grow_into` and `reset_state` it lets the search prune a configuration from which
    /// a pending read can no longer become legal. Default: no pruning.
    fn read_state(&self, _input: &Self::Input, _output: &Self::Output) -> Option<Self::State> {
        None
    }

    /// The state an operation leaves whatever the state before it (a put, a blind write), if
    /// it is such a reset.
    fn reset_state(&self, _input: &Self::Input) -> Option<Self::State> {
        None
    }

    /// False only when no sequence of operations that are not resets can lead from `from` to
    /// `to`. It must stay false along any such operation: if it is false for `from`, it is
    /// false for every state a non-reset operation leads to from `from`.
    fn may_grow_into(&self, _from: &Self::State, _to: &Self::State) -> bool {
        true
    }

    /// What this operation did to the one value it touches, in the model-neutral terms of
    /// the fast paths (`crate::fastpath`); `output` is `None` when the outcome is unknown.
    /// `None` (the default) when the model has no such view of the operation: then the
    /// operation's partition is left to the search.
    fn access<'a>(
        &self,
        _input: &'a Self::Input,
        _output: Option<&'a Self::Output>,
    ) -> Option<Access<'a>> {
        None
    }

    /// Approximate bytes one state occupies, heap included, for the memory limit. The
    /// default counts only the inline size; models with growing states (strings, sets)
    /// override it.
    fn state_size(&self, _state: &Self::State) -> usize {
        std::mem::size_of::<Self::State>()
    }

    /// Splits a history into independently checkable parts; by default the whole history.
    /// Models whose state is one key's value (like `kv`) must split by key.
    fn partition(&self, history: &History<Self::Input, Self::Output>) -> Vec<Partition> {
        vec![Partition::whole(history.len())]
    }

    /// One operation for reports (`append("0", "x 1 y") -> ok`); `None` for an unknown output.
    fn describe_operation(&self, input: &Self::Input, output: Option<&Self::Output>) -> String;

    /// One state for reports.
    fn describe_state(&self, state: &Self::State) -> String;
}

/// Describes an output that may be unknown, for `describe_operation` implementations.
pub(crate) fn arrow<T: std::fmt::Display>(output: Option<T>) -> String {
    match output {
        Some(output) => format!(" -> {output}"),
        None => " -> ?".to_string(),
    }
}
