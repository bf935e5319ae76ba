//! `register` and `cas-register`: Jepsen's `:read` / `:write v` / `:cas [old new]`.
//!
//! A read's invoke value is ignored (Jepsen writes nil there, some files the expected value);
//! its completion value is what it read, nil meaning the empty register. A CAS marked failed
//! (kept only when failed CASes are observed, see `FailedCas`) returned "compare failed".
use super::convert::{convert, output, unknown_function};
use super::values::{int, opt_int, tuple};
use crate::history::History;
use crate::models::{CasInput, CasOutput, ModelKind, RegisterInput, RegisterOutput};
use crate::parse::{ParseError, RawHistory};

pub fn register(raw: &RawHistory) -> Result<History<RegisterInput, RegisterOutput>, ParseError> {
    convert(raw, ModelKind::Register, |op| match op.f.as_str() {
        "read" => {
            Ok((RegisterInput::Read, output(op, |v| opt_int(v, "read").map(RegisterOutput::Read))?))
        }
        "write" => {
            let value = int(&op.input, "to write")?;
            Ok((RegisterInput::Write(value), output(op, |_| Ok(RegisterOutput::Written))?))
        }
        _ => Err(unknown_function(op, &["read", "write"])),
    })
}

pub fn cas_register(raw: &RawHistory) -> Result<History<CasInput, CasOutput>, ParseError> {
    convert(raw, ModelKind::CasRegister, |op| match op.f.as_str() {
        "read" => Ok((CasInput::Read, output(op, |v| opt_int(v, "read").map(CasOutput::Read))?)),
        "write" => {
            let value = int(&op.input, "to write")?;
            Ok((CasInput::Write(value), output(op, |_| Ok(CasOutput::Ok))?))
        }
        "cas" => {
            let pair = tuple(&op.input, 2, "a pair [expected new]")?;
            let expected = int(&pair[0], "expected value")?;
            let new = int(&pair[1], "new value")?;
            let output = match op.failed {
                true => Some(CasOutput::Failed),
                false => output(op, |_| Ok(CasOutput::Ok))?,
            };
            Ok((CasInput::Cas { expected, new }, output))
        }
        _ => Err(unknown_function(op, &["read", "write", "cas"])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Outcome;
    use crate::parse::parse;

    #[test]
    fn reads_jepsen_register_operations() {
        let text = "[{:process 0 :type :invoke :f :cas :value [1 2]}\n\
                     {:process 1 :type :invoke :f :read :value nil}\n\
                     {:process 1 :type :ok :f :read :value nil}\n\
                     {:process 0 :type :info :f :cas :value [1 2]}]";
        let raw = parse("h.edn", text.as_bytes(), None).unwrap();
        let history = cas_register(&raw).unwrap();
        assert_eq!(history[0].input, CasInput::Cas { expected: 1, new: 2 });
        assert_eq!(history[0].outcome, Outcome::Unknown);
        assert_eq!(history[1].outcome, Outcome::Returned { at: 2, output: CasOutput::Read(None) });
        let e = register(&raw).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().contains("expected a function read, write (model register)"), "{e}");
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_located() {
        let text = "[{:process 0 :type :invoke :f :write :value 1}\n\
                     {:process 0 :type :ok :f :write :value 1}\n\
                     {:process 0 :type :invoke :f :cas :value [1]}]";
        let raw = parse("h.edn", text.as_bytes(), None).unwrap();
        let e = cas_register(&raw).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().starts_with("h.edn:3: expected a pair [expected new]"), "{e}");
    }
}
