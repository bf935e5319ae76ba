//! Mutation switches: known-wrong behaviours the reference Raft can turn on one at a time, so a
//! bug zoo can prove that the harness catches each of them in the very code users run.

crate::mutation_switches! {
    /// A set of deliberate bugs, all off by default. Each switch names the rule it breaks.
    pub struct Bugs {
        /// Grant votes without the §5.4.1 "at least as up-to-date" log check.
        vote_without_up_to_date_check {
            breaks: "a stale log wins an election and overwrites committed entries",
            rule: "§5.4.1 election restriction: vote only for a log at least as up-to-date",
        }
        /// Commit entries from earlier terms by counting replicas (the Figure 8 mistake, §5.4.2).
        commit_previous_term_by_counting {
            breaks: "an old-term entry counted onto a majority is committed, then overwritten",
            rule: "§5.4.2 (Figure 8): commit by counting replicas only entries of the current term",
        }
        /// Persist `voted_for` as `None`, so a restarted node can vote twice in one term.
        forget_voted_for {
            breaks: "voted_for is not persisted: a restarted node votes twice in one term",
            rule: "Figure 2: persist voted_for before responding to RPCs",
        }
        /// Persist `current_term` as 0, so a restarted node forgets the terms it has seen.
        forget_current_term {
            breaks: "current_term is not persisted: a restarted node forgets terms it has seen",
            rule: "Figure 2: persist current_term before responding to RPCs",
        }
        /// Count vote replies that carry an older term than the current election.
        accept_stale_vote_replies {
            breaks: "a vote granted in an earlier term counts now: two leaders in one term",
            rule: "§5.2 election safety: count only votes granted in the candidate's current term",
        }
        /// Truncate the log after `prev_log_index` on every AppendEntries, even when the entries
        /// match (§5.3 allows truncation only on a real conflict), so a reordered old request
        /// erases entries the follower already acknowledged.
        truncate_on_any_append {
            breaks: "a reordered old AppendEntries truncates acknowledged, committed entries",
            rule: "§5.3 (Figure 2, AppendEntries step 3): truncate only on a conflicting entry",
        }
        /// A leader that sees a higher term adopts it but stays leader (§5.1 says: step down).
        no_step_down_on_higher_term {
            breaks: "a leader that sees a higher term keeps leading: two leaders in one term",
            rule: "§5.1 (Figure 2, all servers): a higher term turns a server into a follower",
        }
        /// Do not reset the election timer when granting a vote (Figure 2, Followers).
        no_timer_reset_on_vote {
            breaks: "voters time out right after voting and depose the winner: elections never \
                     settle",
            rule: "Figure 2, Followers: reset the election timer when granting a vote",
        }
        /// After installing a snapshot, skip applying the entry right after it (§7).
        skip_apply_after_snapshot {
            breaks: "the entry right after an installed snapshot is never applied",
            rule: "§7 and Figure 2, all servers: apply every committed entry after last_applied, \
                   in order",
        }
        /// A leader that sends nothing to anyone while any peer has an unanswered AppendEntries:
        /// one dead or slow peer stalls the whole cluster.
        block_on_slow_peer {
            breaks: "a leader stops replicating while one peer does not answer",
            rule: "§5.3: a minority of slow servers must not stall the cluster",
        }
        /// ReadIndex without step 1: a new leader notes its commit index for a read before it
        /// has committed an entry of its own term, so the index may miss writes an earlier
        /// leader committed and acknowledged.
        read_index_without_term_commit {
            breaks: "a new leader serves a read from a commit index that misses acknowledged \
                     writes",
            rule: "Raft dissertation §6.4 step 1: a leader serves reads only once an entry of \
                   its own term is committed",
        }
        /// ReadIndex without step 3: the leader serves reads without a round of
        /// acknowledgements, so a deposed leader in a minority answers stale reads.
        read_index_without_heartbeat_round {
            breaks: "a deposed leader in a minority partition serves stale reads",
            rule: "Raft dissertation §6.4 step 3: confirm leadership with a majority after the \
                   read arrives",
        }
        /// Leader leases as if clocks were perfect: the lease is the minimum election timeout
        /// less two ticks, however far the clocks may drift, so a leader whose clock runs slow
        /// still serves reads after its voters' promise ran out on their fast clocks.
        lease_without_drift_margin {
            breaks: "a deposed leader serves reads from a lease that outlived its voters' \
                     promise on drifting clocks",
            rule: "Raft dissertation §6.4.1: a lease must be shorter than the election timeout \
                   by the clocks' largest drift",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_turns_on_exactly_one_switch() {
        assert!(!Bugs::none().any());
        assert_eq!(Bugs::none(), Bugs::default());
        let mut seen = Vec::new();
        for name in Bugs::NAMES {
            let bugs = Bugs::only(name).expect("known name");
            assert!(bugs.any(), "{name} turns nothing on");
            assert_eq!(bugs.names(), [name], "{name} turns on exactly itself");
            assert!(!seen.contains(&bugs), "{name} duplicates another switch");
            seen.push(bugs);
        }
        assert_eq!(Bugs::only("no_such_bug"), None);
    }

    #[test]
    fn the_switch_table_follows_the_declaration() {
        let names: Vec<&str> = Bugs::SWITCHES.iter().map(|s| s.name).collect();
        assert_eq!(names, Bugs::NAMES);
        let truncate = &Bugs::SWITCHES[5];
        assert_eq!(truncate.name, "truncate_on_any_append");
        // The three doc lines read as one paragraph, without the comment's leading spaces.
        assert!(truncate.doc.starts_with("Truncate the log after `prev_log_index`"));
        assert!(truncate.doc.contains("even when the entries match (§5.3 allows"));
        assert!(truncate.doc.ends_with("already acknowledged."));
        assert!(Bugs::SWITCHES.iter().all(|s| !s.breaks.is_empty() && !s.rule.is_empty()));
    }

    #[test]
    fn union_names_and_parse_agree() {
        let one = Bugs::only("forget_voted_for").unwrap();
        let two = Bugs::only("block_on_slow_peer").unwrap();
        let both = one.union(two);
        assert!(both.forget_voted_for && both.block_on_slow_peer);
        assert_eq!(both, two.union(one));
        assert_eq!(both.union(one), both);
        assert_eq!(both.union(Bugs::none()), both);
        // Names come back in declaration order, whatever order they were given in.
        assert_eq!(both.names(), ["forget_voted_for", "block_on_slow_peer"]);
        assert_eq!(Bugs::parse(&["block_on_slow_peer", "forget_voted_for"]), Ok(both));
        assert_eq!(Bugs::parse(&both.names()), Ok(both));
        let every = Bugs::parse(&Bugs::NAMES).unwrap();
        assert_eq!(every.names(), Bugs::NAMES);
        assert_eq!(Bugs::parse(&[] as &[&str]), Ok(Bugs::none()));
        assert_eq!(Bugs::parse(&["forget_voted_for".to_string()]), Ok(one));
    }

    #[test]
    fn parse_names_the_unknown_bug_and_lists_the_known_ones() {
        let error = Bugs::parse(&["forget_voted_for", "forget_everything"]).unwrap_err();
        assert_eq!(
            error,
            format!("unknown bug `forget_everything`; known: {}", Bugs::NAMES.join(", "))
        );
        assert!(error.contains("vote_without_up_to_date_check, commit_previous_term_by_counting"));
    }
}
