//! Mutation switches: known-wrong behaviours the reference Raft can turn on one at a time, so a
//! bug zoo can prove that the harness catches each of them in the very code users run.

/// A set of deliberate bugs, all off by default. Each switch names the Figure 2 rule it breaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Bugs {
    /// Grant votes without the §5.4.1 "at least as up-to-date" log check.
    pub vote_without_up_to_date_check: bool,
    /// Commit entries from earlier terms by counting replicas (the Figure 8 mistake, §5.4.2).
    pub commit_previous_term_by_counting: bool,
    /// Persist `voted_for` as `None`, so a restarted node can vote twice in one term.
    pub forget_voted_for: bool,
    /// Persist `current_term` as 0, so a restarted node forgets the terms it has seen.
    pub forget_current_term: bool,
    /// Count vote replies that carry an older term than the current election.
    pub accept_stale_vote_replies: bool,
    /// Truncate the log after `prev_log_index` on every AppendEntries, even when the entries
    /// match (§5.3 allows truncation only on a real conflict), so a reordered old request
    /// erases entries the follower already acknowledged.
    pub truncate_on_any_append: bool,
    /// A leader that sees a higher term adopts it but stays leader (§5.1 says: step down).
    pub no_step_down_on_higher_term: bool,
    /// Do not reset the election timer when granting a vote (Figure 2, Followers).
    pub no_timer_reset_on_vote: bool,
    /// After installing a snapshot, skip applying the entry right after it (§7).
    pub skip_apply_after_snapshot: bool,
    /// A leader that sends nothing to anyone while any peer has an unanswered AppendEntries:
    /// one dead or slow peer stalls the whole cluster.
    pub block_on_slow_peer: bool,
}

impl Bugs {
    /// The names of all switches, for zoo tables and command lines.
    pub const NAMES: [&'static str; 10] = [
        "vote_without_up_to_date_check",
        "commit_previous_term_by_counting",
        "forget_voted_for",
        "forget_current_term",
        "accept_stale_vote_replies",
        "truncate_on_any_append",
        "no_step_down_on_higher_term",
        "no_timer_reset_on_vote",
        "skip_apply_after_snapshot",
        "block_on_slow_peer",
    ];

    /// No bugs: the correct implementation.
    pub fn none() -> Bugs {
        Bugs::default()
    }

    /// Exactly the one named bug, or `None` for an unknown name.
    pub fn only(name: &str) -> Option<Bugs> {
        let mut bugs = Bugs::default();
        *bugs.switch(name)? = true;
        Some(bugs)
    }

    /// True when any switch is on.
    pub fn any(&self) -> bool {
        Bugs::NAMES.iter().any(|name| {
            let mut copy = *self;
            copy.switch(name).is_some_and(|on| *on)
        })
    }

    fn switch(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "vote_without_up_to_date_check" => &mut self.vote_without_up_to_date_check,
            "commit_previous_term_by_counting" => &mut self.commit_previous_term_by_counting,
            "forget_voted_for" => &mut self.forget_voted_for,
            "forget_current_term" => &mut self.forget_current_term,
            "accept_stale_vote_replies" => &mut self.accept_stale_vote_replies,
            "truncate_on_any_append" => &mut self.truncate_on_any_append,
            "no_step_down_on_higher_term" => &mut self.no_step_down_on_higher_term,
            "no_timer_reset_on_vote" => &mut self.no_timer_reset_on_vote,
            "skip_apply_after_snapshot" => &mut self.skip_apply_after_snapshot,
            "block_on_slow_peer" => &mut self.block_on_slow_peer,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_turns_on_exactly_one_switch() {
        assert!(!Bugs::none().any());
        let mut seen = Vec::new();
        for name in Bugs::NAMES {
            let bugs = Bugs::only(name).expect("known name");
            assert!(bugs.any(), "{name} turns nothing on");
            assert!(!seen.contains(&bugs), "{name} duplicates another switch");
            seen.push(bugs);
        }
        assert_eq!(Bugs::only("no_such_bug"), None);
    }
}
