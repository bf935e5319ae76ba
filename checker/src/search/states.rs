//! Interned model states and cached transitions, so the search works on small integers:
//! each (state, operation kind) pair calls the model once.
use std::mem::size_of;

use super::entries::Ops;
use super::fxhash::FxHashMap;
use crate::history::{History, Outcome};
use crate::model::Model;

pub(crate) struct States<M: Model> {
    ids: FxHashMap<M::State, u32>,
    states: Vec<M::State>,
    /// (state << 32 | kind) -> (start, len) in `targets`.
    transitions: FxHashMap<u64, (u32, u32)>,
    targets: Vec<u32>,
    /// Cached `may_grow_into` answers, by (from << 32 | to).
    growth: FxHashMap<u64, bool>,
    /// Estimated heap bytes of the states themselves.
    state_bytes: usize,
}

impl<M: Model> States<M> {
    /// The table, with the model's initial state as state 0.
    pub(crate) fn new(model: &M) -> States<M> {
        let mut states = States {
            ids: FxHashMap::default(),
            states: Vec::new(),
            transitions: FxHashMap::default(),
            targets: Vec::new(),
            growth: FxHashMap::default(),
            state_bytes: 0,
        };
        states.intern(model, model.init());
        states
    }

    pub(crate) fn intern(&mut self, model: &M, state: M::State) -> u32 {
        if let Some(&id) = self.ids.get(&state) {
            return id;
        }
        let id = self.states.len() as u32;
        self.state_bytes += 2 * model.state_size(&state);
        self.states.push(state.clone());
        self.ids.insert(state, id);
        id
    }

    /// The states an operation of `kind` leads to from `state`, as a range of `targets`.
    pub(crate) fn next(
        &mut self,
        model: &M,
        history: &History<M::Input, M::Output>,
        ops: &Ops,
        state: u32,
        kind: u32,
    ) -> (u32, u32) {
        let key = u64::from(state) << 32 | u64::from(kind);
        if let Some(&range) = self.transitions.get(&key) {
            return range;
        }
        let op = &history[ops.global[ops.kind_example[kind as usize] as usize]];
        let from = &self.states[state as usize];
        let next = match &op.outcome {
            Outcome::Returned { output, .. } => model.step(from, &op.input, output),
            Outcome::Unknown => model.step_unknown(from, &op.input),
        };
        let start = self.targets.len() as u32;
        for target in next.into_vec() {
            let id = self.intern(model, target);
            // Nondeterministic models may name a state twice; branching on it twice is waste.
            if !self.targets[start as usize..].contains(&id) {
                self.targets.push(id);
            }
        }
        let range = (start, self.targets.len() as u32 - start);
        self.transitions.insert(key, range);
        range
    }

    pub(crate) fn get(&self, id: u32) -> &M::State {
        &self.states[id as usize]
    }

    pub(crate) fn target(&self, index: u32) -> u32 {
        self.targets[index as usize]
    }

    /// Estimated bytes held, counted against the memory limit with the memo.
    pub(crate) fn bytes(&self) -> usize {
        self.state_bytes
            + self.ids.capacity() * (size_of::<M::State>() + 12)
            + self.states.capacity() * size_of::<M::State>()
            + self.transitions.capacity() * 17
            + self.targets.capacity() * 4
            + self.growth.capacity() * 9
    }
}

impl<M: Model> States<M> {
    /// The model's `may_grow_into` on two interned states, cached (states can be long
    /// strings, and the same pairs come up at every step).
    pub(crate) fn may_grow_into(&mut self, model: &M, from: u32, to: u32) -> bool {
        if from == to {
            return true;
        }
        let key = u64::from(from) << 32 | u64::from(to);
        if let Some(&grows) = self.growth.get(&key) {
            return grows;
        }
        let grows = model.may_grow_into(&self.states[from as usize], &self.states[to as usize]);
        self.growth.insert(key, grows);
        grows
    }
}
