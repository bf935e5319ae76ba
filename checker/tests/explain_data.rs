//! Minimal failing sub-histories of the recorded bad data files (tests/data): each is still not
//! linearizable, weakening any one of its operations makes it linearizable, and it is much
//! smaller than the partition it came from.
use std::path::Path;
use std::time::Instant;

use checker::explain::{explain_first_failure, MinimizeOptions};
use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::parse_file;
use checker::{check, History, Model, Operation, Options, Outcome, Verdict};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// What minimizing one file found.
struct Found {
    partition_ops: usize,
    core: usize,
    context: usize,
}

struct Minimize;

impl WithModel for Minimize {
    type Output = Found;
    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Found {
        let result = check(&model, &history, &Options::default());
        assert_eq!(result.verdict, Verdict::NotLinearizable);
        let options = MinimizeOptions::default();
        let explanation = explain_first_failure(&model, &history, &result, &options)
            .expect("a failing partition minimizes");
        let minimal = &explanation.minimal;
        assert!(minimal.one_minimal, "the check budget ran out");
        let witness = minimal.history(&model, &history);
        let generous = Options { max_steps: Some(50_000_000), ..Options::default() };
        assert_eq!(check(&model, &witness, &generous).verdict, Verdict::NotLinearizable);
        for &dropped in &minimal.core {
            let weaker = weaken_one(&model, &history, &minimal.core, &minimal.context, dropped);
            let verdict = check(&model, &weaker, &generous).verdict;
            assert_eq!(verdict, Verdict::Linearizable, "weakening op {dropped} still fails");
        }
        Found {
            partition_ops: model.partition(&history)[explanation.partition].ops.len(),
            core: minimal.core.len(),
            context: minimal.context.len(),
        }
    }
}

/// The witness with core operation `dropped` weakened the sound way, written independently
/// of the explain module: a read-only operation is deleted, any other loses its response.
fn weaken_one<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    core: &[usize],
    context: &[usize],
    dropped: usize,
) -> History<M::Input, M::Output> {
    let mut ops: Vec<Operation<M::Input, M::Output>> = Vec::new();
    for &index in core {
        let op = history[index].clone();
        if index != dropped {
            ops.push(op);
        } else if !model.is_read_only(&op.input) {
            ops.push(Operation { outcome: Outcome::Unknown, ..op });
        }
    }
    for &index in context {
        ops.push(Operation { outcome: Outcome::Unknown, ..history[index].clone() });
    }
    ops
}

fn minimize(file: &str) -> Found {
    let path = Path::new(DATA).join(file);
    let raw = parse_file(&path, None).unwrap_or_else(|e| panic!("{e}"));
    let model = default_model(&raw).unwrap();
    let started = Instant::now();
    let found = with_model(&raw, model, Minimize).unwrap();
    println!(
        "{file}: partition of {} ops -> core {} + context {} in {:.1?}",
        found.partition_ops,
        found.core,
        found.context,
        started.elapsed()
    );
    found
}

/// The core must be small, and smaller than the partition, for it to explain anything.
fn assert_small(found: &Found, most: usize) {
    assert!(found.core >= 1);
    assert!(
        found.core <= most && found.core < found.partition_ops,
        "core of {} from {} ops",
        found.core,
        found.partition_ops
    );
}

#[test]
fn porcupine_kv_c01_bad() {
    assert_small(&minimize("porcupine/kv/c01-bad.txt"), 6);
}

#[test]
fn porcupine_kv_c10_bad() {
    assert_small(&minimize("porcupine/kv/c10-bad.txt"), 8);
}

#[test]
fn porcupine_etcd_000() {
    assert_small(&minimize("porcupine/etcd/etcd_000.log"), 8);
}

#[test]
fn knossos_cas_failure() {
    // 206 operations on one register, many of them concurrent CASes: the core is larger.
    assert_small(&minimize("knossos/cas-register/bad/cas-failure.edn"), 24);
}

#[test]
fn knossos_small_bad_files_stay_small() {
    for file in ["rethink-fail-minimal.edn", "immediate-failure.edn"] {
        let found = minimize(&format!("knossos/cas-register/bad/{file}"));
        assert!(found.core >= 1 && found.core <= found.partition_ops);
    }
}
