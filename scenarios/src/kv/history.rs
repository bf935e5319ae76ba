//! The clients' history in virtual time: each operation's call (when its clerk first sent it)
//! and return (the reply the clerk accepted), or no return if it was still open at the end;
//! converted to the checker's kv-model history.
use checker::models::{KvInput, KvOp, KvOutput};
use checker::{Operation, Outcome};
use kv::{ClientId, Op, Seq};
use sim::SimTime;

/// One clerk operation.
#[derive(Clone, Debug)]
pub struct KvRecord {
    pub client: ClientId,
    pub seq: Seq,
    pub op: Op,
    pub call: SimTime,
    /// When it returned and what it read (empty for writes); `None` while open.
    pub ret: Option<(SimTime, String)>,
}

/// Every operation of every clerk, in call order.
#[derive(Clone, Debug, Default)]
pub struct KvHistory {
    records: Vec<KvRecord>,
    /// Per client id (dense, small), the record of its open operation.
    open: Vec<Option<usize>>,
}

impl KvHistory {
    pub fn records(&self) -> &[KvRecord] {
        &self.records
    }

    fn open_slot(&mut self, client: ClientId) -> &mut Option<usize> {
        let i = client.0 as usize;
        if self.open.len() <= i {
            self.open.resize(i + 1, None);
        }
        &mut self.open[i]
    }

    pub fn called(&mut self, client: ClientId, seq: Seq, op: Op, at: SimTime) {
        let index = self.records.len();
        self.records.push(KvRecord { client, seq, op, call: at, ret: None });
        *self.open_slot(client) = Some(index);
    }

    /// Closes the client's open operation; returns it, or `None` if `seq` is not the open one
    /// (a clerk completes each operation once, so that would be a host bug worth reporting).
    pub fn returned(
        &mut self,
        client: ClientId,
        seq: Seq,
        value: String,
        at: SimTime,
    ) -> Option<&KvRecord> {
        let index = self.open_slot(client).take()?;
        let record = &mut self.records[index];
        if record.seq != seq {
            return None;
        }
        record.ret = Some((at, value));
        Some(&self.records[index])
    }

    /// Operations still open.
    pub fn open_count(&self) -> usize {
        self.open.iter().flatten().count()
    }

    pub fn is_open(&self, client: ClientId) -> bool {
        self.open.get(client.0 as usize).is_some_and(Option::is_some)
    }

    /// The checker's view: kv-model operations, times in virtual nanoseconds, open operations
    /// with an unknown outcome (they may have taken effect, or not).
    pub fn to_checker(&self) -> checker::History<KvInput, KvOutput> {
        self.records
            .iter()
            .map(|r| {
                let (key, op) = match &r.op {
                    Op::Get { key } => (key.clone(), KvOp::Get),
                    Op::Put { key, value } => (key.clone(), KvOp::Put(value.clone())),
                    Op::Append { key, value } => (key.clone(), KvOp::Append(value.clone())),
                };
                let outcome = match &r.ret {
                    None => Outcome::Unknown,
                    Some((at, value)) => {
                        let output = match op {
                            KvOp::Get => KvOutput::Value(value.clone()),
                            _ => KvOutput::Ok,
                        };
                        Outcome::Returned { at: at.as_nanos(), output }
                    }
                };
                Operation {
                    client: checker::ClientId(r.client.0),
                    input: KvInput { key, op },
                    call: r.call.as_nanos(),
                    outcome,
                    line: 0,
                }
            })
            .collect()
    }
}
