//! Property: a log in which any request may be repeated after its first appearance (retries,
//! duplicated messages, a clerk that tried two leaders) leaves the state machine exactly where
//! the log of first appearances leaves a plain map, even when the state is snapshotted and
//! restored anywhere along the way.

use std::collections::BTreeMap;

use kv::{decode_command, encode_command, ClientId, KvStateMachine, Op, Request, Seq};
use proptest::prelude::*;

/// One step of a generated log: a new request of `client`, or a repeat of an earlier one.
#[derive(Clone, Debug)]
enum Step {
    New { client: u64, kind: u8, key: u8, value: u8 },
    Repeat { pick: usize },
    Snapshot,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u64..3, 0u8..3, 0u8..2, 0u8..10)
            .prop_map(|(client, kind, key, value)| Step::New { client, kind, key, value }),
        2 => any::<usize>().prop_map(|pick| Step::Repeat { pick }),
        1 => Just(Step::Snapshot),
    ]
}

fn op(kind: u8, key: u8, value: u8) -> Op {
    let key = format!("k{key}");
    let value = value.to_string();
    match kind {
        0 => Op::Get { key },
        1 => Op::Put { key, value },
        _ => Op::Append { key, value },
    }
}

proptest! {
    #[test]
    fn repeats_and_snapshots_change_nothing(steps in proptest::collection::vec(step(), 0..80)) {
        let mut state = KvStateMachine::new();
        let mut model: BTreeMap<String, String> = BTreeMap::new();
        let mut next_seq: BTreeMap<u64, u64> = BTreeMap::new();
        let mut log: Vec<Request> = Vec::new();
        for step in steps {
            match step {
                Step::New { client, kind, key, value } => {
                    let seq = next_seq.entry(client).or_insert(0);
                    *seq += 1;
                    let op = op(kind, key, value);
                    let request =
                        Request { client: ClientId(client), seq: Seq(*seq), op, session_index: None };
                    // Through the log's encoding, as a server sees it.
                    let request = decode_command(&encode_command(&request)).unwrap();
                    let expected = match &request.op {
                        Op::Get { key } => model.get(key).cloned().unwrap_or_default(),
                        Op::Put { key, value } => {
                            model.insert(key.clone(), value.clone());
                            String::new()
                        }
                        Op::Append { key, value } => {
                            model.entry(key.clone()).or_default().push_str(value);
                            String::new()
                        }
                    };
                    prop_assert_eq!(state.apply(&request), expected);
                    log.push(request);
                }
                Step::Repeat { pick } if !log.is_empty() => {
                    let request = log[pick % log.len()].clone();
                    let result = state.apply(&request);
                    if let Op::Get { key } = &request.op {
                        prop_assert_eq!(result, model.get(key).cloned().unwrap_or_default());
                    }
                }
                Step::Repeat { .. } => {}
                Step::Snapshot => {
                    state = KvStateMachine::decode_snapshot(&state.encode_snapshot()).unwrap();
                }
            }
            for (key, value) in &model {
                prop_assert_eq!(state.get(key), value.as_str());
            }
            prop_assert_eq!(state.len(), model.len());
        }
    }
}
