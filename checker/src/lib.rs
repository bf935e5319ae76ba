//! tenrec's linearizability checker: histories, models and a Porcupine-style search.
//!
//! A [`History`] is a set of operations with call and return times (or an unknown outcome);
//! a [`Model`] is the sequential specification they must fit.
//!
//! ```
//! use checker::models::{CasInput, CasOutput, CasRegister};
//! use checker::{Model, Next};
//!
//! let register = CasRegister::new(None);
//! let written = register.step(&register.init(), &CasInput::Write(3), &CasOutput::Ok);
//! assert_eq!(written, Next::One(Some(3)));
//! ```
pub mod history;
pub mod model;
pub mod models;
pub mod parse;

pub use history::{ClientId, History, Operation, Outcome};
pub use model::{Model, Next, Partition};
pub use models::ModelKind;
