//! The clerks' workloads (the lab's client loops): each clerk runs a plan, starting its next
//! operation the moment the previous one returns, until the scenario stops it. Reads of a key
//! the clerk owns are checked against its model value as they return (GenericTest's "get wrong
//! value"); appends are numbered per client so the append checks can find them.
use std::collections::BTreeMap;

use kv::{ClientId, KvService, Op};
use raft::Consensus;
use sim::rand::Rng;
use sim::NodeId;

use super::appends::element;
use super::history::KvRecord;
use super::layer::{ClerkSlot, Plan};
use crate::cluster::Cluster;
use crate::failure::{Check, Failure};
use crate::host::{ClerkHost, Host};

/// Clerk addresses start here, well clear of the servers.
const FIRST_CLERK: u32 = 100;

impl<R: Consensus, K: KvService> Cluster<R, K> {
    /// The address of the next clerk to be added, and its client id.
    fn next_clerk_ids(&self) -> (NodeId, ClientId) {
        let k = self.kv.clerks.len() as u32;
        (NodeId(FIRST_CLERK + k), ClientId(u64::from(k) + 1))
    }

    /// Adds a clerk (connected to every server) with `plan`; returns its index. It idles until
    /// `start_clients` or a manual operation.
    pub fn add_clerk(&mut self, plan: Plan) -> usize {
        let (id, client) = self.next_clerk_ids();
        let host = ClerkHost::new(client, &self.servers);
        self.sim.add_node(id, Host::Clerk(host));
        self.kv.clerks.push(ClerkSlot {
            id,
            client,
            plan,
            running: false,
            model: BTreeMap::new(),
            appends: BTreeMap::new(),
            next_append: 0,
            completed: 0,
        });
        self.kv.clerks.len() - 1
    }

    /// The clients' history so far.
    pub fn kv_history(&self) -> &super::history::KvHistory {
        &self.kv.history
    }

    pub fn clerk(&self, k: usize) -> &ClerkSlot {
        &self.kv.clerks[k]
    }

    pub fn clerk_count(&self) -> usize {
        self.kv.clerks.len()
    }

    /// Sets every clerk with a plan going.
    pub fn start_clients(&mut self) -> Check {
        for k in 0..self.kv.clerks.len() {
            if !matches!(self.kv.clerks[k].plan, Plan::Manual) {
                self.kv.clerks[k].running = true;
                if !self.clerk_busy(k) {
                    self.start_next(k)?;
                }
            }
        }
        Ok(())
    }

    /// Tells every clerk to stop after its current operation.
    pub fn stop_clients(&mut self) {
        for slot in &mut self.kv.clerks {
            slot.running = false;
        }
    }

    pub fn clerk_busy(&self, k: usize) -> bool {
        self.kv.history.is_open(self.kv.clerks[k].client)
    }

    /// Operations still open.
    pub fn open_ops(&self) -> usize {
        self.kv.history.open_count()
    }

    /// Starts `op` on clerk `k` now (it must be idle).
    pub fn start_op(&mut self, k: usize, op: Op) -> Check {
        let id = self.kv.clerks[k].id;
        if let Op::Append { key, value } = &op {
            if let Some(j) = parse_element(self.kv.clerks[k].client.0, value) {
                self.kv.clerks[k].appends.entry(key.clone()).or_default().push((j, false));
            }
        }
        let started = self.sim.with_node(id, |node, ctx| match node {
            Host::Clerk(host) => host.start(ctx, op),
            Host::Raft(_) | Host::Kv(_) => false,
        });
        if started != Some(true) {
            return Err(Failure::assertion(format!("clerk {id} could not start an operation")));
        }
        self.after_event(id)
    }

    /// A unique append element for clerk `k`'s next append.
    pub fn next_element(&mut self, k: usize) -> String {
        let slot = &mut self.kv.clerks[k];
        let j = slot.next_append;
        slot.next_append += 1;
        element(slot.client.0, j)
    }

    fn start_next(&mut self, k: usize) -> Check {
        // A workload of random or own-key operations may be cut short by a schedule (a
        // shrinker dropping client operations); a fixed count of appends is the scenario's.
        let may_cut =
            matches!(self.kv.clerks[k].plan, Plan::OwnKey { .. } | Plan::RandomKeys { .. });
        if may_cut && !self.clients.may_start(k) {
            self.kv.clerks[k].running = false;
            return Ok(());
        }
        let op = match self.kv.clerks[k].plan.clone() {
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
                    self.kv.clerks[k].running = false;
                    return Ok(());
                }
                self.kv.clerks[k].plan = Plan::Appends { key: key.clone(), left: left - 1 };
                Op::Append { key, value: self.next_element(k) }
            }
        };
        self.start_op(k, op)
    }

    /// An operation returned: update the clerk's model, check an owned-key read, and start
    /// the clerk's next operation if it is still running.
    pub(crate) fn on_returned(&mut self, record: &KvRecord) -> Check {
        let Some(k) = self.kv.clerks.iter().position(|s| s.client == record.client) else {
            return Ok(());
        };
        let value = record.ret.as_ref().map_or("", |(_, v)| v.as_str());
        let slot = &mut self.kv.clerks[k];
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
        if self.kv.clerks[k].running {
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
