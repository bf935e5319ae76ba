//! A KV server (kv's `KvServer` over any `Consensus`) as a sim node: a 10 ms tick timer, Raft
//! messages and clerk requests in, and every `KvReady` carried out in the order the kv crate
//! documents: persist, check the Raft messages against what was persisted, send, then report
//! what was applied so the tester's Raft invariants stay on for the Raft inside the service.
use std::time::Duration;

use kv::{KvConfig, KvMessage, KvReady, KvServer};
use raft::{Consensus, Term};
use sim::rand::Rng;
use sim::{Ctx, Node, NodeId};

use super::contract::{check_message, durable_term};
use super::Disk;

/// The timer tag of the tick timer.
pub const KV_TICK: u64 = 1;
/// Virtual time per `tick()`, the interval the reference `Config` counts in.
const TICK_INTERVAL: Duration = Duration::from_millis(10);
/// Rounds of `ready()` after one input: a snapshot the service takes makes one more; more than
/// this means the implementation never settles.
const MAX_READY_ROUNDS: usize = 16;

/// What a KV server reports to the tester (wrapped by the node enum that hosts it).
#[derive(Clone, Debug)]
pub enum KvServerOutput {
    /// Entries persisted; `prev_term` is the durable term just before the first (log matching).
    LogWrite { prev_term: Term, entries: Vec<raft::Entry> },
    /// A committed entry the service applied, with the server's term then.
    Applied { entry: raft::Entry, applier_term: Term },
    /// The service loaded a snapshot (installed, or its own after a restart).
    SnapshotLoaded { snapshot: raft::Snapshot },
    /// A broken `Ready` contract or a `KvAnomaly`: the server stops, the scenario fails.
    Violation(String),
}

/// The node-side effects a KV server needs from whatever node enum hosts it.
pub trait KvServerNode: Node<Durable = Disk> {
    fn wire(message: KvMessage) -> Self::Msg;
    fn server_output(output: KvServerOutput) -> Self::Output;
}

/// One KV server.
pub struct KvServerHost<R: Consensus> {
    server: KvServer<R>,
    broken: bool,
}

impl<R: Consensus> KvServerHost<R> {
    /// A server built from what it persisted, as after a restart (empty for a fresh one).
    pub fn new(config: KvConfig, disk: &Disk) -> Self {
        KvServerHost { server: KvServer::restart(config, &disk.raft), broken: false }
    }

    pub fn server(&self) -> &KvServer<R> {
        &self.server
    }

    pub fn on_start<N: KvServerNode>(&mut self, ctx: &mut Ctx<'_, N>) {
        // Staggered ticks, so servers do not all act at the same instant.
        let offset = ctx.rng().gen_range(0..TICK_INTERVAL.as_nanos() as u64);
        ctx.set_timer(Duration::from_nanos(offset), KV_TICK);
        // A restarted server gets its persisted snapshot back from Raft first.
        self.process_ready(ctx);
    }

    pub fn on_timer<N: KvServerNode>(&mut self, ctx: &mut Ctx<'_, N>, tag: u64) {
        if tag != KV_TICK || self.broken {
            return;
        }
        ctx.set_timer(TICK_INTERVAL, KV_TICK);
        self.server.tick();
        self.process_ready(ctx);
    }

    pub fn on_message<N: KvServerNode>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        from: NodeId,
        msg: KvMessage,
    ) {
        if self.broken {
            return;
        }
        match msg {
            KvMessage::Raft(message) => self.server.step(message),
            KvMessage::Request(request) => {
                self.server.request(raft::NodeId(u64::from(from.0)), request)
            }
            // Servers never ask anything of clerks; a stray reply is ignored like any stale
            // message.
            KvMessage::Reply(_) => return,
        }
        self.process_ready(ctx);
    }

    fn process_ready<N: KvServerNode>(&mut self, ctx: &mut Ctx<'_, N>) {
        for _ in 0..MAX_READY_ROUNDS {
            let ready = self.server.ready();
            if ready.is_empty() {
                return;
            }
            if let Err(violation) = self.carry_out(ctx, ready) {
                self.broken = true;
                ctx.emit(N::server_output(KvServerOutput::Violation(violation)));
                return;
            }
        }
        self.broken = true;
        let text =
            format!("{} still has effects after {MAX_READY_ROUNDS} rounds of ready()", ctx.id());
        ctx.emit(N::server_output(KvServerOutput::Violation(text)));
    }

    /// Persist, check, send, then report the applies: the order `KvReady` documents.
    fn carry_out<N: KvServerNode>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        ready: KvReady,
    ) -> Result<(), String> {
        let me = raft::NodeId(u64::from(ctx.id().0));
        if let Some(anomaly) = ready.anomalies.first() {
            return Err(format!("{me} reported a KV anomaly: {anomaly}"));
        }
        let durable = &mut ctx.durable_mut().raft;
        durable.apply(&ready.raft).map_err(|e| format!("{me} broke the Ready contract: {e}"))?;
        for m in &ready.raft.messages {
            check_message(me, durable, m)?;
        }
        if let Some(first) = ready.raft.entries.first() {
            let prev_term = durable_term(durable, first.index.prev()).unwrap_or(Term::ZERO);
            let entries = ready.raft.entries.clone();
            ctx.emit(N::server_output(KvServerOutput::LogWrite { prev_term, entries }));
        }
        for (to, message) in ready.outgoing() {
            ctx.send(NodeId(to.0 as u32), N::wire(message));
        }
        if let Some(snapshot) = ready.raft.snapshot_to_apply {
            ctx.emit(N::server_output(KvServerOutput::SnapshotLoaded { snapshot }));
        }
        let applier_term = self.server.status().current_term;
        for entry in ready.raft.committed_entries {
            ctx.emit(N::server_output(KvServerOutput::Applied { entry, applier_term }));
        }
        Ok(())
    }
}
