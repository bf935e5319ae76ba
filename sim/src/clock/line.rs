//! One machine's clock as a piecewise-linear function of true time, generated lazily from the
//! node's clock stream.
//!
//! Why it is deterministic: the segments are drawn strictly in true-time order from a stream
//! nobody else draws from, whatever the pattern of reads, so the clock is a pure function of
//! (seed, node, config). Reads only ever move forward (the simulator's `now` never goes back),
//! so only the current segment is kept; a timer's due time is found by scanning a clone of the
//! generator forward, which draws the same numbers the clock itself will draw later.
//!
//! Arithmetic is in integers: on a segment starting at true time `start` with raw reading
//! `local` and rate error `r` ppm, the raw reading at `t` is
//! `local + floor((t - start) * (1e6 + r) / 1e6)` (i128, so nothing overflows). The rate stays
//! within +-50%, so each segment is increasing. The reading a node sees is the raw one
//! saturated to `[0, u64::MAX]`: a backward jump near the start cannot make it negative.
use rand_chacha::ChaCha8Rng;

use crate::clock::config::ClockConfig;
use crate::rng::{self, below, Purpose};
use crate::time::duration_nanos;
use crate::NodeId;

const PPM: i128 = 1_000_000;
/// A clock changes (wander steps and jumps together) at most this many times, then runs at its
/// last rate forever: a bound on the work of a read or a timer far in the future, and still
/// hours of virtual time at the finest interval `ClockConfig` accepts.
pub(crate) const MAX_CHANGES: u32 = 1 << 24;
/// A timer set further than this (146 years) never fires: no scan would be worth it.
const NEVER_NANOS: u64 = 1 << 62;

/// The bounds a clock's draws obey, in nanoseconds and ppm (from a valid `ClockConfig`).
#[derive(Clone, Copy, Debug)]
struct Shape {
    max_drift: i64,
    wander: i64,
    /// Zero: no wander.
    wander_every: u64,
    /// Zero: no jumps.
    jump_every: u64,
    max_jump: i64,
}

/// A clock: the current segment and the generator of the next ones.
#[derive(Clone, Debug)]
pub(crate) struct ClockLine {
    rng: ChaCha8Rng,
    shape: Shape,
    /// True time the current segment starts at.
    start: u64,
    /// Raw reading at `start`, after any jump there.
    local: i128,
    rate_ppm: i64,
    /// True time of the next change (`u64::MAX`: none).
    end: u64,
    next_wander: u64,
    next_jump: u64,
    changes: u32,
    jumps: u64,
}

/// A step jump: at true time `at`, the clock moved by `by` nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Jump {
    pub at: u64,
    pub by: i64,
}

/// A draw in `[-bound, +bound]`.
fn symmetric(rng: &mut ChaCha8Rng, bound: i64) -> i64 {
    let span = (bound as u64) * 2 + 1;
    below(rng, span) as i64 - bound
}

impl ClockLine {
    /// The clock of `node` under `seed`: reads 0 at true time 0, whenever the node is added.
    pub fn new(seed: u64, node: NodeId, config: &ClockConfig) -> ClockLine {
        let shape = Shape {
            max_drift: i64::from(config.max_drift_ppm),
            wander: i64::from(config.wander_ppm),
            wander_every: if config.wanders() { duration_nanos(config.wander_every) } else { 0 },
            jump_every: if config.jumps() { duration_nanos(config.jump_every) } else { 0 },
            max_jump: duration_nanos(config.max_jump) as i64,
        };
        let mut rng = rng::stream(seed, Purpose::Clock(node));
        let rate_ppm = symmetric(&mut rng, shape.max_drift);
        let next_wander = if shape.wander_every > 0 { shape.wander_every } else { u64::MAX };
        let mut line = ClockLine {
            rng,
            shape,
            start: 0,
            local: 0,
            rate_ppm,
            end: u64::MAX,
            next_wander,
            next_jump: u64::MAX,
            changes: 0,
            jumps: 0,
        };
        if shape.jump_every > 0 {
            line.next_jump = line.jump_gap();
        }
        line.end = line.next_wander.min(line.next_jump);
        line
    }

    /// The gap to the next jump: uniform in `[0.5, 1.5] x jump_every`, at least 1 ns.
    fn jump_gap(&mut self) -> u64 {
        let every = self.shape.jump_every;
        (every / 2 + below(&mut self.rng, every + 1)).max(1)
    }

    /// The raw reading at `t`, for `start <= t <= end`.
    #[inline]
    fn raw_at(&self, t: u64) -> i128 {
        let elapsed = i128::from(t - self.start);
        self.local + elapsed * (PPM + i128::from(self.rate_ppm)) / PPM
    }

    /// Moves to the next segment, applying the change at its start; the jump, if there is one.
    fn step(&mut self) -> Option<Jump> {
        let t = self.end;
        let mut local = self.raw_at(t);
        if t == self.next_wander {
            let moved = self.rate_ppm + symmetric(&mut self.rng, self.shape.wander);
            self.rate_ppm = moved.clamp(-self.shape.max_drift, self.shape.max_drift);
            self.next_wander = t.saturating_add(self.shape.wander_every);
        }
        let mut jump = None;
        if t == self.next_jump {
            let by = symmetric(&mut self.rng, self.shape.max_jump);
            if by != 0 {
                local += i128::from(by);
                self.jumps += 1;
                jump = Some(Jump { at: t, by });
            }
            self.next_jump = t.saturating_add(self.jump_gap());
        }
        self.start = t;
        self.local = local;
        self.changes += 1;
        self.end = if self.changes >= MAX_CHANGES {
            u64::MAX
        } else {
            self.next_wander.min(self.next_jump)
        };
        jump
    }

    /// Moves the current segment to the one holding true time `t` (a change at exactly `t`
    /// applies), handing each jump passed to `on_jump`. `t` must not be before `start`.
    #[inline]
    pub fn advance_to(&mut self, t: u64, mut on_jump: impl FnMut(Jump)) {
        while t >= self.end && self.end != u64::MAX {
            if let Some(jump) = self.step() {
                on_jump(jump);
            }
        }
    }

    /// Whether true time `t` falls in the current segment.
    #[inline]
    pub fn holds(&self, t: u64) -> bool {
        self.start <= t && (t < self.end || self.end == u64::MAX)
    }

    /// This clock advanced to `t` without touching `self`.
    pub fn at(&self, t: u64) -> ClockLine {
        let mut line = self.clone();
        line.advance_to(t, |_| {});
        line
    }

    /// The reading at `t`, saturated to `[0, u64::MAX]`; `t` must be in the current segment.
    #[inline]
    pub fn reading(&self, t: u64) -> u64 {
        debug_assert!(self.holds(t), "clock read outside its current segment");
        self.raw_at(t).clamp(0, i128::from(u64::MAX)) as u64
    }

    /// The current rate error in ppm.
    pub fn rate_ppm(&self) -> i64 {
        self.rate_ppm
    }

    /// Jumps up to the current segment (a jump of zero is not one).
    pub fn jumps(&self) -> u64 {
        self.jumps
    }

    /// The first true time `t >= now` at which the reading is at least the reading at `now`
    /// plus `after` (`u64::MAX`: never). `now` must be in the current segment. A forward jump
    /// that skips the target makes it due at the jump; a backward jump delays it.
    pub fn due(&self, now: u64, after: u64) -> u64 {
        if after == 0 {
            return now;
        }
        if after >= NEVER_NANOS {
            return u64::MAX;
        }
        let target = i128::from(self.reading(now)) + i128::from(after);
        // Most timers fall in the current segment: no clone of the generator for them.
        if let Some(t) = self.reaches(target) {
            return t;
        }
        let mut line = self.clone();
        while line.end != u64::MAX {
            line.step();
            if line.local >= target {
                return line.start;
            }
            if let Some(t) = line.reaches(target) {
                return t;
            }
        }
        u64::MAX
    }

    /// The first true time in the current segment (from its start) whose raw reading is at
    /// least `target`, if the segment reaches it; `target` must be above the raw reading at
    /// the segment's start or the caller's `now` (both give the same answer then).
    ///
    /// floor(x * m / 1e6) >= d  <=>  x * m >= d * 1e6  <=>  x >= ceil(d * 1e6 / m).
    fn reaches(&self, target: i128) -> Option<u64> {
        let rate = PPM + i128::from(self.rate_ppm);
        let need = (target - self.local).max(0);
        let elapsed = (need * PPM + rate - 1) / rate;
        let t = i128::from(self.start) + elapsed;
        if self.end == u64::MAX {
            return Some(u64::try_from(t).unwrap_or(u64::MAX));
        }
        (t < i128::from(self.end)).then_some(t as u64)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn line(config: &ClockConfig, node: u32) -> ClockLine {
        ClockLine::new(9, NodeId(node), config)
    }

    #[test]
    fn a_fixed_rate_clock_reads_and_fires_by_its_rate() {
        let clock = line(&ClockConfig::drift(100_000), 1);
        let r = i128::from(clock.rate_ppm());
        assert!(r.abs() <= 100_000);
        let second = 1_000_000_000u64;
        assert_eq!(i128::from(clock.reading(second)), i128::from(second) * (PPM + r) / PPM);
        let due = clock.due(0, second);
        assert!(clock.reading(due) >= second && clock.reading(due - 1) < second);
    }

    #[test]
    fn the_rate_walks_within_the_bound_and_reads_never_go_back() {
        let config = ClockConfig::drift(1_000).with_wander(400, Duration::from_millis(10));
        let mut clock = line(&config, 2);
        let mut last = 0;
        for ms in 0..5_000u64 {
            let t = ms * 1_000_000 + 7;
            clock.advance_to(t, |_| panic!("no jumps configured"));
            assert!(clock.rate_ppm().abs() <= 1_000);
            let now = clock.reading(t);
            assert!(now >= last);
            last = now;
        }
    }

    #[test]
    fn due_agrees_with_a_scan_of_readings_across_jumps() {
        let config = ClockConfig::drift(50_000)
            .with_wander(20_000, Duration::from_millis(3))
            .with_jumps(Duration::from_millis(5), Duration::from_millis(4));
        for node in 0..20 {
            let base = line(&config, node);
            let now = 1_234_567;
            let clock = base.at(now);
            for after in [1u64, 999, 1_000_000, 2_500_000, 9_000_000] {
                let due = clock.due(now, after);
                let target = clock.reading(now) + after;
                assert!(base.at(due).reading(due) >= target, "node {node} after {after}");
                // One nanosecond earlier the clock had not got there yet (or it is `now`).
                if due > now {
                    let before = base.at(due - 1);
                    assert!(before.reading(due - 1) < target, "node {node} after {after}");
                }
            }
        }
    }

    #[test]
    fn a_timer_past_the_last_change_or_the_horizon_saturates() {
        let clock = line(&ClockConfig::drift(10), 3);
        assert_eq!(clock.due(0, u64::MAX), u64::MAX);
        assert_eq!(clock.due(5, 0), 5);
    }
}
