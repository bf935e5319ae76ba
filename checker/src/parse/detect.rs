//! Guesses a file's format from its first meaningful characters.
use super::error::{excerpt, ParseError};
use super::Format;

/// JSON objects start `{"`, EDN maps `{:`; a line mentioning `jepsen.util` is Jepsen's log;
/// bare EDN maps with a `:key` are Porcupine's kv logs; vectors and lists are EDN histories.
pub fn detect(file: &str, text: &str) -> Result<Format, ParseError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    let Some((line, first)) = lines.find(|(_, l)| !l.is_empty() && !l.starts_with(';')) else {
        return Err(ParseError::new(file, 0, "a history", "an empty file"));
    };
    if first.contains("jepsen.util") {
        return Ok(Format::JepsenLog);
    }
    let after_brace = first.strip_prefix('{').map(str::trim_start);
    match first.chars().next() {
        Some('{') if after_brace.is_some_and(|r| r.starts_with('"') || r.starts_with('}')) => {
            Ok(Format::Json)
        }
        Some('{') if first.contains(":key ") => Ok(Format::PorcupineKv),
        Some('{' | '[' | '(') => Ok(Format::Edn),
        _ => Err(ParseError::new(
            file,
            line,
            "a history: tenrec JSON, EDN, a Porcupine kv log or a Jepsen log",
            excerpt(first, 30),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        let d = |t| detect("f", t).unwrap();
        assert_eq!(d("{\"model\": \"kv\", \"operations\": []}"), Format::Json);
        assert_eq!(d("\n{\"client\": 1}\n"), Format::Json);
        assert_eq!(
            d("{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}"),
            Format::PorcupineKv
        );
        assert_eq!(d("; c\n[{:process 0, :type :invoke, :f :read}]"), Format::Edn);
        assert_eq!(d("({:process 0})"), Format::Edn);
        assert_eq!(d("INFO  jepsen.util - 0\t:invoke\t:read\tnil"), Format::JepsenLog);
        let e = detect("f", "\n\nhello").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(detect("f", "  \n").is_err());
    }
}
