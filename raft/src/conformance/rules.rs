//! The rules the conformance checks hold an implementation to, quoted once each from Figure 2
//! of the Raft paper (Figure 13 for InstallSnapshot) or from the `Consensus` contract, so a
//! failure names the very sentence that was broken.

/// Figure 2, Rules for Servers, All Servers.
pub(crate) const HIGHER_TERM: &str = "Figure 2, Rules for Servers, All Servers: \"If RPC \
    request or response contains term T > currentTerm: set currentTerm = T, convert to \
    follower (§5.1)\"";
pub(crate) const APPLY_IN_ORDER: &str = "Figure 2, Rules for Servers, All Servers: \"If \
    commitIndex > lastApplied: increment lastApplied, apply log[lastApplied] to state machine \
    (§5.3)\"; the Consensus contract: committed entries arrive in order, each once, starting \
    at last_applied + 1";

/// Figure 2, Rules for Servers, Followers and Candidates (§5.2).
pub(crate) const FOLLOWER_TIMEOUT: &str = "Figure 2, Rules for Servers, Followers: \"If \
    election timeout elapses without receiving AppendEntries RPC from current leader or \
    granting vote to candidate: convert to candidate\"; the timeout is drawn from \
    config.election_ticks_min..election_ticks_max ticks";
pub(crate) const START_ELECTION: &str = "Figure 2, Rules for Servers, Candidates: \"On \
    conversion to candidate, start election: Increment currentTerm, Vote for self, Reset \
    election timer, Send RequestVote RPCs to all other servers\"";
pub(crate) const WIN_ELECTION: &str = "Figure 2, Rules for Servers, Candidates: \"If votes \
    received from majority of servers: become leader\"; §5.2: \"A candidate wins an election \
    if it receives votes from a majority of the servers in the full cluster for the same \
    term\"";
pub(crate) const HEARTBEAT_ON_ELECTION: &str = "Figure 2, Rules for Servers, Leaders: \"Upon \
    election: send initial empty AppendEntries RPCs (heartbeat) to each server\"";
pub(crate) const NEW_LEADER: &str = "Figure 2, Rules for Servers, Candidates: \"If \
    AppendEntries RPC received from new leader: convert to follower\"";

/// Figure 2, RequestVote RPC, Receiver implementation.
pub(crate) const VOTE_STALE_TERM: &str =
    "Figure 2, RequestVote RPC, Receiver implementation 1: \"Reply false if term < currentTerm \
     (§5.1)\"";
pub(crate) const VOTE_GRANT: &str = "Figure 2, RequestVote RPC, Receiver implementation 2: \
    \"If votedFor is null or candidateId, and candidate's log is at least as up-to-date as \
    receiver's log, grant vote (§5.2, §5.4)\"";
pub(crate) const UP_TO_DATE: &str = "Figure 2, RequestVote RPC, Receiver implementation 2: \
    grant the vote only if the \"candidate's log is at least as up-to-date as receiver's \
    log\"; §5.4.1: \"If the logs have last entries with different \
    terms, then the log with the later term is more up-to-date. If the logs end with the same \
    term, then whichever log is longer is more up-to-date\"";

/// Figure 2, AppendEntries RPC, Receiver implementation.
pub(crate) const APPEND_STALE_TERM: &str =
    "Figure 2, AppendEntries RPC, Receiver implementation 1: \"Reply false if term < \
     currentTerm (§5.1)\"";
pub(crate) const APPEND_PREV_MISMATCH: &str = "Figure 2, AppendEntries RPC, Receiver \
    implementation 2: \"Reply false if log doesn't contain an entry at prevLogIndex whose term \
    matches prevLogTerm (§5.3)\"";
pub(crate) const APPEND_CONFLICT: &str = "Figure 2, AppendEntries RPC, Receiver implementation \
    3 and 4: \"If an existing entry conflicts with a new one (same index but different terms), \
    delete the existing entry and all that follow it (§5.3)\"; \"Append any new entries not \
    already in the log\"";
pub(crate) const APPEND_COMMIT: &str = "Figure 2, AppendEntries RPC, Receiver implementation \
    5: \"If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new \
    entry)\"";

/// Figure 2, Rules for Servers, Leaders (§5.3, §5.4).
pub(crate) const LEADER_APPEND: &str = "Figure 2, Rules for Servers, Leaders: \"If command \
    received from client: append entry to local log\"";
pub(crate) const LEADER_COMMIT: &str = "Figure 2, Rules for Servers, Leaders: \"If there \
    exists an N such that N > commitIndex, a majority of matchIndex[i] ≥ N, and log[N].term == \
    currentTerm: set commitIndex = N (§5.3, §5.4)\"";

/// Figure 2, State: what is persistent, and when.
pub(crate) const PERSIST_BEFORE_REPLY: &str = "Figure 2, State, Persistent state on all \
    servers: \"(Updated on stable storage before responding to RPCs)\"; the Consensus \
    contract: the host persists a Ready's hard_state and entries before it sends its messages";
pub(crate) const RESTART: &str = "Figure 2, State: currentTerm, votedFor and log[] are \
    \"Persistent state on all servers\"; the Consensus contract: restart(config, persisted) \
    builds the node from exactly what was persisted";
pub(crate) const READY_CONTRACT: &str = "the Consensus contract (raft::Ready): entries are \
    contiguous and leave no gap in the durable log; Status keeps snapshot_index <= \
    last_applied <= commit_index <= last_log_index";

/// Figure 13, InstallSnapshot RPC, Receiver implementation (§7).
pub(crate) const SNAPSHOT_STALE_TERM: &str =
    "Figure 13, InstallSnapshot RPC, Receiver implementation 1: \"Reply immediately if term < \
     currentTerm\"";
pub(crate) const SNAPSHOT_KEEP_SUFFIX: &str = "Figure 13, InstallSnapshot RPC, Receiver \
    implementation 6: \"If existing log entry has same index and term as snapshot's last \
    included entry, retain log entries following it and reply\"";
pub(crate) const SNAPSHOT_DISCARD_LOG: &str = "Figure 13, InstallSnapshot RPC, Receiver \
    implementation 7 and 8: \"Discard the entire log\"; \"Reset state machine using snapshot \
    contents\"";
pub(crate) const SNAPSHOT_NO_ROLLBACK: &str = "§7: a snapshot never moves the state machine \
    back; the Consensus contract: a snapshot_to_apply moves last_applied to its index, and \
    committed entries continue from that index + 1";
pub(crate) const SNAPSHOT_RESTART: &str = "the Consensus contract: \"A node restarted from a \
    state holding a snapshot hands that snapshot back in snapshot_to_apply of its first \
    Ready\"";
