//! Swarm testing (FoundationDB / TigerBeetle style): `swarm.raft` and `swarm.kv` draw their
//! whole fault mix from the seed — which faults are on and how often, partition shapes
//! (splits, one-way links, bridges), crashes, clients, snapshots, and sometimes a targeted
//! story for a bug that random storms miss — then run a safety phase under faults and a
//! liveness phase in which the faults stop, a majority heals, and progress must resume within
//! a bound (a liveness failure, exit 3, if it does not).
mod kv;
mod kv_stories;
mod liveness;
mod mix;
mod raft;
mod shapes;
mod stories;

use ::kv::KvService;
use ::raft::Consensus;

use crate::scenario::Scenario;

pub fn scenarios<R: Consensus, K: KvService>() -> Vec<Scenario<R, K>> {
    vec![
        Scenario::named("swarm.raft")
.summary("a Raft cluster under a fault mix drawn from the seed (targeted stories sometimes); \
             safety under faults, then progress within a bound once a majority heals")
.drawn(raft::setup)
.story(raft::body),
        Scenario::named("swarm.kv")
.summary("a KV cluster and clients under a fault mix drawn from the seed; linearizable \
             under faults, every client finishes once a majority heals")
.drawn(kv::setup)
.story(kv::body),
    ]
}
