//! The Wing & Gong / Lowe search over one partition, resumable in slices of steps.
//!
//! Depth-first: walk the entry list from its head; at a call entry, try to linearize that
//! operation (step the model, skip configurations already in the memo); at a return entry,
//! the operation returning there had to be linearized before anything later, so backtrack.
//! Unknown-outcome operations have no return entry (they return at infinity) and the search
//! succeeds as soon as every operation with a known outcome is linearized.
use super::entries::{EntryList, Ops, NONE};
use super::fxhash::mix64;
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

/// One linearized operation on the stack.
struct Frame {
    call: u32,
    prev_state: u32,
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
    zobrist: Vec<u64>,
    linearized: Vec<u64>,
    set_hash: u64,
    state: u32,
    cursor: u32,
    stack: Vec<Frame>,
    /// Operations with a known outcome not yet linearized.
    remaining_known: usize,
    steps: u64,
    outcome: Progress,
    best: Vec<u32>,
    /// Whether the search stands at the configuration `best` was taken from.
    at_best: bool,
    blocked: Option<u32>,
}

impl<'h, M: Model> Search<'h, M> {
    pub(crate) fn new(
        model: &'h M,
        history: &'h History<M::Input, M::Output>,
        partition: &[usize],
    ) -> Search<'h, M> {
        let ops = Ops::new(model, history, partition);
        let list = EntryList::new(history, &ops);
        let zobrist = (0..ops.len() as u64).map(|i| mix64(i.wrapping_add(0x2545_f491))).collect();
        let remaining_known = ops.known.iter().filter(|&&known| known).count();
        let mut states = States::new(model);
        let reads = Reads::new(model, history, &ops, &mut states);
        Search {
            model,
            history,
            states,
            reads,
            memo: Memo::new(ops.len()),
            zobrist,
            linearized: vec![0; ops.len().div_ceil(64).max(1)],
            set_hash: 0,
            state: 0,
            cursor: list.first(),
            stack: Vec::new(),
            remaining_known,
            steps: 0,
            outcome: Progress::Paused,
            best: Vec::new(),
            at_best: true,
            blocked: None,
            ops,
            list,
        }
    }

    /// Runs up to `max_steps` more steps.
    pub(crate) fn run(&mut self, max_steps: u64) -> Progress {
        let end = self.steps.saturating_add(max_steps);
        while self.outcome == Progress::Paused && self.steps < end {
            self.steps += 1;
            if self.remaining_known == 0 {
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
        self.flip(op);
        for index in first..len {
            let target = self.states.target(start + index);
            if self.memo.insert(self.set_hash, target, &self.linearized) {
                self.stack.push(Frame {
                    call: node,
                    prev_state: self.state,
                    next_target: index + 1,
                    forced,
                });
                self.state = target;
                self.list.lift(node);
                self.remaining_known -= usize::from(self.ops.known[op]);
                self.cursor = self.list.first();
                self.note_depth();
                return Attempt::Linearized;
            }
        }
        self.flip(op);
        if forced {
            Attempt::Backtrack
        } else {
            Attempt::Skip
        }
    }

    /// Undoes linearized operations until one offers something else to try; false when the
    /// stack runs out (the partition is not linearizable).
    fn backtrack(&mut self) -> bool {
        self.at_best = false;
        while let Some(frame) = self.stack.pop() {
            let op = self.list.op(frame.call) as usize;
            self.list.unlift(frame.call);
            self.flip(op);
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
        let linearized = |op: u32| linearized[op as usize / 64] & (1 << (op % 64)) != 0;
        let (model, steps) = (self.model, self.steps);
        self.reads.stuck(model, &mut self.states, &self.list, self.state, steps, linearized)
    }

    fn flip(&mut self, op: usize) {
        self.linearized[op / 64] ^= 1 << (op % 64);
        self.set_hash ^= self.zobrist[op];
    }

    fn is_linearized(&self, op: usize) -> bool {
        self.linearized[op / 64] & (1 << (op % 64)) != 0
    }

    /// Keeps the deepest stack seen as the witness prefix.
    fn note_depth(&mut self) {
        if self.stack.len() > self.best.len() {
            self.best.clear();
            self.best.extend(self.stack.iter().map(|frame| self.list.op(frame.call)));
            self.blocked = None;
            self.at_best = true;
        } else {
            self.at_best = false;
        }
    }

    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    pub(crate) fn ops(&self) -> usize {
        self.ops.len()
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

    /// The operation that could not be placed after the longest prefix, as a history index.
    pub(crate) fn blocked(&self) -> Option<usize> {
        self.blocked.map(|op| self.ops.global[op as usize])
    }
}
