//! tenrec's linearizability checker: histories, models and a Porcupine-style search.
//!
//! A [`History`] is a set of operations with call and return times (or an unknown outcome);
//! a [`Model`] is the sequential specification they must fit; [`check`] searches for a
//! linearization, partition by partition, under a budget. [`check_sequential`] decides
//! sequential consistency instead (each client's program order, not real time), over the
//! whole history at once.
//!
//! ```
//! use checker::models::{CasInput, CasOutput, CasRegister};
//! use checker::{check, ClientId, Operation, Options, Outcome, Verdict};
//!
//! let op = |client, input, call, at, output| Operation {
//!     client: ClientId(client),
//!     input,
//!     call,
//!     outcome: Outcome::Returned { at, output },
//!     line: 0,
//! };
//! // Client 0 writes 1; client 1 then reads 1, so far so good; client 2 reads nil later.
//! let mut history = vec![
//!     op(0, CasInput::Write(1), 0, 10, CasOutput::Ok),
//!     op(1, CasInput::Read, 5, 20, CasOutput::Read(Some(1))),
//! ];
//! let model = CasRegister::new(None);
//! assert_eq!(check(&model, &history, &Options::default()).verdict, Verdict::Linearizable);
//!
//! history.push(op(2, CasInput::Read, 30, 40, CasOutput::Read(None)));
//! let result = check(&model, &history, &Options::default());
//! assert_eq!(result.verdict, Verdict::NotLinearizable);
//! assert_eq!(result.partitions[0].blocked, Some(2), "the stale read cannot be placed");
//! ```
pub mod budget;
pub mod consistency;
pub mod explain;
pub mod fastpath;
pub mod generate;
pub mod history;
pub mod interpret;
pub mod model;
pub mod models;
pub mod parse;
pub mod report;
pub mod result;
mod search;
mod sequential;

pub use budget::Options;
pub use consistency::{Consistency, Decision, Judgement};
pub use history::{ClientId, History, Operation, Outcome};
pub use model::{Model, Next, Partition};
pub use models::ModelKind;
pub use result::{CheckResult, PartitionResult, Undecided, Verdict};
pub use search::check;
pub use sequential::{check_sequential, Blocked, ProgramOrderError, SequentialResult};
