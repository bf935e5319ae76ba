//! Mutation switches for the KV bug zoo: classic 6.824 KV-server mistakes, each compiled in and
//! off by default, so the scenarios can prove they catch every one of them.

raft::mutation_switches! {
    /// A set of deliberate KV-server bugs, all off by default.
    pub struct KvBugs {
        /// Apply every committed write, even a retry of one already applied (no sessions): a
        /// retried `Append` lands twice.
        no_duplicate_detection {
            breaks: "a retried Append is applied twice",
            rule: "exactly-once client sessions (6.824 kvraft): a duplicate request is not \
                   applied again",
        }
        /// Answer a request as soon as the leader proposes it, as if it had committed: the write
        /// may be lost by a leader change, and a `Get` reads state older than the log.
        reply_before_commit {
            breaks: "the leader answers before the entry commits: acknowledged writes get lost",
            rule: "§8 and 6.824 kvraft: answer only once the command is committed and applied",
        }
        /// A server that believes it leads answers `Get` from its local state without the log: a
        /// deposed leader in a minority partition serves stale reads.
        get_without_log_on_leader {
            breaks: "a deposed leader serves a stale Get from local state after a partition",
            rule: "§8: a read-only operation must not return stale data; 6.824 kvraft sends Get \
                   through the log",
        }
        /// Every server, follower or not, answers `Get` from its local state: stale reads anywhere.
        get_without_log_anywhere {
            breaks: "any server, follower or not, serves Get from local state",
            rule: "§8: only a leader, through the log, answers reads (6.824 kvraft)",
        }
        /// Snapshots hold the map but not the session table: after a restart or an installed
        /// snapshot, retries of writes already applied are applied again.
        snapshot_without_sessions {
            breaks: "the snapshot drops the duplicate table: retries re-apply after a restart",
            rule: "exactly-once client sessions survive snapshots (6.824 kvraft: the snapshot \
                   holds the duplicate table)",
        }
        /// Answer whoever waits at an applied index with that entry's result, without checking the
        /// entry is their request, and keep waiting across term changes: the student who only
        /// watches the index acknowledges writes another leader overwrote.
        reply_without_checking_command {
            breaks: "a waiter is answered with whatever entry landed at its index",
            rule: "6.824 kvraft: a request succeeds only if its own command is applied at its \
                   index (another entry there means leadership was lost)",
        }
        /// A server configured for a linearizable read path (the log or ReadIndex) serves `Get`
        /// as a follower read instead: from its own state, honouring the clerk's session index.
        /// The subtle mistake of taking timeline reads for linearizable ones: the histories stay
        /// sequentially consistent, but a server that is behind answers with a value older than
        /// a write that already returned.
        follower_reads_as_linearizable {
            breaks: "any server serves Get from its own applied state (session index honoured): \
                     sequentially consistent, not linearizable",
            rule: "§8 and §6.4 of the Raft dissertation: a linearizable read must reflect every \
                   write acknowledged before it began; a follower's state may be behind",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_turns_on_exactly_one_switch() {
        assert!(!KvBugs::none().any());
        assert_eq!(KvBugs::none(), KvBugs::default());
        let mut seen = Vec::new();
        for name in KvBugs::NAMES {
            let bugs = KvBugs::only(name).expect("known name");
            assert!(bugs.any(), "{name} turns nothing on");
            assert_eq!(bugs.names(), [name], "{name} turns on exactly itself");
            assert!(!seen.contains(&bugs), "{name} duplicates another switch");
            seen.push(bugs);
        }
        assert_eq!(KvBugs::only("no_such_bug"), None);
    }

    #[test]
    fn union_names_and_parse_agree() {
        let stale = KvBugs::only("get_without_log_anywhere").unwrap();
        let dup = KvBugs::only("no_duplicate_detection").unwrap();
        let both = stale.union(dup);
        assert_eq!(both.names(), ["no_duplicate_detection", "get_without_log_anywhere"]);
        assert_eq!(KvBugs::parse(&both.names()), Ok(both));
        assert_eq!(KvBugs::parse(&KvBugs::NAMES).map(|b| b.names()), Ok(KvBugs::NAMES.to_vec()));
        let names: Vec<&str> = KvBugs::SWITCHES.iter().map(|s| s.name).collect();
        assert_eq!(names, KvBugs::NAMES);
    }

    #[test]
    fn raft_names_are_not_kv_bugs() {
        // `--bug` resolves a name in either crate, so the two sets must not overlap.
        assert!(raft::Bugs::NAMES.iter().all(|name| KvBugs::only(name).is_none()));
        let error = KvBugs::parse(&["forget_voted_for"]).unwrap_err();
        assert!(error.starts_with("unknown bug `forget_voted_for`; known: no_duplicate_detection"));
    }
}
