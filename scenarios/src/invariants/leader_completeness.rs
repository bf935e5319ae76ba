//! Leader completeness (§5.4, Figure 3): if a log entry is committed in a given term, that
//! entry will be present in the logs of the leaders for all higher-numbered terms.
//!
//! Checked when a server becomes leader of term T: every entry some server has applied with a
//! commit-term bound below T must be in the new leader's log (indices it has compacted into a
//! snapshot are committed by construction and skipped).
use raft::{LogIndex, Status, Term};
use sim::NodeId;

use super::state_machine_safety::History;
use crate::failure::{Check, Failure};

/// `log_term` reads the new leader's log (`Consensus::log_term`), whatever hosts it.
pub fn check_leader_completeness(
    node: NodeId,
    log_term: impl Fn(LogIndex) -> Option<Term>,
    status: &Status,
    history: &History,
) -> Check {
    let from = status.snapshot_index.next();
    for (index, committed) in history.iter_from(from) {
        if committed.commit_term_bound >= status.current_term {
            continue;
        }
        let held = log_term(index);
        if held != Some(committed.term) {
            let held = held.map_or("nothing".to_string(), |t| format!("term {t}"));
            return Err(Failure::invariant(
                "leader completeness",
                format!(
                    "{node} leads term {} but holds {held} at index {index}, where an entry of \
                     term {} was committed by term {} (§5.4)",
                    status.current_term, committed.term, committed.commit_term_bound
                ),
            ));
        }
    }
    Ok(())
}
