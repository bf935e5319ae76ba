//! The model-neutral view of one operation that the fast paths reason about.
//!
//! A model opts in through [`crate::Model::access`]: it says what each operation did to the
//! one value it touches (a register's value, or one key's append-only string). The fast paths
//! never see a model's state, so they work for any model that can describe its operations
//! this way, and a model that cannot (a put into an append-only key) returns `None` and gets
//! the search.

/// A register value as the fast paths see it: what matters is only whether two values are
/// equal and whether a value is the initial one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// The register's initial value, whatever it is.
    Initial,
    /// Nil (no value), when nil is not the initial value: no operation writes it.
    Nil,
    /// An integer other than the initial value.
    Int(i64),
}

impl Value {
    /// The view of `value` (`None`: nil) for a register that starts holding `initial`.
    pub fn of(value: Option<i64>, initial: Option<i64>) -> Value {
        match value {
            _ if value == initial => Value::Initial,
            None => Value::Nil,
            Some(value) => Value::Int(value),
        }
    }
}

/// What a compare-and-set returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CasOutcome {
    /// It found the expected value and swapped in the new one.
    Swapped,
    /// Its compare failed: the register held something else, and kept it.
    Failed,
    /// Nobody saw: it swapped, or it had no effect.
    Unknown,
}

/// What one operation did to the value it touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access<'a> {
    /// A register read that returned this value.
    Read(Value),
    /// A blind register write (its outcome, known or not, is the history's).
    Write(Value),
    /// A compare-and-set from `expected` to `new`.
    Cas { expected: Value, new: Value, outcome: CasOutcome },
    /// An append of this text to an append-only value (which starts empty).
    Append(&'a str),
    /// A read of an append-only value: the appends it shows, concatenated in order.
    ReadAppends(&'a str),
    /// A read whose output nobody saw: it constrains nothing.
    Unobserved,
}

impl Access<'_> {
    /// True for the accesses of append-only values.
    pub(crate) fn is_append_only(&self) -> bool {
        matches!(self, Access::Append(_) | Access::ReadAppends(_))
    }
}

/// One operation of a partition as the fast paths see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct View<'a> {
    /// Index into the history.
    pub index: usize,
    pub access: Access<'a>,
    pub call: u64,
    /// `None`: the outcome is unknown.
    pub ret: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_initial_value_is_recognised_whatever_it_is() {
        assert_eq!(Value::of(None, None), Value::Initial);
        assert_eq!(Value::of(Some(0), Some(0)), Value::Initial);
        assert_eq!(Value::of(None, Some(0)), Value::Nil);
        assert_eq!(Value::of(Some(3), None), Value::Int(3));
    }
}
