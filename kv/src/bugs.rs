//! Mutation switches for the KV bug zoo: classic 6.824 KV-server mistakes, each compiled in and
//! off by default, so the scenarios can prove they catch every one of them.

/// A set of deliberate KV-server bugs, all off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct KvBugs {
    /// Apply every committed write, even a retry of one already applied (no sessions): a
    /// retried `Append` lands twice.
    pub no_duplicate_detection: bool,
    /// Answer a request as soon as the leader proposes it, as if it had committed: the write
    /// may be lost by a leader change, and a `Get` reads state older than the log.
    pub reply_before_commit: bool,
    /// A server that believes it leads answers `Get` from its local state without the log: a
    /// deposed leader in a minority partition serves stale reads.
    pub get_without_log_on_leader: bool,
    /// Every server, follower or not, answers `Get` from its local state: stale reads anywhere.
    pub get_without_log_anywhere: bool,
    /// Snapshots hold the map but not the session table: after a restart or an installed
    /// snapshot, retries of writes already applied are applied again.
    pub snapshot_without_sessions: bool,
    /// Answer whoever waits at an applied index with that entry's result, without checking the
    /// entry is their request, and keep waiting across term changes: the student who only
    /// watches the index acknowledges writes another leader overwrote.
    pub reply_without_checking_command: bool,
}

impl KvBugs {
    /// The names of all switches, for zoo tables and command lines.
    pub const NAMES: [&'static str; 6] = [
        "no_duplicate_detection",
        "reply_before_commit",
        "get_without_log_on_leader",
        "get_without_log_anywhere",
        "snapshot_without_sessions",
        "reply_without_checking_command",
    ];

    /// No bugs: the correct server.
    pub fn none() -> KvBugs {
        KvBugs::default()
    }

    /// Exactly the one named bug, or `None` for an unknown name.
    pub fn only(name: &str) -> Option<KvBugs> {
        let mut bugs = KvBugs::default();
        *bugs.switch(name)? = true;
        Some(bugs)
    }

    /// True when any switch is on.
    pub fn any(&self) -> bool {
        KvBugs::NAMES.iter().any(|name| {
            let mut copy = *self;
            copy.switch(name).is_some_and(|on| *on)
        })
    }

    fn switch(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "no_duplicate_detection" => &mut self.no_duplicate_detection,
            "reply_before_commit" => &mut self.reply_before_commit,
            "get_without_log_on_leader" => &mut self.get_without_log_on_leader,
            "get_without_log_anywhere" => &mut self.get_without_log_anywhere,
            "snapshot_without_sessions" => &mut self.snapshot_without_sessions,
            "reply_without_checking_command" => &mut self.reply_without_checking_command,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_turns_on_exactly_one_switch() {
        assert!(!KvBugs::none().any());
        let mut seen = Vec::new();
        for name in KvBugs::NAMES {
            let bugs = KvBugs::only(name).expect("known name");
            assert!(bugs.any(), "{name} turns nothing on");
            assert!(!seen.contains(&bugs), "{name} duplicates another switch");
            seen.push(bugs);
        }
        assert_eq!(KvBugs::only("no_such_bug"), None);
    }
}
