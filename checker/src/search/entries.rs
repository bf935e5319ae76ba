//! One partition's operations as the search sees them: local ids, transition kinds, and the
//! time-ordered doubly linked list of call and return entries that the search lifts from and
//! puts back (Wing & Gong, Lowe; as in Porcupine).
use std::collections::HashMap;

use crate::history::{History, Outcome};
use crate::model::Model;

/// "No entry": the end of the list, or an operation without a return entry.
pub(crate) const NONE: u32 = u32::MAX;

/// The operations of one partition, numbered 0.. in call order.
pub(crate) struct Ops {
    /// Local id -> index in the history.
    pub(crate) global: Vec<usize>,
    /// Operations with equal input and output (or both unknown) share a kind, and so share
    /// cached transitions.
    pub(crate) kind: Vec<u32>,
    /// For each kind, one operation holding it (to reach its input and output).
    pub(crate) kind_example: Vec<u32>,
    pub(crate) known: Vec<bool>,
    pub(crate) read_only: Vec<bool>,
    /// An identical operation that may be assumed linearized before this one (see
    /// `canonical_predecessors`), or NONE.
    pub(crate) after: Vec<u32>,
}

impl Ops {
    /// Numbers the partition's operations, leaving out unknown-outcome read-only ones: they
    /// change nothing and nobody saw their output, so they constrain nothing.
    pub(crate) fn new<M: Model>(
        model: &M,
        history: &History<M::Input, M::Output>,
        partition: &[usize],
    ) -> Ops {
        let global = searched_in_call_order(model, history, partition);
        let mut kinds: HashMap<(&M::Input, Option<&M::Output>), u32> = HashMap::new();
        let mut ops = Ops {
            kind: Vec::with_capacity(global.len()),
            kind_example: Vec::new(),
            known: Vec::with_capacity(global.len()),
            read_only: Vec::with_capacity(global.len()),
            after: Vec::new(),
            global,
        };
        for (local, &index) in ops.global.iter().enumerate() {
            let op = &history[index];
            let output = match &op.outcome {
                Outcome::Returned { output, .. } => Some(output),
                Outcome::Unknown => None,
            };
            let next_kind = ops.kind_example.len() as u32;
            let kind = *kinds.entry((&op.input, output)).or_insert(next_kind);
            if kind == next_kind {
                ops.kind_example.push(local as u32);
            }
            ops.kind.push(kind);
            ops.known.push(output.is_some());
            ops.read_only.push(model.is_read_only(&op.input));
        }
        ops.after = canonical_predecessors(&ops, |local| bounds(history, &ops, local));
        ops
    }

    pub(crate) fn len(&self) -> usize {
        self.global.len()
    }

    /// The local id of history operation `index`, if it is one of these.
    pub(crate) fn local<I, O>(&self, history: &History<I, O>, index: usize) -> Option<u32> {
        let key = (history[index].call, index);
        let found = self.global.binary_search_by_key(&key, |&other| (history[other].call, other));
        found.ok().map(|local| local as u32)
    }
}

/// The partition's operations the search must place, in call order (ties by history index):
/// all but the unknown-outcome read-only ones, which change nothing and which nobody saw.
pub(crate) fn searched_in_call_order<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    partition: &[usize],
) -> Vec<usize> {
    let mut order: Vec<usize> = partition
        .iter()
        .copied()
        .filter(|&index| {
            let op = &history[index];
            op.return_time().is_some() || !model.is_read_only(&op.input)
        })
        .collect();
    order.sort_by_key(|&index| (history[index].call, index));
    order
}

/// (call, return) of an operation; unknown outcomes return at infinity. A return recorded
/// before its call is read as returning at the call.
fn bounds<I, O>(history: &History<I, O>, ops: &Ops, local: usize) -> (u64, u64) {
    let op = &history[ops.global[local]];
    (op.call, op.return_time().map_or(u64::MAX, |at| at.max(op.call)))
}

/// Symmetry breaking among identical operations (same kind). If X and Y are identical, X is
/// called no later than Y and returns no later than Y, then whenever a linearization exists,
/// one exists with X before Y (swap them: each still falls inside its own interval), and
/// one that uses Y uses X too when X's outcome is unknown. So the search only linearizes Y
/// once X is linearized. For unknown outcomes this cuts the 2^m subsets of m identical
/// pending writes down to m + 1 prefixes.
fn canonical_predecessors(ops: &Ops, bounds: impl Fn(usize) -> (u64, u64)) -> Vec<u32> {
    let mut after = vec![NONE; ops.len()];
    // Local ids are in call order, so the last operation seen of a kind is the latest called.
    let mut last_of_kind = vec![NONE; ops.kind_example.len()];
    for (local, &kind) in ops.kind.iter().enumerate() {
        let kind = kind as usize;
        let previous = last_of_kind[kind];
        if previous != NONE && bounds(previous as usize).1 <= bounds(local).1 {
            after[local] = previous;
        }
        last_of_kind[kind] = local as u32;
    }
    after
}

/// The call and return entries in time order (calls before returns at equal times), as a
/// doubly linked list over arrays. Node 0 is the head sentinel.
pub(crate) struct EntryList {
    next: Vec<u32>,
    prev: Vec<u32>,
    /// The operation of each node.
    op: Vec<u32>,
    /// For a call node, its return node (NONE for an unknown outcome); for a return node, NONE.
    partner: Vec<u32>,
    is_call: Vec<bool>,
    /// The call node of each operation.
    call_node: Vec<u32>,
}

impl EntryList {
    pub(crate) fn new<I, O>(history: &History<I, O>, ops: &Ops) -> EntryList {
        // (time, 0 for a call or 1 for a return, local id): calls first at equal times.
        let mut events: Vec<(u64, u8, u32)> = Vec::with_capacity(ops.len() * 2);
        for local in 0..ops.len() {
            let (call, ret) = bounds(history, ops, local);
            events.push((call, 0, local as u32));
            if ops.known[local] {
                events.push((ret, 1, local as u32));
            }
        }
        events.sort_unstable();
        let nodes = events.len() + 1;
        let mut list = EntryList {
            next: (1..=nodes as u32).map(|n| if n as usize == nodes { NONE } else { n }).collect(),
            prev: (0..nodes as u32).map(|n| n.wrapping_sub(1)).collect(),
            op: vec![NONE; nodes],
            partner: vec![NONE; nodes],
            is_call: vec![false; nodes],
            call_node: vec![NONE; ops.len()],
        };
        for (position, &(_, kind, local)) in events.iter().enumerate() {
            let node = position + 1;
            list.op[node] = local;
            list.is_call[node] = kind == 0;
            if kind == 0 {
                list.call_node[local as usize] = node as u32;
            } else {
                list.partner[list.call_node[local as usize] as usize] = node as u32;
            }
        }
        list
    }

    /// The first entry still in the list, or NONE.
    pub(crate) fn first(&self) -> u32 {
        self.next[0]
    }

    pub(crate) fn next(&self, node: u32) -> u32 {
        self.next[node as usize]
    }

    pub(crate) fn op(&self, node: u32) -> u32 {
        self.op[node as usize]
    }

    pub(crate) fn call_node(&self, op: u32) -> u32 {
        self.call_node[op as usize]
    }

    pub(crate) fn is_call(&self, node: u32) -> bool {
        self.is_call[node as usize]
    }

    /// Takes a call entry and its return entry out of the list (the operation is linearized).
    pub(crate) fn lift(&mut self, call: u32) {
        self.unlink(call);
        let ret = self.partner[call as usize];
        if ret != NONE {
            self.unlink(ret);
        }
    }

    /// Undoes `lift`, in reverse order so each node's saved neighbours are current again.
    pub(crate) fn unlift(&mut self, call: u32) {
        let ret = self.partner[call as usize];
        if ret != NONE {
            self.relink(ret);
        }
        self.relink(call);
    }

    fn unlink(&mut self, node: u32) {
        let (prev, next) = (self.prev[node as usize], self.next[node as usize]);
        self.next[prev as usize] = next;
        if next != NONE {
            self.prev[next as usize] = prev;
        }
    }

    fn relink(&mut self, node: u32) {
        let (prev, next) = (self.prev[node as usize], self.next[node as usize]);
        self.next[prev as usize] = node;
        if next != NONE {
            self.prev[next as usize] = node;
        }
    }
}
