//! Porcupine's kv logs: one EDN operation map per line, with `:key`, in real-time order.
use super::cursor::Cursor;
use super::edn::{read_value, skip_ws};
use super::error::ParseError;
use super::event::from_map;
use super::pair::{pair, Paired};

pub fn parse(file: &str, text: &str) -> Result<Paired, ParseError> {
    let mut events = Vec::new();
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
            events.push(event);
        }
    }
    pair(file, events)
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
}
