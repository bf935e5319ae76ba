//! The clerk as a sans-IO state machine: one operation at a time, sent to the server it
//! believes leads, retried on the next server on `WrongLeader`, an error or a timeout, until
//! some server answers it. Time lives in the host, which runs the retry timer it is asked for.
//! On the follower read path it also keeps the session index its reads are sent with.

use std::fmt;
use std::time::Duration;

use raft::{LogIndex, NodeId};

use crate::rpc::{Reply, Request};
use crate::types::{ClientId, Op, Seq};

/// What a clerk asks its host to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClerkEffect {
    /// Send `request` to server `to`.
    Send { to: NodeId, request: Request },
    /// Start the retry timer, replacing any running one: call `on_timeout` after `after`.
    StartTimer { after: Duration },
    /// Stop the retry timer.
    CancelTimer,
    /// The operation took effect (exactly once): `value` is what a `Get` read, empty for
    /// `Put` and `Append`. The clerk is idle again.
    Completed { seq: Seq, op: Op, value: String },
}

impl fmt::Display for ClerkEffect {
    /// One line for traces: `send n2 c7#3 Get "k"`, `timer 100ms`, `cancel-timer`,
    /// `completed #3 Get "k" -> "v"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClerkEffect::Send { to, request } => write!(f, "send {to} {request}"),
            ClerkEffect::StartTimer { after } => write!(f, "timer {}ms", after.as_millis()),
            ClerkEffect::CancelTimer => f.write_str("cancel-timer"),
            ClerkEffect::Completed { seq, op, value } => {
                write!(f, "completed #{seq} {op} -> {value:?}")
            }
        }
    }
}

/// `start` was called while an operation is still outstanding.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("clerk {client} is busy with request {seq}")]
pub struct ClerkBusy {
    pub client: ClientId,
    pub seq: Seq,
}

/// A client of the KV service (6.824's `Clerk`).
#[derive(Clone, Debug)]
pub struct Clerk {
    client: ClientId,
    servers: Vec<NodeId>,
    /// Index into `servers` of the server believed to lead; requests go there first.
    leader: usize,
    /// The sequence number of the last operation started (0 before the first).
    seq: Seq,
    outstanding: Option<Op>,
    retry_after: Duration,
    /// Follower reads: the highest log index an answer to this session reflected, sent with
    /// every `Get` so no server answers it from older state. Stays `None` (and off the wire)
    /// unless servers report indices, which only the follower read path does.
    session_index: Option<LogIndex>,
}

impl Clerk {
    /// Retry after 100 ms without an answer: a few heartbeats, well under an election.
    pub const DEFAULT_RETRY: Duration = Duration::from_millis(100);

    /// A clerk for session `client` that knows the servers' addresses, trying them in order.
    pub fn new(client: ClientId, servers: Vec<NodeId>) -> Clerk {
        Clerk {
            client,
            servers,
            leader: 0,
            seq: Seq(0),
            outstanding: None,
            retry_after: Clerk::DEFAULT_RETRY,
            session_index: None,
        }
    }

    /// The same clerk with another retry interval.
    pub fn with_retry_after(mut self, retry_after: Duration) -> Clerk {
        self.retry_after = retry_after;
        self
    }

    pub fn client(&self) -> ClientId {
        self.client
    }

    /// The operation in flight and its sequence number, if any.
    pub fn outstanding(&self) -> Option<(Seq, &Op)> {
        self.outstanding.as_ref().map(|op| (self.seq, op))
    }

    /// The highest log index this session's answers reflected (follower reads only).
    pub fn session_index(&self) -> Option<LogIndex> {
        self.session_index
    }

    /// The server the clerk will try first (the last one that answered, or the next in turn).
    pub fn presumed_leader(&self) -> Option<NodeId> {
        self.servers.get(self.leader).copied()
    }

    /// Starts `op` with the next sequence number: sends it to the presumed leader.
    pub fn start(&mut self, op: Op) -> Result<Vec<ClerkEffect>, ClerkBusy> {
        if self.outstanding.is_some() {
            return Err(ClerkBusy { client: self.client, seq: self.seq });
        }
        self.seq = self.seq.next();
        self.outstanding = Some(op);
        Ok(self.send())
    }

    /// A server answered. Replies to earlier operations are ignored; a success completes the
    /// operation (from whichever server it comes); an error from the server currently tried
    /// moves on to the next one. An error from a server tried earlier is stale: ignored.
    pub fn on_reply(&mut self, from: NodeId, reply: Reply) -> Vec<ClerkEffect> {
        if reply.client != self.client || reply.seq != self.seq {
            return Vec::new();
        }
        let Some(op) = self.outstanding.take() else { return Vec::new() };
        match reply.result {
            Ok(value) => {
                // `None` orders below every index: a reply without one changes nothing.
                self.session_index = self.session_index.max(reply.applied_index);
                if let Some(position) = self.servers.iter().position(|s| *s == from) {
                    self.leader = position;
                }
                vec![ClerkEffect::CancelTimer, ClerkEffect::Completed { seq: self.seq, op, value }]
            }
            Err(_) => {
                self.outstanding = Some(op);
                if self.presumed_leader() != Some(from) {
                    return Vec::new();
                }
                self.rotate()
            }
        }
    }

    /// The retry timer fired: the presumed leader is slow, dead or cut off; try the next.
    pub fn on_timeout(&mut self) -> Vec<ClerkEffect> {
        if self.outstanding.is_none() {
            return Vec::new();
        }
        self.rotate()
    }

    /// The host could not deliver a request to `server` (labrpc's failed call): if it is the
    /// one being tried, move on at once instead of waiting for the timer.
    pub fn on_unreachable(&mut self, server: NodeId) -> Vec<ClerkEffect> {
        if self.outstanding.is_none() || self.presumed_leader() != Some(server) {
            return Vec::new();
        }
        self.rotate()
    }

    fn rotate(&mut self) -> Vec<ClerkEffect> {
        if !self.servers.is_empty() {
            self.leader = (self.leader + 1) % self.servers.len();
        }
        self.send()
    }

    /// Sends the outstanding request to the presumed leader and (re)starts the retry timer.
    /// With no servers at all there is nobody to send to; the timer still runs.
    fn send(&mut self) -> Vec<ClerkEffect> {
        let mut effects = Vec::new();
        if let (Some(to), Some(op)) = (self.presumed_leader(), &self.outstanding) {
            // Writes go through the log, after everything committed: only reads need it.
            let session_index = if op.is_read() { self.session_index } else { None };
            let request =
                Request { client: self.client, seq: self.seq, op: op.clone(), session_index };
            effects.push(ClerkEffect::Send { to, request });
        }
        effects.push(ClerkEffect::StartTimer { after: self.retry_after });
        effects
    }
}
