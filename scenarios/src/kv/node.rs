//! The node type of a KV world: KV servers and clerks in one `Sim`, the wire they share (kv's
//! `KvMessage`, Raft's messages included) and what they report to the KV tester.
use std::fmt;

use kv::KvMessage;
use raft::Consensus;
use sim::{Ctx, NodeId, TimerId};

use crate::host::{
    ClerkHost, ClerkNode, ClerkOutput, Disk, KvServerHost, KvServerNode, KvServerOutput,
};

/// A process of a KV world. Servers are larger than clerks, but a world holds a handful of
/// each and nodes are never moved around, so boxing would only add an indirection.
#[allow(clippy::large_enum_variant)]
pub enum KvNode<R: Consensus> {
    Server(KvServerHost<R>),
    Clerk(ClerkHost),
}

/// A message of a KV world (a newtype: the simulator's `Message` trait is not kv's to implement).
#[derive(Clone, Debug, Hash)]
pub struct Wire(pub KvMessage);

impl sim::Message for Wire {
    fn size_bytes(&self) -> usize {
        self.0.size_bytes()
    }

    fn kind(&self) -> &'static str {
        self.0.kind()
    }

    fn is_reply(&self) -> bool {
        self.0.is_reply()
    }
}

impl fmt::Display for Wire {
    /// Raft's one-line form without its `from->to` prefix (the trace prints it), else kv's.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            KvMessage::Raft(m) => {
                let line = m.to_string();
                f.write_str(line.split_once(' ').map_or(line.as_str(), |(_, rest)| rest))
            }
            other => write!(f, "{other}"),
        }
    }
}

/// What KV-world processes report.
#[derive(Clone, Debug)]
pub enum KvEvent {
    Server(KvServerOutput),
    Clerk(ClerkOutput),
}

impl<R: Consensus> KvNode<R> {
    /// The Raft node inside, for the election and leader-completeness checks.
    pub fn consensus(&self) -> Option<&R> {
        match self {
            KvNode::Server(host) => Some(host.server().raft()),
            KvNode::Clerk(_) => None,
        }
    }
}

impl<R: Consensus> KvServerNode for KvNode<R> {
    fn wire(message: KvMessage) -> Wire {
        Wire(message)
    }
    fn server_output(output: KvServerOutput) -> KvEvent {
        KvEvent::Server(output)
    }
}

impl<R: Consensus> ClerkNode for KvNode<R> {
    fn wire(message: KvMessage) -> Wire {
        Wire(message)
    }
    fn clerk_output(output: ClerkOutput) -> KvEvent {
        KvEvent::Clerk(output)
    }
}

impl<R: Consensus> sim::Node for KvNode<R> {
    type Msg = Wire;
    type Durable = Disk;
    type Output = KvEvent;

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        if let KvNode::Server(host) = self {
            host.on_start(ctx);
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, from: NodeId, msg: Wire) {
        match self {
            KvNode::Server(host) => host.on_message(ctx, from, msg.0),
            KvNode::Clerk(host) => host.on_message(ctx, from, msg.0),
        }
    }

    fn on_timer(&mut self, ctx: &mut Ctx<'_, Self>, timer: TimerId, tag: u64) {
        match self {
            KvNode::Server(host) => host.on_timer(ctx, tag),
            KvNode::Clerk(host) => host.on_timer(ctx, timer, tag),
        }
    }

    fn on_undeliverable(&mut self, ctx: &mut Ctx<'_, Self>, to: NodeId, _msg: Wire) {
        if let KvNode::Clerk(host) = self {
            host.on_undeliverable(ctx, to);
        }
    }
}
