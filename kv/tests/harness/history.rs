//! What the clerks saw, and the checks on it for an append-only key: every append exactly once
//! and in its client's order, and every read consistent with real time. For a key that only
//! grows by appends of unique tokens these checks amount to linearizability.

use kv::{ClientId, Op, Seq};

/// One completed operation, with the rounds it started and ended in.
#[derive(Clone, Debug)]
pub struct Record {
    pub client: ClientId,
    pub seq: Seq,
    pub op: Op,
    pub value: String,
    pub started: u64,
    pub ended: u64,
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub records: Vec<Record>,
}

/// The unique value client `client` appends as its `i`-th append.
pub fn token(client: u64, i: u64) -> String {
    // Delimited on both sides, so no token is a substring of another.
    format!("<{client}.{i}>")
}

/// Splits a value into `(client, i)` tokens.
fn tokens(value: &str) -> Result<Vec<(u64, u64)>, String> {
    value
        .split_terminator('>')
        .map(|t| {
            let bad = || format!("bad token {t:?}");
            let (client, i) =
                t.strip_prefix('<').and_then(|t| t.split_once('.')).ok_or_else(bad)?;
            let parse = |s: &str| s.parse::<u64>().map_err(|_| format!("bad token {t:?}"));
            Ok((parse(client)?, parse(i)?))
        })
        .collect()
}

impl History {
    pub fn push(&mut self, record: Record) {
        self.records.push(record);
    }

    pub fn completed(&self) -> usize {
        self.records.len()
    }

    /// Checks the history against `final_value`, the key's value once everything settled.
    pub fn check(&self, final_value: &str) -> Result<(), String> {
        check_exactly_once(final_value)?;
        for record in &self.records {
            match &record.op {
                Op::Append { value, .. } if !final_value.contains(value.as_str()) => {
                    return Err(format!("completed append {value:?} is lost: {final_value:?}"));
                }
                Op::Get { .. } => self.check_read(record, final_value)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A read sees a prefix of the final value (the key only grows), every append that
    /// completed before the read started, and at least what any earlier read saw.
    fn check_read(&self, read: &Record, final_value: &str) -> Result<(), String> {
        let seen = &read.value;
        if !final_value.starts_with(seen.as_str()) {
            return Err(format!("read {seen:?} is not a prefix of {final_value:?}"));
        }
        for before in self.records.iter().filter(|r| r.ended < read.started) {
            let missing = match &before.op {
                Op::Append { value, .. } => !seen.contains(value.as_str()),
                Op::Get { .. } => before.value.len() > seen.len(),
                Op::Put { .. } => false,
            };
            if missing {
                return Err(format!(
                    "stale read by {}#{} (rounds {}..{}) saw {seen:?}, missing the effect of \
                     {}#{} {} (ended round {})",
                    read.client,
                    read.seq,
                    read.started,
                    read.ended,
                    before.client,
                    before.seq,
                    before.op,
                    before.ended
                ));
            }
        }
        Ok(())
    }
}

/// No token twice, and each client's tokens in the order it appended them.
fn check_exactly_once(value: &str) -> Result<(), String> {
    let mut last: std::collections::BTreeMap<u64, u64> = Default::default();
    for (client, i) in tokens(value)? {
        if let Some(previous) = last.insert(client, i) {
            if previous >= i {
                return Err(format!("client {client} token {i} after {previous}: {value:?}"));
            }
        }
    }
    Ok(())
}
