//! The Raft RPCs as plain data (Figure 2 and §7), with their wire size and one-line trace format.

use std::fmt;

use crate::types::{Entry, LogIndex, NodeId, Snapshot, Term};

/// One message between two Raft servers. Requests and replies are both messages: a reply is just
/// a message that travels the other way, so the host needs no RPC machinery.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Message {
    pub from: NodeId,
    pub to: NodeId,
    /// The sender's `current_term` when it sent the message.
    pub term: Term,
    pub body: Body,
}

/// What a message carries. Field names follow Figure 2; the extra fields on replies let a
/// pipelining leader match a reply to its request without remembering the request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    /// RequestVote RPC (§5.2): a candidate asks for a vote.
    RequestVote { last_log_index: LogIndex, last_log_term: Term },
    /// Reply to RequestVote.
    RequestVoteReply { vote_granted: bool },
    /// AppendEntries RPC (§5.3): replicate entries, or a heartbeat when `entries` is empty.
    AppendEntries {
        prev_log_index: LogIndex,
        prev_log_term: Term,
        entries: Vec<Entry>,
        leader_commit: LogIndex,
    },
    /// Reply to AppendEntries.
    AppendEntriesReply {
        success: bool,
        /// On success: the last index now known to match the leader (`prev_log_index` plus the
        /// number of entries). On failure: the request's `prev_log_index`, so the leader can
        /// recognise replies to requests it has since superseded.
        index: LogIndex,
        /// On failure, the fast back-up hint (§5.3, "optimization"): the term of the follower's
        /// conflicting entry at `prev_log_index`, or `None` if its log is too short there.
        conflict_term: Option<Term>,
        /// On failure: the first index the follower holds with `conflict_term`, or (when the log
        /// is too short) the follower's last index + 1.
        conflict_index: LogIndex,
    },
    /// InstallSnapshot RPC (§7), sent whole (no chunking).
    InstallSnapshot { snapshot: Snapshot },
    /// Reply to InstallSnapshot: which snapshot the follower now covers.
    InstallSnapshotReply { last_included_index: LogIndex },
    /// ReadIndex's leadership check (Raft dissertation §6.4, step 3): "is `term` still
    /// yours?". A leader sends one round to every follower after a read arrives; `round`
    /// numbers the rounds, so an acknowledgement proves the follower followed this leader at
    /// some moment after the read arrived. Only sent while reads wait, so a cluster that
    /// serves no ReadIndex reads never sees one.
    ReadProbe { round: u64 },
    /// The follower's acknowledgement of a `ReadProbe` of its current term (round 0 from a
    /// server that refuses a stale one: its reply carries its newer term).
    ReadProbeReply { round: u64 },
}

impl Message {
    /// Bytes on the wire: a fixed header, the fixed fields and every command/snapshot byte.
    /// Used for the lab's RPC-bytes bounds, so payload bytes are counted exactly.
    pub fn size_bytes(&self) -> usize {
        const HEADER: usize = 8 + 8 + 8 + 1;
        HEADER
            + match &self.body {
                Body::RequestVote { .. } => 16,
                Body::RequestVoteReply { .. } => 1,
                Body::AppendEntries { entries, .. } => {
                    24 + entries.iter().map(Entry::size_bytes).sum::<usize>()
                }
                Body::AppendEntriesReply { .. } => 1 + 8 + 9 + 8,
                Body::InstallSnapshot { snapshot } => 16 + snapshot.data.len(),
                Body::InstallSnapshotReply { .. } => 8,
                Body::ReadProbe { .. } | Body::ReadProbeReply { .. } => 8,
            }
    }

    /// True for replies; hosts that count "RPCs" (as the 6.824 labs do) count only requests.
    pub fn is_reply(&self) -> bool {
        matches!(
            self.body,
            Body::RequestVoteReply { .. }
                | Body::AppendEntriesReply { .. }
                | Body::InstallSnapshotReply { .. }
                | Body::ReadProbeReply { .. }
        )
    }

    /// Short name of the message kind, as printed in traces.
    pub fn kind(&self) -> &'static str {
        match self.body {
            Body::RequestVote { .. } => "Vote",
            Body::RequestVoteReply { .. } => "VoteReply",
            Body::AppendEntries { .. } => "Append",
            Body::AppendEntriesReply { .. } => "AppendReply",
            Body::InstallSnapshot { .. } => "Snap",
            Body::InstallSnapshotReply { .. } => "SnapReply",
            Body::ReadProbe { .. } => "ReadProbe",
            Body::ReadProbeReply { .. } => "ReadProbeReply",
        }
    }
}

impl fmt::Display for Message {
    /// One line, e.g. `n1->n2 Append t3 prev=2/7 [3/8] commit=7`; `term/index` pairs throughout.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{} {} t{}", self.from, self.to, self.kind(), self.term)?;
        match &self.body {
            Body::RequestVote { last_log_index, last_log_term } => {
                write!(f, " last={last_log_term}/{last_log_index}")
            }
            Body::RequestVoteReply { vote_granted } => {
                f.write_str(if *vote_granted { " granted" } else { " refused" })
            }
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit } => {
                write!(f, " prev={prev_log_term}/{prev_log_index} ")?;
                match (entries.first(), entries.last()) {
                    (Some(first), Some(last)) if entries.len() > 1 => {
                        write!(f, "[{first}..{last}]")?
                    }
                    (Some(only), _) => write!(f, "[{only}]")?,
                    _ => f.write_str("[]")?,
                }
                write!(f, " commit={leader_commit}")
            }
            Body::AppendEntriesReply { success: true, index, .. } => write!(f, " ok match={index}"),
            Body::AppendEntriesReply { success: false, index, conflict_term, conflict_index } => {
                write!(f, " reject prev={index} conflict=")?;
                match conflict_term {
                    Some(term) => write!(f, "{term}/{conflict_index}"),
                    None => write!(f, "short/{conflict_index}"),
                }
            }
            Body::InstallSnapshot { snapshot } => write!(
                f,
                " last={}/{} ({} bytes)",
                snapshot.last_included_term,
                snapshot.last_included_index,
                snapshot.data.len()
            ),
            Body::InstallSnapshotReply { last_included_index } => {
                write!(f, " last={last_included_index}")
            }
            Body::ReadProbe { round } | Body::ReadProbeReply { round } => {
                write!(f, " round={round}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Command;

    fn message(body: Body) -> Message {
        Message { from: NodeId(1), to: NodeId(2), term: Term(3), body }
    }

    #[test]
    fn display_is_one_line_per_kind() {
        let append = message(Body::AppendEntries {
            prev_log_index: LogIndex(7),
            prev_log_term: Term(2),
            entries: vec![Entry { term: Term(3), index: LogIndex(8), command: Command::from("a") }],
            leader_commit: LogIndex(7),
        });
        assert_eq!(append.to_string(), "n1->n2 Append t3 prev=2/7 [3/8] commit=7");
        let reject = message(Body::AppendEntriesReply {
            success: false,
            index: LogIndex(7),
            conflict_term: None,
            conflict_index: LogIndex(4),
        });
        assert_eq!(reject.to_string(), "n1->n2 AppendReply t3 reject prev=7 conflict=short/4");
        let vote =
            message(Body::RequestVote { last_log_index: LogIndex(5), last_log_term: Term(2) });
        assert_eq!(vote.to_string(), "n1->n2 Vote t3 last=2/5");
        assert!(!vote.is_reply());
        assert!(message(Body::RequestVoteReply { vote_granted: true }).is_reply());
    }

    #[test]
    fn size_counts_every_payload_byte() {
        let entries = |n: usize| -> Vec<Entry> {
            (0..n)
                .map(|i| Entry {
                    term: Term(1),
                    index: LogIndex(i as u64 + 1),
                    command: Command::from(vec![0u8; 5000]),
                })
                .collect()
        };
        let append = |n| {
            message(Body::AppendEntries {
                prev_log_index: LogIndex(0),
                prev_log_term: Term(0),
                entries: entries(n),
                leader_commit: LogIndex(0),
            })
        };
        assert_eq!(append(2).size_bytes() - append(0).size_bytes(), 2 * (5000 + 16));
    }
}
