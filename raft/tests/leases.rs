//! Leader leases (§6.4.1 of the Raft dissertation) on the reference node: once a majority
//! acknowledged a round, the leader answers reads at once, with no message, for the lease
//! (the minimum election timeout less the clocks' margin) counted on its own ticks from that
//! round's send; and every server with leases on ignores RequestVote within the minimum
//! election timeout of hearing from a leader, which is what makes the lease safe.

mod common;

use common::*;
use raft::{Body, Command, Consensus, Lease, LogIndex, PersistedState, RaftNode, ReadState};

/// Node 1 of three leads with `lease`, has committed an entry of its term, and node 2 has
/// just acknowledged a round (sent on the returned tick count: 0 ticks ago).
fn leader_holding_a_lease(lease: Lease, bug: Option<&str>) -> RaftNode {
    let mut config = config(1, 3).with_lease(lease);
    if let Some(bug) = bug {
        config = config.with_bugs(raft::Bugs::only(bug).expect("known bug"));
    }
    let mut n1 = RaftNode::new(config, &persisted(1, None, &[1]));
    time_out(&mut n1);
    let term = n1.status().current_term.0;
    n1.step(vote_reply(2, 1, term, true));
    n1.ready();
    n1.propose(Command::from("w")).expect("leader");
    n1.ready();
    n1.step(append_ok(2, 1, term, 2));
    n1.ready();
    // The first read finds no lease: it takes a round, whose acknowledgement starts one.
    n1.read_index(1).expect("leader");
    let round = rounds(&n1.ready())[0];
    n1.step(probe_ack(2, 1, term, round));
    assert_eq!(n1.ready().read_states, vec![ReadState { request: 1, index: LogIndex(2) }]);
    n1
}

/// Ticks `n` times, answering nothing the node sends.
fn tick(node: &mut RaftNode, n: u32) {
    for _ in 0..n {
        node.tick();
        node.ready();
    }
}

/// Whether a read taken now is answered at once, without a round.
fn served_at_once(node: &mut RaftNode, request: u64) -> bool {
    node.read_index(request).expect("leader");
    let ready = node.ready();
    let served = ready.read_states.iter().any(|r| r.request == request);
    // A read the lease does not cover waits for a round: a new one, or one already out (a
    // renewal), whose acknowledgement renews the lease.
    assert!(!served || rounds(&ready).is_empty(), "a read under a lease sends no round");
    served
}

#[test]
fn a_leader_holding_a_lease_answers_reads_without_a_message() {
    let mut n1 = leader_holding_a_lease(Lease::drift(0), None);
    n1.read_index(2).expect("leader");
    let ready = n1.ready();
    assert_eq!(ready.read_states, vec![ReadState { request: 2, index: LogIndex(2) }]);
    assert!(ready.messages.is_empty(), "no round for a read under a lease: {:?}", lines(&ready));
}

#[test]
fn the_lease_runs_out_after_its_ticks_from_the_rounds_send() {
    // 20% drift: (1 - 0.2) * 29 / 1.2 = 19.3, so 18 ticks after the rounding tick.
    let lease = Lease::drift(200_000);
    assert_eq!(lease.ticks(config(1, 3).election_ticks_min), 18);
    let mut n1 = leader_holding_a_lease(lease, None);
    tick(&mut n1, 17);
    assert!(served_at_once(&mut n1, 2), "17 ticks after the round the lease holds");
    tick(&mut n1, 1);
    assert!(!served_at_once(&mut n1, 3), "18 ticks after the round the lease is over");
}

#[test]
fn the_mutant_keeps_the_lease_as_if_clocks_were_perfect() {
    let mut n1 = leader_holding_a_lease(Lease::drift(200_000), Some("lease_without_drift_margin"));
    tick(&mut n1, 27);
    assert!(served_at_once(&mut n1, 2), "28 ticks, however far the clocks drift");
}

#[test]
fn heartbeats_renew_the_lease_while_reads_come() {
    let mut n1 = leader_holding_a_lease(Lease::drift(0), None);
    let term = n1.status().current_term.0;
    let mut renewals = Vec::new();
    for _ in 0..10 {
        n1.tick();
        renewals.extend(rounds(&n1.ready()));
    }
    assert_eq!(renewals.len(), 2, "one round to each follower on the heartbeat");
    n1.step(probe_ack(3, 1, term, renewals[0]));
    n1.ready();
    tick(&mut n1, 27);
    assert!(served_at_once(&mut n1, 2), "37 ticks after the first round, 27 after the renewal");
}

#[test]
fn an_idle_leader_sends_no_rounds() {
    let mut n1 = leader_holding_a_lease(Lease::drift(0), None);
    let mut sent = 0;
    for _ in 0..200 {
        n1.tick();
        sent += rounds(&n1.ready()).len();
    }
    // Renewals stop one election timeout (at most 60 ticks) after the last read.
    assert!(sent <= 12, "{sent} probes from a leader without reads");
}

#[test]
fn a_lease_needs_an_entry_of_the_leaders_term_committed() {
    let mut n1 = RaftNode::new(config(1, 3).with_lease(Lease::drift(0)), &persisted(1, None, &[1]));
    time_out(&mut n1);
    let term = n1.status().current_term.0;
    n1.step(vote_reply(2, 1, term, true));
    n1.ready();
    n1.read_index(1).expect("leader");
    let round = rounds(&n1.ready())[0];
    n1.step(probe_ack(2, 1, term, round));
    assert!(n1.ready().read_states.is_empty(), "commit index 0 may miss entry 1");
    assert!(!served_at_once(&mut n1, 2), "a lease without a commit of the term serves nothing");
}

#[test]
fn a_voter_ignores_request_vote_within_the_minimum_election_timeout_of_its_leader() {
    let lease = config(2, 3).with_lease(Lease::drift(0));
    let min = lease.election_ticks_min;
    let mut n2 = RaftNode::new(lease, &persisted(2, None, &[1]));
    n2.step(append(1, 2, 2, (1, 1), vec![], 1));
    n2.ready();
    tick(&mut n2, min - 1);
    let ready = step(&mut n2, vote(3, 2, 5, 1, 1));
    assert!(ready.messages.is_empty(), "no answer within the promise: {:?}", lines(&ready));
    assert_eq!(n2.status().current_term.0, 2, "not even the candidate's term");
    tick(&mut n2, 1);
    let term = n2.status().current_term.0 + 1; // the node may have started its own election
    let ready = step(&mut n2, vote(3, 2, term, 1, 1));
    assert!(
        ready.messages.iter().any(|m| m.body == Body::RequestVoteReply { vote_granted: true }),
        "the promise is over: {:?}",
        lines(&ready)
    );
}

#[test]
fn a_restarted_voter_keeps_the_promise_it_may_have_made_before_the_crash() {
    let lease = config(2, 3).with_lease(Lease::drift(0));
    let mut n2 = RaftNode::new(lease.clone(), &persisted(2, None, &[1]));
    let ready = step(&mut n2, vote(3, 2, 5, 1, 1));
    assert!(ready.messages.is_empty(), "a fresh start withholds votes: {:?}", lines(&ready));
    // Without leases nothing is withheld.
    let mut plain = RaftNode::new(config(2, 3), &PersistedState::default());
    let ready = step(&mut plain, vote(3, 2, 5, 1, 1));
    assert_eq!(ready.messages.len(), 1, "{:?}", lines(&ready));
}
