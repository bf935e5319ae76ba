//! The replicated state machine: the key/value map plus each client's session (the last
//! sequence number applied), which is what turns at-least-once retries into exactly-once writes.

use std::collections::BTreeMap;

use crate::rpc::Request;
use crate::types::{ClientId, Op, Seq};

/// The service state every server rebuilds by applying the log in order.
///
/// The session table stores only the last applied `seq` per client, not its result, and that
/// is enough to answer any retry: a retried `Put`/`Append` answers "ok" (its result is always
/// empty), and a retried `Get` is simply read again. Re-reading is linearizable because the
/// retry is applied while the clerk still waits for the operation, so the value it sees is one
/// the key held during the operation. Not storing read values keeps snapshots small.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KvStateMachine {
    pub(crate) data: BTreeMap<String, String>,
    pub(crate) sessions: BTreeMap<ClientId, Seq>,
}

impl KvStateMachine {
    /// An empty store with no sessions.
    pub fn new() -> KvStateMachine {
        KvStateMachine::default()
    }

    /// Applies one committed request and returns its result: the value for a `Get`, empty for
    /// writes. A write whose `seq` is not newer than the client's last applied one is a retry
    /// of something already applied, so it changes nothing.
    pub fn apply(&mut self, request: &Request) -> String {
        if self.is_applied(request) && !request.op.is_read() {
            return String::new();
        }
        self.apply_unchecked(request)
    }

    /// Applies without looking at the session table (the `no_duplicate_detection` bug), still
    /// recording the session so that every other path behaves as usual.
    pub(crate) fn apply_unchecked(&mut self, request: &Request) -> String {
        let session = self.sessions.entry(request.client).or_default();
        *session = (*session).max(request.seq);
        match &request.op {
            Op::Get { key } => self.get(key).to_owned(),
            Op::Put { key, value } => {
                self.data.insert(key.clone(), value.clone());
                String::new()
            }
            Op::Append { key, value } => {
                self.data.entry(key.clone()).or_default().push_str(value);
                String::new()
            }
        }
    }

    /// True if this client's request `seq` (or a later one) has been applied.
    pub fn is_applied(&self, request: &Request) -> bool {
        self.last_seq(request.client) >= request.seq
    }

    /// The last sequence number applied for `client` (0 if none).
    pub fn last_seq(&self, client: ClientId) -> Seq {
        self.sessions.get(&client).copied().unwrap_or_default()
    }

    /// The current value of `key` (empty if missing), read locally without the log.
    pub fn get(&self, key: &str) -> &str {
        self.data.get(key).map_or("", String::as_str)
    }

    /// Number of keys stored.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when no key is stored.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Number of client sessions remembered.
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(client: u64, seq: u64, op: Op) -> Request {
        Request { client: ClientId(client), seq: Seq(seq), op, session_index: None }
    }

    fn append(key: &str, value: &str) -> Op {
        Op::Append { key: key.into(), value: value.into() }
    }

    fn get(key: &str) -> Op {
        Op::Get { key: key.into() }
    }

    #[test]
    fn put_append_get_follow_the_lab_semantics() {
        let mut state = KvStateMachine::new();
        assert_eq!(state.apply(&request(1, 1, get("k"))), "");
        assert_eq!(state.apply(&request(1, 2, append("k", "a"))), "");
        assert_eq!(state.apply(&request(1, 3, append("k", "b"))), "");
        assert_eq!(state.apply(&request(1, 4, get("k"))), "ab");
        let put = Op::Put { key: "k".into(), value: "z".into() };
        assert_eq!(state.apply(&request(2, 1, put)), "");
        assert_eq!(state.get("k"), "z");
        assert_eq!(state.len(), 1);
        assert_eq!(state.session_count(), 2);
    }

    #[test]
    fn a_retried_write_applies_once_and_a_retried_get_reads_again() {
        let mut state = KvStateMachine::new();
        state.apply(&request(1, 1, append("k", "a")));
        // The same append committed a second time (the clerk retried elsewhere).
        assert_eq!(state.apply(&request(1, 1, append("k", "a"))), "");
        assert_eq!(state.get("k"), "a");
        // Another client's writes are not affected by client 1's session.
        state.apply(&request(2, 1, append("k", "b")));
        assert_eq!(state.get("k"), "ab");
        // An older retry of client 1 that arrives late changes nothing either.
        state.apply(&request(1, 2, append("k", "c")));
        state.apply(&request(1, 1, append("k", "a")));
        assert_eq!(state.get("k"), "abc");
        assert_eq!(state.last_seq(ClientId(1)), Seq(2));
        // A retried Get reads the current value.
        state.apply(&request(1, 3, get("k")));
        state.apply(&request(2, 2, append("k", "d")));
        assert_eq!(state.apply(&request(1, 3, get("k"))), "abcd");
    }

    #[test]
    fn unchecked_apply_duplicates_writes() {
        let mut state = KvStateMachine::new();
        state.apply_unchecked(&request(1, 1, append("k", "a")));
        state.apply_unchecked(&request(1, 1, append("k", "a")));
        assert_eq!(state.get("k"), "aa");
        assert_eq!(state.last_seq(ClientId(1)), Seq(1));
    }
}
