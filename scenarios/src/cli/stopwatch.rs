//! The one place the `tenrec` binary reads the wall clock: benchmarks and `tenrec check`
//! measure how long the host took. It lives in the CLI, outside the library that runs the
//! simulated worlds, never feeds a verdict or a trace, and is the only exception to
//! clippy.toml's ban on `Instant::now`.
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
