//! The time and memory a fast path may spend, counted as it works.
use std::time::Instant;

use crate::result::Undecided;

/// Time and memory accounting for one fast-path run.
pub(crate) struct Meter {
    deadline: Option<Instant>,
    max_memory: usize,
    ticks: u32,
}

impl Meter {
    pub(crate) fn new(deadline: Option<Instant>, max_memory: usize) -> Meter {
        Meter { deadline, max_memory, ticks: 0 }
    }

    #[cfg(test)]
    pub fn unlimited() -> Meter {
        Meter { deadline: None, max_memory: usize::MAX, ticks: 0 }
    }

    /// Counts one unit of work; every 4096 units it looks at the clock.
    pub fn tick(&mut self) -> Result<(), Undecided> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(4096) {
            self.check_time()?;
        }
        Ok(())
    }

    pub fn check_time(&self) -> Result<(), Undecided> {
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(Undecided::Time),
            _ => Ok(()),
        }
    }

    /// Refuses a phase that would hold more than the memory limit.
    pub fn reserve(&self, bytes: usize) -> Result<(), Undecided> {
        if bytes > self.max_memory {
            return Err(Undecided::Memory);
        }
        Ok(())
    }
}
