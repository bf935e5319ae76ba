//! The search over one partition, segment by segment: a long history is cut where nothing
//! is pending (`cuts`), and the search goes through the chunks one after another, keeping
//! only configurations at the cuts: a model state and the unknown-outcome operations left
//! out (they may still take effect later). Memory holds one chunk's search, the frontier,
//! and the path that rebuilds a witness: a few bytes per operation, not the O(length) bits
//! per memo entry of one search over everything.
//!
//! Optimistically, each chunk is searched from the one configuration the chunk before ended
//! in, and the first end found is carried on. When a chunk fails from it, that says nothing
//! yet: another linearization of the chunks before might have ended elsewhere. So the search
//! recovers: it goes back `width` chunks on the path, and searches forward from there for
//! every end (`Mode::EveryEnd`) with frontiers of configurations that are the starts of one
//! search sharing one memo, up to the failed chunk. If that chunk now linearizes, the
//! optimistic walk goes on from it; if not, the width doubles, and past `WIDEST` chunks the
//! recovery starts from the very beginning. That one explores every configuration at every
//! cut, so its failure proves the partition is not linearizable. A linearizable history thus
//! costs one pass of first linearizations; a violation at chunk k costs one exhaustive pass
//! over the chunks before it, and a few short ones.
//!
//! When a frontier grows past `MAX_FRONTIER` configurations (many unknown-outcome writes
//! carried along, each in or out), chunking costs more than it saves, and the partition is
//! searched again as a whole.
use std::collections::HashSet;

use super::cuts::chunk_starts;
use super::entries::searched_in_call_order;
use super::linearize::{End, Mode, Progress, Search, Start};
use crate::history::History;
use crate::model::Model;

/// Operations a chunk holds at least (except the last): enough that setting up a search is
/// cheap beside running it, few enough that a chunk's memo stays small.
const CHUNK_OPS: usize = 256;
/// The most chunks a recovery looks back before it starts from the very beginning.
const WIDEST: usize = 64;
/// The most configurations a frontier may hold before the partition is searched whole.
const MAX_FRONTIER: usize = 256;

/// One configuration at the start of a chunk.
#[derive(Clone)]
struct Config<S> {
    state: S,
    /// Unknown-outcome operations that have not taken effect yet (history indices,
    /// ascending).
    left_out: Vec<usize>,
    /// Its node in `trail` (how it was reached), or `ROOT`.
    trail: usize,
}

/// A linearization's steps through the chunks, shared between the configurations that
/// continue it: each node is one chunk's order after its parent's.
struct TrailNode {
    parent: usize,
    order: Vec<usize>,
}

const ROOT: usize = usize::MAX;

/// Where a failed search got furthest: its longest linearized prefix and what blocked it.
struct Witness {
    prefix: Vec<usize>,
    blocked: Option<usize>,
}

/// How the current chunk is searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// From the one configuration on the path.
    Optimistic,
    /// From every end reachable from `path[from]`, on the way to chunk `target`, which
    /// failed optimistically.
    Recovering { from: usize, target: usize, width: usize },
    /// The whole partition at once (the frontier grew too large).
    Whole,
}

pub(crate) struct Segmented<'h, M: Model> {
    model: &'h M,
    history: &'h History<M::Input, M::Output>,
    /// The partition's operations in call order (unknown-outcome reads left out: they
    /// constrain nothing), and where each chunk starts in it.
    order: Vec<usize>,
    starts: Vec<usize>,
    chunk: usize,
    phase: Phase,
    /// A configuration at the start of each chunk reached so far, each reachable from the
    /// one before: where recoveries start from.
    path: Vec<Config<M::State>>,
    /// The starts of a recovering search.
    frontier: Vec<Config<M::State>>,
    current: Option<Search<'h, M>>,
    trail: Vec<TrailNode>,
    trail_bytes: usize,
    witness: Option<Witness>,
    /// Steps of the searches already finished.
    steps_done: u64,
    outcome: Progress,
}

impl<'h, M: Model> Segmented<'h, M> {
    pub(crate) fn new(
        model: &'h M,
        history: &'h History<M::Input, M::Output>,
        partition: &[usize],
    ) -> Segmented<'h, M> {
        Segmented::with_chunks(model, history, partition, CHUNK_OPS)
    }

    /// `new` with chunks of at least `chunk_ops` operations (tests cut finer).
    pub(crate) fn with_chunks(
        model: &'h M,
        history: &'h History<M::Input, M::Output>,
        partition: &[usize],
        chunk_ops: usize,
    ) -> Segmented<'h, M> {
        let order = searched_in_call_order(model, history, partition);
        let starts = chunk_starts(history, &order, chunk_ops);
        let init = Config { state: model.init(), left_out: Vec::new(), trail: ROOT };
        Segmented {
            model,
            history,
            order,
            starts,
            chunk: 0,
            phase: Phase::Optimistic,
            path: vec![init],
            frontier: Vec::new(),
            current: None,
            trail: Vec::new(),
            trail_bytes: 0,
            witness: None,
            steps_done: 0,
            outcome: Progress::Paused,
        }
    }

    fn is_last_chunk(&self) -> bool {
        self.chunk + 2 >= self.starts.len()
    }

    /// Runs up to `max_steps` more steps.
    pub(crate) fn run(&mut self, max_steps: u64) -> Progress {
        let mut left = max_steps;
        while self.outcome == Progress::Paused && left > 0 {
            if self.current.is_none() {
                self.current = Some(self.start_search());
            }
            let Some(search) = self.current.as_mut() else { break };
            let before = search.steps();
            let progress = search.run(left);
            left = left.saturating_sub(search.steps() - before);
            if progress != Progress::Paused {
                self.finish_search(progress);
            }
        }
        self.outcome
    }

    /// The configurations the current search starts from.
    fn start_configs(&self) -> &[Config<M::State>] {
        match self.phase {
            Phase::Optimistic => std::slice::from_ref(&self.path[self.chunk]),
            Phase::Recovering { .. } => &self.frontier,
            Phase::Whole => std::slice::from_ref(&self.path[0]),
        }
    }

    /// The search of the current chunk from its start configurations.
    fn start_search(&self) -> Search<'h, M> {
        let configs = self.start_configs();
        let chunk = match self.phase {
            Phase::Whole => &self.order[..],
            _ => &self.order[self.starts[self.chunk]..self.starts[self.chunk + 1]],
        };
        // Every configuration's left-out operations join the chunk; those a configuration
        // did not leave out are done before its start.
        let mut carried: Vec<usize> =
            configs.iter().flat_map(|config| config.left_out.iter().copied()).collect();
        carried.sort_unstable();
        carried.dedup();
        let starts = configs.iter().map(|config| {
            let done = carried.iter().copied();
            let done = done.filter(|op| config.left_out.binary_search(op).is_err());
            Start { state: config.state.clone(), done: done.collect() }
        });
        let ops: Vec<usize> = carried.iter().chain(chunk).copied().collect();
        let mode = match self.phase {
            Phase::Recovering { target, .. } if self.chunk < target => Mode::EveryEnd,
            _ => Mode::FirstLinearization,
        };
        Search::new(self.model, self.history, &ops, starts.collect(), mode)
    }

    /// The trail node of the configuration a search's start stands for.
    fn start_trail(&self, start: usize) -> usize {
        self.start_configs().get(start).map_or(ROOT, |config| config.trail)
    }

    fn finish_search(&mut self, progress: Progress) {
        let Some(mut search) = self.current.take() else { return };
        self.steps_done += search.steps();
        match (progress, self.phase) {
            (Progress::Linearizable, _) => {
                let end = search.end_here();
                let config = self.config_after(end);
                if self.phase == Phase::Whole || self.is_last_chunk() {
                    self.outcome = Progress::Linearizable;
                    return;
                }
                self.path.truncate(self.chunk + 1);
                self.path.push(config);
                self.phase = Phase::Optimistic;
                self.chunk += 1;
            }
            (_, Phase::Recovering { from, target, width }) if self.chunk < target => {
                let ends = search.take_ends();
                if ends.is_empty() {
                    self.fail(&search, from, target, width);
                    return;
                }
                self.frontier = self.frontier_of(ends);
                if self.phase != Phase::Whole {
                    self.chunk += 1;
                }
            }
            (_, Phase::Recovering { from, target, width }) => {
                self.fail(&search, from, target, width)
            }
            (_, Phase::Optimistic) => self.fail(&search, self.chunk, self.chunk, 0),
            (_, Phase::Whole) => self.fail(&search, 0, 0, 0),
        }
    }

    /// A search that found nothing: a recovery from `from` toward `target` (or an optimistic
    /// search of `target`, width 0) failed. From the start it is a proof; else look further
    /// back.
    fn fail(&mut self, search: &Search<'h, M>, from: usize, target: usize, width: usize) {
        if from == 0 || self.phase == Phase::Whole {
            let mut prefix = self.trail_order(self.start_trail(search.prefix_start()));
            prefix.extend(search.longest_prefix());
            self.witness = Some(Witness { prefix, blocked: search.blocked() });
            self.outcome = Progress::NotLinearizable;
            return;
        }
        let width = (width * 2).max(1);
        // A choice that went wrong further back than `WIDEST` chunks is rare; a violation
        // is not. Past it, go straight to the pass from the start that proves one, instead
        // of doubling on: that halves the cost of a violation found late in a long history.
        let from = if width > WIDEST { 0 } else { target.saturating_sub(width) };
        self.phase = Phase::Recovering { from, target, width };
        self.chunk = from;
        self.frontier = vec![self.path[from].clone()];
    }

    /// The next frontier: the distinct ends, each a configuration continuing the trail of
    /// the start it came from. Too many, and the partition is searched whole instead.
    fn frontier_of(&mut self, ends: Vec<End<M::State>>) -> Vec<Config<M::State>> {
        let mut seen = HashSet::new();
        let mut next = Vec::new();
        for end in ends {
            if !seen.insert((end.state.clone(), end.left_out.clone())) {
                continue;
            }
            if next.len() >= MAX_FRONTIER {
                self.phase = Phase::Whole;
                self.chunk = 0;
                self.trail.clear();
                self.trail_bytes = 0;
                return Vec::new();
            }
            next.push(self.config_after(end));
        }
        next
    }

    /// The configuration an end reaches, its trail continuing its start's.
    fn config_after(&mut self, end: End<M::State>) -> Config<M::State> {
        let parent = self.start_trail(end.start);
        let trail = self.push_trail(parent, end.order);
        Config { state: end.state, left_out: end.left_out, trail }
    }

    fn push_trail(&mut self, parent: usize, order: Vec<usize>) -> usize {
        self.trail_bytes += order.capacity() * 8 + std::mem::size_of::<TrailNode>();
        self.trail.push(TrailNode { parent, order });
        self.trail.len() - 1
    }

    /// The operations linearized on the way to trail node `node`, in order.
    fn trail_order(&self, mut node: usize) -> Vec<usize> {
        let mut parts = Vec::new();
        while node != ROOT {
            parts.push(&self.trail[node].order);
            node = self.trail[node].parent;
        }
        parts.into_iter().rev().flatten().copied().collect()
    }

    pub(crate) fn steps(&self) -> u64 {
        self.steps_done + self.current.as_ref().map_or(0, Search::steps)
    }

    pub(crate) fn ops(&self) -> usize {
        self.order.len()
    }

    /// Bytes held: the running search, the path, the frontier and the trail.
    pub(crate) fn bytes(&self) -> usize {
        let config_bytes = |config: &Config<M::State>| {
            2 * (self.model.state_size(&config.state) + config.left_out.capacity() * 8) + 48
        };
        self.current.as_ref().map_or(0, Search::bytes)
            + self.path.iter().chain(&self.frontier).map(config_bytes).sum::<usize>()
            + self.trail_bytes
            + self.order.capacity() * 8
    }

    /// The witness prefix, as history indices: the full linearization once linearizable.
    pub(crate) fn longest_prefix(&self) -> Vec<usize> {
        match (self.outcome, &self.current, &self.witness) {
            (Progress::Linearizable, _, _) => self.trail_order(self.trail.len() - 1),
            (_, _, Some(witness)) => witness.prefix.clone(),
            (_, Some(search), None) => {
                let mut prefix = self.trail_order(self.start_trail(search.prefix_start()));
                prefix.extend(search.longest_prefix());
                prefix
            }
            (_, None, None) => Vec::new(),
        }
    }

    /// The operation that could not be placed after the longest prefix, as a history index.
    pub(crate) fn blocked(&self) -> Option<usize> {
        self.witness.as_ref().and_then(|witness| witness.blocked)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Segmented;
    use crate::history::{ClientId, History, Operation, Outcome};
    use crate::model::{Model, Next};
    use crate::models::{CasInput, CasOutput, CasRegister};
    use crate::search::linearize::Progress;

    /// A random cas-register history, spread out in time so that it has cuts: (call,
    /// duration, operation, value, outcome unknown) per operation, outputs as random as the
    /// values (so many histories are not linearizable).
    fn history(raw: &[(u64, u64, u8, u8, bool)]) -> History<CasInput, CasOutput> {
        raw.iter()
            .enumerate()
            .map(|(client, &(call, duration, which, value, unknown))| {
                let value = i64::from(value);
                let (input, output) = match which % 3 {
                    0 => (CasInput::Read, CasOutput::Read((value > 0).then_some(value))),
                    1 => (CasInput::Write(value), CasOutput::Ok),
                    _ => {
                        let output = if value % 2 == 0 { CasOutput::Ok } else { CasOutput::Failed };
                        (CasInput::Cas { expected: value / 2, new: value }, output)
                    }
                };
                let outcome = if unknown {
                    Outcome::Unknown
                } else {
                    Outcome::Returned { at: call + duration, output }
                };
                Operation { client: ClientId(client as u64), input, call, outcome, line: 0 }
            })
            .collect()
    }

    /// Runs a search to the end.
    fn verdict(search: &mut Segmented<'_, CasRegister>) -> Progress {
        loop {
            let progress = search.run(1000);
            if progress != Progress::Paused {
                return progress;
            }
        }
    }

    /// The witness of a linearizable partition is a linearization: legal model steps, every
    /// known operation once, and no operation before one that returned before its call.
    fn assert_linearization(history: &History<CasInput, CasOutput>, order: &[usize]) {
        let model = CasRegister::new(None);
        let mut state = model.init();
        for (position, &index) in order.iter().enumerate() {
            let op = &history[index];
            let next = match &op.outcome {
                Outcome::Returned { output, .. } => model.step(&state, &op.input, output),
                Outcome::Unknown => model.step_unknown(&state, &op.input),
            };
            let Next::One(after) = next else { panic!("step {position} ({index}) is illegal") };
            state = after;
            for &later in &order[position + 1..] {
                let returned = history[later].return_time().is_some_and(|at| at < op.call);
                assert!(!returned, "{later} returned before {index} was called, yet comes after");
            }
        }
        for (index, op) in history.iter().enumerate() {
            if op.return_time().is_some() {
                assert!(order.contains(&index), "known operation {index} is missing");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Cutting at every cut gives the verdict of one search over the whole partition,
        /// with unknown outcomes carried across the cuts.
        #[test]
        fn chunks_agree_with_the_whole_search(
            raw in prop::collection::vec((0..60u64, 0..6u64, 0..3u8, 0..4u8, prop::bool::weighted(0.15)), 1..14)
        ) {
            let history = history(&raw);
            let model = CasRegister::new(None);
            let all: Vec<usize> = (0..history.len()).collect();
            let mut chunked = Segmented::with_chunks(&model, &history, &all, 1);
            let mut whole = Segmented::with_chunks(&model, &history, &all, usize::MAX);
            let (chunked_verdict, whole_verdict) = (verdict(&mut chunked), verdict(&mut whole));
            prop_assert_eq!(chunked_verdict, whole_verdict);
            if chunked_verdict == Progress::Linearizable {
                assert_linearization(&history, &chunked.longest_prefix());
            }
        }
    }
}
