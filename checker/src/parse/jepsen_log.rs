//! Jepsen's log output, as in Porcupine's etcd test data:
//! `INFO  jepsen.util - 0 :invoke :cas [3 0]` (fields separated by tabs or runs of spaces).
//!
//! Only lines logged by `jepsen.util` record operations; other log lines (other loggers,
//! stack traces) are skipped. An operation line must parse completely.
use super::cursor::Cursor;
use super::edn::{read_value, skip_ws};
use super::error::ParseError;
use super::event::{event_type, function, process, Event};
use super::pair::{pair, Paired};

/// The logger whose lines are operations, followed by the separator before the fields.
const OP_LOGGER: &str = "jepsen.util";

pub fn parse(file: &str, text: &str) -> Result<Paired, ParseError> {
    let mut events = Vec::new();
    let mut op_lines = 0;
    for (index, line_text) in text.lines().enumerate() {
        let line = index + 1;
        let Some(fields) = op_fields(line_text) else {
            continue;
        };
        op_lines += 1;
        if let Some(event) = read_fields(file, line, fields)? {
            events.push(event);
        }
    }
    if op_lines == 0 {
        let expected = format!(
            "at least one operation line `INFO {OP_LOGGER} - <process> <type> <f> <value>`"
        );
        return Err(ParseError::new(file, 0, expected, "none"));
    }
    pair(file, events)
}

/// The text after `jepsen.util -` (or `jepsen.util:`), if this is an operation line.
fn op_fields(line: &str) -> Option<&str> {
    let (_, rest) = line.split_once(OP_LOGGER)?;
    let rest = rest.trim_start();
    rest.strip_prefix('-').or_else(|| rest.strip_prefix(':'))
}

/// Reads `process type f value` as EDN values; `Ok(None)` for the nemesis.
fn read_fields(file: &str, line: usize, fields: &str) -> Result<Option<Event>, ParseError> {
    let mut cur = Cursor::at_line(file, fields, line);
    let mut next = |what: &str| -> Result<_, ParseError> {
        skip_ws(&mut cur)?;
        if cur.at_end() {
            return Err(cur.error(what.to_string()));
        }
        read_value(&mut cur)
    };
    let Some(process) = process(file, line, &next("a process number")?)? else {
        return Ok(None);
    };
    let kind = event_type(file, line, &next("a type such as :invoke")?)?;
    let f = function(file, line, &next("a function such as :read")?)?;
    let value = next("a value")?;
    skip_ws(&mut cur)?;
    if !cur.at_end() {
        return Err(cur.error("the end of the line after the value"));
    }
    Ok(Some(Event { process, kind, f, key: None, value, line }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Value;

    #[test]
    fn reads_tab_and_space_separated_lines() {
        let text = "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n\
                    INFO  jepsen.core - something else\n\
                    INFO  jepsen.util - 2   :invoke :cas    [3 0]\n\
                    INFO  jepsen.util - 0\t:ok\t:read\t3\n\
                    INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n\
                    INFO  jepsen.util - 2\t:info\t:cas\t:timed-out\n";
        let ops = parse("e.log", text).unwrap().ops;
        assert_eq!(ops.len(), 2);
        assert_eq!((ops[0].line, ops[0].output.clone()), (1, Some(Value::Int(3))));
        assert_eq!(ops[1].input, Value::Vector(vec![Value::Int(3), Value::Int(0)]));
        assert_eq!((ops[1].line, ops[1].ret), (3, None));
    }

    #[test]
    fn malformed_lines_are_located() {
        let e = parse(
            "e.log",
            "INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().starts_with("e.log:2:"), "{e}");
        assert!(e.expected.contains("a value"), "{e}");
        let e = parse("e.log", "INFO  jepsen.util - 0 :invoke :read nil extra").unwrap_err();
        assert!(e.expected.contains("end of the line"), "{e}");
        let e = parse("e.log", "INFO  jepsen.util - x :invoke :read nil").unwrap_err();
        assert!(e.expected.contains("process"), "{e}");
        assert!(parse("e.log", "hello\n").is_err());
    }
}
