//! P-compositionality for the key/value models: a history splits into one partition per key,
//! each checked on its own.
use std::collections::BTreeMap;

use crate::history::History;
use crate::model::Partition;

/// Splits a history by the key of each operation, in key order (so reports are stable).
pub(crate) fn partition_by_key<I, O>(
    history: &History<I, O>,
    key: impl Fn(&I) -> &str,
) -> Vec<Partition> {
    let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, op) in history.iter().enumerate() {
        by_key.entry(key(&op.input)).or_default().push(index);
    }
    by_key.into_iter().map(|(key, ops)| Partition { label: format!("key {key:?}"), ops }).collect()
}
