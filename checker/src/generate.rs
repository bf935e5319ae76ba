//! Seeded register and cas-register histories of any length, linearizable by construction (or
//! with one stale read near the end), for benchmarks and tests of the checker.
//!
//! One atomic register is simulated. Closed-loop clients each call an operation, which takes
//! 1 to 20 ticks and takes effect at a *linearization point* inside its interval, then think
//! for 0 to 30 ticks before the next call; so quiescent moments happen now and then, not
//! always. Points are applied in time order, and reads and CASes answer with the register's
//! value at their point: that order is a linearization, so the history is linearizable. An
//! operation whose outcome is unknown (a crashed client) took effect at its point or never,
//! and its client comes back under a fresh id, as a Jepsen process does.
//!
//! With `violation_near_end`, one read in the last 1% of calls is changed to return a value
//! that no linearization can give it: some operation W set the register to another value and
//! returned before the read was called, and no operation that writes the read value can be
//! linearized between W and the end of the read. (When no read qualifies, as with a few
//! repeated values and many unknown outcomes, the read returns a value nothing ever wrote.)
//!
//! Randomness is a splitmix64 stream from the seed, written here so the checker needs no
//! random crate: the same shape gives the same history on every machine.
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use crate::history::{ClientId, History, Operation, Outcome};
use crate::models::{CasInput, CasOutput, RegisterInput, RegisterOutput};

/// Longest operation, in ticks (an operation takes 1 to this).
const MAX_DURATION: u64 = 20;
/// Longest think time between a client's return and its next call, in ticks.
const MAX_THINK: u64 = 30;
/// Repeated values are drawn from 1 to this.
const REPEATED_VALUES: i64 = 5;
/// A value no operation writes (written values are positive), for the fallback violation.
const NEVER_WRITTEN: i64 = -1;
/// Reads near the end tried as the stale read before falling back to a never-written value.
const STALE_TRIES: usize = 64;
/// Earlier writes looked at for a stale value, per read tried.
const STALE_LOOKBACK: usize = 1_000;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Operations in all.
    pub ops: usize,
    /// Clients issuing operations concurrently (at least 1; 1 gives a sequential history).
    pub clients: usize,
    pub seed: u64,
    /// Every write (and CAS) writes a fresh value; otherwise values come from a small set.
    pub unique_values: bool,
    /// One read in the last 1% returns a stale value, so the history is not linearizable.
    pub violation_near_end: bool,
    /// The fraction of operations whose outcome is unknown (0.001: one in a thousand).
    pub unknown_outcomes: f64,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            ops: 1_000,
            clients: 5,
            seed: 0,
            unique_values: false,
            violation_near_end: false,
            unknown_outcomes: 0.0,
        }
    }
}

/// A read/write register history (model `register`, starting empty).
pub fn register(shape: &Shape) -> History<RegisterInput, RegisterOutput> {
    simulate(shape, false).iter().map(|op| op.to_register()).collect()
}

/// A read/write/compare-and-set history (model `cas-register`, starting empty).
pub fn cas_register(shape: &Shape) -> History<CasInput, CasOutput> {
    simulate(shape, true).iter().map(|op| op.to_cas()).collect()
}

/// splitmix64 (Steele, Lea and Flood): tiny, fast, and good enough for workloads.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift; its bias is far below what matters here.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Read,
    Write(i64),
    Cas { expected: i64, new: i64 },
}

/// One simulated operation: its times, and what the register answered at its point.
#[derive(Clone, Debug)]
struct Planned {
    client: u64,
    kind: Kind,
    call: u64,
    point: u64,
    ret: u64,
    /// False: the outcome is unknown (the client crashed or timed out).
    returned: bool,
    /// Whether it took effect at its point (always, when it returned).
    took_effect: bool,
    read: Option<i64>,
    swapped: bool,
}

impl Planned {
    fn outcome<O>(&self, output: O) -> Outcome<O> {
        match self.returned {
            true => Outcome::Returned { at: self.ret, output },
            false => Outcome::Unknown,
        }
    }

    fn to_register(&self) -> Operation<RegisterInput, RegisterOutput> {
        let (input, output) = match self.kind {
            Kind::Read => (RegisterInput::Read, RegisterOutput::Read(self.read)),
            Kind::Write(value) => (RegisterInput::Write(value), RegisterOutput::Written),
            Kind::Cas { .. } => unreachable!("a register history has no CAS"),
        };
        let outcome = self.outcome(output);
        Operation { client: ClientId(self.client), input, call: self.call, outcome, line: 0 }
    }

    fn to_cas(&self) -> Operation<CasInput, CasOutput> {
        let (input, output) = match self.kind {
            Kind::Read => (CasInput::Read, CasOutput::Read(self.read)),
            Kind::Write(value) => (CasInput::Write(value), CasOutput::Ok),
            Kind::Cas { expected, new } => {
                let output = if self.swapped { CasOutput::Ok } else { CasOutput::Failed };
                (CasInput::Cas { expected, new }, output)
            }
        };
        let outcome = self.outcome(output);
        Operation { client: ClientId(self.client), input, call: self.call, outcome, line: 0 }
    }

    /// The value it certainly wrote: a returned write or successful CAS.
    fn wrote(&self) -> Option<i64> {
        match self.kind {
            Kind::Write(value) if self.returned => Some(value),
            Kind::Cas { new, .. } if self.returned && self.swapped => Some(new),
            _ => None,
        }
    }

    /// The value it may have written, as the checker sees it (an unknown CAS may have swapped).
    fn may_write(&self) -> Option<i64> {
        match self.kind {
            Kind::Read => None,
            Kind::Write(value) => Some(value),
            Kind::Cas { new, .. } => (!self.returned || self.swapped).then_some(new),
        }
    }
}

/// The register and the workload's state while operations are planned and applied.
struct Simulation<'a> {
    shape: &'a Shape,
    with_cas: bool,
    rng: SplitMix64,
    value: Option<i64>,
    /// The value before the last change, which a stale CAS expects.
    previous: Option<i64>,
    next_unique: i64,
    next_client: u64,
}

/// The operations, in call order, with their answers.
fn simulate(shape: &Shape, with_cas: bool) -> Vec<Planned> {
    let clients = shape.clients.max(1);
    let mut sim = Simulation {
        shape,
        with_cas,
        rng: SplitMix64(shape.seed),
        value: None,
        previous: None,
        next_unique: 1,
        next_client: clients as u64,
    };
    let mut ops: Vec<Planned> = Vec::with_capacity(shape.ops);
    // Each client slot's next call time and current id; and the points not yet applied.
    let mut idle: BinaryHeap<Reverse<(u64, usize, u64)>> = BinaryHeap::new();
    for slot in 0..clients {
        let first = sim.rng.below(MAX_THINK + 1);
        idle.push(Reverse((first, slot, slot as u64)));
    }
    let mut points: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    while ops.len() < shape.ops {
        let Some(Reverse((call, slot, client))) = idle.pop() else { break };
        // Every point before this call is applied first; this call's point is no earlier.
        while let Some(&Reverse((point, index))) = points.peek() {
            if point >= call {
                break;
            }
            points.pop();
            sim.apply(&mut ops[index]);
        }
        let op = sim.plan(client, call);
        let next = op.ret + 1 + sim.rng.below(MAX_THINK + 1);
        let client = if op.returned { client } else { sim.fresh_client() };
        idle.push(Reverse((next, slot, client)));
        points.push(Reverse((op.point, ops.len())));
        ops.push(op);
    }
    while let Some(Reverse((_, index))) = points.pop() {
        sim.apply(&mut ops[index]);
    }
    if shape.violation_near_end {
        stale_read(&mut ops, &mut sim.rng);
    }
    ops
}

impl Simulation<'_> {
    /// A new operation called at `call`; its answer comes when its point is applied.
    fn plan(&mut self, client: u64, call: u64) -> Planned {
        let duration = 1 + self.rng.below(MAX_DURATION);
        let point = call + self.rng.below(duration + 1);
        let returned = !self.rng.chance(self.shape.unknown_outcomes);
        let took_effect = returned || self.rng.below(2) == 0;
        let kind = self.kind();
        let ret = call + duration;
        Planned {
            client,
            kind,
            call,
            point,
            ret,
            returned,
            took_effect,
            read: None,
            swapped: false,
        }
    }

    /// Reads half the time (two fifths with CAS), writes, and CASes that expect the current
    /// value half the time and a stale or random one otherwise.
    fn kind(&mut self) -> Kind {
        let roll = self.rng.below(if self.with_cas { 5 } else { 2 });
        match (self.with_cas, roll) {
            (false, 0) | (true, 0 | 1) => Kind::Read,
            (false, _) | (true, 2) => Kind::Write(self.fresh_value()),
            (true, _) => {
                let expected = match self.rng.below(2) {
                    0 => self.value,
                    _ if self.shape.unique_values => self.previous,
                    _ => None,
                };
                let expected = expected.unwrap_or_else(|| 1 + self.rng.below(5) as i64);
                Kind::Cas { expected, new: self.fresh_value() }
            }
        }
    }

    fn fresh_value(&mut self) -> i64 {
        if self.shape.unique_values {
            self.next_unique += 1;
            self.next_unique - 1
        } else {
            1 + self.rng.below(REPEATED_VALUES as u64) as i64
        }
    }

    fn fresh_client(&mut self) -> u64 {
        self.next_client += 1;
        self.next_client - 1
    }

    /// The operation takes effect (or not) at its point, and sees the register's value.
    fn apply(&mut self, op: &mut Planned) {
        if !op.took_effect {
            return;
        }
        let set = match op.kind {
            Kind::Read => {
                op.read = self.value;
                None
            }
            Kind::Write(value) => Some(value),
            Kind::Cas { expected, new } => {
                op.swapped = self.value == Some(expected);
                op.swapped.then_some(new)
            }
        };
        if let Some(value) = set {
            self.previous = self.value;
            self.value = Some(value);
        }
    }
}

/// Makes one returned read in the last 1% of calls (at least the last 20) return a value no
/// linearization can give it; see the module doc.
fn stale_read(ops: &mut [Planned], rng: &mut SplitMix64) {
    let from = ops.len().saturating_sub((ops.len() / 100).max(20));
    let reads: Vec<usize> =
        (from..ops.len()).filter(|&i| ops[i].kind == Kind::Read && ops[i].returned).collect();
    if reads.is_empty() {
        return;
    }
    let start = rng.below(reads.len() as u64) as usize;
    let unknown_writes: Vec<(u64, i64)> = ops
        .iter()
        .filter(|op| !op.returned)
        .filter_map(|op| op.may_write().map(|value| (op.call, value)))
        .collect();
    for k in 0..reads.len().min(STALE_TRIES) {
        let read = reads[(start + k) % reads.len()];
        if let Some(value) = stale_value(ops, read, &unknown_writes) {
            ops[read].read = Some(value);
            return;
        }
    }
    ops[reads[start]].read = Some(NEVER_WRITTEN);
}

/// A value the read at `read` cannot return: one written before an operation W that set the
/// register to another value and returned before the read's call, and written by no operation
/// that could take effect between W's call and the read's return.
fn stale_value(ops: &[Planned], read: usize, unknown_writes: &[(u64, i64)]) -> Option<i64> {
    let (call, ret) = (ops[read].call, ops[read].ret);
    // The latest-called certain write that returned before the read's call (calls are in
    // order, so the first found walking back).
    let w = (0..read).rev().find(|&i| ops[i].ret < call && ops[i].wrote().is_some())?;
    let since = ops[w].call;
    let mut excluded: BTreeSet<i64> = BTreeSet::new();
    excluded.insert(ops[w].wrote()?);
    // Returned operations that may have taken effect after W: returned at or after its call,
    // so called at most MAX_DURATION before it; and unknown ones called before the read ends.
    let first = ops[..w].partition_point(|op| op.call + MAX_DURATION < since);
    let last = ops.partition_point(|op| op.call <= ret);
    for op in &ops[first..last] {
        if op.returned && op.ret >= since {
            excluded.extend(op.may_write());
        }
    }
    excluded.extend(unknown_writes.iter().filter(|(at, _)| *at <= ret).map(|(_, value)| *value));
    // The most recent value written before W that nothing could have written since.
    (0..w)
        .rev()
        .filter(|&i| ops[i].ret < since)
        .filter_map(|i| ops[i].wrote())
        .take(STALE_LOOKBACK)
        .find(|value| !excluded.contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{CasRegister, Register};
    use crate::{check, Options, Verdict};

    fn shape(seed: u64, clients: usize, unique_values: bool, violation: bool) -> Shape {
        Shape {
            ops: 300,
            clients,
            seed,
            unique_values,
            violation_near_end: violation,
            unknown_outcomes: 0.01,
        }
    }

    fn shapes(violation: bool) -> impl Iterator<Item = Shape> {
        (0..8u64).flat_map(move |seed| {
            [(1, false), (1, true), (5, false), (5, true), (10, true)]
                .map(|(clients, unique)| shape(seed, clients, unique, violation))
        })
    }

    #[test]
    fn the_same_shape_gives_the_same_history_and_another_seed_another() {
        let one = shape(7, 5, false, true);
        assert_eq!(register(&one), register(&one));
        assert_eq!(cas_register(&one), cas_register(&one));
        assert_ne!(register(&one), register(&Shape { seed: 8, ..one.clone() }));
        assert_eq!(register(&one).len(), 300);
    }

    /// Both models' verdicts on `shape`, by the search alone and with the fast paths.
    fn verdicts(shape: &Shape) -> [Verdict; 4] {
        let [search, fast] =
            [false, true].map(|fast_paths| Options { fast_paths, ..Options::default() });
        let (registers, cases) = (register(shape), cas_register(shape));
        [
            check(&Register::new(None), &registers, &search).verdict,
            check(&Register::new(None), &registers, &fast).verdict,
            check(&CasRegister::new(None), &cases, &search).verdict,
            check(&CasRegister::new(None), &cases, &fast).verdict,
        ]
    }

    #[test]
    fn generated_histories_are_linearizable() {
        for shape in shapes(false) {
            assert_eq!(verdicts(&shape), [Verdict::Linearizable; 4], "{shape:?}");
        }
    }

    #[test]
    fn a_stale_read_near_the_end_makes_them_not_linearizable() {
        for shape in shapes(true) {
            assert_eq!(verdicts(&shape), [Verdict::NotLinearizable; 4], "{shape:?}");
        }
    }

    /// The violation changes one read's answer and nothing else, near the end; it is a stale
    /// value (written before), not the never-written fallback, when values are unique.
    #[test]
    fn the_violation_is_one_read_in_the_last_operations() {
        for shape in shapes(true) {
            let good = cas_register(&Shape { violation_near_end: false, ..shape.clone() });
            let bad = cas_register(&shape);
            let changed: Vec<usize> = (0..bad.len()).filter(|&i| good[i] != bad[i]).collect();
            assert_eq!(changed.len(), 1, "{shape:?}");
            let op = &bad[changed[0]];
            assert!(changed[0] >= bad.len() - 20, "{shape:?}: the stale read is op {changed:?}");
            assert_eq!(op.input, CasInput::Read);
            if shape.unique_values {
                let Outcome::Returned { output: CasOutput::Read(Some(value)), .. } = op.outcome
                else {
                    panic!("{shape:?}: {op:?}")
                };
                assert!(value > 0, "{shape:?}: a stale value, not the fallback");
            }
        }
    }

    #[test]
    fn unknown_outcomes_end_a_client_and_the_next_call_comes_from_a_fresh_one() {
        let shape = Shape { ops: 2_000, unknown_outcomes: 0.05, ..shape(3, 5, false, false) };
        let history = cas_register(&shape);
        let unknown: Vec<&Operation<CasInput, CasOutput>> =
            history.iter().filter(|op| op.outcome == Outcome::Unknown).collect();
        assert!(unknown.len() > 50, "{} unknown", unknown.len());
        for op in unknown {
            assert!(history.iter().all(|other| other.client != op.client || other.call <= op.call));
        }
        assert!(history.iter().any(|op| op.client.0 >= 5));
    }
}
