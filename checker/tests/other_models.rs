//! Hand-built multi-register, mutex, set and queue histories with known verdicts.
mod common;

use std::collections::BTreeSet;

use checker::models::{
    MicroOp, MultiRegister, Mutex, MutexInput, MutexOutput, Queue, QueueInput, QueueOutput, Set,
    SetInput, SetOutput, Txn,
};
use checker::{check, History, Model, ModelKind, Options, Verdict};
use common::{brute_force, done, pending};

fn verdict<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> Verdict {
    let verdict = check(model, history, &Options::default()).verdict;
    assert_eq!(verdict == Verdict::Linearizable, brute_force(model, history));
    verdict
}

fn read(key: &str, value: Option<i64>) -> MicroOp {
    MicroOp::Read { key: key.to_string(), value }
}

fn write(key: &str, value: i64) -> MicroOp {
    MicroOp::Write { key: key.to_string(), value }
}

#[test]
fn transactions_are_atomic() {
    let txn = |micros: Vec<MicroOp>| Txn(micros);
    let writer = done(
        0,
        txn(vec![write("x", 1), write("y", 1)]),
        0,
        1,
        txn(vec![write("x", 1), write("y", 1)]),
    );
    let both = txn(vec![read("x", None), read("y", None)]);
    let saw = |x, y| txn(vec![read("x", Some(x)), read("y", Some(y))]);
    for ((x, y), expected) in [
        ((0, 0), Verdict::Linearizable),
        ((1, 1), Verdict::Linearizable),
        ((1, 0), Verdict::NotLinearizable),
    ] {
        let history = vec![writer.clone(), done(1, both.clone(), 0, 1, saw(x, y))];
        assert_eq!(verdict(&MultiRegister, &history), expected, "read x={x} y={y}");
    }
    let after = vec![writer.clone(), done(1, both.clone(), 2, 3, saw(0, 0))];
    assert_eq!(verdict(&MultiRegister, &after), Verdict::NotLinearizable);
    let unfinished = vec![
        pending(0, txn(vec![read("x", None), write("y", 2)]), 0),
        done(1, both, 1, 2, saw(0, 2)),
    ];
    assert_eq!(verdict(&MultiRegister, &unfinished), Verdict::Linearizable);
}

#[test]
fn a_mutex_is_held_by_one_at_a_time() {
    let (acquire, release) = (MutexInput::Acquire, MutexInput::Release);
    let twice = vec![
        done(0, acquire.clone(), 0, 1, MutexOutput),
        done(1, acquire.clone(), 2, 3, MutexOutput),
    ];
    assert_eq!(verdict(&Mutex, &twice), Verdict::NotLinearizable);
    let handed_over = vec![
        done(0, acquire.clone(), 0, 1, MutexOutput),
        pending(0, release, 2),
        done(1, acquire, 3, 4, MutexOutput),
    ];
    assert_eq!(verdict(&Mutex, &handed_over), Verdict::Linearizable);
}

#[test]
fn a_set_read_sees_every_completed_add() {
    let read =
        |elements: &[i64]| SetOutput::Read(elements.iter().copied().collect::<BTreeSet<_>>());
    let history = vec![
        done(0, SetInput::Add(1), 0, 1, SetOutput::Added),
        done(1, SetInput::Add(2), 0, 10, SetOutput::Added),
        done(2, SetInput::Read, 2, 3, read(&[1])),
        done(2, SetInput::Read, 4, 5, read(&[1, 2])),
    ];
    assert_eq!(verdict(&Set, &history), Verdict::Linearizable);
    let mut lost = history.clone();
    lost.push(done(2, SetInput::Read, 11, 12, read(&[2])));
    assert_eq!(verdict(&Set, &lost), Verdict::NotLinearizable);
}

#[test]
fn a_queue_is_first_in_first_out() {
    let history = vec![
        done(0, QueueInput::Enqueue(1), 0, 1, QueueOutput::Enqueued),
        done(0, QueueInput::Enqueue(2), 2, 3, QueueOutput::Enqueued),
        done(1, QueueInput::Dequeue, 4, 5, QueueOutput::Dequeued(Some(2))),
    ];
    assert_eq!(verdict(&Queue, &history), Verdict::NotLinearizable);
    let mut fifo = history.clone();
    fifo[2] = done(1, QueueInput::Dequeue, 4, 5, QueueOutput::Dequeued(Some(1)));
    fifo.push(done(1, QueueInput::Dequeue, 6, 7, QueueOutput::Dequeued(Some(2))));
    fifo.push(done(1, QueueInput::Dequeue, 8, 9, QueueOutput::Dequeued(None)));
    assert_eq!(verdict(&Queue, &fifo), Verdict::Linearizable);
}

#[test]
fn every_model_is_registered_by_its_name() {
    for kind in ModelKind::ALL {
        assert_eq!(ModelKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(ModelKind::from_name("cas-register"), Some(ModelKind::CasRegister));
    assert_eq!(ModelKind::from_name("nope"), None);
}
