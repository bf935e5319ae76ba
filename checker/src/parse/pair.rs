//! Pairs each process's `:invoke` with its completion, Jepsen's way, into [`RawOp`]s.
//!
//! Times are positions in the file (the index of the event), which is all the real-time order
//! Jepsen histories promise. `:fail` drops the operation (it did not happen), except a CAS's,
//! which is kept marked failed for [`super::FailedCas`] to read; `:info`, or no completion at
//! all, leaves its outcome unknown.
use std::collections::BTreeMap;

use super::error::ParseError;
use super::event::{Event, EventType};
use super::raw::RawOp;

/// The operations of a history, and how many `:fail`ed ones (not CASes) were left out.
#[derive(Debug, Default)]
pub struct Paired {
    pub ops: Vec<RawOp>,
    pub failed: usize,
}

/// What is known about a process while reading.
enum Open {
    /// An invoke waiting for its completion: the index into `ops`.
    Pending(usize),
    /// The process got `:info`; Jepsen never lets it invoke again.
    Crashed { line: usize },
}

pub fn pair(file: &str, events: Vec<Event>) -> Result<Paired, ParseError> {
    let mut ops: Vec<RawOp> = Vec::new();
    let mut keep: Vec<bool> = Vec::new();
    let mut open: BTreeMap<u64, Open> = BTreeMap::new();
    for (time, event) in events.into_iter().enumerate() {
        let time = time as u64;
        let err =
            |expected: String, found: String| ParseError::new(file, event.line, expected, found);
        if event.kind == EventType::Invoke {
            match open.get(&event.process) {
                Some(Open::Pending(i)) => {
                    let expected = format!(
                        "a completion of process {}'s invoke at line {}",
                        event.process, ops[*i].line
                    );
                    return Err(err(expected, "another :invoke".into()));
                }
                Some(Open::Crashed { line }) => {
                    let expected = format!(
                        "no further invokes from process {} after its :info at line {line} \
                         (Jepsen gives a crashed process a new number)",
                        event.process
                    );
                    return Err(err(expected, "an :invoke".into()));
                }
                None => {}
            }
            open.insert(event.process, Open::Pending(ops.len()));
            keep.push(true);
            ops.push(RawOp {
                client: event.process,
                f: event.f,
                key: event.key,
                input: event.value,
                output: None,
                call: time,
                ret: None,
                line: event.line,
                failed: false,
            });
            continue;
        }
        let Some(Open::Pending(i)) = open.get(&event.process) else {
            let expected =
                format!("an open :invoke of process {} before its completion", event.process);
            return Err(err(expected, format!("{:?} with none open", event.kind).to_lowercase()));
        };
        let i = *i;
        let key_differs = ops[i].key.is_some() && event.key.is_some() && ops[i].key != event.key;
        if ops[i].f != event.f || key_differs {
            let expected = format!("a completion of :{} invoked at line {}", ops[i].f, ops[i].line);
            return Err(err(expected, format!("a completion of :{}", event.f)));
        }
        if event.kind == EventType::Ok {
            ops[i].output = Some(event.value);
            ops[i].ret = Some(time);
            open.remove(&event.process);
        } else if event.kind == EventType::Fail && ops[i].f == "cas" {
            ops[i].failed = true;
            ops[i].ret = Some(time);
            open.remove(&event.process);
        } else if event.kind == EventType::Fail {
            keep[i] = false;
            open.remove(&event.process);
        } else {
            open.insert(event.process, Open::Crashed { line: event.line });
        }
    }
    let failed = keep.iter().filter(|&&kept| !kept).count();
    let mut keep = keep.into_iter();
    ops.retain(|_| keep.next().unwrap_or(false));
    Ok(Paired { ops, failed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Value;

    fn ev(process: u64, kind: EventType, f: &str, value: i64, line: usize) -> Event {
        Event { process, kind, f: f.into(), key: None, value: Value::Int(value), line }
    }

    #[test]
    fn pairs_by_process_drops_failures_and_keeps_failed_cases() {
        use EventType::*;
        let events = vec![
            ev(1, Invoke, "write", 1, 1),
            ev(2, Invoke, "cas", 2, 2),
            ev(3, Invoke, "read", 0, 3),
            ev(1, Ok, "write", 1, 4),
            ev(2, Fail, "cas", 2, 5),
            ev(3, Info, "read", 0, 6),
            ev(4, Invoke, "write", 7, 7),
        ];
        let Paired { ops, failed } = pair("f", events).unwrap();
        assert_eq!((ops.len(), failed), (4, 0), "a failed CAS is kept, marked");
        assert_eq!((ops[0].client, ops[0].call, ops[0].ret), (1, 0, Some(3)));
        assert_eq!(ops[0].output, Some(Value::Int(1)));
        assert_eq!((ops[1].client, ops[1].ret, ops[1].failed), (2, Some(4), true));
        assert_eq!((ops[2].client, ops[2].ret, ops[2].output.clone()), (3, None, None));
        assert_eq!((ops[3].client, ops[3].line, ops[3].ret), (4, 7, None));
        assert!(ops.iter().filter(|op| op.client != 2).all(|op| !op.failed));
        let events = vec![ev(1, Invoke, "write", 1, 1), ev(1, Fail, "write", 1, 2)];
        let Paired { ops, failed } = pair("f", events).unwrap();
        assert_eq!((ops.len(), failed), (0, 1), "any other :fail did not happen");
    }

    #[test]
    fn rejects_unpaired_events_with_their_line() {
        use EventType::*;
        let e = pair("f", vec![ev(1, Ok, "read", 0, 9)]).unwrap_err();
        assert_eq!(e.line, 9);
        let e =
            pair("f", vec![ev(1, Invoke, "read", 0, 1), ev(1, Invoke, "read", 0, 2)]).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("f:2: expected a completion of process 1's invoke at line 1"));
        let e = pair("f", vec![ev(1, Invoke, "read", 0, 1), ev(1, Ok, "write", 0, 3)]).unwrap_err();
        assert_eq!(e.line, 3);
        let e = pair(
            "f",
            vec![
                ev(1, Invoke, "read", 0, 1),
                ev(1, Info, "read", 0, 2),
                ev(1, Invoke, "read", 0, 3),
            ],
        )
        .unwrap_err();
        assert!(e.expected.contains("after its :info at line 2"), "{e}");
    }
}
