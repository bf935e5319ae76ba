//! The model over the whole history: one state for all keys at once.
//!
//! Sequential consistency is not local: a history can be sequentially consistent key by key
//! and not as a whole (c1 writes x then reads y = 0, c2 writes y then reads x = 0). So the
//! search never checks partitions apart. It still uses `Model::partition`, but only to learn
//! which part of the state each operation touches: the state of the whole history is the
//! tuple of every partition's state (for the kv models, every key's value), and an operation
//! steps its own part. That is exactly the model whose state is all keys, and it needs no
//! new code in any model. Tuples and parts are interned as small integers, and each (part
//! state, operation kind) pair calls the model once.
use std::mem::size_of;

use crate::history::{History, Outcome};
use crate::model::Model;
use crate::search::fxhash::FxHashMap;

pub(crate) struct Whole<'a, M: Model> {
    model: &'a M,
    history: &'a History<M::Input, M::Output>,
    /// Per history index: the partition (part of the state) it touches.
    part_of: Vec<u32>,
    /// Per partition: its label (`key "x"`), for reports.
    labels: Vec<String>,
    /// Per history index: its kind (same input and output, or both unknown).
    kind_of: Vec<u32>,
    /// Per kind: one operation of that kind.
    kind_example: Vec<usize>,
    part_ids: FxHashMap<M::State, u32>,
    part_states: Vec<M::State>,
    part_bytes: usize,
    /// (part state << 32 | kind) -> (start, len) in `targets`.
    transitions: FxHashMap<u64, (u32, u32)>,
    targets: Vec<u32>,
    /// Cached `may_grow_into` answers, by (from << 32 | to).
    growth: FxHashMap<u64, bool>,
    tuple_ids: FxHashMap<Box<[u32]>, u32>,
    tuples: Vec<Box<[u32]>>,
    scratch: Vec<u32>,
}

impl<'a, M: Model> Whole<'a, M> {
    /// The tables for `history`, with the initial tuple (every part in `model.init()`) as 0.
    pub(crate) fn new(model: &'a M, history: &'a History<M::Input, M::Output>) -> Whole<'a, M> {
        let partitions = model.partition(history);
        let mut part_of = vec![0u32; history.len()];
        for (part, partition) in partitions.iter().enumerate() {
            for &index in &partition.ops {
                part_of[index] = part as u32;
            }
        }
        let mut kinds: FxHashMap<(&M::Input, Option<&M::Output>), u32> = FxHashMap::default();
        let mut kind_of = Vec::with_capacity(history.len());
        let mut kind_example = Vec::new();
        for (index, op) in history.iter().enumerate() {
            let output = match &op.outcome {
                Outcome::Returned { output, .. } => Some(output),
                Outcome::Unknown => None,
            };
            let next = kind_example.len() as u32;
            let kind = *kinds.entry((&op.input, output)).or_insert(next);
            if kind == next {
                kind_example.push(index);
            }
            kind_of.push(kind);
        }
        let mut whole = Whole {
            model,
            history,
            part_of,
            labels: partitions.iter().map(|partition| partition.label.clone()).collect(),
            kind_of,
            kind_example,
            part_ids: FxHashMap::default(),
            part_states: Vec::new(),
            part_bytes: 0,
            transitions: FxHashMap::default(),
            targets: Vec::new(),
            growth: FxHashMap::default(),
            tuple_ids: FxHashMap::default(),
            tuples: Vec::new(),
            scratch: Vec::new(),
        };
        let init = whole.intern_part(model.init());
        whole.scratch = vec![init; partitions.len().max(1)];
        whole.intern_tuple();
        whole
    }

    pub(crate) fn intern_part(&mut self, state: M::State) -> u32 {
        if let Some(&id) = self.part_ids.get(&state) {
            return id;
        }
        let id = self.part_states.len() as u32;
        self.part_bytes += 2 * self.model.state_size(&state);
        self.part_states.push(state.clone());
        self.part_ids.insert(state, id);
        id
    }

    /// The id of the tuple in `scratch`.
    fn intern_tuple(&mut self) -> u32 {
        if let Some(&id) = self.tuple_ids.get(self.scratch.as_slice()) {
            return id;
        }
        let id = self.tuples.len() as u32;
        let tuple: Box<[u32]> = self.scratch.clone().into_boxed_slice();
        self.tuples.push(tuple.clone());
        self.tuple_ids.insert(tuple, id);
        id
    }

    /// The part state operation `op` sees in tuple `tuple`.
    pub(crate) fn part(&self, tuple: u32, op: usize) -> u32 {
        self.tuples[tuple as usize][self.part_of[op] as usize]
    }

    /// Which part (partition) of the state `op` touches.
    pub(crate) fn part_index(&self, op: usize) -> u32 {
        self.part_of[op]
    }

    /// The part state of part `part` in tuple `tuple`.
    pub(crate) fn part_state(&self, tuple: u32, part: u32) -> u32 {
        self.tuples[tuple as usize][part as usize]
    }

    /// An operation's input and (when it returned) output.
    pub(crate) fn operation(&self, op: usize) -> (&'a M::Input, Option<&'a M::Output>) {
        let history: &'a History<M::Input, M::Output> = self.history;
        let operation = &history[op];
        match &operation.outcome {
            Outcome::Returned { output, .. } => (&operation.input, Some(output)),
            Outcome::Unknown => (&operation.input, None),
        }
    }

    pub(crate) fn model(&self) -> &'a M {
        self.model
    }

    /// The model's `may_grow_into` on two interned part states, cached.
    pub(crate) fn may_grow_into(&mut self, from: u32, to: u32) -> bool {
        if from == to {
            return true;
        }
        let key = u64::from(from) << 32 | u64::from(to);
        if let Some(&grows) = self.growth.get(&key) {
            return grows;
        }
        let (a, b) = (&self.part_states[from as usize], &self.part_states[to as usize]);
        let grows = self.model.may_grow_into(a, b);
        self.growth.insert(key, grows);
        grows
    }

    /// The part states operation `op` may lead to from tuple `tuple`, as a range of
    /// `targets`: from its recorded output, or (when its outcome is unknown) from any.
    pub(crate) fn next(&mut self, tuple: u32, op: usize) -> (u32, u32) {
        let state = self.part(tuple, op);
        let kind = self.kind_of[op];
        let key = u64::from(state) << 32 | u64::from(kind);
        if let Some(&range) = self.transitions.get(&key) {
            return range;
        }
        let example = &self.history[self.kind_example[kind as usize]];
        let from = &self.part_states[state as usize];
        let next = match &example.outcome {
            Outcome::Returned { output, .. } => self.model.step(from, &example.input, output),
            Outcome::Unknown => self.model.step_unknown(from, &example.input),
        };
        let start = self.targets.len() as u32;
        for target in next.into_vec() {
            let id = self.intern_part(target);
            // Nondeterministic models may name a state twice; branching on it twice is waste.
            if !self.targets[start as usize..].contains(&id) {
                self.targets.push(id);
            }
        }
        let range = (start, self.targets.len() as u32 - start);
        self.transitions.insert(key, range);
        range
    }

    pub(crate) fn target(&self, index: u32) -> u32 {
        self.targets[index as usize]
    }

    /// The tuple `tuple` with `op`'s part set to the part state `part`.
    pub(crate) fn replace(&mut self, tuple: u32, op: usize, part: u32) -> u32 {
        let which = self.part_of[op] as usize;
        if self.tuples[tuple as usize][which] == part {
            return tuple;
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.tuples[tuple as usize]);
        self.scratch[which] = part;
        self.intern_tuple()
    }

    pub(crate) fn is_read_only(&self, op: usize) -> bool {
        self.model.is_read_only(&self.history[op].input)
    }

    /// The model's words for the state `op`'s part has in `tuple`.
    pub(crate) fn describe_part(&self, tuple: u32, op: usize) -> String {
        self.model.describe_state(&self.part_states[self.part(tuple, op) as usize])
    }

    /// The label of the partition `op` touches (`key "x"`).
    pub(crate) fn label(&self, op: usize) -> &str {
        self.labels.get(self.part_of[op] as usize).map_or("all", String::as_str)
    }

    /// Estimated bytes held, counted against the memory limit with the memo.
    pub(crate) fn bytes(&self) -> usize {
        let width = self.scratch.len() * 4;
        self.part_bytes
            + self.part_ids.capacity() * (size_of::<M::State>() + 12)
            + self.part_states.capacity() * size_of::<M::State>()
            + self.transitions.capacity() * 17
            + self.targets.capacity() * 4
            + self.growth.capacity() * 9
            + self.tuples.len() * 2 * (width + 16)
            + self.tuple_ids.capacity() * 20
            + self.part_of.capacity() * 8
    }
}
