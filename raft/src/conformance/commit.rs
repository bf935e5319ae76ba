//! Figure 2, Rules for Leaders (§5.3, §5.4.2): a leader commits an entry once a majority holds
//! it, and only an entry of its own term by counting (Figure 8: an entry of an earlier term on
//! a majority can still be overwritten); committing one commits all before it, and each is
//! handed to the service once, in order.

use crate::consensus::Consensus;
use crate::types::LogIndex;

use super::check::{Check, Group, Setup, Violation};
use super::harness::Node;
use super::peer::{exchange, Peer};
use super::rpc::persisted;
use super::rules;

pub(crate) fn checks<C: Consensus>() -> Vec<Check> {
    let group = Group::Commit;
    vec![
        Check {
            name: "proposals_commit_in_order_once_a_majority_holds_them",
            group,
            summary: "a leader's proposals get the next indices in its term and commit, each \
                      applied once and in order, once a majority holds them, and not before",
            run: proposals_commit_with_a_majority::<C>,
        },
        Check {
            name: "earlier_term_entries_commit_only_under_a_current_term_entry",
            group,
            summary: "an entry of an earlier term on a majority is not committed by counting \
                      (Figure 8); it commits with the first entry of the leader's term",
            run: earlier_term_entries_wait::<C>,
        },
    ]
}

fn proposals_commit_with_a_majority<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // Five servers: n2 answers from the start, n3 only later, n4 and n5 are down.
    let mut n1 = Node::<C>::start(setup, 1, 5, persisted(0, None, &[]));
    let mut sent = n1.win_election()?;
    let term = n1.status().current_term;
    let mut peers = [Peer::new(2, &[]), Peer::silent(3), Peer::silent(4), Peer::silent(5)];
    for (k, command) in ["a", "b", "c"].into_iter().enumerate() {
        let want = (LogIndex(k as u64 + 1), term);
        let got = n1.propose(command);
        if got != Some(want) {
            let what = format!(
                "n1 leads term {term} with an empty log; proposing {command:?} returned \
                 {got:?}: it must append it at index {} of term {term}",
                want.0
            );
            return Err(Violation::new(rules::LEADER_APPEND, what));
        }
    }
    sent.extend(n1.ready()?.messages);
    // Two heartbeat intervals, shorter than any election timeout: a leader that steps down
    // when it hears from no majority for that long (§6.2 of the dissertation) is still here.
    let heartbeat = n1.config().heartbeat_ticks;
    exchange(&mut n1, &mut peers, sent, 2 * heartbeat)?;
    if n1.status().commit_index != LogIndex::ZERO {
        let what = format!(
            "n1 of five servers committed through {} while only n1 and n2 hold its entries",
            n1.status().commit_index
        );
        return Err(Violation::new(rules::LEADER_COMMIT, what));
    }
    peers[1].silent = false;
    // Ten heartbeat intervals: a leader may back up one entry per heartbeat.
    let ticks = 10 * heartbeat;
    exchange(&mut n1, &mut peers, Vec::new(), ticks)?;
    let status = n1.status();
    if status.commit_index != LogIndex(3) || status.last_applied != LogIndex(3) {
        let what = format!(
            "n1 of five servers, n2 and n3 answering, holds entries 1..3 of its term on a \
             majority for {ticks} ticks, but its commit index is {} and it applied through {}",
            status.commit_index, status.last_applied
        );
        return Err(Violation::new(rules::LEADER_COMMIT, what));
    }
    Ok(())
}

fn earlier_term_entries_wait<C: Consensus>(setup: &Setup) -> Result<(), Violation> {
    // Figure 8: n1 leads term 3 and holds 1/1 and 2/2, as does n2; n3 is down.
    let mut n1 = Node::<C>::start(setup, 1, 3, persisted(2, None, &[1, 2]));
    let sent = n1.win_election()?;
    let term = n1.status().current_term;
    let mut peers = [Peer::new(2, &[1, 2]), Peer::silent(3)];
    let ticks = 10 * n1.config().heartbeat_ticks;
    exchange(&mut n1, &mut peers, sent, ticks)?;
    if n1.status().commit_index != LogIndex::ZERO {
        let what = format!(
            "n1, leader of term {term}, committed through {} by counting: entries 1/1 and 2/2 \
             are on a majority (n1, n2), but none is of term {term}",
            n1.status().commit_index
        );
        return Err(Violation::new(rules::LEADER_COMMIT, what));
    }
    let Some((index, _)) = n1.propose("x") else {
        let what = format!("n1 leads term {term} but refused a proposal");
        return Err(Violation::new(rules::LEADER_APPEND, what));
    };
    let sent = n1.ready()?.messages;
    exchange(&mut n1, &mut peers, sent, ticks)?;
    let status = n1.status();
    if status.commit_index != index || status.last_applied != index {
        let what = format!(
            "n1, leader of term {term}, holds its own entry {term}/{index} on a majority (n1, \
             n2) for {ticks} ticks, but its commit index is {} and it applied through {}: all \
             of 1..{index} must be committed and applied",
            status.commit_index, status.last_applied
        );
        return Err(Violation::new(rules::LEADER_COMMIT, what));
    }
    Ok(())
}
