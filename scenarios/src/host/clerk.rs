//! A KV clerk (kv's `Clerk`) as a sim node: the tester starts operations; every `ClerkEffect`
//! is carried out at once (sends through the network, the retry timer as a sim timer); a
//! request the network could not deliver calls `Clerk::on_unreachable`, labrpc's failed call.
use kv::{Clerk, ClerkEffect, ClientId, KvMessage, Op, Seq};
use sim::{Ctx, Node, NodeId, TimerId};

/// The timer tag of the clerk's retry timer.
pub const CLERK_RETRY: u64 = 2;

/// What a clerk reports to the tester: the two ends of every operation, for the history.
#[derive(Clone, Debug)]
pub enum ClerkOutput {
    /// The operation was started (its first request goes out now).
    Called { client: ClientId, seq: Seq, op: Op },
    /// A server's answer the clerk accepted: the operation returns `value`.
    Returned { client: ClientId, seq: Seq, op: Op, value: String },
}

/// The node-side effects a clerk needs from whatever node enum hosts it.
pub trait ClerkNode: Node {
    fn wire(message: KvMessage) -> Self::Msg;
    fn clerk_output(output: ClerkOutput) -> Self::Output;
}

/// One clerk and its retry timer.
pub struct ClerkHost {
    clerk: Clerk,
    timer: Option<TimerId>,
}

impl ClerkHost {
    /// A clerk for session `client` that knows the servers' addresses.
    pub fn new(client: ClientId, servers: &[NodeId]) -> ClerkHost {
        let servers = servers.iter().map(|s| raft::NodeId(u64::from(s.0))).collect();
        ClerkHost { clerk: Clerk::new(client, servers), timer: None }
    }

    pub fn clerk(&self) -> &Clerk {
        &self.clerk
    }

    /// True while an operation is outstanding.
    pub fn busy(&self) -> bool {
        self.clerk.outstanding().is_some()
    }

    /// Starts `op`; returns false (and does nothing) if the clerk is still busy.
    pub fn start<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>, op: Op) -> bool {
        let Ok(effects) = self.clerk.start(op.clone()) else { return false };
        let called = ClerkOutput::Called { client: self.clerk.client(), seq: self.seq(), op };
        ctx.emit(N::clerk_output(called));
        self.carry_out(ctx, effects);
        true
    }

    fn seq(&self) -> Seq {
        self.clerk.outstanding().map_or(Seq(0), |(seq, _)| seq)
    }

    pub fn on_message<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>, from: NodeId, msg: KvMessage) {
        // Only replies concern a clerk; anything else is a stray message, ignored.
        if let KvMessage::Reply(reply) = msg {
            let effects = self.clerk.on_reply(raft::NodeId(u64::from(from.0)), reply);
            self.carry_out(ctx, effects);
        }
    }

    pub fn on_timer<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>, timer: TimerId, tag: u64) {
        // A timer replaced or cancelled since it was set is void.
        if tag != CLERK_RETRY || self.timer != Some(timer) {
            return;
        }
        self.timer = None;
        let effects = self.clerk.on_timeout();
        self.carry_out(ctx, effects);
    }

    pub fn on_undeliverable<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>, to: NodeId) {
        let effects = self.clerk.on_unreachable(raft::NodeId(u64::from(to.0)));
        self.carry_out(ctx, effects);
    }

    fn carry_out<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>, effects: Vec<ClerkEffect>) {
        for effect in effects {
            match effect {
                ClerkEffect::Send { to, request } => {
                    ctx.send(NodeId(to.0 as u32), N::wire(KvMessage::Request(request)));
                }
                ClerkEffect::StartTimer { after } => {
                    self.cancel(ctx);
                    self.timer = Some(ctx.set_timer(after, CLERK_RETRY));
                }
                ClerkEffect::CancelTimer => self.cancel(ctx),
                ClerkEffect::Completed { seq, op, value } => {
                    let client = self.clerk.client();
                    let returned = ClerkOutput::Returned { client, seq, op, value };
                    ctx.emit(N::clerk_output(returned));
                }
            }
        }
    }

    fn cancel<N: ClerkNode>(&mut self, ctx: &mut Ctx<'_, N>) {
        if let Some(timer) = self.timer.take() {
            ctx.cancel_timer(timer);
        }
    }
}
