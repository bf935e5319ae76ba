//! Porcupine's kv logs: one EDN operation map per line, with `:key`, in real-time order.
use std::collections::BTreeMap;

use super::cursor::Cursor;
use super::edn::{read_value, skip_ws};
use super::error::ParseError;
use super::event::{from_map, Event, EventType};
use super::pair::{pair, Paired};

pub fn parse(file: &str, text: &str) -> Result<Paired, ParseError> {
    let mut events = Vec::new();
    let mut open = BTreeMap::new();
    let mut mismatch = None;
    for (index, line_text) in text.lines().enumerate() {
        let line = index + 1;
        let mut cur = Cursor::at_line(file, line_text, line);
        skip_ws(&mut cur)?;
        if cur.at_end() {
            continue;
        }
        let map = read_value(&mut cur)?;
        skip_ws(&mut cur)?;
        if !cur.at_end() {
            return Err(cur.error("the end of the line after one operation map"));
        }
        if let Some(event) = from_map(file, line, &map)? {
            if mismatch.is_none() {
                mismatch = key_mismatch(file, &events, &mut open, &event);
            }
            events.push(event);
        }
    }
    // Pairing reports the first problem in file order, a completion on another key among
    // them, but without the keys. When its problem is the mismatch found here (the same
    // line: one event per line), the message naming both keys replaces it.
    pair(file, events).map_err(|e| match mismatch {
        Some(named) if named.line == e.line => named,
        _ => e,
    })
}

/// A completion whose key differs from its invoke's, as an error naming both keys. `open`
/// maps each process to its open invoke (an index into `events`), tracked as pairing does.
fn key_mismatch(
    file: &str,
    events: &[Event],
    open: &mut BTreeMap<u64, usize>,
    event: &Event,
) -> Option<ParseError> {
    if event.kind == EventType::Invoke {
        open.insert(event.process, events.len());
        return None;
    }
    let invoke = &events[open.remove(&event.process)?];
    let (Some(invoked), Some(completed)) = (&invoke.key, &event.key) else {
        return None;
    };
    // The key comes last in `expected`, so a long one is what the cut shortens.
    (invoked != completed).then(|| {
        let expected = format!(
            "a completion of :{} invoked at line {} on the key {invoked}",
            invoke.f, invoke.line
        );
        let found = format!("a completion of :{} on the key {completed}", event.f);
        ParseError::new(file, event.line, expected, found)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Value;

    #[test]
    fn reads_one_map_per_line() {
        let text = "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}\n\n\
                    {:process 1, :type :invoke, :f :get, :key \"0\", :value nil}\n\
                    {:process 1, :type :ok, :f :get, :key \"0\", :value \"x 0 0 y\"}\n\
                    {:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}\n";
        let ops = parse("c.txt", text).unwrap().ops;
        assert_eq!(ops.len(), 2);
        assert_eq!(ops[0].key, Some(Value::Str("0".into())));
        assert_eq!((ops[0].line, ops[0].call, ops[0].ret), (1, 0, Some(3)));
        assert_eq!((ops[1].line, ops[1].call, ops[1].ret), (3, 1, Some(2)));
        assert_eq!(ops[1].output, Some(Value::Str("x 0 0 y".into())));
    }

    #[test]
    fn a_broken_line_is_located() {
        let text = "{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}\n\
                    {:process 0, :type :ok, :f :get, :key \"0\", :value \"x}\n";
        let e = parse("c.txt", text).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("c.txt:2:"), "{e}");
        let e = parse("c.txt", "{:process 0, :type :invoke, :f :get} {:a 1}").unwrap_err();
        assert!(e.expected.contains("end of the line"), "{e}");
    }

    #[test]
    fn a_completion_on_another_key_names_both_keys() {
        let text = "{:process 0, :type :invoke, :f :get, :key \"0\", :value nil}\n\
                    {:process 1, :type :invoke, :f :get, :key \"7\", :value nil}\n\
                    {:process 0, :type :ok, :f :get, :key \"1\", :value \"x\"}\n";
        let e = parse("c.txt", text).unwrap_err();
        assert_eq!(e.line, 3);
        assert_eq!(e.expected, "a completion of :get invoked at line 1 on the key \"0\"");
        assert_eq!(e.found, "a completion of :get on the key \"1\"");
        // An earlier problem is still the one reported.
        let text = format!("{{:process 2, :type :ok, :f :get, :key \"0\"}}\n{text}");
        let e = parse("c.txt", &text).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }
}
