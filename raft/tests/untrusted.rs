//! Untrusted input: arbitrary messages (wrong addresses, absurd indices, non-contiguous
//! entries, stale and future terms) never panic a node, and its invariants (asserted inside the
//! node after every input) keep holding.

mod common;

use common::*;
use proptest::prelude::*;
use raft::{Body, Command, Consensus, Entry, LogIndex, Message, NodeId, Role, Term};

fn small() -> impl Strategy<Value = u64> {
    prop_oneof![0..12u64, Just(u64::MAX)]
}

fn entry() -> impl Strategy<Value = Entry> {
    (small(), small()).prop_map(|(term, index)| Entry {
        term: Term(term),
        index: LogIndex(index),
        command: Command::from("p"),
    })
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        (small(), small()).prop_map(|(i, t)| Body::RequestVote {
            last_log_index: LogIndex(i),
            last_log_term: Term(t)
        }),
        any::<bool>().prop_map(|vote_granted| Body::RequestVoteReply { vote_granted }),
        (small(), small(), prop::collection::vec(entry(), 0..4), small()).prop_map(
            |(i, t, entries, c)| Body::AppendEntries {
                prev_log_index: LogIndex(i),
                prev_log_term: Term(t),
                entries,
                leader_commit: LogIndex(c),
            }
        ),
        (any::<bool>(), small(), prop::option::of(small()), small()).prop_map(|(s, i, t, c)| {
            Body::AppendEntriesReply {
                success: s,
                index: LogIndex(i),
                conflict_term: t.map(Term),
                conflict_index: LogIndex(c),
            }
        }),
        (small(), small())
            .prop_map(|(i, t)| Body::InstallSnapshot { snapshot: snapshot(i, t, b"x") }),
        small().prop_map(|i| Body::InstallSnapshotReply { last_included_index: LogIndex(i) }),
        small().prop_map(|round| Body::ReadProbe { round }),
        small().prop_map(|round| Body::ReadProbeReply { round }),
    ]
}

fn message_to_any() -> impl Strategy<Value = Message> {
    (0..5u64, 0..5u64, small(), body()).prop_map(|(from, to, term, body)| Message {
        from: NodeId(from),
        to: NodeId(to),
        term: Term(term),
        body,
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_messages_never_panic_a_follower_or_a_leader(
        messages in prop::collection::vec(message_to_any(), 1..40),
        as_leader in any::<bool>(),
    ) {
        let state = persisted(2, None, &[1, 1, 2]);
        let mut n1 = if as_leader { leader(3, &state) } else { node(1, 3, &state) };
        for m in messages {
            n1.step(m);
            n1.tick();
            let ready = n1.ready();
            let status = n1.status();
            prop_assert!(status.last_applied <= status.commit_index);
            prop_assert!(status.commit_index <= status.last_log_index);
            // Replies never leave without a destination we know.
            prop_assert!(ready.messages.iter().all(|m| (1..=3).contains(&m.to.0) && m.to.0 != 1));
            if status.role == Role::Leader {
                let _ = n1.propose(Command::from("y"));
            }
        }
    }
}
