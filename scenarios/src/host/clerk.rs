//! A KV clerk (kv's `Clerk`) as a sim node: the cluster starts operations; every `ClerkEffect`
//! is carried out at once (sends through the network, the retry timer as a sim timer); a
//! request the network could not deliver calls `Clerk::on_unreachable`, labrpc's failed call.
use kv::{Clerk, ClerkEffect, ClientId, KvMessage, Op, Seq};
use sim::{Ctx, NodeId, TimerId};

use super::address::{all_to_raft, to_raft, to_sim};
use super::message::Msg;
use super::output::Output;
use super::process::Process;

/// The timer tag of the clerk's retry timer.
pub const CLERK_RETRY: u64 = 2;

/// One clerk and its retry timer.
pub struct ClerkHost {
    clerk: Clerk,
    timer: Option<TimerId>,
}

impl ClerkHost {
    /// A clerk for session `client` that knows the servers' addresses.
    pub fn new(client: ClientId, servers: &[NodeId]) -> ClerkHost {
        ClerkHost { clerk: Clerk::new(client, all_to_raft(servers)), timer: None }
    }

    pub fn clerk(&self) -> &Clerk {
        &self.clerk
    }

    /// True while an operation is outstanding.
    pub fn busy(&self) -> bool {
        self.clerk.outstanding().is_some()
    }

    /// Starts `op`; returns false (and does nothing) if the clerk is still busy.
    pub fn start<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, op: Op) -> bool {
        let Ok(effects) = self.clerk.start(op.clone()) else { return false };
        ctx.emit(Output::Called { client: self.clerk.client(), seq: self.seq(), op });
        self.carry_out(ctx, effects);
        true
    }

    fn seq(&self) -> Seq {
        self.clerk.outstanding().map_or(Seq(0), |(seq, _)| seq)
    }

    pub(crate) fn on_message<N: Process>(
        &mut self,
        ctx: &mut Ctx<'_, N>,
        from: NodeId,
        msg: KvMessage,
    ) {
        // Only replies concern a clerk; anything else is a stray message, ignored.
        if let KvMessage::Reply(reply) = msg {
            let effects = self.clerk.on_reply(to_raft(from), reply);
            self.carry_out(ctx, effects);
        }
    }

    pub(crate) fn on_timer<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, timer: TimerId, tag: u64) {
        // A timer replaced or cancelled since it was set is void.
        if tag != CLERK_RETRY || self.timer != Some(timer) {
            return;
        }
        self.timer = None;
        let effects = self.clerk.on_timeout();
        self.carry_out(ctx, effects);
    }

    pub(crate) fn on_undeliverable<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, to: NodeId) {
        let effects = self.clerk.on_unreachable(to_raft(to));
        self.carry_out(ctx, effects);
    }

    fn carry_out<N: Process>(&mut self, ctx: &mut Ctx<'_, N>, effects: Vec<ClerkEffect>) {
        for effect in effects {
            match effect {
                // The clerk only knows the servers it was given, all of them addressable.
                ClerkEffect::Send { to, request } => {
                    if let Some(to) = to_sim(to) {
                        ctx.send(to, Msg(KvMessage::Request(request)));
                    }
                }
                ClerkEffect::StartTimer { after } => {
                    self.cancel(ctx);
                    self.timer = Some(ctx.set_timer(after, CLERK_RETRY));
                }
                ClerkEffect::CancelTimer => self.cancel(ctx),
                ClerkEffect::Completed { seq, op: _, value } => {
                    ctx.emit(Output::Returned { client: self.clerk.client(), seq, value });
                }
            }
        }
    }

    fn cancel<N: Process>(&mut self, ctx: &mut Ctx<'_, N>) {
        if let Some(timer) = self.timer.take() {
            ctx.cancel_timer(timer);
        }
    }
}
