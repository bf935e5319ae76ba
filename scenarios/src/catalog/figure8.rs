//! The Figure 8 tests' shared step (persist and unreliable sections): the lab's random pause
//! between rounds, which sometimes leaves time for a new election and mostly does not.
use kv::KvService;
use raft::Consensus;

use crate::cluster::{Cluster, ELECTION_TIMEOUT};
use crate::failure::Check;

/// The Figure 8 tests' pause between rounds (persist and unreliable): one time in ten up to
/// half an election timeout, long enough for a new election, else under 13 ms.
pub fn figure8_pause<R: Consensus, K: KvService>(t: &mut Cluster<R, K>) -> Check {
    let pause = if t.fault_random(1000) < 100 {
        std::time::Duration::from_millis(t.fault_random(ELECTION_TIMEOUT.as_millis() as u64 / 2))
    } else {
        std::time::Duration::from_millis(t.fault_random(13))
    };
    t.sleep(pause)
}
