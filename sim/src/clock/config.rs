//! `ClockConfig`: how wrong the nodes' clocks may be (rate drift, its random walk, step jumps),
//! with the checks that keep a configuration meaningful and its one-line `Display`.
use std::fmt;
use std::time::Duration;

use crate::time::duration_nanos;
use crate::SimTime;

/// How each node's clock departs from true (virtual) time. `ClockConfig::off()`, the default,
/// gives perfect clocks: `Ctx::now()` is then `Sim::now()` and nothing else changes.
///
/// Each node's clock is drawn from its own random stream (`Purpose::Clock`): an initial rate
/// error in `[-max_drift_ppm, +max_drift_ppm]`, a random walk of that rate every
/// `wander_every` (each step in `[-wander_ppm, +wander_ppm]`, clamped to the bound), and step
/// jumps about every `jump_every` (gaps uniform in `[0.5, 1.5] x jump_every`), each by a draw
/// in `[-max_jump, +max_jump]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockConfig {
    /// Bound on the rate error: `|rate - 1| <= max_drift_ppm / 1e6`, always.
    pub max_drift_ppm: u32,
    /// Largest change of the rate at one wander step (0: the rate never changes).
    pub wander_ppm: u32,
    /// True time between wander steps (zero: no wander).
    pub wander_every: Duration,
    /// Mean true time between step jumps (zero: no jumps).
    pub jump_every: Duration,
    /// Largest step of one jump, either way.
    pub max_jump: Duration,
}

/// Why a `ClockConfig` was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockConfigError(String);

impl fmt::Display for ClockConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "clock config: {}", self.0)
    }
}

impl std::error::Error for ClockConfigError {}

impl ClockConfig {
    /// The largest rate error accepted: a clock at half or one and a half times true speed is
    /// already far beyond any real oscillator, and the rate must stay positive.
    pub const MAX_DRIFT_PPM: u32 = 500_000;
    /// The shortest wander or jump interval accepted: each step costs work whenever a clock is
    /// read or a timer set across it, and finer steps model nothing a real clock does.
    pub const MIN_INTERVAL: Duration = Duration::from_millis(1);
    /// The largest jump accepted (an hour), which keeps every sum of nanoseconds far from
    /// overflow.
    pub const MAX_JUMP: Duration = Duration::from_secs(3_600);

    /// Perfect clocks (the default).
    pub fn off() -> ClockConfig {
        ClockConfig::default()
    }

    /// Each clock runs at a fixed rate error drawn in `[-max_drift_ppm, +max_drift_ppm]`.
    pub fn drift(max_drift_ppm: u32) -> ClockConfig {
        ClockConfig { max_drift_ppm, ..ClockConfig::default() }
    }

    /// Adds a random walk of the rate: every `every`, a step in `[-wander_ppm, +wander_ppm]`.
    pub fn with_wander(self, wander_ppm: u32, every: Duration) -> ClockConfig {
        ClockConfig { wander_ppm, wander_every: every, ..self }
    }

    /// Adds step jumps about every `every`, each by up to `max_jump` either way.
    pub fn with_jumps(self, every: Duration, max_jump: Duration) -> ClockConfig {
        ClockConfig { jump_every: every, max_jump, ..self }
    }

    /// Whether the rate takes wander steps.
    pub(crate) fn wanders(&self) -> bool {
        self.wander_ppm > 0 && !self.wander_every.is_zero() && self.max_drift_ppm > 0
    }

    /// Whether clocks take step jumps.
    pub(crate) fn jumps(&self) -> bool {
        !self.jump_every.is_zero() && !self.max_jump.is_zero()
    }

    /// Whether every clock reads true time (the rate cannot err and nothing jumps).
    pub fn is_perfect(&self) -> bool {
        self.max_drift_ppm == 0 && !self.jumps()
    }

    /// Checks the bounds (`MAX_DRIFT_PPM`, `MIN_INTERVAL`, `MAX_JUMP`); `Sim` refuses a config
    /// that fails, so check configurations that come from users first.
    pub fn validate(&self) -> Result<(), ClockConfigError> {
        let fail = |text: String| Err(ClockConfigError(text));
        if self.max_drift_ppm > Self::MAX_DRIFT_PPM {
            return fail(format!(
                "max_drift_ppm {} is over {} (a clock must run forward)",
                self.max_drift_ppm,
                Self::MAX_DRIFT_PPM
            ));
        }
        if self.wander_ppm > 0 && self.wander_every < Self::MIN_INTERVAL {
            return fail(format!(
                "wander_every {:?} is under {:?} (zero means no wander: set wander_ppm to 0)",
                self.wander_every,
                Self::MIN_INTERVAL
            ));
        }
        if self.jumps() && self.jump_every < Self::MIN_INTERVAL {
            return fail(format!(
                "jump_every {:?} is under {:?}",
                self.jump_every,
                Self::MIN_INTERVAL
            ));
        }
        if self.max_jump > Self::MAX_JUMP {
            return fail(format!("max_jump {:?} is over {:?}", self.max_jump, Self::MAX_JUMP));
        }
        Ok(())
    }
}

/// A duration the short way: `1s`, `1.5s`, `20ms`, `250us`.
pub(crate) fn short(nanos: u64) -> String {
    let text = SimTime::from_nanos(nanos).to_string();
    match text.split_once('.') {
        Some((whole, rest)) => {
            let digits = rest.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let unit = &rest[digits.len()..];
            let digits = digits.trim_end_matches('0');
            if digits.is_empty() {
                format!("{whole}{unit}")
            } else {
                format!("{whole}.{digits}{unit}")
            }
        }
        None => text,
    }
}

/// A signed step the short way: `+12ms`, `-1.5s`, `0s`.
pub(crate) fn signed(nanos: i64) -> String {
    let sign = if nanos > 0 {
        "+"
    } else if nanos < 0 {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", short(nanos.unsigned_abs()))
}

impl fmt::Display for ClockConfig {
    /// One line for a scenario's fault mix, e.g. `clocks: drift <=50000ppm, wander 5000ppm/1s,
    /// jumps ~every 2s up to 20ms`, or `clocks: perfect`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_perfect() {
            return write!(f, "clocks: perfect");
        }
        let mut parts = Vec::new();
        if self.max_drift_ppm > 0 {
            parts.push(format!("drift <={}ppm", self.max_drift_ppm));
        }
        if self.wanders() {
            let every = short(duration_nanos(self.wander_every));
            parts.push(format!("wander {}ppm/{every}", self.wander_ppm));
        }
        if self.jumps() {
            let every = short(duration_nanos(self.jump_every));
            let max = short(duration_nanos(self.max_jump));
            parts.push(format!("jumps ~every {every} up to {max}"));
        }
        write!(f, "clocks: {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_each_part_that_is_on() {
        assert_eq!(ClockConfig::off().to_string(), "clocks: perfect");
        assert_eq!(ClockConfig::drift(200).to_string(), "clocks: drift <=200ppm");
        let all = ClockConfig::drift(50_000)
            .with_wander(5_000, Duration::from_secs(1))
            .with_jumps(Duration::from_secs(2), Duration::from_millis(20));
        assert_eq!(
            all.to_string(),
            "clocks: drift <=50000ppm, wander 5000ppm/1s, jumps ~every 2s up to 20ms"
        );
        let jumps = ClockConfig::off().with_jumps(Duration::from_millis(1500), Duration::ZERO);
        assert!(jumps.is_perfect(), "jumps of zero are no jumps");
        let jumps =
            ClockConfig::off().with_jumps(Duration::from_millis(1500), Duration::from_micros(250));
        assert_eq!(jumps.to_string(), "clocks: jumps ~every 1.5s up to 250us");
    }

    #[test]
    fn signed_steps_read_well() {
        assert_eq!(signed(12_000_000), "+12ms");
        assert_eq!(signed(-1_500_000_000), "-1.5s");
        assert_eq!(signed(0), "0s");
    }

    #[test]
    fn validate_refuses_what_cannot_be_modelled() {
        assert!(ClockConfig::off().validate().is_ok());
        assert!(ClockConfig::drift(ClockConfig::MAX_DRIFT_PPM).validate().is_ok());
        let e = ClockConfig::drift(1_000_000).validate().unwrap_err();
        assert!(e.to_string().contains("max_drift_ppm 1000000"), "{e}");
        let fine = ClockConfig::drift(10).with_wander(5, Duration::from_micros(10));
        assert!(fine.validate().is_err());
        let fast =
            ClockConfig::off().with_jumps(Duration::from_micros(1), Duration::from_millis(1));
        assert!(fast.validate().is_err());
        let huge = ClockConfig::off().with_jumps(Duration::from_secs(1), Duration::from_secs(7200));
        assert!(huge.validate().is_err());
    }
}
