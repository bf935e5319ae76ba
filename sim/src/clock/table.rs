//! Every node's clock under one `ClockConfig`, and `ClockSummary`, what the tester prints of
//! each. The simulator holds a table only when clocks are not perfect, so perfect clocks cost
//! one branch.
use std::fmt;

use crate::clock::config::{signed, ClockConfig};
use crate::clock::line::{ClockLine, Jump};
use crate::NodeId;

/// One node's clock now, for reports (`Sim::clock_report`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockSummary {
    pub node: NodeId,
    /// The current rate error: the clock runs at `1 + rate_ppm / 1e6` times true speed.
    pub rate_ppm: i64,
    /// The reading minus true time, in nanoseconds.
    pub offset_nanos: i64,
    /// Step jumps so far (up to now, traced or not).
    pub jumps: u64,
}

impl fmt::Display for ClockSummary {
    /// `n2 clock +1234ppm offset -1.5ms, 3 jumps`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} clock {:+}ppm offset {}, {} jump{}",
            self.node,
            self.rate_ppm,
            signed(self.offset_nanos),
            self.jumps,
            if self.jumps == 1 { "" } else { "s" }
        )
    }
}

/// The clocks of all nodes, made when first read: a clock is a pure function of (seed, node,
/// config), so when it is made does not change what it reads.
pub(crate) struct Clocks {
    seed: u64,
    config: ClockConfig,
    lines: Vec<Option<ClockLine>>,
}

impl Clocks {
    pub fn new(seed: u64, config: ClockConfig) -> Clocks {
        Clocks { seed, config, lines: Vec::new() }
    }

    /// `node`'s clock, moved to true time `now`, handing each jump passed to `on_jump`. A clock
    /// made here starts at `now` silently: jumps before a node's first event are not reported.
    #[inline]
    pub fn advance(&mut self, node: NodeId, now: u64, on_jump: impl FnMut(Jump)) -> &ClockLine {
        let index = node.0 as usize;
        if self.lines.len() <= index {
            self.lines.resize_with(index + 1, || None);
        }
        let (seed, config) = (self.seed, &self.config);
        let line =
            self.lines[index].get_or_insert_with(|| ClockLine::new(seed, node, config).at(now));
        line.advance_to(now, on_jump);
        line
    }

    /// `node`'s clock at `now`, read without moving it (a copy is advanced when needed).
    pub fn peek(&self, node: NodeId, now: u64) -> ClockLine {
        match self.lines.get(node.0 as usize).and_then(Option::as_ref) {
            Some(line) => line.at(now),
            None => ClockLine::new(self.seed, node, &self.config).at(now),
        }
    }

    /// `node`'s reading at `now`, without moving its clock: cheap when the clock has already
    /// been moved to `now`, as it is inside every callback.
    #[inline]
    pub fn reading(&self, node: NodeId, now: u64) -> u64 {
        match self.lines.get(node.0 as usize).and_then(Option::as_ref) {
            Some(line) if line.holds(now) => line.reading(now),
            _ => self.peek(node, now).reading(now),
        }
    }

    pub fn summary(&self, node: NodeId, now: u64) -> ClockSummary {
        let line = self.peek(node, now);
        let offset = i128::from(line.reading(now)) - i128::from(now);
        ClockSummary {
            node,
            rate_ppm: line.rate_ppm(),
            offset_nanos: offset.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64,
            jumps: line.jumps(),
        }
    }
}
