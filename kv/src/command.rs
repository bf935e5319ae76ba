//! The log's command format: a request encoded into Raft's opaque `Command` bytes and back.
//!
//! Layout: one tag byte (1 Get, 2 Put, 3 Append), the client id and sequence number as varints,
//! then the key and (for writes) the value as length-prefixed UTF-8. A typical lab command is a
//! dozen bytes, which keeps the Raft state (and the snapshot trigger) close to the labs' sizes.

use raft::Command;

use crate::codec::{DecodeError, Reader, Writer};
use crate::rpc::Request;
use crate::types::{ClientId, Op, Seq};

const GET: u8 = 1;
const PUT: u8 = 2;
const APPEND: u8 = 3;

/// Encodes a request as the command the leader proposes.
pub fn encode_command(request: &Request) -> Command {
    let mut writer = Writer::new();
    let (tag, key, value) = match &request.op {
        Op::Get { key } => (GET, key, None),
        Op::Put { key, value } => (PUT, key, Some(value)),
        Op::Append { key, value } => (APPEND, key, Some(value)),
    };
    writer.byte(tag);
    writer.varint(request.client.0);
    writer.varint(request.seq.0);
    writer.string(key);
    if let Some(value) = value {
        writer.string(value);
    }
    Command::from(writer.finish())
}

/// Decodes a committed command. Any byte string is accepted as input: a command another
/// implementation (or a bug) put in the log yields an error, not a panic.
pub fn decode_command(command: &Command) -> Result<Request, DecodeError> {
    let mut reader = Reader::new(command.as_bytes());
    let at = reader.position();
    let tag = reader.byte("command tag")?;
    let client = ClientId(reader.varint("client id")?);
    let seq = Seq(reader.varint("sequence number")?);
    let key = reader.string("key")?;
    let op = match tag {
        GET => Op::Get { key },
        PUT => Op::Put { key, value: reader.string("value")? },
        APPEND => Op::Append { key, value: reader.string("value")? },
        tag => return Err(DecodeError::UnknownTag { at, what: "command", tag }),
    };
    reader.finish()?;
    // The session index is the clerk's, for one server's answer: never part of the log.
    Ok(Request { client, seq, op, session_index: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn request(op: Op) -> Request {
        Request { client: ClientId(5), seq: Seq(9), op, session_index: None }
    }

    #[test]
    fn every_op_round_trips_compactly() {
        let ops = [
            Op::Get { key: "x".into() },
            Op::Put { key: "x".into(), value: "1".into() },
            Op::Append { key: "".into(), value: "é\n".into() },
        ];
        for op in ops {
            let command = encode_command(&request(op.clone()));
            assert_eq!(decode_command(&command), Ok(request(op)));
        }
        // tag, client, seq, key length, key, value length, value: seven bytes.
        let put = encode_command(&request(Op::Put { key: "x".into(), value: "1".into() }));
        assert_eq!(put.as_bytes(), &[PUT, 5, 9, 1, b'x', 1, b'1']);
    }

    #[test]
    fn garbage_commands_are_errors() {
        assert_eq!(
            decode_command(&Command::from("")),
            Err(DecodeError::Truncated { at: 0, what: "command tag" })
        );
        assert_eq!(
            decode_command(&Command::from(vec![9, 1, 1, 0])),
            Err(DecodeError::UnknownTag { at: 0, what: "command", tag: 9 })
        );
        // A Get followed by a stray byte.
        assert_eq!(
            decode_command(&Command::from(vec![GET, 1, 1, 0, 7])),
            Err(DecodeError::TrailingBytes { at: 4, extra: 1 })
        );
        // A Put without its value.
        assert!(decode_command(&Command::from(vec![PUT, 1, 1, 0])).is_err());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let command = Command::from(bytes);
            if let Ok(request) = decode_command(&command) {
                // Whatever decodes re-encodes to the same meaning.
                prop_assert_eq!(decode_command(&encode_command(&request)), Ok(request));
            }
        }

        #[test]
        fn requests_round_trip(
            client in any::<u64>(), seq in any::<u64>(), kind in 0u8..3,
            key in ".{0,8}", value in ".{0,8}",
        ) {
            let op = match kind {
                0 => Op::Get { key },
                1 => Op::Put { key, value },
                _ => Op::Append { key, value },
            };
            let request = Request { client: ClientId(client), seq: Seq(seq), op, session_index: None };
            prop_assert_eq!(decode_command(&encode_command(&request)), Ok(request));
        }
    }
}
