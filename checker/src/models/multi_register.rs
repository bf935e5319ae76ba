//! `multi-register`: Knossos's registers read and written by atomic transactions.
use std::collections::BTreeMap;

use crate::model::{Model, Next};

/// Named integer registers, all starting at 0, accessed by transactions of read and write
/// micro-operations applied atomically.
#[derive(Clone, Debug, Default)]
pub struct MultiRegister;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum MicroOp {
    /// `[:read key value]`; `None` (nil) constrains nothing (an unfinished transaction's read).
    Read { key: String, value: Option<i64> },
    /// `[:write key value]`.
    Write { key: String, value: i64 },
}

/// A transaction: its micro-operations in order. The input is the transaction as invoked; the
/// output is the transaction as completed, with the values its reads saw.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Txn(pub Vec<MicroOp>);

/// The registers that have been written (the others hold 0).
pub type Registers = BTreeMap<String, i64>;

impl MultiRegister {
    /// Applies `txn` to `state`, or `None` when one of its reads saw another value.
    fn apply(state: &Registers, txn: &Txn) -> Option<Registers> {
        let mut after = state.clone();
        for micro in &txn.0 {
            match micro {
                MicroOp::Read { key, value: Some(value) } => {
                    if after.get(key).copied().unwrap_or(0) != *value {
                        return None;
                    }
                }
                MicroOp::Read { value: None, .. } => {}
                MicroOp::Write { key, value } => {
                    after.insert(key.clone(), *value);
                }
            }
        }
        Some(after)
    }
}

impl Model for MultiRegister {
    type State = Registers;
    type Input = Txn;
    type Output = Txn;

    fn name(&self) -> &'static str {
        "multi-register"
    }

    fn init(&self) -> Registers {
        Registers::new()
    }

    fn step(&self, state: &Registers, input: &Txn, output: &Txn) -> Next<Registers> {
        // The completed transaction must be the invoked one with its reads filled in.
        let same_shape = input.0.len() == output.0.len()
            && input.0.iter().zip(&output.0).all(|pair| match pair {
                (MicroOp::Read { key: a, .. }, MicroOp::Read { key: b, .. }) => a == b,
                (MicroOp::Write { .. }, MicroOp::Write { .. }) => pair.0 == pair.1,
                _ => false,
            });
        if !same_shape {
            return Next::Illegal;
        }
        MultiRegister::apply(state, output).into()
    }

    fn step_unknown(&self, state: &Registers, input: &Txn) -> Next<Registers> {
        MultiRegister::apply(state, input).into()
    }

    fn is_read_only(&self, input: &Txn) -> bool {
        input.0.iter().all(|micro| matches!(micro, MicroOp::Read { .. }))
    }

    fn describe_operation(&self, input: &Txn, output: Option<&Txn>) -> String {
        match output {
            Some(output) => format!("txn {} -> ok", show_txn(output)),
            None => format!("txn {} -> ?", show_txn(input)),
        }
    }

    fn state_size(&self, state: &Registers) -> usize {
        std::mem::size_of::<Registers>() + state.keys().map(|key| key.len() + 48).sum::<usize>()
    }

    fn describe_state(&self, state: &Registers) -> String {
        let registers: Vec<String> =
            state.iter().map(|(key, value)| format!("{key}={value}")).collect();
        format!("{{{}}}", registers.join(", "))
    }
}

/// A transaction in Knossos's notation: `[[:read x 1] [:write y 2]]`.
fn show_txn(txn: &Txn) -> String {
    let micros: Vec<String> = txn
        .0
        .iter()
        .map(|micro| match micro {
            MicroOp::Read { key, value: Some(value) } => format!("[:read {key} {value}]"),
            MicroOp::Read { key, value: None } => format!("[:read {key} nil]"),
            MicroOp::Write { key, value } => format!("[:write {key} {value}]"),
        })
        .collect();
    format!("[{}]", micros.join(" "))
}
