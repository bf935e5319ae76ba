//! The contract between a KV server and its host, so the scenarios can drive any KV server
//! (the reference [`KvServer`], or a student's) through the same faults and checks.

use raft::{Consensus, LogIndex, NodeId, PersistedState, Status, Term};

use crate::config::KvConfig;
use crate::ready::KvReady;
use crate::rpc::Request;
use crate::server::KvServer;

/// A KV server as a sans-IO state machine, driven exactly like [`KvServer`]: an input, then
/// `ready()`, whose effects the host carries out (persist, then send; see [`KvReady`]).
pub trait KvService {
    /// Builds a server from its configuration and what its host last persisted.
    fn restart(config: KvConfig, persisted: &PersistedState) -> Self
    where
        Self: Sized;

    /// One tick of logical time.
    fn tick(&mut self);

    /// A Raft message from another server.
    fn step(&mut self, message: raft::Message);

    /// A request from the clerk at address `from`.
    fn request(&mut self, from: NodeId, request: Request);

    /// The effects of the inputs since the last call.
    fn ready(&mut self) -> KvReady;

    /// The underlying Raft node's summary.
    fn status(&self) -> Status;

    /// The term of the underlying Raft log's entry at `index` (`Consensus::log_term`), so a
    /// host can check leader completeness on whatever Raft the service runs.
    fn log_term(&self, index: LogIndex) -> Option<Term>;

    /// The last log index the state machine has applied (or loaded from a snapshot): what a
    /// tester reads to know how far this server's state goes.
    fn applied_index(&self) -> LogIndex;

    /// The value this server's own state machine holds for `key` ("" when absent), read
    /// locally without the log: for testers inspecting a server, never an answer to a client.
    fn local_value(&self, key: &str) -> String;
}

impl<R: Consensus> KvService for KvServer<R> {
    fn restart(config: KvConfig, persisted: &PersistedState) -> Self {
        KvServer::restart(config, persisted)
    }

    fn tick(&mut self) {
        KvServer::tick(self);
    }

    fn step(&mut self, message: raft::Message) {
        KvServer::step(self, message);
    }

    fn request(&mut self, from: NodeId, request: Request) {
        KvServer::request(self, from, request);
    }

    fn ready(&mut self) -> KvReady {
        KvServer::ready(self)
    }

    fn status(&self) -> Status {
        KvServer::status(self)
    }

    fn log_term(&self, index: LogIndex) -> Option<Term> {
        self.raft().log_term(index)
    }

    fn applied_index(&self) -> LogIndex {
        KvServer::applied_index(self)
    }

    fn local_value(&self, key: &str) -> String {
        self.state().get(key).to_string()
    }
}
