//! `queue`: `:enqueue v` and `:dequeue`, whose completion value is the element (nil: empty).
use super::convert::{convert, output, unknown_function};
use super::values::{int, opt_int};
use crate::history::History;
use crate::models::{ModelKind, QueueInput, QueueOutput};
use crate::parse::{ParseError, RawHistory};

pub fn history(raw: &RawHistory) -> Result<History<QueueInput, QueueOutput>, ParseError> {
    convert(raw, ModelKind::Queue, |op| match op.f.as_str() {
        "enqueue" => {
            let value = int(&op.input, "to enqueue")?;
            Ok((QueueInput::Enqueue(value), output(op, |_| Ok(QueueOutput::Enqueued))?))
        }
        "dequeue" => {
            let out = output(op, |v| opt_int(v, "dequeued").map(QueueOutput::Dequeued))?;
            Ok((QueueInput::Dequeue, out))
        }
        _ => Err(unknown_function(op, &["enqueue", "dequeue"])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Outcome;
    use crate::parse::parse;

    #[test]
    fn reads_queue_operations() {
        let text = "[{:process 0 :type :invoke :f :enqueue :value 5}\n{:process 0 :type :ok :f :enqueue :value 5}\n\
                     {:process 1 :type :invoke :f :dequeue}\n{:process 1 :type :ok :f :dequeue :value 5}]";
        let raw = parse("q.edn", text.as_bytes(), None).unwrap();
        let h = history(&raw).unwrap();
        assert_eq!(h[0].input, QueueInput::Enqueue(5));
        assert_eq!(
            h[1].outcome,
            Outcome::Returned { at: 3, output: QueueOutput::Dequeued(Some(5)) }
        );
        let raw = parse(
            "q.edn",
            text.replace(":value 5}\n{:process 0", ":value \"a\"}\n{:process 0").as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(history(&raw).unwrap_err().line, 1);
    }
}
