//! The model a file is checked against when none is named: from its format, what a JSON file
//! declares, or the functions its operations use.
use std::collections::BTreeSet;

use crate::models::ModelKind;
use crate::parse::{Format, ParseError, RawHistory};

/// Models by the functions they know, tried in order: the first that knows every function in
/// the file wins (so a file of only reads is a cas-register history, not a set's).
const BY_FUNCTIONS: [(ModelKind, &[&str]); 6] = [
    (ModelKind::CasRegister, &["read", "write", "cas"]),
    (ModelKind::Kv, &["get", "put", "append"]),
    (ModelKind::MultiRegister, &["txn"]),
    (ModelKind::Mutex, &["acquire", "release"]),
    (ModelKind::Set, &["add", "read"]),
    (ModelKind::Queue, &["enqueue", "dequeue"]),
];

pub fn default_model(raw: &RawHistory) -> Result<ModelKind, ParseError> {
    if let Some(name) = &raw.model {
        return ModelKind::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
            let expected = format!("a known model ({})", known.join(", "));
            ParseError::new(&raw.file, 0, expected, format!("\"model\": {name:?}"))
        });
    }
    match raw.format {
        Format::PorcupineKv => return Ok(ModelKind::Kv),
        Format::JepsenLog => return Ok(ModelKind::CasRegister),
        Format::Json | Format::Edn => {}
    }
    let functions: BTreeSet<&str> = raw.kept().map(|op| op.f.as_str()).collect();
    BY_FUNCTIONS
        .iter()
        .find(|(_, known)| functions.iter().all(|f| known.contains(f)))
        .map(|(kind, _)| *kind)
        .ok_or_else(|| {
            // Escaped: a JSON function name may hold control characters.
            let found: Vec<String> =
                functions.iter().map(|f| format!(":{}", f.escape_debug())).collect();
            let expected = "the functions of one model (read/write/cas, get/put/append, txn, \
                            acquire/release, add/read, enqueue/dequeue), or a --model";
            ParseError::new(&raw.file, 0, expected, found.join(" "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn model_of(text: &str) -> Result<ModelKind, ParseError> {
        default_model(&parse("f", text.as_bytes(), None).unwrap())
    }

    fn edn(fs: &[&str]) -> String {
        let maps: Vec<String> = fs
            .iter()
            .enumerate()
            .map(|(p, f)| format!("{{:process {p} :type :invoke :f :{f}}}"))
            .collect();
        format!("[{}]", maps.join("\n"))
    }

    #[test]
    fn infers_from_functions_and_declarations() {
        assert_eq!(model_of(&edn(&["read", "cas"])).unwrap(), ModelKind::CasRegister);
        assert_eq!(model_of(&edn(&["read"])).unwrap(), ModelKind::CasRegister);
        assert_eq!(model_of(&edn(&["txn"])).unwrap(), ModelKind::MultiRegister);
        assert_eq!(model_of(&edn(&["acquire", "release"])).unwrap(), ModelKind::Mutex);
        assert_eq!(model_of(&edn(&["add", "read"])).unwrap(), ModelKind::Set);
        assert_eq!(model_of(&edn(&["dequeue", "enqueue"])).unwrap(), ModelKind::Queue);
        let e = model_of(&edn(&["add", "cas"])).unwrap_err();
        assert!(e.found.contains(":add :cas"), "{e}");
        assert_eq!(model_of("{\"model\": \"set\", \"operations\": []}").unwrap(), ModelKind::Set);
        assert!(model_of("{\"model\": \"sett\"}").unwrap_err().expected.contains("a known model"));
        assert_eq!(
            model_of("INFO  jepsen.util - 0 :invoke :read nil").unwrap(),
            ModelKind::CasRegister
        );
    }
}
