//! A Raft server as a sim node, generic over any `Consensus`: a 10 ms tick timer, messages in,
//! and every `Ready` carried out in contract order (persist, check, send, apply), with the
//! test service above it.
use std::sync::Arc;
use std::time::Duration;

use raft::{Command, Config, Consensus, LogIndex, Ready, Term};
use sim::rand::Rng;
use sim::{fingerprint, Ctx, NodeId};

use super::contract::{check_message, durable_term};
use super::service::TestService;
use super::{Host, Msg, Output};

/// The timer tag of the tick timer.
pub const TICK: u64 = 1;
/// Virtual time per `tick()`: the interval the reference `Config` counts in.
const TICK_INTERVAL: Duration = Duration::from_millis(10);
/// Rounds of `ready()` after one input: a snapshot taken by the service makes one more; more
/// than this means the implementation never settles.
const MAX_READY_ROUNDS: usize = 16;

/// One Raft server and its test service.
pub struct RaftServer<R: Consensus> {
    raft: R,
    service: TestService,
    /// Set once the contract is broken: the server then stops, and the tester reports it.
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

    pub(crate) fn on_start(&mut self, ctx: &mut Ctx<'_, Host<R>>) {
        // Ticks are staggered so servers do not all act at the same instant.
        let offset = ctx.rng().gen_range(0..TICK_INTERVAL.as_nanos() as u64);
        ctx.set_timer(Duration::from_nanos(offset), TICK);
        // A restarted server hands its persisted snapshot back first.
        self.process_ready(ctx);
    }

    pub(crate) fn on_timer(&mut self, ctx: &mut Ctx<'_, Host<R>>, tag: u64) {
        if tag != TICK || self.broken {
            return;
        }
        ctx.set_timer(TICK_INTERVAL, TICK);
        self.raft.tick();
        self.process_ready(ctx);
    }

    pub(crate) fn on_message(&mut self, ctx: &mut Ctx<'_, Host<R>>, _from: NodeId, msg: Msg) {
        if self.broken {
            return;
        }
        let Msg::Raft(message) = msg;
        self.raft.step(message);
        self.process_ready(ctx);
    }

    /// The service's `Start(command)`: proposes and carries out the resulting `Ready`.
    pub fn propose(
        &mut self,
        ctx: &mut Ctx<'_, Host<R>>,
        command: Command,
    ) -> Result<(LogIndex, Term), raft::NotLeader> {
        let result = self.raft.propose(command);
        if !self.broken {
            self.process_ready(ctx);
        }
        result
    }

    fn process_ready(&mut self, ctx: &mut Ctx<'_, Host<R>>) {
        for _ in 0..MAX_READY_ROUNDS {
            let ready = self.raft.ready();
            if ready.is_empty() {
                return;
            }
            if let Err(violation) = self.carry_out(ctx, ready) {
                self.broken = true;
                ctx.emit(Output::Violation(violation));
                return;
            }
        }
        self.broken = true;
        ctx.emit(Output::Violation(format!(
            "{} still has effects after {MAX_READY_ROUNDS} rounds of ready()",
            ctx.id()
        )));
    }

    /// Persist, then check and send, then apply: the order the contract demands.
    fn carry_out(&mut self, ctx: &mut Ctx<'_, Host<R>>, ready: Ready) -> Result<(), String> {
        let me = raft::NodeId(u64::from(ctx.id().0));
        let durable = &mut ctx.durable_mut().raft;
        durable.apply(&ready).map_err(|e| format!("{me} broke the Ready contract: {e}"))?;
        for m in &ready.messages {
            check_message(me, durable, m)?;
        }
        if let Some(first) = ready.entries.first() {
            let prev_term = durable_term(durable, first.index.prev()).unwrap_or(Term::ZERO);
            ctx.emit(Output::LogWrite { prev_term, entries: ready.entries });
        }
        for m in ready.messages {
            ctx.send(NodeId(m.to.0 as u32), Msg::Raft(m));
        }
        self.apply(ctx, ready.snapshot_to_apply, ready.committed_entries);
        Ok(())
    }

    fn apply(
        &mut self,
        ctx: &mut Ctx<'_, Host<R>>,
        snapshot: Option<raft::Snapshot>,
        entries: Vec<raft::Entry>,
    ) {
        if let Some(snapshot) = snapshot {
            self.service.load(snapshot.last_included_index, &snapshot.data);
            ctx.emit(Output::SnapshotApplied { snapshot });
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
