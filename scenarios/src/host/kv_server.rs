//! A KV server as a sim node, driven only through kv's `KvService` contract (so a student's own
//! server can be hosted as well as `kv::KvServer`): a 10 ms tick timer, Raft messages and
//! clerk requests in, and every `KvReady` carried out in the order kv documents: persist, check
//! the Raft messages against what was persisted, send, then report what was applied so the
//! cluster's Raft invariants stay on for the Raft inside the service.
use kv::{KvConfig, KvMessage, KvReady, KvService};
use sim::{Ctx, NodeId};

use super::address::to_raft;
use super::output::{Disk, Output};
use super::process::Process;
use super::server::{first_tick, persist, send, settle, TICK, TICK_INTERVAL};

/// One KV server.
pub struct KvServerHost<K: KvService> {
    service: K,
    broken: bool,
}

impl<K: KvService> KvServerHost<K> {
    /// A server built from what it persisted, as after a restart (empty for a fresh one).
    pub fn new(config: KvConfig, disk: &Disk) -> Self {
        KvServerHost { service: K::restart(config, &disk.raft), broken: false }
    }

    pub fn service(&self) -> &K {
        &self.service
    }

    pub(crate) fn on_start<N: Process>(&mut self, ctx: &mut Ctx<'_, N>) {
        first_tick(ctx);
        // A restarted server gets its persisted snapshot back from Raft first.
        self.process_ready(ctx);
    }

    pub(crate) fn on_timer<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, tag: u64) {
        if tag != TICK || self.broken {
            return;
        }
        ctx.set_timer(TICK_INTERVAL, TICK);
        self.service.tick();
        self.process_ready(ctx);
    }

    pub(crate) fn on_message<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        from: NodeId,
        msg: KvMessage,
    ) {
        if self.broken {
            return;
        }
        match msg {
            KvMessage::Raft(message) => self.service.step(message),
            KvMessage::Request(request) => self.service.request(to_raft(from), request),
            // Servers never ask anything of clerks; a stray reply is ignored like any stale
            // message.
            KvMessage::Reply(_) => return,
        }
        self.process_ready(ctx);
    }

    fn process_ready<N: Process>(&mut self, ctx: &mut Ctx<'_, N>) {
        let mut broken = self.broken;
        settle(ctx, &mut broken, |ctx| {
            let ready = self.service.ready();
            if ready.is_empty() {
                return Ok(false);
            }
            self.carry_out(ctx, ready).map(|()| true)
        });
        self.broken = broken;
    }

    /// Persist, check, send, then report the applies: the order `KvReady` documents.
    fn carry_out<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        mut ready: KvReady,
    ) -> Result<(), String> {
        if let Some(anomaly) = ready.anomalies.first() {
            return Err(format!("{} reported a KV anomaly: {anomaly}", to_raft(ctx.id())));
        }
        persist(ctx, &mut ready.raft)?;
        for (to, message) in ready.outgoing() {
            send(ctx, to, message)?;
        }
        if let Some(snapshot) = ready.raft.snapshot_to_apply {
            ctx.emit(Output::SnapshotLoaded { snapshot });
        }
        let applier_term = self.service.status().current_term;
        for entry in ready.raft.committed_entries {
            ctx.emit(Output::Applied { entry, applier_term });
        }
        Ok(())
    }
}
