//! Every conformance check, in the order of the paper: the one list the raft crate's tests,
//! the lab's test macro and the grader all derive from.

use crate::consensus::Consensus;

use super::check::Check;
use super::request_vote;
use super::{all_servers, append_entries, commit, elections, install_snapshot, persistence};

/// The checks, instantiated for implementation `C`.
pub fn checks<C: Consensus>() -> Vec<Check> {
    [
        all_servers::checks::<C>(),
        elections::checks::<C>(),
        request_vote::checks::<C>(),
        append_entries::checks::<C>(),
        commit::checks::<C>(),
        persistence::checks::<C>(),
        install_snapshot::checks::<C>(),
    ]
    .concat()
}

/// The check named `name`, for implementation `C`.
pub fn find<C: Consensus>(name: &str) -> Option<Check> {
    checks::<C>().into_iter().find(|check| check.name == name)
}
