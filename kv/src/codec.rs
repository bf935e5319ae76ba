//! The compact binary primitives shared by command and snapshot encodings: LEB128 varints and
//! length-prefixed UTF-8 strings, with a reader that turns every malformed input into an error.

/// Why bytes could not be decoded. Command and snapshot bytes come from the log and from other
/// servers, so they are untrusted: a decoder reports, it never panics.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum DecodeError {
    #[error("input ends at byte {at} in the middle of {what}")]
    Truncated { at: usize, what: &'static str },
    #[error("unknown {what} tag {tag} at byte {at}")]
    UnknownTag { at: usize, what: &'static str, tag: u8 },
    #[error("varint at byte {at} does not fit in 64 bits")]
    VarintOverflow { at: usize },
    #[error("varint at byte {at} has redundant trailing zero groups")]
    OverlongVarint { at: usize },
    #[error("string at byte {at} is not UTF-8")]
    NotUtf8 { at: usize },
    #[error("{extra} unexpected bytes after the end at byte {at}")]
    TrailingBytes { at: usize, extra: usize },
    #[error("{what} at byte {at} is out of order or repeated")]
    NotSorted { at: usize, what: &'static str },
}

/// Appends encoded values to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer::default()
    }

    pub(crate) fn byte(&mut self, byte: u8) {
        self.bytes.push(byte);
    }

    /// LEB128: seven bits a byte, low bits first; small numbers (sequence numbers, lengths)
    /// take one byte, which is what keeps commands and snapshots small.
    pub(crate) fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8 & 0x7f) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    pub(crate) fn string(&mut self, text: &str) {
        self.varint(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Reads encoded values from a byte slice, reporting where it failed.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Where the next read starts, for error positions.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    pub(crate) fn byte(&mut self, what: &'static str) -> Result<u8, DecodeError> {
        let byte = *self.bytes.get(self.at).ok_or(DecodeError::Truncated { at: self.at, what })?;
        self.at += 1;
        Ok(byte)
    }

    pub(crate) fn varint(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let start = self.at;
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte(what)?;
            let low = u64::from(byte & 0x7f);
            // The tenth byte may only carry the top bit of a u64.
            if shift == 63 && low > 1 {
                return Err(DecodeError::VarintOverflow { at: start });
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                // One encoding per number keeps snapshots canonical.
                if byte == 0 && shift > 0 {
                    return Err(DecodeError::OverlongVarint { at: start });
                }
                return Ok(value);
            }
        }
        Err(DecodeError::VarintOverflow { at: start })
    }

    pub(crate) fn string(&mut self, what: &'static str) -> Result<String, DecodeError> {
        let len = self.varint(what)?;
        let start = self.at;
        let remaining = self.bytes.len() - self.at;
        // Compare before converting: a hostile length must not allocate or overflow.
        if len > remaining as u64 {
            return Err(DecodeError::Truncated { at: self.bytes.len(), what });
        }
        let end = start + len as usize;
        let text = std::str::from_utf8(&self.bytes[start..end])
            .map_err(|_| DecodeError::NotUtf8 { at: start })?;
        self.at = end;
        Ok(text.to_owned())
    }

    /// A count of items that each take at least `min_item_bytes`: rejects counts the input
    /// cannot hold, so a hostile count cannot make the decoder reserve huge buffers.
    pub(crate) fn count(
        &mut self,
        what: &'static str,
        min_item_bytes: usize,
    ) -> Result<usize, DecodeError> {
        let count = self.varint(what)?;
        let remaining = (self.bytes.len() - self.at) as u64;
        if count.saturating_mul(min_item_bytes as u64) > remaining {
            return Err(DecodeError::Truncated { at: self.bytes.len(), what });
        }
        Ok(count as usize)
    }

    /// Succeeds only if every byte was consumed.
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        let extra = self.bytes.len() - self.at;
        if extra > 0 {
            return Err(DecodeError::TrailingBytes { at: self.at, extra });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX - 1, u64::MAX] {
            let mut writer = Writer::new();
            writer.varint(value);
            let bytes = writer.finish();
            let mut reader = Reader::new(&bytes);
            assert_eq!(reader.varint("n"), Ok(value));
            assert_eq!(reader.finish(), Ok(()));
        }
        let mut small = Writer::new();
        small.varint(127);
        assert_eq!(small.finish().len(), 1);
    }

    #[test]
    fn malformed_input_is_an_error_with_a_position() {
        // Eleven continuation bytes: longer than any u64.
        let long = [0xffu8; 11];
        assert_eq!(Reader::new(&long).varint("n"), Err(DecodeError::VarintOverflow { at: 0 }));
        // Ten bytes whose last one carries more than the top bit.
        let mut wide = [0xffu8; 10];
        wide[9] = 0x02;
        assert_eq!(Reader::new(&wide).varint("n"), Err(DecodeError::VarintOverflow { at: 0 }));
        assert_eq!(
            Reader::new(&[0x80, 0x00]).varint("n"),
            Err(DecodeError::OverlongVarint { at: 0 })
        );
        assert_eq!(
            Reader::new(&[0x80]).varint("n"),
            Err(DecodeError::Truncated { at: 1, what: "n" })
        );
        // A length of 2^63 must not be trusted.
        let mut hostile = Writer::new();
        hostile.varint(1 << 63);
        let bytes = hostile.finish();
        assert!(matches!(Reader::new(&bytes).string("s"), Err(DecodeError::Truncated { .. })));
        assert!(matches!(Reader::new(&bytes).count("n", 1), Err(DecodeError::Truncated { .. })));
        assert_eq!(Reader::new(&[1, 0xff]).string("s"), Err(DecodeError::NotUtf8 { at: 1 }));
        assert_eq!(
            Reader::new(&[0, 9]).finish(),
            Err(DecodeError::TrailingBytes { at: 0, extra: 2 })
        );
    }
}
