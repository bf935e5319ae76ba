//! One narrated test per rule of Figure 2 (and §7 for snapshots) of the Raft paper, each
//! asserting the exact messages a single node emits.

mod common;

use common::*;
use raft::{Command, Consensus, HardState, LogIndex, NotLeader, Role, Term};

// ---- All servers (§5.1) ----

#[test]
fn s5_1_a_higher_term_converts_even_a_leader_to_follower() {
    let mut n1 = leader(3, &persisted(0, None, &[]));
    // Figure 2, all servers: "If RPC request or response contains term T > currentTerm: set
    // currentTerm = T, convert to follower."
    let ready = step(&mut n1, append_ok(2, 1, 5, 0));
    assert_eq!(n1.status().role, Role::Follower);
    assert_eq!(ready.hard_state, Some(HardState { current_term: Term(5), voted_for: None }));
    assert!(ready.messages.is_empty(), "a stale-term reply is not answered");
}

#[test]
fn s5_1_a_request_from_an_older_term_is_refused_with_our_term() {
    let mut n2 = node(2, 3, &persisted(3, None, &[1]));
    let ready = step(&mut n2, append(1, 2, 2, (1, 1), vec![], 1));
    assert_eq!(lines(&ready), ["n2->n1 AppendReply t3 reject prev=1 conflict=short/0"]);
    let ready = step(&mut n2, vote(1, 2, 2, 9, 2));
    assert_eq!(lines(&ready), ["n2->n1 VoteReply t3 refused"]);
    assert_eq!(n2.status().commit_index, LogIndex(0), "nothing from a stale leader is trusted");
}

// ---- Followers and candidates (§5.2) ----

#[test]
fn s5_2_an_election_timeout_makes_a_candidate_that_votes_for_itself() {
    let mut n1 = node(1, 3, &persisted(0, None, &[]));
    let ready = time_out(&mut n1);
    assert_eq!(n1.status().role, Role::Candidate);
    // The vote for itself is persisted in the same Ready as the requests, so it is on disk
    // before any RequestVote leaves.
    assert_eq!(ready.hard_state, Some(HardState { current_term: Term(1), voted_for: Some(id(1)) }));
    assert_eq!(lines(&ready), ["n1->n2 Vote t1 last=0/0", "n1->n3 Vote t1 last=0/0"]);
}

#[test]
fn s5_2_a_majority_of_votes_makes_a_leader_that_heartbeats_at_once() {
    let mut n1 = node(1, 3, &persisted(1, None, &[1, 1]));
    let ready = time_out(&mut n1);
    assert_eq!(lines(&ready), ["n1->n2 Vote t2 last=1/2", "n1->n3 Vote t2 last=1/2"]);
    // Two votes of three (its own and n2's) are a majority.
    let ready = step(&mut n1, vote_reply(2, 1, 2, true));
    assert_eq!(n1.status().role, Role::Leader);
    assert_eq!(
        lines(&ready),
        ["n1->n2 Append t2 prev=1/2 [] commit=0", "n1->n3 Append t2 prev=1/2 [] commit=0"]
    );
    assert_eq!(n1.status().last_log_index, LogIndex(2), "no no-op entry on election");
}

#[test]
fn s5_2_a_vote_is_granted_to_at_most_one_candidate_per_term() {
    let mut n2 = node(2, 3, &persisted(0, None, &[]));
    let ready = step(&mut n2, vote(1, 2, 1, 0, 0));
    assert_eq!(lines(&ready), ["n2->n1 VoteReply t1 granted"]);
    assert_eq!(ready.hard_state, Some(HardState { current_term: Term(1), voted_for: Some(id(1)) }));
    let ready = step(&mut n2, vote(3, 2, 1, 0, 0));
    assert_eq!(lines(&ready), ["n2->n3 VoteReply t1 refused"]);
    // A retransmitted request from the same candidate gets the same answer.
    let ready = step(&mut n2, vote(1, 2, 1, 0, 0));
    assert_eq!(lines(&ready), ["n2->n1 VoteReply t1 granted"]);
    assert_eq!(ready.hard_state, None, "nothing new to persist");
}

#[test]
fn s5_4_1_votes_go_only_to_candidates_at_least_as_up_to_date() {
    let mut n2 = node(2, 3, &persisted(2, None, &[1, 2]));
    // A longer log with an older last term is less up-to-date.
    assert_eq!(lines(&step(&mut n2, vote(1, 2, 3, 5, 1))), ["n2->n1 VoteReply t3 refused"]);
    // Same last term, shorter log: less up-to-date.
    assert_eq!(lines(&step(&mut n2, vote(3, 2, 3, 1, 2))), ["n2->n3 VoteReply t3 refused"]);
    // Same last term, same length: up-to-date.
    assert_eq!(lines(&step(&mut n2, vote(3, 2, 3, 2, 2))), ["n2->n3 VoteReply t3 granted"]);
}

#[test]
fn s5_2_granting_a_vote_resets_the_election_timer() {
    let mut n2 = node(2, 3, &persisted(0, None, &[]));
    for _ in 0..29 {
        n2.tick();
    }
    step(&mut n2, vote(1, 2, 1, 0, 0));
    // The timeout is at least 30 ticks from the grant, so 29 more ticks start no election.
    for _ in 0..29 {
        n2.tick();
    }
    assert_eq!(n2.status().role, Role::Follower);
    assert!(n2.ready().messages.is_empty());
}

#[test]
fn s5_2_a_candidate_steps_down_for_a_leader_of_its_own_term() {
    let mut n1 = node(1, 3, &persisted(0, None, &[]));
    time_out(&mut n1);
    let ready = step(&mut n1, append(2, 1, 1, (0, 0), vec![], 0));
    assert_eq!(n1.status().role, Role::Follower);
    assert_eq!(n1.status().leader_hint, Some(id(2)));
    assert_eq!(lines(&ready), ["n1->n2 AppendReply t1 ok match=0"]);
}

#[test]
fn s5_1_a_vote_reply_from_an_earlier_election_does_not_count() {
    let mut n1 = node(1, 3, &persisted(1, Some(1), &[]));
    time_out(&mut n1);
    assert_eq!(n1.status().current_term, Term(2));
    let ready = step(&mut n1, vote_reply(2, 1, 1, true));
    assert_eq!(n1.status().role, Role::Candidate);
    assert!(ready.messages.is_empty());
}

// ---- AppendEntries receiver (§5.3) ----

#[test]
fn s5_3_a_log_too_short_for_prev_log_index_is_refused_with_its_length() {
    let mut n2 = node(2, 3, &persisted(1, None, &[1, 1]));
    let ready = step(&mut n2, append(1, 2, 1, (1, 5), entries_from(6, &[1]), 0));
    assert_eq!(lines(&ready), ["n2->n1 AppendReply t1 reject prev=5 conflict=short/3"]);
    assert_eq!(n2.status().last_log_index, LogIndex(2));
}

#[test]
fn s5_3_a_term_mismatch_at_prev_log_index_is_refused_with_the_conflicting_run() {
    let mut n2 = node(2, 3, &persisted(3, None, &[1, 2, 2, 2]));
    let ready = step(&mut n2, append(1, 2, 3, (3, 4), vec![], 0));
    // Fast back-up hint: our term at 4 is 2, and our run of term 2 starts at index 2.
    assert_eq!(lines(&ready), ["n2->n1 AppendReply t3 reject prev=4 conflict=2/2"]);
}

#[test]
fn s5_3_a_conflicting_entry_is_deleted_with_all_that_follow() {
    let mut n2 = node(2, 3, &persisted(3, None, &[1, 2, 2]));
    let ready = step(&mut n2, append(1, 2, 3, (1, 1), entries_from(2, &[3]), 0));
    assert_eq!(lines(&ready), ["n2->n1 AppendReply t3 ok match=2"]);
    assert_eq!(ready.entries, entries_from(2, &[3]), "the replacement is persisted");
    assert_eq!(n2.log_term(LogIndex(2)), Some(Term(3)));
    assert_eq!(n2.log_term(LogIndex(3)), None);
}

#[test]
fn s5_3_matching_entries_are_kept_so_a_delayed_request_erases_nothing() {
    let mut n2 = node(2, 3, &persisted(1, None, &[1, 1, 1]));
    // An old, shorter AppendEntries arrives after the longer one that followed it.
    let ready = step(&mut n2, append(1, 2, 1, (0, 0), entries(&[1]), 0));
    assert_eq!(lines(&ready), ["n2->n1 AppendReply t1 ok match=1"]);
    assert!(ready.entries.is_empty());
    assert_eq!(n2.status().last_log_index, LogIndex(3));
}

#[test]
fn s5_3_commit_index_follows_the_leader_but_not_past_the_last_new_entry() {
    let mut n2 = node(2, 3, &persisted(1, None, &[1, 1, 1, 1]));
    // Entries 3 and 4 may not be the leader's: the check covered only up to index 2.
    let ready = step(&mut n2, append(1, 2, 1, (1, 2), vec![], 4));
    assert_eq!(n2.status().commit_index, LogIndex(2));
    assert_eq!(commands(&ready), [1, 2], "committed entries are applied in order");
}

// ---- Leaders (§5.3, §5.4) ----

#[test]
fn s5_3_a_leader_appends_proposals_and_others_redirect() {
    let mut n1 = leader(3, &persisted(0, None, &[]));
    assert_eq!(n1.propose(Command::from("a")), Ok((LogIndex(1), Term(1))));
    assert_eq!(n1.propose(Command::from("b")), Ok((LogIndex(2), Term(1))));
    let mut n2 = node(2, 3, &persisted(0, None, &[]));
    step(&mut n2, append(1, 2, 1, (0, 0), vec![], 0));
    assert_eq!(n2.propose(Command::from("c")), Err(NotLeader { leader_hint: Some(id(1)) }));
}

#[test]
fn s5_3_replication_is_batched_and_pipelined() {
    let mut n1 = leader(3, &persisted(0, None, &[]));
    // n2 answers the first heartbeat: its log matches, so the leader streams to it.
    step(&mut n1, append_ok(2, 1, 1, 0));
    n1.propose(Command::from("a")).unwrap();
    n1.propose(Command::from("b")).unwrap();
    let ready = n1.ready();
    assert_eq!(ready.entries.len(), 2, "the leader persists its own entries");
    // One batch for both proposals; n3 has not answered its probe yet, so it waits for the
    // next heartbeat instead of receiving requests that may be doomed.
    assert_eq!(lines(&ready), ["n1->n2 Append t1 prev=0/0 [1/1..1/2] commit=0"]);
    n1.propose(Command::from("c")).unwrap();
    // Pipelined: the next batch goes out without waiting for the reply to the first.
    assert_eq!(lines(&n1.ready()), ["n1->n2 Append t1 prev=1/2 [1/3] commit=0"]);
}

#[test]
fn s5_3_the_leader_backs_up_by_conflict_term_not_one_entry_at_a_time() {
    let mut n1 = leader(3, &persisted(4, None, &[1, 1, 1, 4, 4, 4, 4]));
    // n2 has term 2 at index 7, starting at 4; the leader has no term 2: jump to 4.
    let ready = step(&mut n1, append_reject(2, 1, 5, 7, Some(2), 4));
    assert_eq!(lines(&ready), ["n1->n2 Append t5 prev=1/3 [4/4..4/7] commit=0"]);
    // n3 has term 1 up to index 7; the leader's last term-1 entry is 3: retry after it.
    let ready = step(&mut n1, append_reject(3, 1, 5, 7, Some(1), 1));
    assert_eq!(lines(&ready), ["n1->n3 Append t5 prev=1/3 [4/4..4/7] commit=0"]);
}

#[test]
fn s5_3_a_short_follower_log_backs_up_to_its_end() {
    let mut n1 = leader(3, &persisted(4, None, &[1, 1, 1, 4, 4, 4, 4]));
    let ready = step(&mut n1, append_reject(2, 1, 5, 7, None, 3));
    assert_eq!(lines(&ready), ["n1->n2 Append t5 prev=1/2 [1/3..4/7] commit=0"]);
}

#[test]
fn s5_3_stale_replies_are_ignored() {
    let mut n1 = leader(3, &persisted(4, None, &[1, 1, 1, 4]));
    step(&mut n1, append_ok(2, 1, 5, 4));
    // A rejection of an older request: n2 is already known to match through 4.
    let ready = step(&mut n1, append_reject(2, 1, 5, 4, None, 2));
    assert!(ready.messages.is_empty());
    // A reply from an earlier term is dropped too.
    let ready = step(&mut n1, append_reject(3, 1, 4, 4, None, 1));
    assert!(ready.messages.is_empty());
}

#[test]
fn s5_4_2_only_current_term_entries_commit_by_counting() {
    // Figure 8: the leader of term 3 holds an entry of term 2 at index 2.
    let mut n1 = leader(3, &persisted(2, None, &[1, 2]));
    assert_eq!(n1.status().current_term, Term(3));
    let ready = step(&mut n1, append_ok(2, 1, 3, 2));
    assert_eq!(n1.status().commit_index, LogIndex(0), "a majority holds 2, but from term 2");
    assert!(ready.committed_entries.is_empty());
    n1.propose(Command::from("x")).unwrap();
    assert_eq!(lines(&n1.ready()), ["n1->n2 Append t3 prev=2/2 [3/3] commit=0"]);
    // Once an entry of term 3 is on a majority, it and everything before it commit.
    let ready = step(&mut n1, append_ok(2, 1, 3, 3));
    assert_eq!(n1.status().commit_index, LogIndex(3));
    assert_eq!(commands(&ready), [1, 2, 3]);
}

#[test]
fn s5_2_heartbeats_go_out_every_heartbeat_interval_and_no_faster() {
    let mut n1 = leader(3, &persisted(0, None, &[]));
    let mut sent = Vec::new();
    for _ in 0..100 {
        n1.tick();
        sent.extend(n1.ready().messages);
    }
    // 100 ticks of 10 ms: one second, ten heartbeats to each follower.
    assert_eq!(sent.len(), 20);
    assert!(sent.iter().all(|m| m.to_string().ends_with("Append t1 prev=0/0 [] commit=0")));
}

// ---- Snapshots (§7) ----

#[test]
fn s7_a_service_snapshot_compacts_the_log_and_repersists_the_tail() {
    let mut n1 = RaftNodeAlone::elect();
    for c in ["a", "b", "c"] {
        n1.0.propose(Command::from(c)).unwrap();
    }
    assert_eq!(commands(&n1.0.ready()), [1, 2, 3]);
    n1.0.snapshot(LogIndex(2), b"state@2".to_vec().into());
    let ready = n1.0.ready();
    assert_eq!(ready.snapshot, Some(snapshot(2, 1, b"state@2")));
    assert_eq!(ready.entries.iter().map(|e| e.index.0).collect::<Vec<_>>(), [3]);
    assert_eq!(n1.0.log_term(LogIndex(1)), None);
    assert_eq!(n1.0.log_term(LogIndex(2)), Some(Term(1)));
    // A snapshot of unapplied state, or an older one, is refused.
    n1.0.snapshot(LogIndex(9), b"x".to_vec().into());
    n1.0.snapshot(LogIndex(1), b"x".to_vec().into());
    assert!(n1.0.ready().is_empty());
}

#[test]
fn s7_a_lagging_follower_installs_the_leaders_snapshot() {
    let mut n2 = node(2, 3, &persisted(1, None, &[1, 1]));
    let install = message(1, 2, 1, raft::Body::InstallSnapshot { snapshot: snapshot(5, 1, b"s5") });
    let ready = step(&mut n2, install);
    assert_eq!(lines(&ready), ["n2->n1 SnapReply t1 last=5"]);
    assert_eq!(ready.snapshot, Some(snapshot(5, 1, b"s5")), "persisted");
    assert_eq!(ready.snapshot_to_apply, Some(snapshot(5, 1, b"s5")), "and applied");
    let status = n2.status();
    assert_eq!((status.commit_index, status.last_applied), (LogIndex(5), LogIndex(5)));
    // A delayed, older snapshot is answered but never rolls the state back.
    let old = message(1, 2, 1, raft::Body::InstallSnapshot { snapshot: snapshot(3, 1, b"s3") });
    let ready = step(&mut n2, old);
    assert_eq!(lines(&ready), ["n2->n1 SnapReply t1 last=3"]);
    assert_eq!((ready.snapshot, ready.snapshot_to_apply), (None, None));
}

#[test]
fn s7_a_leader_sends_its_snapshot_when_the_entries_are_gone() {
    let mut state = persisted(1, None, &[]);
    state.snapshot = Some(snapshot(5, 1, b"s5"));
    state.log = entries_from(6, &[1, 1]);
    let mut n1 = leader(3, &state);
    // n2's log is empty: the entries it needs were compacted into the snapshot.
    let ready = step(&mut n1, append_reject(2, 1, 2, 7, None, 1));
    assert_eq!(lines(&ready), ["n1->n2 Snap t2 last=1/5 (2 bytes)"]);
    // Once installed, replication resumes right after it.
    let ready = step(
        &mut n1,
        message(2, 1, 2, raft::Body::InstallSnapshotReply { last_included_index: LogIndex(5) }),
    );
    assert_eq!(lines(&ready), ["n1->n2 Append t2 prev=1/5 [1/6..1/7] commit=5"]);
}

#[test]
fn a_restart_resumes_from_exactly_what_was_persisted() {
    let mut state = persisted(7, Some(3), &[]);
    state.snapshot = Some(snapshot(4, 2, b"s4"));
    state.log = entries_from(5, &[6, 7]);
    let mut n2 = node(2, 3, &state);
    let status = n2.status();
    assert_eq!((status.current_term, status.role), (Term(7), Role::Follower));
    assert_eq!((status.last_log_index, status.snapshot_index), (LogIndex(6), LogIndex(4)));
    assert_eq!(status.last_applied, LogIndex(4));
    let ready = n2.ready();
    assert_eq!(ready.snapshot_to_apply, Some(snapshot(4, 2, b"s4")), "the service reloads it");
    assert_eq!(ready.hard_state, None, "nothing changed, nothing to persist");
    // The persisted vote still binds: another candidate of term 7 is refused.
    assert_eq!(lines(&step(&mut n2, vote(1, 2, 7, 9, 7))), ["n2->n1 VoteReply t7 refused"]);
}

/// A one-node cluster, which is its own majority.
struct RaftNodeAlone(raft::RaftNode);

impl RaftNodeAlone {
    fn elect() -> RaftNodeAlone {
        let mut n1 = node(1, 1, &persisted(0, None, &[]));
        time_out(&mut n1);
        assert_eq!(n1.status().role, Role::Leader);
        n1.ready();
        RaftNodeAlone(n1)
    }
}
