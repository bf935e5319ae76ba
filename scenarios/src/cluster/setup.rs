//! How a scenario's cluster is built: how many servers, which network, what runs on the
//! servers (Raft with the lab's test service, or a KV service on Raft), the servers' clocks,
//! the mutation switches turned on, and how much trace to keep. One description for every
//! scenario.
use std::time::Duration;

use kv::{KvBugs, ReadPath};
use raft::Bugs;
use sim::{ClockConfig, NetConfig};

/// What the servers run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// Raft with the lab's test service above it (the applier); it snapshots every this many
    /// applied entries (the lab's SnapShotInterval), or never.
    Raft { snapshot_every: Option<u64> },
    /// A KV service on Raft, with clerks; it snapshots at this many bytes of Raft state (the
    /// lab's maxraftstate), or never.
    Kv { max_raft_state: Option<usize> },
}

/// How a cluster is built.
#[derive(Clone, Debug)]
pub struct Setup {
    pub servers: usize,
    pub net: NetConfig,
    pub service: Service,
    /// The servers' clocks (drift, wander, step jumps); perfect by default, which leaves
    /// every trace as it was before clocks could drift.
    pub clocks: ClockConfig,
    /// How KV servers serve `Get` (the KV service's default unless a scenario says).
    pub read_path: ReadPath,
    /// With lease reads: the clock drift the lease assumes, in ppm; `None` takes the clocks'
    /// own bound (a correct configuration). A smaller figure is a misconfigured cluster.
    pub lease_drift_ppm: Option<u32>,
    /// Mutation switches of the reference Raft (other implementations ignore them unless
    /// they read `Config::bugs`).
    pub bugs: Bugs,
    /// Mutation switches of the reference KV server.
    pub kv_bugs: KvBugs,
    /// Trace records kept for failure reports; 0 keeps only the hash (fast sweeps).
    pub trace_capacity: usize,
}

impl Setup {
    /// `servers` Raft servers on the Raft labs' network: reliable, with long delays for
    /// requests to unreachable peers.
    pub fn raft(servers: usize) -> Setup {
        Setup {
            servers,
            net: NetConfig::long_delays(),
            service: Service::Raft { snapshot_every: None },
            clocks: ClockConfig::off(),
            read_path: ReadPath::default(),
            lease_drift_ppm: None,
            bugs: Bugs::none(),
            kv_bugs: KvBugs::none(),
            trace_capacity: 200,
        }
    }

    /// `servers` KV servers on a reliable network whose failed calls return within U[0,100) ms.
    pub fn kv(servers: usize) -> Setup {
        Setup {
            net: NetConfig::reliable(),
            service: Service::Kv { max_raft_state: None },
            ..Setup::raft(servers)
        }
    }

    /// KV servers on labrpc's unreliable network: requests delayed U[0,27) ms, 10% of requests
    /// and replies lost.
    pub fn kv_unreliable(servers: usize) -> Setup {
        Setup { net: NetConfig::unreliable(), ..Setup::kv(servers) }
    }

    /// The same cluster on another network.
    pub fn on(mut self, net: NetConfig) -> Setup {
        self.net = net;
        self
    }

    /// The same cluster with these clocks.
    pub fn clocks(mut self, clocks: ClockConfig) -> Setup {
        self.clocks = clocks;
        self
    }

    /// The same cluster with KV servers serving `Get` by `read_path`.
    pub fn reads(mut self, read_path: ReadPath) -> Setup {
        self.read_path = read_path;
        self
    }

    /// The same cluster with leases that assume clocks drift at most `ppm`, whatever the
    /// clocks really do.
    pub fn lease_assumes(mut self, ppm: u32) -> Setup {
        self.lease_drift_ppm = Some(ppm);
        self
    }

    /// The lease Raft is configured with: `None` unless Gets are served by lease. It assumes
    /// the clocks' drift bound (or `lease_drift_ppm`) and steps of up to `max_jump`, rounded up
    /// to whole ticks of `tick`.
    pub fn lease(&self, tick: Duration) -> Option<raft::Lease> {
        if self.read_path != ReadPath::Lease {
            return None;
        }
        let clocks = &self.clocks;
        let jumps = !clocks.jump_every.is_zero() && !clocks.max_jump.is_zero();
        let step_ticks =
            if jumps { clocks.max_jump.as_nanos().div_ceil(tick.as_nanos()) } else { 0 };
        Some(raft::Lease {
            max_drift_ppm: self.lease_drift_ppm.unwrap_or(clocks.max_drift_ppm),
            max_step_ticks: u32::try_from(step_ticks).unwrap_or(u32::MAX),
        })
    }

    /// Turns snapshots on: every `n` applied entries for Raft's test service, at `n` bytes of
    /// Raft state (maxraftstate) for a KV service.
    pub fn snapshots(mut self, n: usize) -> Setup {
        self.service = match self.service {
            Service::Raft { .. } => Service::Raft { snapshot_every: Some(n as u64) },
            Service::Kv { .. } => Service::Kv { max_raft_state: Some(n) },
        };
        self
    }

    /// True when the servers run a KV service (and the cluster records a client history).
    pub fn is_kv(&self) -> bool {
        matches!(self.service, Service::Kv { .. })
    }

    /// The KV service's snapshot threshold (maxraftstate), if it has one.
    pub fn max_raft_state(&self) -> Option<usize> {
        match self.service {
            Service::Kv { max_raft_state } => max_raft_state,
            Service::Raft { .. } => None,
        }
    }
}
