//! What every hosted server does with its effects, whatever runs inside it: carry out a Raft
//! `Ready` in contract order (persist, then check every outgoing message against what was
//! persisted, then send) and keep asking for effects until the implementation settles. The
//! Raft server and the KV server differ only in what they apply afterwards.
use std::time::Duration;

use raft::{Ready, Term};
use sim::Ctx;

use super::address::{to_raft, to_sim};
use super::contract::{check_message, durable_term};
use super::message::Msg;
use super::output::Output;
use super::process::Process;

/// The timer tag of a server's tick timer.
pub const TICK: u64 = 1;
/// Virtual time per `tick()`: the interval the reference `Config` counts in.
pub(crate) const TICK_INTERVAL: Duration = Duration::from_millis(10);
/// Rounds of `ready()` after one input: a snapshot taken by the service makes one more; more
/// than this means the implementation never settles.
const MAX_READY_ROUNDS: usize = 16;

/// A server's staggered first tick, so servers do not all act at the same instant.
pub(crate) fn first_tick<N: Process>(ctx: &mut Ctx<'_, N>) {
    let offset = sim::rand::Rng::gen_range(ctx.rng(), 0..TICK_INTERVAL.as_nanos() as u64);
    ctx.set_timer(Duration::from_nanos(offset), TICK);
}

/// Calls `round` until it reports no more effects (`Ok(false)`); a round that breaks the
/// contract, or effects that never stop, mark the server broken and report a violation.
pub(crate) fn settle<N: Process>(
    ctx: &mut Ctx<'_, N>,
    broken: &mut bool,
    mut round: impl FnMut(&mut Ctx<'_, N>) -> Result<bool, String>,
) {
    for _ in 0..MAX_READY_ROUNDS {
        match round(ctx) {
            Ok(true) => {}
            Ok(false) => return,
            Err(violation) => {
                *broken = true;
                ctx.emit(Output::Violation(violation));
                return;
            }
        }
    }
    *broken = true;
    let text = format!("{} still has effects after {MAX_READY_ROUNDS} rounds of ready()", ctx.id());
    ctx.emit(Output::Violation(text));
}

/// Persists `ready`, checks each of its messages against the durable state, and hands the
/// entries written to the checks (for log matching), leaving `ready.entries` empty. Sending is
/// the caller's next step.
pub(crate) fn persist<N: Process>(ctx: &mut Ctx<'_, N>, ready: &mut Ready) -> Result<(), String> {
    let me = to_raft(ctx.id());
    let durable = &mut ctx.durable_mut().raft;
    durable.apply(ready).map_err(|e| format!("{me} broke the Ready contract: {e}"))?;
    for m in &ready.messages {
        check_message(me, durable, m)?;
    }
    if let Some(first) = ready.entries.first() {
        let prev_term = durable_term(durable, first.index.prev()).unwrap_or(Term::ZERO);
        // Persisted, so the checks may have the entries themselves.
        ctx.emit(Output::LogWrite { prev_term, entries: std::mem::take(&mut ready.entries) });
    }
    Ok(())
}

/// Sends `message` to the node it names; an address no node can have is a contract violation.
pub(crate) fn send<N: Process>(
    ctx: &mut Ctx<'_, N>,
    to: raft::NodeId,
    message: kv::KvMessage,
) -> Result<(), String> {
    let Some(node) = to_sim(to) else {
        return Err(format!("{} addressed a message to {to}, which no node can be", ctx.id()));
    };
    ctx.send(node, Msg(message));
    Ok(())
}
