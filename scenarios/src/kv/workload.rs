//! The clerks' workloads (the lab's client loops): each clerk runs a plan, starting its next
//! operation the moment the previous one returns, until the scenario stops it. Reads of a key
//! the clerk owns are checked against its model value as they return (GenericTest's "get wrong
//! value"); appends are numbered per client so the append checks can find them.
use std::collections::BTreeMap;

use kv::{ClientId, Op};
use raft::Consensus;
use sim::rand::Rng;
use sim::NodeId;

use super::appends::element;
use super::history::KvRecord;
use super::node::KvNode;
use super::tester::KvTester;
use crate::failure::{Check, Failure};
use crate::host::ClerkHost;

/// What a clerk does while it runs.
#[derive(Clone, Debug)]
pub enum Plan {
    /// Only what the scenario starts by hand.
    Manual,
    /// GenericTest: on its own key, append (half the time) or get; every get must read
    /// exactly the clerk's model of the key.
    OwnKey { key: String },
    /// The linearizability tests: put, append or get on one of `keys` random keys.
    RandomKeys { keys: u64 },
    /// `left` more appends to `key`, then stop (the one-key concurrent appends test).
    Appends { key: String, left: u64 },
}

/// One clerk as the tester sees it.
#[derive(Clone, Debug)]
pub struct ClerkSlot {
    pub id: NodeId,
    pub client: ClientId,
    pub plan: Plan,
    /// Starts a new operation whenever the previous returns.
    pub running: bool,
    /// What the clerk's own writes made of each key it owns (OwnKey plans).
    pub model: BTreeMap<String, String>,
    /// Per key, the append numbers this clerk made, and whether each returned.
    pub appends: BTreeMap<String, Vec<(u64, bool)>>,
    next_append: u64,
    pub completed: u64,
}

impl<R: Consensus> KvTester<R> {
    /// Adds a clerk (connected to every server) with `plan`; returns its index. It idles until
    /// `start_clients` or a manual operation.
    pub fn add_clerk(&mut self, plan: Plan) -> usize {
        let (id, client) = self.next_clerk_ids();
        let host = ClerkHost::new(client, &self.servers);
        self.sim.add_node(id, KvNode::Clerk(host));
        self.clerks.push(ClerkSlot {
            id,
            client,
            plan,
            running: false,
            model: BTreeMap::new(),
            appends: BTreeMap::new(),
            next_append: 0,
            completed: 0,
        });
        self.clerks.len() - 1
    }

    pub fn clerk(&self, k: usize) -> &ClerkSlot {
        &self.clerks[k]
    }

    pub fn clerk_count(&self) -> usize {
        self.clerks.len()
    }

    /// Sets every clerk with a plan going.
    pub fn start_clients(&mut self) -> Check {
        for k in 0..self.clerks.len() {
            if !matches!(self.clerks[k].plan, Plan::Manual) {
                self.clerks[k].running = true;
                if !self.clerk_busy(k) {
                    self.start_next(k)?;
                }
            }
        }
        Ok(())
    }

    /// Tells every clerk to stop after its current operation.
    pub fn stop_clients(&mut self) {
        for slot in &mut self.clerks {
            slot.running = false;
        }
    }

    pub fn clerk_busy(&self, k: usize) -> bool {
        self.kv_history.is_open(self.clerks[k].client)
    }

    /// Operations still open.
    pub fn open_ops(&self) -> usize {
        self.kv_history.open_count()
    }

    /// Starts `op` on clerk `k` now (it must be idle).
    pub fn start_op(&mut self, k: usize, op: Op) -> Check {
        let id = self.clerks[k].id;
        if let Op::Append { key, value } = &op {
            if let Some(j) = parse_element(self.clerks[k].client.0, value) {
                self.clerks[k].appends.entry(key.clone()).or_default().push((j, false));
            }
        }
        let started = self.sim.with_node(id, |node, ctx| match node {
            KvNode::Clerk(host) => host.start(ctx, op),
            KvNode::Server(_) => false,
        });
        if started != Some(true) {
            return Err(Failure::assertion(format!("clerk {id} could not start an operation")));
        }
        self.after_event(id)
    }

    /// A unique append element for clerk `k`'s next append.
    pub fn next_element(&mut self, k: usize) -> String {
        let slot = &mut self.clerks[k];
        let j = slot.next_append;
        slot.next_append += 1;
        element(slot.client.0, j)
    }

    fn start_next(&mut self, k: usize) -> Check {
        let op = match self.clerks[k].plan.clone() {
            Plan::Manual => return Ok(()),
            Plan::OwnKey { key } => {
                if self.workload.gen_bool(0.5) {
                    let value = self.next_element(k);
                    Op::Append { key, value }
                } else {
                    Op::Get { key }
                }
            }
            Plan::RandomKeys { keys } => {
                let key = self.workload.gen_range(0..keys.max(1)).to_string();
                match self.workload.gen_range(0..3) {
                    0 => Op::Put { key, value: self.next_element(k) },
                    1 => Op::Append { key, value: self.next_element(k) },
                    _ => Op::Get { key },
                }
            }
            Plan::Appends { key, left } => {
                if left == 0 {
                    self.clerks[k].running = false;
                    return Ok(());
                }
                self.clerks[k].plan = Plan::Appends { key: key.clone(), left: left - 1 };
                Op::Append { key, value: self.next_element(k) }
            }
        };
        self.start_op(k, op)
    }

    /// An operation returned: update the clerk's model, check an owned-key read, and start
    /// the clerk's next operation if it is still running.
    pub(super) fn on_returned(&mut self, record: &KvRecord) -> Check {
        let Some(k) = self.clerks.iter().position(|s| s.client == record.client) else {
            return Ok(());
        };
        let value = record.ret.as_ref().map_or("", |(_, v)| v.as_str());
        let slot = &mut self.clerks[k];
        slot.completed += 1;
        let owned = matches!(&slot.plan, Plan::OwnKey { key } if key == record.op.key());
        match &record.op {
            Op::Append { key, value: element } => {
                if let Some(j) = parse_element(slot.client.0, element) {
                    let list = slot.appends.entry(key.clone()).or_default();
                    if let Some(entry) = list.iter_mut().find(|(made, _)| *made == j) {
                        entry.1 = true;
                    }
                }
                if owned {
                    slot.model.entry(key.clone()).or_default().push_str(element);
                }
            }
            Op::Put { key, value: put } if owned => {
                slot.model.insert(key.clone(), put.clone());
            }
            Op::Get { key } if owned => {
                let expected = slot.model.get(key).map_or("", String::as_str);
                if value != expected {
                    return Err(Failure::not_linearizable(format!(
                        "{} read {value:?} from its own key {key:?}, but its writes made it \
                         {expected:?} (get wrong value)",
                        record.client
                    )));
                }
            }
            _ => {}
        }
        if self.clerks[k].running {
            self.start_next(k)?;
        }
        Ok(())
    }
}

/// The append number in `value` if it is one of `client`'s elements.
fn parse_element(client: u64, value: &str) -> Option<u64> {
    let rest = value.strip_prefix('x')?.strip_suffix('y')?;
    let (c, j) = rest.split_once('.')?;
    (c.parse::<u64>().ok()? == client).then_some(())?;
    j.parse().ok()
}
