//! A tiny deterministic world for end-to-end KV tests (no simulator): KV servers on the
//! reference Raft, clerks with retry timers, a seeded network that delays, drops, duplicates
//! and reorders, partitions, and crash/restart from exactly what each server persisted.
//!
//! One round is one tick (10 ms of virtual time): every live server ticks, due clerk timers
//! fire, then the messages due this round are delivered in a seeded random order.

pub mod history;

use std::collections::{BTreeMap, BTreeSet};

use kv::{Clerk, ClerkEffect, ClientId, KvConfig, KvMessage, KvServer, KvService, Op};
use raft::{Command, Config, LogIndex, NodeId, PersistedState, RaftNode};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use history::{History, Record};

/// Milliseconds of virtual time per round.
pub const TICK_MS: u64 = 10;

/// Network faults; delays are in rounds.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    pub loss_percent: u32,
    pub duplicate_percent: u32,
    pub max_delay_rounds: u64,
}

impl Faults {
    pub fn reliable() -> Faults {
        Faults { loss_percent: 0, duplicate_percent: 0, max_delay_rounds: 1 }
    }

    pub fn unreliable() -> Faults {
        Faults { loss_percent: 10, duplicate_percent: 5, max_delay_rounds: 3 }
    }
}

struct ClerkSlot {
    clerk: Clerk,
    timer_at: Option<u64>,
    /// Operations still to start, in order.
    workload: Vec<Op>,
    started_at: u64,
}

/// The world, generic over the KV server implementation (driven only through `KvService`).
pub struct World<S: KvService = KvServer<RaftNode>> {
    pub round: u64,
    rng: ChaCha8Rng,
    faults: Faults,
    configs: BTreeMap<NodeId, KvConfig>,
    servers: BTreeMap<NodeId, Option<S>>,
    durable: BTreeMap<NodeId, PersistedState>,
    clerks: BTreeMap<NodeId, ClerkSlot>,
    in_flight: Vec<(u64, NodeId, NodeId, KvMessage)>,
    cut: BTreeSet<(NodeId, NodeId)>,
    /// What some server applied at each index: no two servers may apply different commands.
    applied: BTreeMap<LogIndex, Command>,
    pub history: History,
    /// The largest persisted Raft state seen, and the largest snapshot.
    pub max_raft_state_seen: usize,
    pub max_snapshot_seen: usize,
}

impl World {
    /// `servers` reference KV servers `n1..`, each built from `KvConfig::new` adjusted by
    /// `adjust`.
    pub fn new(servers: u64, seed: u64, adjust: impl Fn(KvConfig) -> KvConfig) -> World {
        World::with_service(servers, seed, adjust)
    }
}

impl<S: KvService> World<S> {
    /// Like `new`, for any `KvService` implementation.
    pub fn with_service(
        servers: u64,
        seed: u64,
        adjust: impl Fn(KvConfig) -> KvConfig,
    ) -> World<S> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let ids: Vec<NodeId> = (1..=servers).map(NodeId).collect();
        let configs = ids
            .iter()
            .map(|id| (*id, adjust(KvConfig::new(Config::new(*id, ids.clone(), rng.gen())))))
            .collect();
        let mut world = World {
            round: 0,
            rng,
            faults: Faults::reliable(),
            configs,
            servers: BTreeMap::new(),
            durable: ids.iter().map(|id| (*id, PersistedState::default())).collect(),
            clerks: BTreeMap::new(),
            in_flight: Vec::new(),
            cut: BTreeSet::new(),
            applied: BTreeMap::new(),
            history: History::default(),
            max_raft_state_seen: 0,
            max_snapshot_seen: 0,
        };
        for id in ids {
            world.start_server(id);
        }
        world
    }

    pub fn server_ids(&self) -> Vec<NodeId> {
        self.configs.keys().copied().collect()
    }

    pub fn set_faults(&mut self, faults: Faults) {
        self.faults = faults;
    }

    /// Adds a clerk at address `n{100 + client}` that will run `workload` in order.
    pub fn add_clerk(&mut self, client: u64, workload: Vec<Op>) {
        let address = NodeId(100 + client);
        let clerk = Clerk::new(ClientId(client), self.server_ids());
        let mut workload = workload;
        workload.reverse();
        let slot = ClerkSlot { clerk, timer_at: None, workload, started_at: 0 };
        self.clerks.insert(address, slot);
        self.start_next(address);
    }

    /// True when every clerk has finished its workload.
    pub fn clerks_done(&self) -> bool {
        self.clerks.values().all(|c| c.workload.is_empty() && c.clerk.outstanding().is_none())
    }

    pub fn run(&mut self, rounds: u64) {
        for _ in 0..rounds {
            self.run_round();
        }
    }

    /// Runs until every clerk is done; false if `max_rounds` pass first.
    pub fn run_until_done(&mut self, max_rounds: u64) -> bool {
        for _ in 0..max_rounds {
            if self.clerks_done() {
                return true;
            }
            self.run_round();
        }
        self.clerks_done()
    }

    pub fn run_round(&mut self) {
        self.round += 1;
        for id in self.server_ids() {
            if let Some(server) = self.live(id) {
                server.tick();
                self.process(id);
            }
        }
        let due: Vec<NodeId> = self
            .clerks
            .iter()
            .filter(|(_, c)| c.timer_at.is_some_and(|at| at <= self.round))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            let slot = self.clerks.get_mut(&id).expect("clerk exists");
            slot.timer_at = None;
            let effects = slot.clerk.on_timeout();
            self.clerk_effects(id, effects);
        }
        self.deliver_due();
    }

    fn deliver_due(&mut self) {
        let round = self.round;
        let (mut due, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.in_flight).into_iter().partition(|(at, ..)| *at <= round);
        self.in_flight = later;
        for i in (1..due.len()).rev() {
            due.swap(i, self.rng.gen_range(0..=i));
        }
        for (_, from, to, message) in due {
            if self.cut.contains(&(from, to)) {
                continue;
            }
            self.deliver(from, to, message);
        }
    }

    fn deliver(&mut self, from: NodeId, to: NodeId, message: KvMessage) {
        match message {
            KvMessage::Raft(message) => {
                if let Some(server) = self.live(to) {
                    server.step(message);
                    self.process(to);
                }
            }
            KvMessage::Request(request) => {
                if let Some(server) = self.live(to) {
                    server.request(from, request);
                    self.process(to);
                }
            }
            KvMessage::Reply(reply) => {
                if let Some(slot) = self.clerks.get_mut(&to) {
                    let effects = slot.clerk.on_reply(from, reply);
                    self.clerk_effects(to, effects);
                }
            }
        }
    }

    fn live(&mut self, id: NodeId) -> Option<&mut S> {
        self.servers.get_mut(&id).and_then(Option::as_mut)
    }

    /// Carries out a server's `KvReady`: persist, send, and check what it applied.
    fn process(&mut self, id: NodeId) {
        let Some(server) = self.live(id) else { return };
        let ready = server.ready();
        assert_eq!(ready.anomalies, vec![], "round {}: {id} anomalies", self.round);
        let durable = self.durable.get_mut(&id).expect("durable state exists");
        durable.apply(&ready.raft).expect("raft keeps the persistence contract");
        self.max_raft_state_seen = self.max_raft_state_seen.max(durable.size_bytes());
        self.max_snapshot_seen = self.max_snapshot_seen.max(durable.snapshot_size_bytes());
        for entry in &ready.raft.committed_entries {
            let first = self.applied.entry(entry.index).or_insert_with(|| entry.command.clone());
            assert_eq!(*first, entry.command, "two commands applied at {}", entry.index);
        }
        for (to, message) in ready.outgoing() {
            self.send(id, to, message);
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, message: KvMessage) {
        if self.cut.contains(&(from, to)) || self.rng.gen_range(0..100) < self.faults.loss_percent {
            return;
        }
        let copies = if self.rng.gen_range(0..100) < self.faults.duplicate_percent { 2 } else { 1 };
        for _ in 0..copies {
            let delay = self.rng.gen_range(1..=self.faults.max_delay_rounds.max(1));
            self.in_flight.push((self.round + delay, from, to, message.clone()));
        }
    }

    fn clerk_effects(&mut self, id: NodeId, effects: Vec<ClerkEffect>) {
        for effect in effects {
            match effect {
                ClerkEffect::Send { to, request } => self.send(id, to, KvMessage::Request(request)),
                ClerkEffect::StartTimer { after } => {
                    let rounds = (after.as_millis() as u64 / TICK_MS).max(1);
                    self.clerks.get_mut(&id).expect("clerk").timer_at = Some(self.round + rounds);
                }
                ClerkEffect::CancelTimer => {
                    self.clerks.get_mut(&id).expect("clerk").timer_at = None
                }
                ClerkEffect::Completed { seq, op, value } => {
                    let slot = &self.clerks[&id];
                    let client = slot.clerk.client();
                    let started = slot.started_at;
                    self.history.push(Record {
                        client,
                        seq,
                        op,
                        value,
                        started,
                        ended: self.round,
                    });
                    self.start_next(id);
                }
            }
        }
    }

    fn start_next(&mut self, id: NodeId) {
        let round = self.round;
        let slot = self.clerks.get_mut(&id).expect("clerk");
        let Some(op) = slot.workload.pop() else { return };
        slot.started_at = round;
        let effects = slot.clerk.start(op).expect("clerk idle");
        self.clerk_effects(id, effects);
    }

    /// Crash: the server object is dropped, messages to and from it vanish; its durable state
    /// stays.
    pub fn crash(&mut self, id: NodeId) {
        self.servers.insert(id, None);
        self.in_flight.retain(|(_, from, to, _)| *from != id && *to != id);
    }

    /// Restart from exactly what was persisted.
    pub fn restart(&mut self, id: NodeId) {
        self.crash(id);
        self.start_server(id);
    }

    fn start_server(&mut self, id: NodeId) {
        let server = S::restart(self.configs[&id].clone(), &self.durable[&id]);
        self.servers.insert(id, Some(server));
        self.process(id);
    }

    /// Cuts every link between `group` and the other servers (clerks still reach everyone).
    pub fn partition(&mut self, group: &[NodeId]) {
        for a in group {
            for b in self.server_ids() {
                if !group.contains(&b) {
                    self.cut.insert((*a, b));
                    self.cut.insert((b, *a));
                }
            }
        }
    }

    /// Cuts the links between clerk `client` and `servers`, both ways (6.824's clients that
    /// reach only one side of a partition).
    pub fn cut_clerk(&mut self, client: u64, servers: &[NodeId]) {
        for server in servers {
            self.cut.insert((NodeId(100 + client), *server));
            self.cut.insert((*server, NodeId(100 + client)));
        }
    }

    /// Restores every link, between servers and to clerks.
    pub fn heal(&mut self) {
        self.cut.clear();
    }

    /// The live server that leads the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .values()
            .flatten()
            .map(S::status)
            .filter(|s| s.role == raft::Role::Leader)
            .max_by_key(|s| s.current_term)
            .map(|s| s.id)
    }

    /// A random server id, from the world's stream.
    pub fn random_server(&mut self) -> NodeId {
        let ids = self.server_ids();
        ids[self.rng.gen_range(0..ids.len())]
    }

    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }
}
