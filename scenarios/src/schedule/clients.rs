//! The clients' side of a schedule: how many operations of its own workload each clerk
//! started, for the clerks whose workload may be cut short (random keys, or its own key; not a
//! scenario's fixed count of appends or hand-started operations). A replayed schedule lets a
//! clerk start at most that many, so a shrinker can drop the tail of a workload and keep a
//! failure in a shorter history.
use std::collections::BTreeMap;

/// Operations clerk `clerk` (by its index in the scenario) started from its plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOps {
    pub clerk: usize,
    pub ops: u64,
}

/// Limits being replayed and counts being recorded.
#[derive(Clone, Debug, Default)]
pub struct ClientTape {
    limits: BTreeMap<usize, u64>,
    started: BTreeMap<usize, u64>,
}

impl ClientTape {
    /// A tape that lets each listed clerk start at most its recorded number of operations.
    pub fn replaying(clients: &[ClientOps]) -> ClientTape {
        let limits = clients.iter().map(|c| (c.clerk, c.ops)).collect();
        ClientTape { limits, started: BTreeMap::new() }
    }

    /// Whether clerk `k` may start its next planned operation; counts it if so. A clerk the
    /// schedule does not list is not limited (the recorded run started no more than it lists,
    /// so an exact replay is never cut).
    pub fn may_start(&mut self, k: usize) -> bool {
        let started = self.started.entry(k).or_default();
        if self.limits.get(&k).is_some_and(|limit| *started >= *limit) {
            return false;
        }
        *started += 1;
        true
    }

    /// The operations each clerk started so far.
    pub fn recorded(&self) -> Vec<ClientOps> {
        self.started.iter().map(|(&clerk, &ops)| ClientOps { clerk, ops }).collect()
    }
}
