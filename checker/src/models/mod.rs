//! The built-in models and the registry that finds them by name.
mod by_key;
mod cas_register;
mod kv;
mod multi_register;
mod mutex;
mod queue;
mod register;
mod set;
mod versioned_kv;

pub use cas_register::{CasInput, CasOutput, CasRegister};
pub use kv::{Kv, KvInput, KvOp, KvOutput};
pub use multi_register::{MicroOp, MultiRegister, Txn};
pub use mutex::{Mutex, MutexInput, MutexOutput};
pub use queue::{Queue, QueueInput, QueueOutput};
pub use register::{Register, RegisterInput, RegisterOutput};
pub use set::{Set, SetInput, SetOutput};
pub use versioned_kv::{VersionedKv, VersionedKvInput, VersionedKvOp, VersionedKvOutput};

use std::fmt;

/// The built-in models by name, so a command line can pick one (`--model cas-register`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ModelKind {
    Register,
    CasRegister,
    MultiRegister,
    Kv,
    VersionedKv,
    Mutex,
    Set,
    Queue,
}

impl ModelKind {
    /// Every built-in model.
    pub const ALL: [ModelKind; 8] = [
        ModelKind::Register,
        ModelKind::CasRegister,
        ModelKind::MultiRegister,
        ModelKind::Kv,
        ModelKind::VersionedKv,
        ModelKind::Mutex,
        ModelKind::Set,
        ModelKind::Queue,
    ];

    /// The registered name (`cas-register`).
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Register => "register",
            ModelKind::CasRegister => "cas-register",
            ModelKind::MultiRegister => "multi-register",
            ModelKind::Kv => "kv",
            ModelKind::VersionedKv => "versioned-kv",
            ModelKind::Mutex => "mutex",
            ModelKind::Set => "set",
            ModelKind::Queue => "queue",
        }
    }

    /// The model registered under `name`, if any.
    pub fn from_name(name: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
