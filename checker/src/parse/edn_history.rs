//! Jepsen/Knossos EDN histories: a vector or list of operation maps (or bare maps, one after
//! another), maps possibly spanning lines, `;` comments anywhere.
use super::cursor::Cursor;
use super::edn::{read_value, skip_ws};
use super::error::ParseError;
use super::event::{from_map, Event};
use super::pair::{pair, Paired};

pub fn parse(file: &str, text: &str) -> Result<Paired, ParseError> {
    pair(file, read_events(file, text)?)
}

/// Reads the event maps in file order, each with the line it starts on.
pub fn read_events(file: &str, text: &str) -> Result<Vec<Event>, ParseError> {
    let mut cur = Cursor::new(file, text);
    skip_ws(&mut cur)?;
    let close = match cur.peek() {
        Some('[') => Some(']'),
        Some('(') => Some(')'),
        _ => None,
    };
    if close.is_some() {
        cur.bump();
    }
    let mut events = Vec::new();
    loop {
        skip_ws(&mut cur)?;
        match (cur.peek(), close) {
            (None, None) => return Ok(events),
            (None, Some(c)) => return Err(cur.error(format!("an operation map or `{c}`"))),
            (Some(c), Some(close)) if c == close => {
                cur.bump();
                skip_ws(&mut cur)?;
                if !cur.at_end() {
                    return Err(cur.error("the end of the file after the history"));
                }
                return Ok(events);
            }
            _ => {}
        }
        let line = cur.line();
        let map = read_value(&mut cur)?;
        if let Some(event) = from_map(file, line, &map)? {
            events.push(event);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Value;

    const SAMPLE: &str = "; comment\n[{:process 0, :type :invoke, :f :write, :value 1}\n \
        {:process :nemesis,\n  :type :info, :f :start, :value nil}\n \
        {:process 0,\n  :type :ok, :f :write, :value 1}\n \
        {:process 1, :type :invoke, :f :cas, :value [1 2]}\n \
        {:process 1, :type :fail, :f :cas, :value [1 2]}\n \
        {:process 2, :type :invoke, :f :read, :value nil}]\n";

    #[test]
    fn reads_a_vector_history() {
        let ops = parse("h.edn", SAMPLE).unwrap().ops;
        // The failed CAS is kept, marked; `FailedCas` decides later whether it is checked.
        assert_eq!(ops.len(), 3);
        assert_eq!((ops[0].line, ops[0].f.as_str(), ops[0].ret), (2, "write", Some(1)));
        assert_eq!(ops[0].output, Some(Value::Int(1)));
        assert_eq!((ops[1].line, ops[1].f.as_str(), ops[1].failed), (7, "cas", true));
        assert_eq!((ops[2].line, ops[2].client, ops[2].ret), (9, 2, None));
    }

    #[test]
    fn reads_bare_maps_and_lists() {
        let ops = parse("h.edn", "({:process 0 :type :invoke :f :read})").unwrap().ops;
        assert_eq!(ops.len(), 1);
        let ops = parse(
            "h.edn",
            "{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value 3}",
        )
        .unwrap()
        .ops;
        assert_eq!(ops[0].output, Some(Value::Int(3)));
    }

    #[test]
    fn malformed_histories_name_the_line() {
        let e = parse(
            "h.edn",
            "[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :bogus, :f :read}]",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("h.edn:2: expected a type :invoke"), "{e}");
        let e = parse("h.edn", "[{:process 0, :type :invoke, :f :read}\n\n {:type :ok, :f :read}]")
            .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.expected.contains(":process"), "{e}");
        let e = parse("h.edn", "[{:process 0, :type :invoke,\n :f :read}\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("h.edn", "[1]").unwrap_err();
        assert!(e.expected.contains("operation map"), "{e}");
        assert_eq!(parse("h.edn", "[] x").unwrap_err().line, 1);
    }
}
