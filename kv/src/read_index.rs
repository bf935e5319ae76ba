//! `Get` by ReadIndex (§6.4 of the Raft dissertation): no log entry per read. The leader asks
//! Raft to confirm a read index, then answers from its state machine once it has applied
//! through that index. A Raft without ReadIndex (the `Consensus` default) refuses with
//! `Unsupported`, and the read goes through the log as before.

use raft::{Command, Consensus, NodeId, ReadRefused, Role};

use crate::rpc::{KvError, Request};
use crate::server::KvServer;

impl<R: Consensus> KvServer<R> {
    /// Takes a `Get` by ReadIndex; false if Raft has no ReadIndex and the caller must send the
    /// read through the log.
    pub(crate) fn read_by_index(&mut self, from: NodeId, request: &Request) -> bool {
        let status = self.raft.status();
        if status.role != Role::Leader {
            self.reply(from, request, Err(KvError::WrongLeader));
            return true;
        }
        let id = self.reads.insert(request, from, status.current_term);
        match self.raft.read_index(id) {
            Ok(()) => {}
            Err(ReadRefused::Unsupported) => {
                self.reads.remove(id);
                return false;
            }
            Err(ReadRefused::NotLeader(_)) => {
                self.fail_reads(None);
                self.reply(from, request, Err(KvError::WrongLeader));
                return true;
            }
        }
        // Raft holds reads until an entry of the leader's own term commits, and appends none
        // itself: propose an empty command (a no-op, skipped when applied) once per term.
        let committed_in_term =
            self.raft.log_term(status.commit_index) == Some(status.current_term);
        if !committed_in_term && self.reads.noop_term != Some(status.current_term) {
            self.reads.noop_term = Some(status.current_term);
            // Refused only if leadership was just lost; the read then fails with the term.
            let _ = self.raft.propose(Command::from(Vec::new()));
        }
        true
    }

    /// After applying: records the read indices Raft confirmed and answers every read whose
    /// index is applied, from the state machine as it stands (which includes every write
    /// committed before the read arrived). Reads of a leadership that ended are failed.
    pub(crate) fn serve_reads(&mut self, confirmed: &[raft::ReadState]) {
        for read in confirmed {
            self.reads.confirm(read.request, read.index);
        }
        let status = self.raft.status();
        let term = (status.role == Role::Leader).then_some(status.current_term);
        self.fail_reads(term);
        for read in self.reads.take_servable(self.applied) {
            let value = self.state.get(read.request.op.key()).to_owned();
            self.reply(read.clerk, &read.request, Ok(value));
        }
    }

    /// Fails the reads not taken under `term` (`None`: all of them) with `WrongLeader`.
    pub(crate) fn fail_reads(&mut self, term: Option<raft::Term>) {
        for read in self.reads.take_stale(term) {
            self.reply(read.clerk, &read.request, Err(KvError::WrongLeader));
        }
    }
}
