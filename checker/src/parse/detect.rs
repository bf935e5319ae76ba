//! Guesses a file's format from its first meaningful characters.
use super::error::{excerpt, ParseError};
use super::format::Format;

/// JSON objects start `{"`, EDN maps `{:`; a line mentioning `jepsen.util` is Jepsen's log;
/// bare EDN maps with a `:key` are Porcupine's kv logs; vectors and lists are EDN histories,
/// unless their first element is a JSON object.
pub fn detect(file: &str, text: &str) -> Result<Format, ParseError> {
    let mut offset = 0;
    let mut found = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with(';') {
            found = Some((index + 1, trimmed));
            break;
        }
        offset += line.len();
    }
    let Some((line, first)) = found else {
        return Err(ParseError::new(file, 0, "a history", "an empty file"));
    };
    if first.contains("jepsen.util") {
        return Ok(Format::JepsenLog);
    }
    // Where the data starts, across line breaks: `{` may stand alone on its line.
    let rest = text[offset..].trim_start();
    let after = |prefix: char, s: &'static str| -> bool {
        let inner = rest.strip_prefix(prefix).map(str::trim_start);
        inner.is_some_and(|inner| s.chars().any(|c| inner.starts_with(c)))
    };
    let first_item = rest.strip_prefix('[').map(str::trim_start).unwrap_or("");
    match first.chars().next() {
        Some('{') if after('{', "\"}") => Ok(Format::Json),
        Some('[')
            if first_item.strip_prefix('{').is_some_and(|r| r.trim_start().starts_with('"')) =>
        {
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
        assert_eq!(d("{\n  \"model\": \"kv\"}"), Format::Json);
        assert_eq!(d("[\n {\"client\": 0}]"), Format::Json);
        assert_eq!(d("[]"), Format::Edn);
        assert_eq!(d("INFO  jepsen.util - 0\t:invoke\t:read\tnil"), Format::JepsenLog);
        let e = detect("f", "\n\nhello").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(detect("f", "  \n").is_err());
    }
}
