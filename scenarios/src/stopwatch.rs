//! The one place `tenrec` reads the wall clock: benchmarks and reports measure how long the
//! host took. A measurement is never part of a simulated world and never feeds a verdict or a
//! trace, so clippy.toml's ban on `Instant::now` (which keeps the simulations deterministic) is
//! lifted here and nowhere else.
use std::time::{Duration, Instant};

/// Wall-clock time since `start`.
#[derive(Clone, Copy, Debug)]
pub struct Stopwatch(Instant);

impl Stopwatch {
    #[allow(clippy::disallowed_methods)] // the host's time, outside any simulation
    pub fn start() -> Stopwatch {
        Stopwatch(Instant::now())
    }

    pub fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}
