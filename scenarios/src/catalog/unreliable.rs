//! placeholder while writing
use super::Scenario;
use raft::Consensus;
pub fn scenarios<R: Consensus>() -> Vec<Scenario<R>> {
    vec![]
}
