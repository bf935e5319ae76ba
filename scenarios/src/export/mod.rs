//! A run's trace in formats that existing tools open: ShiViz's log of events with vector
//! clocks, drawn as a space-time diagram (`docs/shiviz.md`).
mod causal;
mod shiviz;

pub use shiviz::{write_shiviz, Counts, ShivizOptions, SHIVIZ_REGEX};
