//! `versioned-kv`: the MIT 6.5840 key/value server with versioned conditional puts.
use super::by_key::partition_by_key;
use crate::history::History;
use crate::model::{arrow, Model, Next, Partition};

/// Get(k) returns (value, version) or ErrNoKey; Put(k, v, version) installs v when the
/// version matches (version 0 creates an absent key) and bumps the version. The state is one
/// key's (value, version), version 0 meaning absent; histories are split by key.
#[derive(Clone, Debug, Default)]
pub struct VersionedKv;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VersionedKvInput {
    pub key: String,
    pub op: VersionedKvOp,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VersionedKvOp {
    Get,
    Put { value: String, version: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VersionedKvOutput {
    /// A get found the key.
    Value { value: String, version: u64 },
    /// A get or put found no key (a put with a version other than 0).
    ErrNoKey,
    /// A put took effect.
    Ok,
    /// A put's version did not match.
    ErrVersion,
    /// A retried put got ErrVersion: the first attempt may or may not have taken effect.
    ErrMaybe,
}

/// One key's value and version; version 0 means the key does not exist.
pub type Versioned = (String, u64);

impl VersionedKv {
    /// The state after a put that takes effect, or `None` when its version does not match.
    fn put(state: &Versioned, value: &str, version: u64) -> Option<Versioned> {
        (state.1 == version).then(|| (value.to_string(), version + 1))
    }
}

impl Model for VersionedKv {
    type State = Versioned;
    type Input = VersionedKvInput;
    type Output = VersionedKvOutput;

    fn name(&self) -> &'static str {
        "versioned-kv"
    }

    fn init(&self) -> Versioned {
        (String::new(), 0)
    }

    fn step(
        &self,
        state: &Versioned,
        input: &VersionedKvInput,
        output: &VersionedKvOutput,
    ) -> Next<Versioned> {
        use VersionedKvOutput as Out;
        let absent = state.1 == 0;
        let legal = match (&input.op, output) {
            (VersionedKvOp::Get, Out::Value { value, version }) => {
                !absent && *value == state.0 && *version == state.1
            }
            (VersionedKvOp::Get, Out::ErrNoKey) => absent,
            (VersionedKvOp::Put { value, version }, Out::Ok) => {
                return VersionedKv::put(state, value, *version).into()
            }
            (VersionedKvOp::Put { version, .. }, Out::ErrVersion) => !absent && state.1 != *version,
            (VersionedKvOp::Put { version, .. }, Out::ErrNoKey) => absent && *version != 0,
            (VersionedKvOp::Put { value, version }, Out::ErrMaybe) => {
                return match VersionedKv::put(state, value, *version) {
                    Some(after) => Next::Many(vec![after, state.clone()]),
                    None => Next::One(state.clone()),
                }
            }
            _ => false,
        };
        if legal {
            Next::One(state.clone())
        } else {
            Next::Illegal
        }
    }

    fn step_unknown(&self, state: &Versioned, input: &VersionedKvInput) -> Next<Versioned> {
        match &input.op {
            VersionedKvOp::Get => Next::One(state.clone()),
            // A put that did not match changed nothing, the same as never taking effect.
            VersionedKvOp::Put { value, version } => {
                VersionedKv::put(state, value, *version).into()
            }
        }
    }

    fn is_read_only(&self, input: &VersionedKvInput) -> bool {
        matches!(input.op, VersionedKvOp::Get)
    }

    fn read_state(
        &self,
        input: &VersionedKvInput,
        output: &VersionedKvOutput,
    ) -> Option<Versioned> {
        match (&input.op, output) {
            (VersionedKvOp::Get, VersionedKvOutput::Value { value, version }) if *version > 0 => {
                Some((value.clone(), *version))
            }
            (VersionedKvOp::Get, VersionedKvOutput::ErrNoKey) => Some(self.init()),
            _ => None,
        }
    }

    /// Versions only grow, and a version names one value.
    fn may_grow_into(&self, from: &Versioned, to: &Versioned) -> bool {
        from.1 < to.1 || from == to
    }

    fn partition(&self, history: &History<VersionedKvInput, VersionedKvOutput>) -> Vec<Partition> {
        partition_by_key(history, |input| &input.key)
    }

    fn describe_operation(
        &self,
        input: &VersionedKvInput,
        output: Option<&VersionedKvOutput>,
    ) -> String {
        let key = &input.key;
        let output = output.map(|output| match output {
            VersionedKvOutput::Value { value, version } => format!("({value:?}, v{version})"),
            other => format!("{other:?}"),
        });
        match &input.op {
            VersionedKvOp::Get => format!("get({key:?}){}", arrow(output)),
            VersionedKvOp::Put { value, version } => {
                format!("put({key:?}, {value:?}, v{version}){}", arrow(output))
            }
        }
    }

    fn state_size(&self, state: &Versioned) -> usize {
        std::mem::size_of::<Versioned>() + state.0.len()
    }

    fn describe_state(&self, state: &Versioned) -> String {
        if state.1 == 0 {
            "absent".to_string()
        } else {
            format!("({:?}, v{})", state.0, state.1)
        }
    }
}
