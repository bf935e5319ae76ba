//! The snapshot format of the state machine: the map and the session table, compactly.
//!
//! Layout: a version byte, the number of keys, each key and value as length-prefixed UTF-8 in
//! ascending key order, the number of sessions, and each client id and last sequence number as
//! varints in ascending client order. One small key and one client take about a dozen bytes
//! (6.824's SnapshotSize test allows 500).

use std::collections::BTreeMap;

use crate::codec::{DecodeError, Reader, Writer};
use crate::state_machine::KvStateMachine;
use crate::types::{ClientId, Seq};

const VERSION: u8 = 1;

impl KvStateMachine {
    /// Encodes the whole state for `Consensus::snapshot`.
    pub fn encode_snapshot(&self) -> Vec<u8> {
        self.encode(true)
    }

    /// The `snapshot_without_sessions` bug: the map alone, so a server restored from it
    /// re-applies retries it had already applied.
    pub(crate) fn encode_snapshot_without_sessions(&self) -> Vec<u8> {
        self.encode(false)
    }

    fn encode(&self, with_sessions: bool) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.byte(VERSION);
        writer.varint(self.data.len() as u64);
        for (key, value) in &self.data {
            writer.string(key);
            writer.string(value);
        }
        let sessions = if with_sessions { self.sessions.len() } else { 0 };
        writer.varint(sessions as u64);
        for (client, seq) in self.sessions.iter().take(sessions) {
            writer.varint(client.0);
            writer.varint(seq.0);
        }
        writer.finish()
    }

    /// Decodes a snapshot. The bytes may come from another server or from a corrupted store, so
    /// every malformation is an error; keys and clients must be strictly ascending, which makes
    /// the encoding canonical (one state, one byte string).
    pub fn decode_snapshot(bytes: &[u8]) -> Result<KvStateMachine, DecodeError> {
        let mut reader = Reader::new(bytes);
        let at = reader.position();
        let version = reader.byte("snapshot version")?;
        if version != VERSION {
            return Err(DecodeError::UnknownTag { at, what: "snapshot version", tag: version });
        }
        let mut data = BTreeMap::new();
        // Each pair takes at least its two length bytes.
        for _ in 0..reader.count("key count", 2)? {
            let at = reader.position();
            let key = reader.string("key")?;
            let value = reader.string("value")?;
            if data.last_key_value().is_some_and(|(last, _)| *last >= key) {
                return Err(DecodeError::NotSorted { at, what: "key" });
            }
            data.insert(key, value);
        }
        let mut sessions = BTreeMap::new();
        for _ in 0..reader.count("session count", 2)? {
            let at = reader.position();
            let client = ClientId(reader.varint("client id")?);
            let seq = Seq(reader.varint("sequence number")?);
            if sessions.last_key_value().is_some_and(|(last, _)| *last >= client) {
                return Err(DecodeError::NotSorted { at, what: "client id" });
            }
            sessions.insert(client, seq);
        }
        reader.finish()?;
        Ok(KvStateMachine { data, sessions })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpc::Request;
    use crate::types::Op;
    use proptest::prelude::*;

    fn filled() -> KvStateMachine {
        let mut state = KvStateMachine::new();
        for (client, seq, key, value) in [(3, 1, "b", "2"), (1, 4, "a", "1"), (900, 2, "", "x")] {
            let op = Op::Append { key: key.into(), value: value.into() };
            state.apply(&Request {
                client: ClientId(client),
                seq: Seq(seq),
                op,
                session_index: None,
            });
        }
        state
    }

    #[test]
    fn a_snapshot_restores_the_map_and_the_sessions() {
        let state = filled();
        let restored = KvStateMachine::decode_snapshot(&state.encode_snapshot()).unwrap();
        assert_eq!(restored, state);
        assert_eq!(restored.last_seq(ClientId(1)), Seq(4));
        // So a retry applied after the restore is still recognised.
        let retry = Request {
            client: ClientId(1),
            seq: Seq(4),
            op: Op::Append { key: "a".into(), value: "1".into() },
            session_index: None,
        };
        let mut restored = restored;
        restored.apply(&retry);
        assert_eq!(restored.get("a"), "1");
    }

    #[test]
    fn the_lab_snapshot_size_case_is_tiny() {
        // SnapshotSize: 800 operations by one clerk alternating Put/Get on one key.
        let mut state = KvStateMachine::new();
        for seq in 1..=800u64 {
            let op = if seq % 2 == 1 {
                Op::Put { key: "x".into(), value: ((seq / 2) % 2).to_string() }
            } else {
                Op::Get { key: "x".into() }
            };
            let client = ClientId(u64::MAX >> 2);
            state.apply(&Request { client, seq: Seq(seq), op, session_index: None });
        }
        let bytes = state.encode_snapshot();
        assert!(bytes.len() <= 20, "{} bytes", bytes.len());
    }

    #[test]
    fn the_buggy_encoding_drops_only_the_sessions() {
        let state = filled();
        let restored =
            KvStateMachine::decode_snapshot(&state.encode_snapshot_without_sessions()).unwrap();
        assert_eq!(restored.data, state.data);
        assert_eq!(restored.session_count(), 0);
    }

    #[test]
    fn malformed_snapshots_are_errors() {
        assert!(KvStateMachine::decode_snapshot(&[]).is_err());
        assert_eq!(
            KvStateMachine::decode_snapshot(&[7, 0, 0]),
            Err(DecodeError::UnknownTag { at: 0, what: "snapshot version", tag: 7 })
        );
        // Keys out of order: "b" then "a".
        let unsorted = [VERSION, 2, 1, b'b', 0, 1, b'a', 0, 0];
        assert_eq!(
            KvStateMachine::decode_snapshot(&unsorted),
            Err(DecodeError::NotSorted { at: 5, what: "key" })
        );
        // A repeated client.
        let repeated = [VERSION, 0, 2, 1, 1, 1, 2];
        assert!(matches!(
            KvStateMachine::decode_snapshot(&repeated),
            Err(DecodeError::NotSorted { what: "client id", .. })
        ));
        let mut bytes = filled().encode_snapshot();
        bytes.push(0);
        assert!(matches!(
            KvStateMachine::decode_snapshot(&bytes),
            Err(DecodeError::TrailingBytes { extra: 1, .. })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
            if let Ok(state) = KvStateMachine::decode_snapshot(&bytes) {
                // Canonical: whatever decodes encodes back to the same bytes.
                prop_assert_eq!(state.encode_snapshot(), bytes);
            }
        }

        #[test]
        fn every_truncation_of_a_real_snapshot_is_an_error(cut in 0usize..40) {
            let bytes = filled().encode_snapshot();
            let cut = cut.min(bytes.len() - 1);
            prop_assert!(KvStateMachine::decode_snapshot(&bytes[..cut]).is_err());
        }
    }
}
