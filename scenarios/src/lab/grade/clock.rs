//! The grader's one wall-clock read: how long a child process has been running a test, so a
//! hung implementation is killed at the cap. It never feeds a score or a trace (a test killed
//! at the cap fails with the same text on any machine), and it is the library's only exception
//! to clippy.toml's ban on `Instant::now`.
use std::time::{Duration, Instant};

/// Wall-clock time since `start`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Deadline(Instant, Duration);

impl Deadline {
    /// A deadline `cap` from now.
    #[allow(clippy::disallowed_methods)] // the host's time, outside any simulation
    pub(crate) fn after(cap: Duration) -> Deadline {
        Deadline(Instant::now(), cap)
    }

    pub(crate) fn passed(&self) -> bool {
        self.0.elapsed() >= self.1
    }
}
