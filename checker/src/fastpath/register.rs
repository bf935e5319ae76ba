//! Registers and compare-and-set registers whose written values are unique, decided in
//! O(n log n) by the order of their runs (Gibbons and Korach, "Testing shared memories",
//! 1997, extended to CAS chains).
//!
//! Why this is exact. Every value is written by at most one operation (the initial value by
//! none), so in any linearization the operations that observe a value sit right after its
//! writer, before the next change: the register's history is a sequence of *runs*, each a
//! write (or the initial value) followed by its reads, then the CAS that swapped it out,
//! that CAS's reads, and so on; nothing else can enter a run, because a CAS only continues
//! the run holding its expected value and anything else would change or misread it. So:
//! - a read or a CAS expecting a value nobody wrote is impossible; two CASes that both
//!   swapped the same value are a cycle (each ended the state the other observed); CASes
//!   that only feed each other, with no write at the start, are a reads-from cycle;
//! - inside a run the order is fixed up to the order of reads of one value, so the run is
//!   possible iff no operation returns before an operation of an earlier place is called;
//! - runs are contiguous, so run A must precede run B iff some member of A returned before
//!   some member of B was called: `f(A) < s(B)`, with `f` the earliest return and `s` the
//!   latest call (the initial value's run has a virtual writer at minus infinity). A shortest
//!   cycle of such edges has no chords, and a chordless cycle of three or more would make
//!   `f` strictly decrease all the way round; so a cycle exists iff two runs must each
//!   precede the other, which a sort finds.
//!
//! Unknown-outcome operations: a read nobody saw constrains nothing; a write or CAS took
//! effect iff some operation that took effect observes its value (one nobody observes can be
//! dropped from any linearization: until the next change only unknown reads and failed
//! CASes could follow it). Failed CASes observe "not the expected value"; they are left out
//! here (dropping them keeps every linearization one) and placed afterwards into the order
//! found, by `failed_cas`, which falls back to the search when it cannot.
use std::collections::HashMap;

use super::access::{Access, CasOutcome, Value, View};
use super::cycle::{Cycle, Step, Violation, Why};
use super::failed_cas;
use super::found::Found;
use super::meter::Meter;
use crate::result::Undecided;

/// No operation, in index arrays.
const NONE: usize = usize::MAX;
/// The return time of an operation whose outcome is unknown.
const NEVER: i128 = i128::MAX;
/// The call and return time of the initial value's virtual writer.
const FIRST: i128 = i128::MIN;

pub(crate) fn decide(views: &[View<'_>], meter: &mut Meter) -> Result<Found, Undecided> {
    let Some(writers) = writers(views) else { return Ok(Found::Fallback) };
    let effective = effective(views, &writers);
    let runs = match Runs::build(views, &writers, &effective, meter)? {
        Ok(runs) => runs,
        Err(violation) => return Ok(Found::Violation(violation)),
    };
    let order = match runs.order(meter)? {
        Found::Order(order) => order,
        other => return Ok(other),
    };
    match failed_cas::place(views, &order, meter)? {
        Some(order) => Ok(Found::Order(order.into_iter().map(|i| views[i].index).collect())),
        None => Ok(Found::Fallback),
    }
}

/// The operation that writes each value, or `None` when a value is written twice or the
/// initial value is written (then values do not name their writers).
fn writers(views: &[View<'_>]) -> Option<HashMap<Value, usize>> {
    let mut writers = HashMap::with_capacity(views.len());
    for (i, view) in views.iter().enumerate() {
        let value = match view.access {
            Access::Write(value) => value,
            Access::Cas { new, outcome, .. } if outcome != CasOutcome::Failed => new,
            Access::Read(_) | Access::Cas { .. } | Access::Unobserved => continue,
            Access::Append(_) | Access::ReadAppends(_) => return None,
        };
        if value == Value::Initial || writers.insert(value, i).is_some() {
            return None;
        }
    }
    Some(writers)
}

/// The value an operation observes, if it takes effect and observes one.
fn observed(view: &View<'_>) -> Option<Value> {
    match view.access {
        Access::Read(value) => Some(value),
        Access::Cas { expected, outcome, .. } if outcome != CasOutcome::Failed => Some(expected),
        _ => None,
    }
}

/// Which operations took effect: those with a known outcome (except failed CASes, placed
/// later), and unknown writes and CASes whose value an operation that took effect observes.
fn effective(views: &[View<'_>], writers: &HashMap<Value, usize>) -> Vec<bool> {
    let mut effective: Vec<bool> = views
        .iter()
        .map(|view| match view.access {
            Access::Read(_) | Access::Write(_) => view.ret.is_some(),
            Access::Cas { outcome, .. } => outcome == CasOutcome::Swapped,
            _ => false,
        })
        .collect();
    let mut pending: Vec<Value> =
        (0..views.len()).filter(|&i| effective[i]).filter_map(|i| observed(&views[i])).collect();
    while let Some(value) = pending.pop() {
        if let Some(&writer) = writers.get(&value) {
            if !effective[writer] {
                effective[writer] = true;
                pending.extend(observed(&views[writer]));
            }
        }
    }
    effective
}

/// The earliest return and latest call among some operations (a place in a run, or a run).
#[derive(Clone, Copy, Debug)]
struct Span {
    first_return: i128,
    first_returner: usize,
    last_call: i128,
    last_caller: usize,
}

impl Span {
    const EMPTY: Span =
        Span { first_return: NEVER, first_returner: NONE, last_call: FIRST, last_caller: NONE };

    fn add(&mut self, op: usize, call: i128, ret: i128) {
        if ret < self.first_return {
            (self.first_return, self.first_returner) = (ret, op);
        }
        if call > self.last_call {
            (self.last_call, self.last_caller) = (call, op);
        }
    }

    fn join(&mut self, other: &Span) {
        self.add(other.first_returner, FIRST, other.first_return);
        self.add(other.last_caller, other.last_call, NEVER);
    }
}

/// The runs of a register history: each a chain of writers (a write, or the initial value,
/// then the CASes that swapped each value out), with the reads of each value.
struct Runs<'v, 'a> {
    views: &'v [View<'a>],
    /// `views.len()`: the writer of the initial value.
    init: usize,
    /// The readers of each writer's value (writer `init` for the initial value), by call.
    reader_start: Vec<usize>,
    readers: Vec<usize>,
    /// Run `r` is `writers[run_start[r]..run_start[r + 1]]`; run 0 starts at `init`.
    run_start: Vec<usize>,
    writers: Vec<usize>,
}

impl<'v, 'a> Runs<'v, 'a> {
    fn build(
        views: &'v [View<'a>],
        writer_of: &HashMap<Value, usize>,
        effective: &[bool],
        meter: &mut Meter,
    ) -> Result<Result<Runs<'v, 'a>, Violation>, Undecided> {
        let init = views.len();
        let mut source = vec![NONE; views.len()];
        for (i, view) in views.iter().enumerate() {
            meter.tick()?;
            match observed(view).filter(|_| effective[i]) {
                None => {}
                Some(Value::Initial) => source[i] = init,
                Some(value) => match writer_of.get(&value) {
                    Some(&writer) => source[i] = writer,
                    None => return Ok(Err(Violation::ImpossibleRead { op: view.index })),
                },
            }
        }
        let mut consumer = vec![NONE; init + 1];
        for (i, view) in views.iter().enumerate() {
            if matches!(view.access, Access::Cas { .. }) && source[i] != NONE {
                let other = std::mem::replace(&mut consumer[source[i]], i);
                if other != NONE {
                    let (a, b) = (views[other].index, view.index);
                    return Ok(Err(Violation::Cycle(Cycle::new(vec![
                        Step { from: a, to: b, why: Why::Overwrites },
                        Step { from: b, to: a, why: Why::Overwrites },
                    ]))));
                }
            }
        }
        let (reader_start, readers) = readers(views, &source);
        let mut runs =
            Runs { views, init, reader_start, readers, run_start: Vec::new(), writers: Vec::new() };
        let roots = std::iter::once(init).chain(
            (0..init).filter(|&i| effective[i] && matches!(views[i].access, Access::Write(_))),
        );
        for root in roots {
            meter.tick()?;
            runs.run_start.push(runs.writers.len());
            let mut writer = root;
            while writer != NONE {
                runs.writers.push(writer);
                writer = consumer[writer];
            }
        }
        runs.run_start.push(runs.writers.len());
        if let Some(violation) = runs.unrooted(&source, effective) {
            return Ok(Err(violation));
        }
        Ok(Ok(runs))
    }

    /// A CAS that took effect but is in no run only feeds, and is fed by, other such CASes:
    /// following what each observed leads round a reads-from cycle.
    fn unrooted(&self, source: &[usize], effective: &[bool]) -> Option<Violation> {
        let mut in_run = vec![false; self.init + 1];
        for &writer in &self.writers {
            in_run[writer] = true;
        }
        let start = (0..self.init).find(|&i| {
            effective[i] && !in_run[i] && matches!(self.views[i].access, Access::Cas { .. })
        })?;
        let mut seen = vec![start];
        let mut at = source[start];
        while !seen.contains(&at) {
            seen.push(at);
            at = source[at];
        }
        let from = seen.iter().position(|&op| op == at).unwrap_or(0);
        let mut ring: Vec<usize> = seen[from..].iter().map(|&i| self.views[i].index).collect();
        ring.reverse();
        let steps = (0..ring.len())
            .map(|k| Step { from: ring[k], to: ring[(k + 1) % ring.len()], why: Why::ReadsFrom })
            .collect();
        Some(Violation::Cycle(Cycle::new(steps)))
    }

    fn call(&self, op: usize) -> i128 {
        if op == self.init {
            FIRST
        } else {
            i128::from(self.views[op].call)
        }
    }

    fn ret(&self, op: usize) -> i128 {
        if op == self.init {
            FIRST
        } else {
            self.views[op].ret.map_or(NEVER, i128::from)
        }
    }

    fn run(&self, run: usize) -> &[usize] {
        &self.writers[self.run_start[run]..self.run_start[run + 1]]
    }

    fn readers_of(&self, writer: usize) -> &[usize] {
        &self.readers[self.reader_start[writer]..self.reader_start[writer + 1]]
    }

    /// Places `2a` (the `a`th writer) and `2a + 1` (its readers) of a run, in order.
    fn place<'s>(&'s self, writers: &'s [usize], place: usize) -> &'s [usize] {
        let writer = &writers[place / 2];
        match (place % 2, *writer == self.init) {
            (0, true) => &[],
            (0, false) => std::slice::from_ref(writer),
            _ => self.readers_of(*writer),
        }
    }

    fn span(&self, ops: &[usize]) -> Span {
        let mut span = Span::EMPTY;
        for &op in ops {
            span.add(op, self.call(op), self.ret(op));
        }
        span
    }

    /// The span of a run, or why its fixed inner order breaks real time: an operation that
    /// returned before one of an earlier place was called.
    fn check_run(
        &self,
        writers: &[usize],
        meter: &mut Meter,
    ) -> Result<Result<Span, Violation>, Undecided> {
        let places: Vec<Span> =
            (0..2 * writers.len()).map(|place| self.span(self.place(writers, place))).collect();
        let mut whole = Span::EMPTY;
        if writers[0] == self.init {
            whole.add(self.init, FIRST, FIRST);
        }
        let mut first_return_after = NEVER;
        for (j, span) in places.iter().enumerate().rev() {
            meter.tick()?;
            if first_return_after < span.last_call {
                let i = (j + 1..places.len())
                    .find(|&i| places[i].first_return < span.last_call)
                    .expect("some later place returns first");
                let (y, x) = (span.last_caller, places[i].first_returner);
                return Ok(Err(self.inner_cycle(writers, (j, y), (i, x))));
            }
            first_return_after = first_return_after.min(span.first_return);
            whole.join(span);
        }
        Ok(Ok(whole))
    }

    /// `y` at place `j` must precede `x` at the later place `i` (by the chain of writers
    /// between them), but `x` returned before `y` was called.
    fn inner_cycle(
        &self,
        writers: &[usize],
        (j, y): (usize, usize),
        (i, x): (usize, usize),
    ) -> Violation {
        let index = |op: usize| self.views[op].index;
        let mut steps = Vec::new();
        let (mut at, mut place) = (y, j);
        if place % 2 == 1 {
            let next = writers[place / 2 + 1];
            steps.push(Step { from: index(at), to: index(next), why: Why::Overwrites });
            (at, place) = (next, place + 1);
        }
        while place + 2 <= i {
            let next = writers[place / 2 + 1];
            steps.push(Step { from: index(at), to: index(next), why: Why::ReadsFrom });
            (at, place) = (next, place + 2);
        }
        if place < i {
            steps.push(Step { from: index(at), to: index(x), why: Why::ReadsFrom });
        }
        let why = Why::RealTime { returned: self.ret(x) as u64, called: self.views[y].call };
        steps.push(Step { from: index(x), to: index(y), why });
        Violation::Cycle(Cycle::new(steps))
    }

    /// A linearization (local indices), or why none exists.
    fn order(&self, meter: &mut Meter) -> Result<Found, Undecided> {
        let runs = self.run_start.len() - 1;
        let mut spans = Vec::with_capacity(runs);
        for run in 0..runs {
            match self.check_run(self.run(run), meter)? {
                Ok(span) => spans.push(span),
                Err(violation) => return Ok(Found::Violation(violation)),
            }
        }
        meter.check_time()?;
        if let Some((a, b)) = mutual_pair(&spans) {
            return Ok(Found::Violation(self.pair_cycle(&spans, a, b)));
        }
        // Without two runs each forced before the other there is no cycle, so this finds
        // an order; were that ever wrong, the search would decide.
        let Some(by_deadline) = earliest_deadline_first(&spans) else {
            return Ok(Found::Fallback);
        };
        let mut order = Vec::with_capacity(self.views.len());
        for run in by_deadline {
            let writers = self.run(run);
            for place in 0..2 * writers.len() {
                meter.tick()?;
                order.extend_from_slice(self.place(writers, place));
            }
        }
        Ok(Found::Order(order))
    }

    /// Runs `a` and `b` must each precede the other: the cycle through the witnesses.
    fn pair_cycle(&self, spans: &[Span], a: usize, b: usize) -> Violation {
        let (a, b) = if b == 0 { (b, a) } else { (a, b) };
        let index = |op: usize| self.views[op].index;
        let step =
            |from: usize, to: usize, why: Why| Step { from: index(from), to: index(to), why };
        let real_time = |from: usize, to: usize| {
            let why =
                Why::RealTime { returned: self.ret(from) as u64, called: self.views[to].call };
            step(from, to, why)
        };
        let (b_first, a_last) = (spans[b].first_returner, spans[a].last_caller);
        let mut steps = vec![real_time(b_first, a_last)];
        if a == 0 {
            let root = self.run(b)[0];
            steps.push(step(a_last, root, Why::InitialRun));
            if root != b_first {
                steps.push(step(root, b_first, Why::SameRun));
            }
        } else {
            let (a_first, b_last) = (spans[a].first_returner, spans[b].last_caller);
            if a_last != a_first {
                steps.push(step(a_last, a_first, Why::SameRun));
            }
            steps.push(real_time(a_first, b_last));
            if b_last != b_first {
                steps.push(step(b_last, b_first, Why::SameRun));
            }
        }
        Violation::Cycle(Cycle::new(steps))
    }
}

/// The reads of each writer's value (`source`), grouped by writer and sorted by call time:
/// offsets into one array.
fn readers(views: &[View<'_>], source: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let is_read = |i: usize| source[i] != NONE && matches!(views[i].access, Access::Read(_));
    let mut start = vec![0usize; views.len() + 3];
    for i in (0..views.len()).filter(|&i| is_read(i)) {
        start[source[i] + 2] += 1;
    }
    for k in 2..start.len() {
        start[k] += start[k - 1];
    }
    let mut readers = vec![NONE; start[start.len() - 1]];
    for i in (0..views.len()).filter(|&i| is_read(i)) {
        let slot = &mut start[source[i] + 1];
        readers[*slot] = i;
        *slot += 1;
    }
    start.pop();
    for writer in 0..start.len() - 1 {
        readers[start[writer]..start[writer + 1]].sort_by_key(|&i| (views[i].call, i));
    }
    (start, readers)
}

/// A topological order of the runs (run `a` before run `b` wherever `f(a) < s(b)`) that,
/// among the runs free to go next, takes the one with the earliest first return: Kahn's
/// algorithm with the edges left implicit. That keeps the order close to real time, which
/// is what gives failed CASes room (`failed_cas`). `None` if the runs have a cycle.
///
/// Run `b` is free once every other unplaced run `a` has `f(a) >= s(b)`: once `s(b)` is at
/// most the least `f` among unplaced runs, or, for the run holding that least `f`, the
/// second least. Placing runs only raises those, so a free run stays free.
fn earliest_deadline_first(spans: &[Span]) -> Option<Vec<usize>> {
    let mut by_first_return: Vec<usize> = (0..spans.len()).collect();
    by_first_return.sort_by_key(|&run| (spans[run].first_return, run));
    let mut by_last_call: Vec<usize> = (0..spans.len()).collect();
    by_last_call.sort_by_key(|&run| (spans[run].last_call, run));
    let mut unplaced = Unplaced::new(spans.len());
    let mut placed = vec![false; spans.len()];
    let mut free = std::collections::BinaryHeap::new();
    let mut next_by_call = 0;
    let mut order = Vec::with_capacity(spans.len());
    while let Some(first) = unplaced.first() {
        let least = spans[by_first_return[first]].first_return;
        while next_by_call < spans.len() && spans[by_last_call[next_by_call]].last_call <= least {
            let run = by_last_call[next_by_call];
            free.push(std::cmp::Reverse((spans[run].first_return, run)));
            next_by_call += 1;
        }
        let holder = by_first_return[first];
        let second =
            unplaced.after(first).map_or(NEVER, |k| spans[by_first_return[k]].first_return);
        if spans[holder].last_call <= second {
            free.push(std::cmp::Reverse((spans[holder].first_return, holder)));
        }
        let run = loop {
            let std::cmp::Reverse((_, run)) = free.pop()?;
            if !placed[run] {
                break run;
            }
        };
        placed[run] = true;
        unplaced.remove(rank_of(&by_first_return, spans, run));
        order.push(run);
    }
    Some(order)
}

/// The position of `run` in `by_first_return`.
fn rank_of(by_first_return: &[usize], spans: &[Span], run: usize) -> usize {
    by_first_return.partition_point(|&other| {
        (spans[other].first_return, other) < (spans[run].first_return, run)
    })
}

/// Positions `0..len` not yet removed, with the first one and the one after a given one in
/// near-constant time (a union-find that points each removed position to its successor).
struct Unplaced {
    next: Vec<usize>,
}

impl Unplaced {
    fn new(len: usize) -> Unplaced {
        Unplaced { next: (0..=len).collect() }
    }

    /// The first position at or after `k` not removed (`len` if none).
    fn find(&mut self, mut k: usize) -> usize {
        let mut root = k;
        while self.next[root] != root {
            root = self.next[root];
        }
        while self.next[k] != root {
            (self.next[k], k) = (root, self.next[k]);
        }
        root
    }

    fn first(&mut self) -> Option<usize> {
        let k = self.find(0);
        (k < self.next.len() - 1).then_some(k)
    }

    fn after(&mut self, k: usize) -> Option<usize> {
        let k = self.find(k + 1);
        (k < self.next.len() - 1).then_some(k)
    }

    fn remove(&mut self, k: usize) {
        self.next[k] = k + 1;
    }
}

/// Two runs each of which must precede the other (`f(A) < s(B)` and `f(B) < s(A)`), if any.
fn mutual_pair(spans: &[Span]) -> Option<(usize, usize)> {
    let mut by_first_return: Vec<usize> = (0..spans.len()).collect();
    by_first_return.sort_by_key(|&run| (spans[run].first_return, run));
    // The two runs with the latest calls among the first k by first return.
    let mut best = Vec::with_capacity(spans.len());
    let (mut first, mut second) = (NONE, NONE);
    let later = |x: usize, y: usize| y == NONE || spans[x].last_call > spans[y].last_call;
    for &run in &by_first_return {
        if later(run, first) {
            (first, second) = (run, first);
        } else if later(run, second) {
            second = run;
        }
        best.push((first, second));
    }
    (0..spans.len()).find_map(|b| {
        let count =
            by_first_return.partition_point(|&run| spans[run].first_return < spans[b].last_call);
        let (first, second) = *best.get(count.checked_sub(1)?)?;
        let a = if first != b { first } else { second };
        (a != NONE && spans[a].last_call > spans[b].first_return).then_some((a, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(first_return: i128, last_call: i128) -> Span {
        Span { first_return, first_returner: 0, last_call, last_caller: 0 }
    }

    /// The edge relation of runs, by brute force.
    fn has_cycle(spans: &[Span]) -> bool {
        let n = spans.len();
        let mut reach: Vec<Vec<bool>> = (0..n)
            .map(|a| (0..n).map(|b| a != b && spans[a].first_return < spans[b].last_call).collect())
            .collect();
        for k in 0..n {
            for a in 0..n {
                for b in 0..n {
                    reach[a][b] |= reach[a][k] && reach[k][b];
                }
            }
        }
        (0..n).any(|a| reach[a][a])
    }

    #[test]
    fn runs_have_a_cycle_iff_two_of_them_do() {
        let mut seed = 7u64;
        let mut next = |limit: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % limit) as i128
        };
        for _ in 0..3000 {
            let n = 1 + next(6) as usize;
            let spans: Vec<Span> = (0..n).map(|_| span(next(20), next(20))).collect();
            assert_eq!(mutual_pair(&spans).is_some(), has_cycle(&spans), "{spans:?}");
            if let Some(order) = earliest_deadline_first(&spans) {
                for (p, &a) in order.iter().enumerate() {
                    for &b in &order[p + 1..] {
                        assert!(spans[b].first_return >= spans[a].last_call, "{spans:?} {order:?}");
                    }
                }
            } else {
                assert!(has_cycle(&spans));
            }
        }
    }

    #[test]
    fn a_backward_zone_inside_a_forward_zone_is_a_mutual_pair() {
        // Run 0 spans 1..10 (forward); run 1's members all overlap around 5.
        assert_eq!(mutual_pair(&[span(1, 10), span(6, 4)]), Some((1, 0)));
        assert_eq!(mutual_pair(&[span(1, 10), span(12, 11)]), None);
    }

    #[test]
    fn readers_are_grouped_by_writer_and_sorted_by_call() {
        let view =
            |call| View { index: 0, access: Access::Read(Value::Initial), call, ret: Some(call) };
        let views = [view(5), view(1), view(3), view(2)];
        let (start, readers) = readers(&views, &[4, 4, NONE, 0]);
        assert_eq!(start, vec![0, 1, 1, 1, 1, 3]);
        assert_eq!(readers, vec![3, 1, 0]);
    }
}
