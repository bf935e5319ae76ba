//! The search for a sequentially consistent order: depth first over the clients' frontier.
//!
//! A configuration is how far each client's program has been placed (its position) and the
//! state of the whole model. The only operations that may go next are the frontier: each
//! client's next operation, since program order must be kept; real time plays no part. An
//! operation with a known output moves to each state its output allows; one with an unknown
//! outcome (always the last of its client's program) may also be left out, which moves the
//! client past it without changing the state. A configuration reached twice, by different
//! interleavings, has the same future, so a memo of (positions, state) keeps each one to a
//! single visit, like Porcupine's cache. The history is sequentially consistent iff the
//! configuration with every program finished is reachable.
//!
//! Two choices make the search fast without changing its answer:
//! - A read-only operation that is legal in the current state goes next, alone. If any order
//!   from here exists, moving that read to the front of it is still an order: the read does
//!   not change the state, it was its client's next operation, and it is legal now. If it is
//!   illegal now, it may become legal later, so it is just not a move yet.
//! - A move after which some read can never become legal is not taken (`dead.rs`).
//! - Clients are tried in the order of a hint (`hint.rs`): a linearization when the history
//!   has one, so a linearizable history is decided without a step back.
//!
//! The stack is explicit (a history of 100k operations is a path 100k frames deep), and
//! backtracking undoes one move per frame. The deepest configuration reached is kept: its
//! placed operations are the longest consistent prefix, and its frontier the operations that
//! could not be placed, which a report shows.
use std::time::Instant;

use super::dead::Reads;
use super::whole::Whole;
use crate::budget::Options;
use crate::history::{History, Outcome};
use crate::model::Model;
use crate::result::Undecided;
use crate::search::fxhash::FxHashMap;

/// How a search ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    Consistent,
    Violated,
    Out(Undecided),
}

/// No client: the root frame's `via`.
const NONE: u32 = u32::MAX;

/// One configuration on the current path, and which of its moves comes next.
struct Frame {
    tuple: u32,
    /// The client whose operation led here (`NONE` at the root).
    via: u32,
    /// Whether that move placed its operation (false: left an unknown outcome out).
    placed: bool,
    /// Moves are being enumerated (else this frame was just entered).
    started: bool,
    /// A legal read was taken: it is this frame's only move.
    forced: bool,
    /// The client whose alternatives are being tried (`NONE` when all were).
    client: u32,
    /// Its next alternative: a target state index, or (last) leaving it out.
    alt: u32,
}

/// The deepest configuration reached: the placed operations and each client's position.
#[derive(Clone, Debug, Default)]
pub(crate) struct Deepest {
    pub(crate) path: Vec<usize>,
    pub(crate) pos: Vec<u32>,
    pub(crate) tuple: u32,
}

pub(crate) struct Search<'a, M: Model> {
    whole: Whole<'a, M>,
    reads: Reads,
    history: &'a History<M::Input, M::Output>,
    /// Per client, the history indices it must place, in program order.
    programs: Vec<Vec<usize>>,
    /// Per history index: where the hint puts it (`hint.rs`); clients are tried in that order.
    rank: Vec<u32>,
    total: usize,
    pos: Vec<u32>,
    depth: usize,
    stack: Vec<Frame>,
    path: Vec<usize>,
    memo: FxHashMap<Box<[u32]>, ()>,
    key: Vec<u32>,
    steps: u64,
    best: usize,
    /// The path reached a new depth since `deepest` was last taken.
    dirty: bool,
    deepest: Deepest,
}

impl<'a, M: Model> Search<'a, M> {
    /// A search of `programs` (per client, history indices in program order). Unknown-outcome
    /// reads are left out: they change nothing and are last in their program.
    pub(crate) fn new(
        model: &'a M,
        history: &'a History<M::Input, M::Output>,
        programs: &[Vec<usize>],
        rank: Vec<u32>,
    ) -> Search<'a, M> {
        let mut whole = Whole::new(model, history);
        let programs: Vec<Vec<usize>> = programs
            .iter()
            .map(|program| {
                let mut kept = program.clone();
                kept.retain(|&op| !(optional(history, op) && whole.is_read_only(op)));
                kept
            })
            .collect();
        let total = programs.iter().map(Vec::len).sum();
        let reads = Reads::new(&mut whole, &programs);
        let root = Frame {
            tuple: 0,
            via: NONE,
            placed: false,
            started: false,
            forced: false,
            client: NONE,
            alt: 0,
        };
        let mut search = Search {
            whole,
            reads,
            history,
            pos: vec![0; programs.len()],
            programs,
            rank,
            total,
            depth: 0,
            stack: vec![root],
            path: Vec::new(),
            memo: FxHashMap::default(),
            key: Vec::new(),
            steps: 0,
            best: 0,
            dirty: false,
            deepest: Deepest::default(),
        };
        search.deepest.pos = search.pos.clone();
        search
    }

    /// Operations the search places or leaves out (unknown-outcome reads not counted).
    pub(crate) fn ops(&self) -> usize {
        self.total
    }

    pub(crate) fn steps(&self) -> u64 {
        self.steps
    }

    /// The placed operations of the current path (a full order once `Consistent`).
    pub(crate) fn path(&self) -> &[usize] {
        &self.path
    }

    pub(crate) fn deepest(&self) -> &Deepest {
        &self.deepest
    }

    pub(crate) fn whole(&self) -> &Whole<'a, M> {
        &self.whole
    }

    /// Each client's next operation at `pos`, for the clients not finished.
    pub(crate) fn frontier<'s>(&'s self, pos: &'s [u32]) -> impl Iterator<Item = usize> + 's {
        self.programs.iter().zip(pos).filter_map(|(program, &at)| program.get(at as usize).copied())
    }

    /// Why the client's next operation cannot go next in `tuple` with clients at `pos`:
    /// `None` when it is illegal there, else the read that placing it (or, for an unknown
    /// outcome, leaving it out) would make impossible.
    pub(crate) fn starved_by(&mut self, pos: &[u32], tuple: u32, op: usize) -> Option<usize> {
        let client = self.programs.iter().position(|program| program.contains(&op))?;
        let (start, len) = self.whole.next(tuple, op);
        let next = match (len, optional(self.history, op)) {
            (0, false) => return None,
            (0, true) => tuple,
            _ => self.whole.replace(tuple, op, self.whole.target(start)),
        };
        let mut after = pos.to_vec();
        after[client] += 1;
        let part = self.whole.part_index(op);
        let left = self.whole.part(tuple, op);
        self.reads.dead(&mut self.whole, &self.programs, &after, next, part, left)
    }

    /// Searches until an order is found, none can be, or the budget runs out; steps count
    /// from `steps` (the hint's).
    pub(crate) fn run(&mut self, options: &Options, started: Instant, steps: u64) -> Progress {
        self.steps = steps;
        loop {
            if self.stack.is_empty() {
                return Progress::Violated;
            }
            if self.depth == self.total {
                return Progress::Consistent;
            }
            if let Some(why) = self.out_of_budget(options, started) {
                self.take_deepest();
                return Progress::Out(why);
            }
            self.steps += 1;
            match self.next_move() {
                Some((client, alt)) => self.try_move(client, alt),
                None => self.backtrack(),
            }
        }
    }

    fn out_of_budget(&self, options: &Options, started: Instant) -> Option<Undecided> {
        if options.max_steps.is_some_and(|max| self.steps >= max) {
            return Some(Undecided::Steps);
        }
        // The clock and the byte count are read every 1024 steps: cheap, and soon enough.
        if !self.steps.is_multiple_of(1024) {
            return None;
        }
        if options.max_time.is_some_and(|max| started.elapsed() >= max) {
            return Some(Undecided::Time);
        }
        (self.bytes() > options.max_memory).then_some(Undecided::Memory)
    }

    /// Bytes held by the memo, the model tables and the path.
    pub(crate) fn bytes(&self) -> usize {
        let entry = (self.pos.len() + 1) * 4 + 40;
        self.memo.capacity() * 9
            + self.memo.len() * entry
            + self.whole.bytes()
            + self.reads.bytes()
            + self.stack.capacity() * std::mem::size_of::<Frame>()
            + self.path.capacity() * 8
    }

    /// The client's next operation, if it has one left.
    fn next_op(&self, client: u32) -> Option<usize> {
        self.programs[client as usize].get(self.pos[client as usize] as usize).copied()
    }

    /// The order clients are tried in: by their next operation's place in the hint, then
    /// by call time, then by client.
    fn rank(&self, client: u32) -> Option<(u32, u64, u32)> {
        self.next_op(client).map(|op| (self.rank[op], self.history[op].call, client))
    }

    /// The unfinished client ranked just after `after` (the first one when `NONE`).
    fn next_client(&self, after: u32) -> u32 {
        let floor = if after == NONE { None } else { self.rank(after) };
        (0..self.programs.len() as u32)
            .filter_map(|client| self.rank(client))
            .filter(|&rank| floor.is_none_or(|floor| rank > floor))
            .min()
            .map_or(NONE, |(_, _, client)| client)
    }

    /// A read-only operation on the frontier that is legal in `tuple`, with its alternative.
    fn legal_read(&mut self, tuple: u32) -> Option<(u32, u32)> {
        for client in 0..self.programs.len() as u32 {
            let Some(op) = self.next_op(client) else { continue };
            if optional(self.history, op) || !self.whole.is_read_only(op) {
                continue;
            }
            let part = self.whole.part(tuple, op);
            let (start, len) = self.whole.next(tuple, op);
            if let Some(alt) = (0..len).find(|&i| self.whole.target(start + i) == part) {
                return Some((client, alt));
            }
        }
        None
    }

    /// How many moves the client's next operation has from `tuple`.
    fn alternatives(&mut self, tuple: u32, client: u32) -> u32 {
        let Some(op) = self.next_op(client) else { return 0 };
        let (_, len) = self.whole.next(tuple, op);
        len + u32::from(optional(self.history, op))
    }

    /// The top frame's next move, if it has one left.
    fn next_move(&mut self) -> Option<(u32, u32)> {
        let top = self.stack.len() - 1;
        let tuple = self.stack[top].tuple;
        if !self.stack[top].started {
            self.stack[top].started = true;
            if let Some((client, alt)) = self.legal_read(tuple) {
                self.stack[top].forced = true;
                return Some((client, alt));
            }
            self.stack[top].client = self.next_client(NONE);
        } else if self.stack[top].forced {
            return None;
        }
        loop {
            let Frame { client, alt, .. } = self.stack[top];
            if client == NONE {
                return None;
            }
            if alt < self.alternatives(tuple, client) {
                self.stack[top].alt += 1;
                return Some((client, alt));
            }
            self.stack[top].client = self.next_client(client);
            self.stack[top].alt = 0;
        }
    }

    /// Places (or leaves out) the client's next operation, entering the configuration it
    /// leads to unless the memo has seen it.
    fn try_move(&mut self, client: u32, alt: u32) {
        let Some(op) = self.next_op(client) else { return };
        let tuple = self.stack[self.stack.len() - 1].tuple;
        let (start, len) = self.whole.next(tuple, op);
        let (next, placed) = if alt < len {
            (self.whole.replace(tuple, op, self.whole.target(start + alt)), true)
        } else {
            (tuple, false)
        };
        self.pos[client as usize] += 1;
        self.key.clear();
        self.key.extend_from_slice(&self.pos);
        self.key.push(next);
        let part = self.whole.part_index(op);
        let left = self.whole.part(tuple, op);
        if self.memo.contains_key(self.key.as_slice())
            || self
                .reads
                .dead(&mut self.whole, &self.programs, &self.pos, next, part, left)
                .is_some()
        {
            self.pos[client as usize] -= 1;
            return;
        }
        self.memo.insert(self.key.clone().into_boxed_slice(), ());
        self.stack.push(Frame {
            tuple: next,
            via: client,
            placed,
            started: false,
            forced: false,
            client: NONE,
            alt: 0,
        });
        self.depth += 1;
        if placed {
            self.path.push(op);
        }
        if self.depth > self.best {
            self.best = self.depth;
            self.dirty = true;
        }
    }

    /// Leaves the top configuration: every move from it was tried.
    fn backtrack(&mut self) {
        self.take_deepest();
        let Some(frame) = self.stack.pop() else { return };
        if frame.via != NONE {
            self.pos[frame.via as usize] -= 1;
            self.depth -= 1;
            if frame.placed {
                self.path.pop();
            }
        }
    }

    /// Keeps the current configuration as the deepest, if the path reached a new depth since
    /// the last one was kept (then the current one is that depth: only pushes happened).
    fn take_deepest(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let tuple = self.stack.last().map_or(0, |frame| frame.tuple);
        self.deepest = Deepest { path: self.path.clone(), pos: self.pos.clone(), tuple };
    }
}

/// True when the operation's outcome is unknown: it may be placed, or left out.
fn optional<I, O>(history: &History<I, O>, op: usize) -> bool {
    matches!(history[op].outcome, Outcome::Unknown)
}
