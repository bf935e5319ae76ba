//! Pruning configurations from which a pending read can no longer become legal.
//!
//! A read that returned `v` (a get that saw "x1 x2") must be linearized in the one state the
//! model names for it. If the current state cannot grow into that state by non-reset
//! operations (appends only extend a value), a reset (a put) must come first: one whose state
//! can grow into it, not yet linearized, and called by the time the read returned. With no
//! such reset left, the configuration fails, however the other operations are ordered.
use super::entries::{EntryList, Ops, NONE};
use super::states::States;
use crate::history::{History, Outcome};
use crate::model::Model;

/// How many entries past the first return entry (return entries and reads) to look at while
/// a search is easy; a search that has backtracked `DEEP_AFTER` times is proving hard, and
/// then every pending read is worth checking at each step. (Counting steps instead made every
/// step of a long, easy history walk the whole rest of it: quadratic time.)
const LOOKAHEAD: usize = 16;
const DEEP_AFTER: u64 = 16_384;
/// The most (read, reset) pairs the pruning sets up. A long history is searched in chunks
/// (`cuts`), each far below this; one that cannot be cut is searched without the pruning.
const MAX_PAIRS: usize = 1 << 24;

pub(crate) struct Reads {
    /// For each operation, the interned state it must be linearized in, or NONE.
    required: Vec<u32>,
    /// For each read, the resets that could lead to its required state in time.
    resets: Vec<Vec<u32>>,
    /// False when the model names no read states: then there is nothing to check.
    enabled: bool,
}

impl Reads {
    pub(crate) fn new<M: Model>(
        model: &M,
        history: &History<M::Input, M::Output>,
        ops: &Ops,
        states: &mut States<M>,
    ) -> Reads {
        let mut required = vec![NONE; ops.len()];
        let mut reset_states = Vec::new();
        for (local, &index) in ops.global.iter().enumerate() {
            let op = &history[index];
            if let Outcome::Returned { output, .. } = &op.outcome {
                if ops.read_only[local] {
                    if let Some(state) = model.read_state(&op.input, output) {
                        required[local] = states.intern(model, state);
                    }
                }
            }
            if let Some(state) = model.reset_state(&op.input) {
                reset_states.push((local as u32, states.intern(model, state), op.call));
            }
        }
        let reads = required.iter().filter(|&&state| state != NONE).count();
        if reads.saturating_mul(reset_states.len()) > MAX_PAIRS {
            // Finding each read's resets would cost quadratic time and memory: search
            // without this pruning (it only saves work; the verdict does not need it).
            return Reads { required, resets: Vec::new(), enabled: false };
        }
        let resets = (0..ops.len())
            .map(|local| {
                if required[local] == NONE {
                    return Vec::new();
                }
                let returned = history[ops.global[local]].return_time().unwrap_or(u64::MAX);
                reset_states
                    .iter()
                    .filter(|&&(_, state, call)| {
                        // Straight to the model: each pair comes up once here, and a cache
                        // lookup would cost more than most models' answer.
                        call <= returned
                            && model.may_grow_into(states.get(state), states.get(required[local]))
                    })
                    .map(|&(reset, _, _)| reset)
                    .collect()
            })
            .collect();
        let enabled = required.iter().any(|&state| state != NONE);
        Reads { required, resets, enabled }
    }

    /// A read among the candidates (the entries before the first return entry, and that
    /// return entry) that can no longer become legal from `state`, if there is one.
    pub(crate) fn stuck<M: Model>(
        &self,
        model: &M,
        states: &mut States<M>,
        list: &EntryList,
        state: u32,
        backtracks: u64,
        linearized: impl Fn(u32) -> bool,
    ) -> Option<u32> {
        if !self.enabled {
            return None;
        }
        let mut node = list.first();
        let mut past_return = false;
        let mut lookahead = if backtracks > DEEP_AFTER { usize::MAX } else { LOOKAHEAD + 1 };
        while node != NONE {
            let op = list.op(node) as usize;
            let required = self.required[op];
            if required != NONE
                && !states.may_grow_into(model, state, required)
                // Latest first: the older resets are the ones likely linearized already.
                && self.resets[op].iter().rev().all(|&reset| linearized(reset))
            {
                return Some(op as u32);
            }
            // Past the first return entry, look at a few more reads: they are not candidates
            // yet, but they too must be linearized in their states eventually.
            if !list.is_call(node) || required != NONE {
                lookahead -= usize::from(past_return || !list.is_call(node));
                past_return |= !list.is_call(node);
                if past_return && lookahead == 0 {
                    break;
                }
            }
            node = list.next(node);
        }
        None
    }
}
