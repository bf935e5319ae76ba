//! The Wing & Gong / Lowe search over one partition, resumable in slices of steps.
//!
//! Depth-first: walk the entry list from its head; at a call entry, try to linearize that
//! operation (step the model, skip configurations already in the memo); at a return entry,
//! the operation returning there had to be linearized before anything later, so backtrack.
//! Unknown-outcome operations have no return entry (they return at infinity) and the search
//! succeeds as soon as every operation with a known outcome is linearized; or, asked for every
//! end (`Mode::EveryEnd`, one segment of a longer history), it goes on and collects each
//! distinct configuration in which every known operation is linearized.
use super::entries::{EntryList, Ops, NONE};
use super::linearized::LinearizedSet;
use super::memo::Memo;
use super::prune::Reads;
use super::states::States;
use crate::history::History;
use crate::model::Model;

/// Where a search stands after a slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    Linearizable,
    NotLinearizable,
    Paused,
}

/// What a search is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Stop at the first linearization.
    FirstLinearization,
    /// Find every distinct end: the state and the unknown-outcome operations left out, in
    /// each configuration where every known operation is linearized. Ends with
    /// `NotLinearizable` when exhausted; `ends` then says whether there were any.
    EveryEnd,
}

/// A configuration a search may start from: a model state, and the search's unknown-outcome
/// operations that already took effect before it (history indices).
pub(crate) struct Start<S> {
    pub(crate) state: S,
    pub(crate) done: Vec<usize>,
}

/// One end of a segment (see `Mode::EveryEnd`), with a linearization that reaches it.
pub(crate) struct End<S> {
    /// The start it was reached from (index into the starts given).
    pub(crate) start: usize,
    pub(crate) state: S,
    /// History indices, in linearization order.
    pub(crate) order: Vec<usize>,
    /// Unknown-outcome operations not linearized (history indices, ascending): they may
    /// still take effect later.
    pub(crate) left_out: Vec<usize>,
}

/// One linearized operation on the stack.
struct Frame {
    call: u32,
    prev_state: u32,
    /// What undoing the operation in the linearized set needs.
    prev_top: u32,
    /// The next of the operation's possible target states to try after backtracking.
    next_target: u32,
    /// A read-only operation linearized at once: the configuration before it is
    /// linearizable iff the one after it is, so there is nothing else to try at this point.
    forced: bool,
}

/// What trying an operation at the cursor did.
enum Attempt {
    Linearized,
    /// Not possible here; move on to the next entry.
    Skip,
    /// A forced read led to an explored configuration: this configuration fails too.
    Backtrack,
}

pub(crate) struct Search<'h, M: Model> {
    model: &'h M,
    history: &'h History<M::Input, M::Output>,
    ops: Ops,
    list: EntryList,
    states: States<M>,
    reads: Reads,
    memo: Memo,
    linearized: LinearizedSet,
    state: u32,
    /// The starts: interned state and the local operations already done. The search runs
    /// from each in turn, sharing one memo: starts that differ only before the first write
    /// meet again after it, and the second finds the rest explored.
    starts: Vec<(u32, Vec<u32>)>,
    /// The start being searched from, and what undoing its done operations needs.
    start: usize,
    start_undo: Vec<(u32, u32)>,
    mode: Mode,
    ends: Vec<End<M::State>>,
    /// Backtracks so far: many means the partition is proving hard (see `prune`).
    backtracks: u64,
    cursor: u32,
    stack: Vec<Frame>,
    /// Operations with a known outcome not yet linearized.
    remaining_known: usize,
    steps: u64,
    outcome: Progress,
    best: Vec<u32>,
    best_start: usize,
    /// Whether the search stands at the configuration `best` was taken from.
    at_best: bool,
    blocked: Option<u32>,
}

impl<'h, M: Model> Search<'h, M> {
    pub(crate) fn new(
        model: &'h M,
        history: &'h History<M::Input, M::Output>,
        partition: &[usize],
        starts: Vec<Start<M::State>>,
        mode: Mode,
    ) -> Search<'h, M> {
        let ops = Ops::new(model, history, partition);
        let list = EntryList::new(history, &ops);
        let remaining_known = ops.known.iter().filter(|&&known| known).count();
        let mut states = States::new(model);
        let starts: Vec<(u32, Vec<u32>)> = starts
            .into_iter()
            .map(|start| {
                let done = start.done.iter().filter_map(|&index| ops.local(history, index));
                (states.intern(model, start.state), done.collect())
            })
            .collect();
        let reads = Reads::new(model, history, &ops, &mut states);
        let mut search = Search {
            model,
            history,
            states,
            reads,
            memo: Memo::new(),
            linearized: LinearizedSet::new(ops.len()),
            state: 0,
            starts,
            start: 0,
            start_undo: Vec::new(),
            mode,
            ends: Vec::new(),
            backtracks: 0,
            cursor: list.first(),
            stack: Vec::new(),
            remaining_known,
            steps: 0,
            outcome: Progress::Paused,
            best: Vec::new(),
            best_start: 0,
            at_best: true,
            blocked: None,
            ops,
            list,
        };
        search.enter_start();
        search
    }

    /// Sets the search at its current start: the start's state, its done operations
    /// linearized and out of the entry list.
    fn enter_start(&mut self) {
        let Some((state, done)) = self.starts.get(self.start) else { return };
        self.state = *state;
        for &op in done {
            let previous_top = self.linearized.insert(op);
            self.list.lift(self.list.call_node(op));
            self.start_undo.push((op, previous_top));
        }
        self.cursor = self.list.first();
        if self.remaining_known == 0 && self.mode == Mode::EveryEnd {
            self.note_end();
        }
    }

    /// Moves on to the next start once one is exhausted; false when none is left.
    fn next_start(&mut self) -> bool {
        while let Some((op, previous_top)) = self.start_undo.pop() {
            self.list.unlift(self.list.call_node(op));
            self.linearized.remove(op, previous_top);
        }
        self.start += 1;
        if self.start >= self.starts.len() {
            return false;
        }
        self.enter_start();
        true
    }

    /// Runs up to `max_steps` more steps.
    pub(crate) fn run(&mut self, max_steps: u64) -> Progress {
        let end = self.steps.saturating_add(max_steps);
        while self.outcome == Progress::Paused && self.steps < end {
            self.steps += 1;
            if self.remaining_known == 0 && self.mode == Mode::FirstLinearization {
                self.outcome = Progress::Linearizable;
                break;
            }
            let node = self.cursor;
            let attempt = if node != NONE && self.list.is_call(node) {
                self.attempt(node, 0)
            } else {
                // A return entry (or, defensively, the end of the list): nothing before it
                // could be linearized, and its operation must come before anything after.
                if self.at_best && self.blocked.is_none() && node != NONE {
                    self.blocked = Some(self.list.op(node));
                }
                Attempt::Backtrack
            };
            match attempt {
                Attempt::Linearized => {
                    let Some(stuck) = self.stuck() else { continue };
                    if self.at_best {
                        self.blocked = Some(stuck);
                    }
                    if !self.backtrack() {
                        self.outcome = Progress::NotLinearizable;
                    }
                }
                Attempt::Skip => self.cursor = self.list.next(node),
                Attempt::Backtrack => {
                    if !self.backtrack() {
                        self.outcome = Progress::NotLinearizable;
                    }
                }
            }
        }
        self.outcome
    }

    /// Tries to linearize the operation of call entry `node`, from its `first`-th target
    /// state on.
    fn attempt(&mut self, node: u32, first: u32) -> Attempt {
        let op = self.list.op(node) as usize;
        let after = self.ops.after[op];
        if after != NONE && !self.is_linearized(after as usize) {
            return Attempt::Skip;
        }
        let (start, len) =
            self.states.next(self.model, self.history, &self.ops, self.state, self.ops.kind[op]);
        let forced = self.ops.read_only[op] && len > 0;
        let prev_top = self.linearized.insert(op as u32);
        for index in first..len {
            let target = self.states.target(start + index);
            if self.memo.insert(self.linearized.hash(), target, self.linearized.key()) {
                self.stack.push(Frame {
                    call: node,
                    prev_state: self.state,
                    prev_top,
                    next_target: index + 1,
                    forced,
                });
                self.state = target;
                self.list.lift(node);
                self.remaining_known -= usize::from(self.ops.known[op]);
                self.cursor = self.list.first();
                self.note_depth();
                if self.remaining_known == 0 && self.mode == Mode::EveryEnd {
                    self.note_end();
                }
                return Attempt::Linearized;
            }
        }
        self.linearized.remove(op as u32, prev_top);
        if forced {
            Attempt::Backtrack
        } else {
            Attempt::Skip
        }
    }

    /// Undoes linearized operations until one offers something else to try; at the bottom
    /// of the stack, goes on from the next start; false when no start is left (the partition
    /// is not linearizable from any).
    fn backtrack(&mut self) -> bool {
        self.at_best = false;
        self.backtracks += 1;
        self.unwind() || self.next_start()
    }

    /// `backtrack` within one start: false when the stack runs out.
    fn unwind(&mut self) -> bool {
        while let Some(frame) = self.stack.pop() {
            let op = self.list.op(frame.call) as usize;
            self.list.unlift(frame.call);
            self.linearized.remove(op as u32, frame.prev_top);
            self.state = frame.prev_state;
            self.remaining_known += usize::from(self.ops.known[op]);
            if frame.forced {
                continue;
            }
            match self.attempt(frame.call, frame.next_target) {
                Attempt::Linearized => return true,
                Attempt::Skip => {
                    self.cursor = self.list.next(frame.call);
                    return true;
                }
                Attempt::Backtrack => continue,
            }
        }
        false
    }

    /// A candidate read that can no longer become legal (see `prune`), if there is one. Only
    /// a changed state can strand a read: the last frame tells.
    fn stuck(&mut self) -> Option<u32> {
        let frame = self.stack.last()?;
        if frame.prev_state == self.state {
            return None;
        }
        let linearized = &self.linearized;
        let linearized = |op: u32| linearized.contains(op);
        let (model, backtracks) = (self.model, self.backtracks);
        self.reads.stuck(model, &mut self.states, &self.list, self.state, backtracks, linearized)
    }

    fn is_linearized(&self, op: usize) -> bool {
        self.linearized.contains(op as u32)
    }

    /// Records the current configuration as an end (every known operation is linearized).
    /// The memo lets each configuration be reached once, so each end is recorded once.
    fn note_end(&mut self) {
        let end = self.end_here();
        self.ends.push(end);
    }

    /// The current configuration as an end, with the linearization that reached it: once
    /// linearizable, the end the search stopped at.
    pub(crate) fn end_here(&self) -> End<M::State> {
        let stack = self.stack.iter();
        let order = stack.map(|frame| self.ops.global[self.list.op(frame.call) as usize]);
        let left_out = (0..self.ops.len())
            .filter(|&op| !self.ops.known[op] && !self.is_linearized(op))
            .map(|op| self.ops.global[op]);
        let mut left_out: Vec<usize> = left_out.collect();
        left_out.sort_unstable();
        let state = self.states.get(self.state).clone();
        End { start: self.start, state, order: order.collect(), left_out }
    }

    /// The ends found (`Mode::EveryEnd`).
    pub(crate) fn take_ends(&mut self) -> Vec<End<M::State>> {
        std::mem::take(&mut self.ends)
    }

    /// Keeps the deepest stack seen as the witness prefix.
    fn note_depth(&mut self) {
        if self.stack.len() > self.best.len() {
            self.best.clear();
            self.best.extend(self.stack.iter().map(|frame| self.list.op(frame.call)));
            self.best_start = self.start;
            self.blocked = None;
            self.at_best = true;
        } else {
            self.at_best = false;
        }
    }

    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    /// Bytes of memo and states held.
    pub(crate) fn bytes(&self) -> usize {
        self.memo.bytes() + self.states.bytes()
    }

    /// The witness prefix, as history indices: the full linearization once linearizable.
    pub(crate) fn longest_prefix(&self) -> Vec<usize> {
        let source: Vec<u32> = if self.outcome == Progress::Linearizable {
            self.stack.iter().map(|frame| self.list.op(frame.call)).collect()
        } else {
            self.best.clone()
        };
        source.iter().map(|&op| self.ops.global[op as usize]).collect()
    }

    /// The start `longest_prefix` goes on from.
    pub(crate) fn prefix_start(&self) -> usize {
        if self.outcome == Progress::Linearizable {
            self.start
        } else {
            self.best_start
        }
    }

    /// The operation that could not be placed after the longest prefix, as a history index.
    pub(crate) fn blocked(&self) -> Option<usize> {
        self.blocked.map(|op| self.ops.global[op as usize])
    }
}
