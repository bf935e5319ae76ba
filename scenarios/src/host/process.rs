//! The shape every hosted process's node type has: the host's wire, outputs and disk. Process
//! files (servers, clerks) are generic over it rather than naming the `Host` enum, so the enum
//! depends on them and they do not depend back on it.
use super::message::Msg;
use super::output::{Disk, Output};

/// A node type that carries `Msg`, reports `Output` and keeps a `Disk` (the `Host` enum).
pub trait Process: sim::Node<Msg = Msg, Output = Output, Durable = Disk> {}

impl<T: sim::Node<Msg = Msg, Output = Output, Durable = Disk>> Process for T {}
