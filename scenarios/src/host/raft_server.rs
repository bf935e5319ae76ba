//! A Raft server as a sim node, generic over any `Consensus`: a 10 ms tick timer, messages in,
//! and every `Ready` carried out in contract order (persist, check, send, apply), with the
//! lab's test service above it.
use std::sync::Arc;

use kv::KvMessage;
use raft::{Command, Config, Consensus, LogIndex, Ready, Term};
use sim::{fingerprint, Ctx};

use super::output::Output;
use super::process::Process;
use super::server::{first_tick, persist, send, settle, TICK, TICK_INTERVAL};
use super::service::TestService;

/// One Raft server and its test service.
pub struct RaftServer<R: Consensus> {
    raft: R,
    service: TestService,
    /// Set once the contract is broken: the server then stops, and the cluster reports it.
    broken: bool,
}

impl<R: Consensus> RaftServer<R> {
    /// Builds a server from its configuration and what it persisted, as after a restart.
    pub fn new(
        config: Config,
        durable: &raft::PersistedState,
        snapshot_every: Option<u64>,
    ) -> Self {
        let raft = R::restart(config, durable);
        let service = TestService { snapshot_every, ..TestService::default() };
        RaftServer { raft, service, broken: false }
    }

    pub fn raft(&self) -> &R {
        &self.raft
    }

    pub(crate) fn on_start<N: Process>(&mut self, ctx: &mut Ctx<'_, N>) {
        first_tick(ctx);
        // A restarted server hands its persisted snapshot back first.
        self.process_ready(ctx);
    }

    pub(crate) fn on_timer<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, tag: u64) {
        if tag != TICK || self.broken {
            return;
        }
        ctx.set_timer(TICK_INTERVAL, TICK);
        self.raft.tick();
        self.process_ready(ctx);
    }

    pub(crate) fn on_message<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, msg: KvMessage) {
        // Only Raft messages concern a Raft server; anything else is stray, ignored.
        let KvMessage::Raft(message) = msg else { return };
        if self.broken {
            return;
        }
        self.raft.step(message);
        self.process_ready(ctx);
    }

    /// The service's `Start(command)`: proposes and carries out the resulting `Ready`.
    pub fn propose<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        command: Command,
    ) -> Result<(LogIndex, Term), raft::NotLeader> {
        let result = self.raft.propose(command);
        if !self.broken {
            self.process_ready(ctx);
        }
        result
    }

    fn process_ready<N: Process>(&mut self, ctx: &mut Ctx<'_, N>) {
        let mut broken = self.broken;
        settle(ctx, &mut broken, |ctx| {
            let ready = self.raft.ready();
            if ready.is_empty() {
                return Ok(false);
            }
            self.carry_out(ctx, ready).map(|()| true)
        });
        self.broken = broken;
    }

    /// Persist, then check and send, then apply: the order the contract demands.
    fn carry_out<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        mut ready: Ready,
    ) -> Result<(), String> {
        persist(ctx, &mut ready)?;
        for m in ready.messages {
            send(ctx, m.to, KvMessage::Raft(m))?;
        }
        self.apply(ctx, ready.snapshot_to_apply, ready.committed_entries);
        Ok(())
    }

    fn apply<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        snapshot: Option<raft::Snapshot>,
        entries: Vec<raft::Entry>,
    ) {
        if let Some(snapshot) = snapshot {
            self.service.load(snapshot.last_included_index, &snapshot.data);
            ctx.emit(Output::SnapshotLoaded { snapshot });
        }
        if entries.is_empty() {
            return;
        }
        let applier_term = self.raft.status().current_term;
        for entry in entries {
            let due = self.service.apply(entry.index, fingerprint(&entry.command));
            let index = entry.index;
            ctx.emit(Output::Applied { entry, applier_term });
            if let Some(data) = due {
                let data: Arc<[u8]> = data.into();
                self.raft.snapshot(index, data);
            }
        }
    }
}
