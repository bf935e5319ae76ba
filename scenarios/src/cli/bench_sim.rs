//! `tenrec bench sim`: events per second of the bare simulator (owned by the sim work).
//!
//! Many nodes bounce small messages to random peers over a network with random latency and
//! loss; a lost message comes back to its sender as an undeliverable notice and is sent again,
//! so the number of messages in flight stays constant and the run measures a steady state.
use std::fmt;
use std::process::ExitCode;
use std::time::Duration;

use sim::rand::RngCore;
use sim::{Ctx, Latency, Message, NetConfig, Node, NodeId, Sim, SimConfig, TimerId};

#[derive(clap::Args)]
pub struct BenchSimArgs {
    /// Number of simulated nodes.
    #[arg(long, default_value_t = 64)]
    nodes: u32,
    /// Messages each node puts in flight at start.
    #[arg(long, default_value_t = 16)]
    per_node: u32,
    /// Events to run (deliveries, drops, notices).
    #[arg(long, default_value_t = 20_000_000)]
    events: u64,
    /// Probability that a message is lost.
    #[arg(long, default_value_t = 0.05)]
    loss: f64,
    /// Trace ring capacity; 0 keeps only the hash (the hot path builds no records).
    #[arg(long, default_value_t = 0)]
    trace: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

#[derive(Clone, Debug, Hash)]
struct Hop {
    origin: u32,
    hops: u32,
}

impl fmt::Display for Hop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hop from=n{} hops={}", self.origin, self.hops)
    }
}

impl Message for Hop {
    fn size_bytes(&self) -> usize {
        8
    }
    fn kind(&self) -> &'static str {
        "Hop"
    }
}

struct Bouncer {
    nodes: u32,
    per_node: u32,
}

impl Bouncer {
    fn random_peer(&self, ctx: &mut Ctx<'_, Self>) -> NodeId {
        let me = ctx.id().0;
        let pick = (ctx.rng().next_u32() % (self.nodes - 1)) + 1;
        NodeId((me + pick) % self.nodes)
    }
}

impl Node for Bouncer {
    type Msg = Hop;
    type Durable = ();
    type Output = ();

    fn on_start(&mut self, ctx: &mut Ctx<'_, Self>) {
        for _ in 0..self.per_node {
            let to = self.random_peer(ctx);
            ctx.send(to, Hop { origin: ctx.id().0, hops: 0 });
        }
    }

    fn on_message(&mut self, ctx: &mut Ctx<'_, Self>, _from: NodeId, msg: Hop) {
        let to = self.random_peer(ctx);
        ctx.send(to, Hop { origin: msg.origin, hops: msg.hops.wrapping_add(1) });
    }

    fn on_timer(&mut self, _ctx: &mut Ctx<'_, Self>, _timer: TimerId, _tag: u64) {}

    fn on_undeliverable(&mut self, ctx: &mut Ctx<'_, Self>, _to: NodeId, msg: Hop) {
        let to = self.random_peer(ctx);
        ctx.send(to, msg);
    }
}

pub fn run(args: &BenchSimArgs) -> ExitCode {
    if args.nodes < 2 || !(0.0..1.0).contains(&args.loss) {
        eprintln!("tenrec bench sim: need --nodes >= 2 and 0 <= --loss < 1");
        return ExitCode::from(1);
    }
    let mut net = NetConfig::reliable();
    net.latency = Latency::uniform(Duration::from_micros(500), Duration::from_millis(10));
    net.drop_requests = args.loss;
    net.undeliverable_notice = Some(Latency::millis(1, 5));
    let config = SimConfig { net, trace_capacity: args.trace, ..SimConfig::new(args.seed) };
    let mut sim: Sim<Bouncer> = Sim::with_config(config);
    for id in 0..args.nodes {
        sim.add_node(NodeId(id), Bouncer { nodes: args.nodes, per_node: args.per_node });
    }

    let started = super::stopwatch::Stopwatch::start();
    let cpu_started = cpu_seconds();
    let mut ran = 0u64;
    while ran < args.events && sim.step().is_some() {
        ran += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_started.zip(cpu_seconds()).map(|(a, b)| b - a);

    let total = sim.counters().total();
    println!(
        "bench sim: {} nodes, {} messages in flight, loss {}, trace ring {}",
        args.nodes,
        sim.pending_events(),
        args.loss,
        args.trace
    );
    println!(
        "  {ran} events in {secs:.3} s wall = {:.2} M events/s (virtual time {}, {} sent, {} delivered, {} dropped)",
        ran as f64 / secs / 1e6,
        sim.now(),
        total.sent,
        total.delivered,
        total.dropped
    );
    if let Some(cpu) = cpu.filter(|&c| c > 0.0) {
        // On a shared machine wall time includes waiting for a core; CPU time does not.
        println!("  {cpu:.3} s on CPU = {:.2} M events per CPU-second", ran as f64 / cpu / 1e6);
    }
    println!("  trace hash {:#018x} (seed {})", sim.trace_hash(), args.seed);
    ExitCode::SUCCESS
}

/// This thread's time on CPU so far, from Linux's /proc/thread-self/schedstat (nanoseconds in
/// the first field); `None` elsewhere.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e9)
}
