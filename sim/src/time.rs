//! Virtual time: `SimTime` is an instant on the simulation clock, in nanoseconds since start.
use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::time::Duration;

/// An instant of virtual time, in nanoseconds since the simulation started.
///
/// Durations are plain `std::time::Duration`s: `SimTime + Duration -> SimTime` and
/// `SimTime - SimTime -> Duration` (saturating at zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(u64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    /// The end of time; `run_until(SimTime::MAX)` drains the queue.
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_nanos(nanos: u64) -> SimTime {
        SimTime(nanos)
    }
    pub const fn from_micros(micros: u64) -> SimTime {
        SimTime(micros.saturating_mul(1_000))
    }
    pub const fn from_millis(millis: u64) -> SimTime {
        SimTime(millis.saturating_mul(1_000_000))
    }
    pub const fn from_secs(secs: u64) -> SimTime {
        SimTime(secs.saturating_mul(1_000_000_000))
    }
    pub const fn as_nanos(self) -> u64 {
        self.0
    }
    pub const fn as_micros(self) -> u64 {
        self.0 / 1_000
    }
    pub const fn as_millis(self) -> u64 {
        self.0 / 1_000_000
    }
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e9
    }
    /// The time elapsed since the start, as a `Duration`.
    pub const fn since_start(self) -> Duration {
        Duration::from_nanos(self.0)
    }
}

/// Nanoseconds of a duration, saturating: virtual time never wraps.
pub(crate) fn duration_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl Add<Duration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: Duration) -> SimTime {
        SimTime(self.0.saturating_add(duration_nanos(rhs)))
    }
}

impl AddAssign<Duration> for SimTime {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl Sub for SimTime {
    type Output = Duration;
    fn sub(self, rhs: SimTime) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(rhs.0))
    }
}

/// Writes `value / unit` with the fraction trimmed of trailing zeros, keeping at least
/// `min_decimals` digits, e.g. `1.234s`, `12.5ms`.
fn write_scaled(
    f: &mut fmt::Formatter<'_>,
    value: u64,
    unit: u64,
    digits: usize,
    min_decimals: usize,
    suffix: &str,
) -> fmt::Result {
    let whole = value / unit;
    let frac = value % unit;
    let mut text = format!("{whole}.{frac:0digits$}");
    let keep = text.len() - digits + min_decimals;
    while text.len() > keep && text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    f.pad(&format!("{text}{suffix}"))
}

impl fmt::Display for SimTime {
    /// Seconds with at least millisecond precision at or above one second (`1.234s`,
    /// `2.000150s`), otherwise the largest unit that keeps an integer part (`12.5ms`, `750us`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if n >= 1_000_000_000 {
            write_scaled(f, n, 1_000_000_000, 9, 3, "s")
        } else if n >= 1_000_000 {
            write_scaled(f, n, 1_000_000, 6, 0, "ms")
        } else if n >= 1_000 {
            write_scaled(f, n, 1_000, 3, 0, "us")
        } else if n == 0 {
            f.pad("0s")
        } else {
            f.pad(&format!("{n}ns"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_picks_a_readable_unit() {
        assert_eq!(SimTime::from_millis(1234).to_string(), "1.234s");
        assert_eq!(SimTime::from_secs(2).to_string(), "2.000s");
        assert_eq!(SimTime::from_nanos(2_000_150_000).to_string(), "2.00015s");
        assert_eq!(SimTime::from_micros(12_500).to_string(), "12.5ms");
        assert_eq!(SimTime::from_millis(12).to_string(), "12ms");
        assert_eq!(SimTime::from_micros(750).to_string(), "750us");
        assert_eq!(SimTime::from_nanos(7).to_string(), "7ns");
        assert_eq!(SimTime::ZERO.to_string(), "0s");
        assert_eq!(format!("{:>8}", SimTime::from_millis(5)), "     5ms");
    }

    #[test]
    fn arithmetic_saturates() {
        let t = SimTime::from_millis(5) + Duration::from_millis(7);
        assert_eq!(t.as_millis(), 12);
        assert_eq!(SimTime::from_millis(1) - SimTime::from_millis(3), Duration::ZERO);
        assert_eq!(SimTime::MAX + Duration::from_secs(1), SimTime::MAX);
    }
}
