//! `multi-register`: Knossos's `:txn` operations, `[[:read :x 1] [:write :y 2]]`.
use super::convert::{convert, output, unknown_function};
use super::values::{int, opt_int, text, tuple, Misfit};
use crate::history::History;
use crate::models::{MicroOp, ModelKind, Txn};
use crate::parse::{ParseError, RawHistory, Value};

pub fn history(raw: &RawHistory) -> Result<History<Txn, Txn>, ParseError> {
    convert(raw, ModelKind::MultiRegister, |op| {
        if op.f != "txn" {
            return Err(unknown_function(op, &["txn"]));
        }
        Ok((txn(&op.input)?, output(op, txn)?))
    })
}

fn txn(v: &Value) -> Result<Txn, Misfit> {
    let micros = v.as_seq().ok_or_else(|| Misfit::new("a vector of micro-operations", v))?;
    micros.iter().map(micro_op).collect::<Result<_, _>>().map(Txn)
}

fn micro_op(v: &Value) -> Result<MicroOp, Misfit> {
    let parts = tuple(v, 3, "a micro-operation [:read key value] or [:write key value]")?;
    let key = text(&parts[1], "register name")?;
    match parts[0].as_name() {
        Some("read") => Ok(MicroOp::Read { key, value: opt_int(&parts[2], "read")? }),
        Some("write") => Ok(MicroOp::Write { key, value: int(&parts[2], "to write")? }),
        _ => Err(Misfit::new("a micro-operation :read or :write", &parts[0])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Outcome;
    use crate::parse::parse;

    #[test]
    fn reads_transactions() {
        let text = "[{:process 0 :type :invoke :f :txn :value [[:read :x nil] [:write :y 2]]}\n\
                     {:process 0 :type :ok :f :txn :value [[:read :x 0] [:write :y 2]]}\n\
                     {:process 1 :type :invoke :f :txn :value [[:swap :x 1]]}]";
        let raw = parse("m.edn", text.as_bytes(), None).unwrap();
        let e = history(&raw).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.expected.contains(":read or :write"), "{e}");
        let raw = parse("m.edn", text.replace(":swap", ":write").as_bytes(), None).unwrap();
        let h = history(&raw).unwrap();
        let read = MicroOp::Read { key: "x".into(), value: None };
        assert_eq!(h[0].input.0[0], read);
        let Outcome::Returned { output, .. } = &h[0].outcome else { panic!("returned") };
        assert_eq!(output.0[0], MicroOp::Read { key: "x".into(), value: Some(0) });
    }
}
