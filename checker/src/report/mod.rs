//! The HTML report of a check, in the spirit of Porcupine's visualizer: per partition, the
//! operations on a time axis, the longest linearization with the model's state at each step,
//! the operation that cannot be placed, and the minimal failing sub-history.
//!
//! [`build`] turns a model's history and a check's result into a renderer-neutral [`Report`];
//! [`html`] renders it as one page with inline CSS, SVG and script, which fetches nothing.
mod assets;
mod build;
mod data;
mod escape;
mod html;
mod layout;
mod svg;

pub use build::{build, Source};
pub use data::{MinimalView, OpView, Report, Section, Step, Summary};
pub use escape::escape;
pub use html::html;
