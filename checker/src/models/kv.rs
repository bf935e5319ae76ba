//! `kv`: the MIT 6.824 key/value service (get/put/append), checked key by key.
use super::by_key::partition_by_key;
use crate::fastpath::Access;
use crate::history::History;
use crate::model::{arrow, Model, Next, Partition};

/// Get/put/append on string keys; every key starts as the empty string. The state is the
/// value of one key: `partition` splits histories by key, and the search always applies it.
#[derive(Clone, Debug, Default)]
pub struct Kv;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KvInput {
    pub key: String,
    pub op: KvOp,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvOp {
    Get,
    Put(String),
    Append(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KvOutput {
    /// The value a get returned.
    Value(String),
    /// A put or append completed.
    Ok,
}

impl Model for Kv {
    type State = String;
    type Input = KvInput;
    type Output = KvOutput;

    fn name(&self) -> &'static str {
        "kv"
    }

    fn init(&self) -> String {
        String::new()
    }

    fn step(&self, state: &String, input: &KvInput, output: &KvOutput) -> Next<String> {
        match (&input.op, output) {
            (KvOp::Get, KvOutput::Value(value)) if value == state => Next::One(state.clone()),
            (KvOp::Get, _) => Next::Illegal,
            (_, KvOutput::Ok) => self.step_unknown(state, input),
            _ => Next::Illegal,
        }
    }

    fn step_unknown(&self, state: &String, input: &KvInput) -> Next<String> {
        match &input.op {
            KvOp::Get => Next::One(state.clone()),
            KvOp::Put(value) => Next::One(value.clone()),
            KvOp::Append(value) => Next::One(format!("{state}{value}")),
        }
    }

    fn is_read_only(&self, input: &KvInput) -> bool {
        matches!(input.op, KvOp::Get)
    }

    fn read_state(&self, input: &KvInput, output: &KvOutput) -> Option<String> {
        match (&input.op, output) {
            (KvOp::Get, KvOutput::Value(value)) => Some(value.clone()),
            _ => None,
        }
    }

    fn reset_state(&self, input: &KvInput) -> Option<String> {
        match &input.op {
            KvOp::Put(value) => Some(value.clone()),
            _ => None,
        }
    }

    /// Appends only ever extend the value.
    fn may_grow_into(&self, from: &String, to: &String) -> bool {
        to.starts_with(from.as_str())
    }

    fn partition(&self, history: &History<KvInput, KvOutput>) -> Vec<Partition> {
        partition_by_key(history, |input| &input.key)
    }

    /// Gets and appends only: a key that sees a put is left to the search.
    fn access<'a>(&self, input: &'a KvInput, output: Option<&'a KvOutput>) -> Option<Access<'a>> {
        match (&input.op, output) {
            (KvOp::Get, None) => Some(Access::Unobserved),
            (KvOp::Get, Some(KvOutput::Value(value))) => Some(Access::ReadAppends(value)),
            (KvOp::Append(value), None | Some(KvOutput::Ok)) => Some(Access::Append(value)),
            _ => None,
        }
    }

    fn describe_operation(&self, input: &KvInput, output: Option<&KvOutput>) -> String {
        let key = &input.key;
        match (&input.op, output) {
            (KvOp::Get, Some(KvOutput::Value(value))) => format!("get({key:?}) -> {value:?}"),
            (KvOp::Get, _) => format!("get({key:?}) -> ?"),
            (KvOp::Put(value), output) => {
                format!("put({key:?}, {value:?}){}", arrow(output.map(|_| "ok")))
            }
            (KvOp::Append(value), output) => {
                format!("append({key:?}, {value:?}){}", arrow(output.map(|_| "ok")))
            }
        }
    }

    fn state_size(&self, state: &String) -> usize {
        std::mem::size_of::<String>() + state.len()
    }

    fn describe_state(&self, state: &String) -> String {
        format!("{state:?}")
    }
}
