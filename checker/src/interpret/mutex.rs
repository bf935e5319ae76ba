//! `mutex`: Knossos's `:acquire` and `:release`, whose values are ignored.
use super::convert::{convert, output, unknown_function};
use crate::history::History;
use crate::models::{ModelKind, MutexInput, MutexOutput};
use crate::parse::{ParseError, RawHistory};

pub fn history(raw: &RawHistory) -> Result<History<MutexInput, MutexOutput>, ParseError> {
    convert(raw, ModelKind::Mutex, |op| {
        let input = match op.f.as_str() {
            "acquire" => MutexInput::Acquire,
            "release" => MutexInput::Release,
            _ => return Err(unknown_function(op, &["acquire", "release"])),
        };
        Ok((input, output(op, |_| Ok(MutexOutput))?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[test]
    fn reads_lock_operations() {
        let text = "[{:process 0 :type :invoke :f :acquire}\n{:process 0 :type :ok :f :acquire}\n\
                     {:process 0 :type :invoke :f :unlock}]";
        let raw = parse("m.edn", text.as_bytes(), None).unwrap();
        let e = history(&raw).unwrap_err();
        assert_eq!(e.line, 3);
        let raw = parse("m.edn", text.replace(":unlock", ":release").as_bytes(), None).unwrap();
        let h = history(&raw).unwrap();
        assert_eq!(
            (h[0].input.clone(), h[1].input.clone()),
            (MutexInput::Acquire, MutexInput::Release)
        );
    }
}
