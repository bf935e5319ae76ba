//! `set`: `:add v` and whole-set `:read`s, whose completion value is the elements seen.
use super::convert::{convert, output, unknown_function};
use super::values::{int, int_set};
use crate::history::History;
use crate::models::{ModelKind, SetInput, SetOutput};
use crate::parse::{ParseError, RawHistory};

pub fn history(raw: &RawHistory) -> Result<History<SetInput, SetOutput>, ParseError> {
    convert(raw, ModelKind::Set, |op| match op.f.as_str() {
        "add" => {
            Ok((SetInput::Add(int(&op.input, "to add")?), output(op, |_| Ok(SetOutput::Added))?))
        }
        "read" => Ok((SetInput::Read, output(op, |v| int_set(v, "read").map(SetOutput::Read))?)),
        _ => Err(unknown_function(op, &["add", "read"])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Outcome;
    use crate::parse::parse;

    #[test]
    fn reads_set_operations() {
        let text = "[{:process 0 :type :invoke :f :add :value 1}\n{:process 0 :type :ok :f :add :value 1}\n\
                     {:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value #{1 2}}]";
        let raw = parse("s.edn", text.as_bytes(), None).unwrap();
        let h = history(&raw).unwrap();
        let seen = SetOutput::Read([1, 2].into_iter().collect());
        assert_eq!(h[1].outcome, Outcome::Returned { at: 3, output: seen });
        let raw = parse("s.edn", text.replace("#{1 2}", "#{1 :x}").as_bytes(), None).unwrap();
        assert_eq!(history(&raw).unwrap_err().line, 3);
    }
}
