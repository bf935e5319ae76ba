//! `kv` (get/put/append, Porcupine's kv logs) and `versioned-kv` (6.5840's versioned puts).
//!
//! The key is the operation's `key` field. A get's completion value is what it read; nil
//! reads as the empty string, which every key starts as.
use super::convert::{convert, output, unknown_function};
use super::values::{int, status, text, tuple, Misfit};
use crate::history::History;
use crate::models::{
    KvInput, KvOp, KvOutput, ModelKind, VersionedKvInput, VersionedKvOp, VersionedKvOutput,
};
use crate::parse::{ParseError, RawHistory, RawOp, Value};

fn key(op: &RawOp) -> Result<String, Misfit> {
    match &op.key {
        Some(key) => text(key, "key"),
        None => Err(Misfit { expected: "a key field".into(), found: "none".into() }),
    }
}

pub fn kv(raw: &RawHistory) -> Result<History<KvInput, KvOutput>, ParseError> {
    convert(raw, ModelKind::Kv, |op| {
        let key = key(op)?;
        let (kv_op, out) = match op.f.as_str() {
            "get" => (KvOp::Get, output(op, read_value)?),
            "put" => (KvOp::Put(text(&op.input, "to put")?), output(op, |_| Ok(KvOutput::Ok))?),
            "append" => {
                (KvOp::Append(text(&op.input, "to append")?), output(op, |_| Ok(KvOutput::Ok))?)
            }
            _ => return Err(unknown_function(op, &["get", "put", "append"])),
        };
        Ok((KvInput { key, op: kv_op }, out))
    })
}

fn read_value(v: &Value) -> Result<KvOutput, Misfit> {
    match v {
        Value::Nil => Ok(KvOutput::Value(String::new())),
        other => text(other, "read").map(KvOutput::Value),
    }
}

pub fn versioned_kv(
    raw: &RawHistory,
) -> Result<History<VersionedKvInput, VersionedKvOutput>, ParseError> {
    convert(raw, ModelKind::VersionedKv, |op| {
        let key = key(op)?;
        let (kv_op, out) = match op.f.as_str() {
            "get" => (VersionedKvOp::Get, output(op, get_output)?),
            "put" => {
                let (value, version) = value_and_version(&op.input)?;
                (VersionedKvOp::Put { value, version }, output(op, put_output)?)
            }
            _ => return Err(unknown_function(op, &["get", "put"])),
        };
        Ok((VersionedKvInput { key, op: kv_op }, out))
    })
}

/// `{"value": v, "version": n}` or `[v n]`.
fn value_and_version(v: &Value) -> Result<(String, u64), Misfit> {
    let (value, version) = match (v.get("value"), v.get("version")) {
        (Some(value), Some(version)) => (value, version),
        _ => {
            let pair = tuple(v, 2, "a value and version, [v n] or {value: v, version: n}")?;
            (&pair[0], &pair[1])
        }
    };
    let version = int(version, "version")?;
    let version = u64::try_from(version).map_err(|_| Misfit::new("a non-negative version", v))?;
    Ok((text(value, "value")?, version))
}

fn get_output(v: &Value) -> Result<VersionedKvOutput, Misfit> {
    if status(v).as_deref() == Some("errnokey") {
        return Ok(VersionedKvOutput::ErrNoKey);
    }
    let (value, version) = value_and_version(v)?;
    Ok(VersionedKvOutput::Value { value, version })
}

fn put_output(v: &Value) -> Result<VersionedKvOutput, Misfit> {
    match status(v).as_deref() {
        Some("ok") => Ok(VersionedKvOutput::Ok),
        Some("errnokey") => Ok(VersionedKvOutput::ErrNoKey),
        Some("errversion") => Ok(VersionedKvOutput::ErrVersion),
        Some("errmaybe") => Ok(VersionedKvOutput::ErrMaybe),
        _ => Err(Misfit::new("a put result ok, ErrNoKey, ErrVersion or ErrMaybe", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Outcome;
    use crate::parse::parse;

    #[test]
    fn reads_porcupine_kv_operations() {
        let text = "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x\"}\n\
                    {:process 1, :type :invoke, :f :get, :key \"0\", :value nil}\n\
                    {:process 0, :type :ok, :f :append, :key \"0\", :value \"x\"}\n\
                    {:process 1, :type :ok, :f :get, :key \"0\", :value \"x\"}\n";
        let raw = parse("c.txt", text.as_bytes(), None).unwrap();
        let history = kv(&raw).unwrap();
        assert_eq!(history[0].input, KvInput { key: "0".into(), op: KvOp::Append("x".into()) });
        assert_eq!(
            history[1].outcome,
            Outcome::Returned { at: 3, output: KvOutput::Value("x".into()) }
        );
    }

    #[test]
    fn reads_versioned_puts_and_rejects_missing_keys() {
        let text = r#"{"model": "versioned-kv", "operations": [
            {"client": 0, "f": "put", "key": "k", "input": {"value": "a", "version": 0}, "call": 0, "return": 1, "output": "ErrMaybe"},
            {"client": 1, "f": "get", "key": "k", "call": 2, "return": 3, "output": ["a", 1]},
            {"client": 1, "f": "get", "call": 4, "return": 5, "output": "ErrNoKey"}]}"#;
        let raw = parse("v.json", text.as_bytes(), None).unwrap();
        let e = versioned_kv(&raw).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.expected.contains("a key field"), "{e}");
        let raw = parse(
            "v.json",
            text.replace("\"get\", \"call\"", "\"get\", \"key\": \"k\", \"call\"").as_bytes(),
            None,
        )
        .unwrap();
        let history = versioned_kv(&raw).unwrap();
        let put = VersionedKvOp::Put { value: "a".into(), version: 0 };
        assert_eq!(history[0].input.op, put);
        assert_eq!(
            history[0].outcome,
            Outcome::Returned { at: 1, output: VersionedKvOutput::ErrMaybe }
        );
        let read = VersionedKvOutput::Value { value: "a".into(), version: 1 };
        assert_eq!(history[1].outcome, Outcome::Returned { at: 3, output: read });
    }
}
