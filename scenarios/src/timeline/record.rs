//! Recording a timeline on a running cluster: turning it on before the story runs (a first
//! role sample of every server, so each lane starts at time 0), and gathering the capture
//! when the story is over. The run builds such a cluster with an unbounded trace ring; a
//! cluster that was never asked pays one `Option` check per event and keeps its bounded ring.
use kv::KvService;
use raft::Consensus;

use super::capture::{FailureMark, KvTimeline, Timeline};
use super::linearization::linearize;
use super::roles::RoleTrack;
use crate::cluster::Cluster;
use crate::failure::{Broke, Failure};

/// The trace capacity of a cluster whose run records a timeline: every record is kept (a
/// `VecDeque` that grows as needed; nothing is reserved up front).
pub const TRACE_ALL: usize = usize::MAX;

/// Starts recording roles on a freshly built `cluster` (built with an unbounded trace ring:
/// `TRACE_ALL`).
pub(crate) fn start<R: Consensus, K: KvService>(cluster: &mut Cluster<R, K>) {
    let mut roles = RoleTrack::default();
    let now = cluster.sim.now();
    for &id in &cluster.servers {
        let incarnation = cluster.sim.incarnation(id).unwrap_or(0);
        if let Some(status) = cluster.sim.node(id).and_then(|host| host.status()) {
            roles.sample(now, id, incarnation, &status);
        }
    }
    cluster.roles = Some(roles);
}

/// The capture of the run `cluster` has finished, which ended in `failure` (if any).
pub(crate) fn finish<R: Consensus, K: KvService>(
    cluster: &mut Cluster<R, K>,
    failure: Option<&Failure>,
) -> Timeline {
    let records = cluster.sim.trace_records(usize::MAX).cloned().collect();
    let end = cluster.sim.now();
    let kv = cluster.setup.is_kv().then(|| {
        let history = cluster.kv.history.clone();
        KvTimeline {
            clerks: cluster.kv.clerks.iter().map(|slot| (slot.client, slot.id)).collect(),
            linearization: linearize(&history, end),
            history,
        }
    });
    let failure = failure.map(|failure| FailureMark {
        kind: failure.broke.to_string(),
        message: failure.message.clone(),
        at: end,
        blocked_op: match failure.broke {
            Broke::NotLinearizable => kv.as_ref().and_then(|kv| kv.linearization.blocked.first()),
            _ => None,
        }
        .copied(),
    });
    Timeline {
        servers: cluster.servers.clone(),
        records,
        roles: cluster.roles.take().map(RoleTrack::into_changes).unwrap_or_default(),
        kv,
        failure,
        end,
    }
}
