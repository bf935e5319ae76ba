//! The hardest recorded history, c50-bad, checked key by key to the end (`all_keys`): every
//! key must be decided, within a time and memory budget Porcupine cannot meet.
use std::path::Path;
use std::time::Duration;

use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::parse_file;
use checker::{check, CheckResult, History, Model, Options, Outcome, Verdict};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

struct EveryKey;

impl WithModel for EveryKey {
    type Output = CheckResult;

    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> CheckResult {
        let options = Options {
            all_keys: true,
            max_time: Some(Duration::from_secs(10)),
            max_memory: 1 << 30,
            ..Options::default()
        };
        let result = check(&model, &history, &options);
        for (partition, ops) in result.partitions.iter().zip(model.partition(&history)) {
            if partition.verdict == Verdict::Linearizable {
                let witness = &partition.longest_prefix;
                assert_witness(&model, &history, witness);
                let known = ops.ops.iter().filter(|&&i| history[i].return_time().is_some());
                assert!(known.clone().all(|i| witness.contains(i)), "{} misses ops", ops.label);
            }
        }
        result
    }
}

/// A linearizable partition's witness must replay through the model and respect real time.
fn assert_witness<M: Model>(model: &M, history: &History<M::Input, M::Output>, order: &[usize]) {
    let mut states = vec![model.init()];
    for &index in order {
        let op = &history[index];
        states = states
            .iter()
            .flat_map(|state| match &op.outcome {
                Outcome::Returned { output, .. } => model.step(state, &op.input, output).into_vec(),
                Outcome::Unknown => model.step_unknown(state, &op.input).into_vec(),
            })
            .collect();
        assert!(!states.is_empty(), "the witness fails at op {index}");
    }
    for (position, &later) in order.iter().enumerate() {
        for &earlier in &order[..position] {
            let returned = history[later].return_time();
            assert!(returned.is_none_or(|at| at >= history[earlier].call), "real time broken");
        }
    }
}

fn every_key(file: &str) -> CheckResult {
    let raw = parse_file(&Path::new(DATA).join(file), None).expect("the data file parses");
    let model = default_model(&raw).expect("the data file names its model");
    with_model(&raw, model, EveryKey).expect("the data file fits its model")
}

#[test]
fn c50_bad_decides_every_key() {
    let result = every_key("porcupine/kv/c50-bad.txt");
    let undecided: Vec<&str> = result.undecided().map(|p| p.label.as_str()).collect();
    assert!(undecided.is_empty(), "undecided keys: {undecided:?}");
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    for failed in result.failed() {
        assert!(failed.blocked.is_some() || !failed.longest_prefix.is_empty());
    }
}

#[test]
fn c50_ok_is_linearizable_key_by_key() {
    let result = every_key("porcupine/kv/c50-ok.txt");
    assert_eq!(result.verdict, Verdict::Linearizable);
    assert_eq!(result.partitions.len(), 10);
}
