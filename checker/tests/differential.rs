//! The search against a brute-force oracle on random small histories (up to 9 operations): register,
//! cas-register, kv (two keys), versioned-kv and queue, with unknown outcomes.
//!
//! Histories come from a random linearization (so most are linearizable), then one output
//! may be corrupted (so many are not: 15 to 55 percent, depending on the model, when this
//! was written); both verdicts must agree on every one.
mod common;

use checker::models::{
    CasInput, CasOutput, CasRegister, Kv, KvInput, KvOp, KvOutput, Queue, QueueInput, QueueOutput,
    Register, RegisterInput, RegisterOutput, VersionedKv, VersionedKvInput, VersionedKvOp,
    VersionedKvOutput,
};
use checker::{check, ClientId, History, Model, Next, Operation, Options, Outcome, Verdict};
use common::brute_force;
use proptest::prelude::*;

/// One generated operation: (call, duration, where in its interval it takes effect, which
/// operation, a value, whether its outcome is unknown).
type Raw = (u64, u64, u64, u8, u8, bool);

fn raw_ops() -> impl Strategy<Value = (Vec<Raw>, u8, u8)> {
    (
        prop::collection::vec(
            (0..12u64, 0..8u64, 0..8u64, any::<u8>(), 0..3u8, prop::bool::weighted(0.2)),
            1..=9,
        ),
        any::<u8>(),
        0..4u8,
    )
}

/// Builds a history by running `model` in the order the operations take effect; an
/// operation that is illegal at its point (say, a CAS that would fail) gets an unknown
/// outcome and no effect. `corrupt` picks an output to replace with `replacement`.
fn build<M: Model>(
    model: &M,
    raw: &[Raw],
    input: impl Fn(u8, u8) -> M::Input,
    output: impl Fn(&M, &M::State, &M::Input) -> Option<M::Output>,
    corrupt: (u8, u8),
    replace: impl Fn(&M::Output, u8) -> M::Output,
) -> History<M::Input, M::Output> {
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by_key(|&i| (raw[i].0 * 8 + raw[i].2.min(raw[i].1) * 8 / raw[i].1.max(1), i));
    let mut state = model.init();
    let mut history: Vec<Option<Operation<M::Input, M::Output>>> = vec![None; raw.len()];
    for &i in &order {
        let (call, duration, _, which, value, unknown) = raw[i];
        let input = input(which, value);
        let seen = output(model, &state, &input);
        let outcome = match (seen, unknown) {
            (Some(seen), false) => {
                if let Next::One(after) = model.step(&state, &input, &seen) {
                    state = after;
                }
                Outcome::Returned { at: (call + duration) * 8, output: seen }
            }
            (Some(seen), true) => {
                if let Next::One(after) = model.step(&state, &input, &seen) {
                    // Half of the unknown operations took effect, half did not.
                    if value % 2 == 0 {
                        state = after;
                    }
                }
                Outcome::Unknown
            }
            (None, _) => Outcome::Unknown,
        };
        history[i] =
            Some(Operation { client: ClientId(i as u64), input, call: call * 8, outcome, line: 0 });
    }
    let mut history: History<M::Input, M::Output> = history.into_iter().flatten().collect();
    let target = corrupt.0 as usize % history.len();
    if let Outcome::Returned { output, .. } = &mut history[target].outcome {
        *output = replace(output, corrupt.1);
    }
    history
}

fn agree<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> Result<(), TestCaseError> {
    let search = check(model, history, &Options::default()).verdict;
    let oracle =
        if brute_force(model, history) { Verdict::Linearizable } else { Verdict::NotLinearizable };
    prop_assert_eq!(search, oracle, "history: {:#?}", history);
    Ok(())
}

/// The first legal output of `input` in `state` among `candidates`.
fn legal<M: Model>(
    model: &M,
    state: &M::State,
    input: &M::Input,
    candidates: Vec<M::Output>,
) -> Option<M::Output> {
    candidates.into_iter().find(|output| model.step(state, input, output) != Next::Illegal)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn register((raw, corrupt, with) in raw_ops()) {
        let model = Register::new(Some(0));
        let history = build(
            &model,
            &raw,
            |which, value| if which % 2 == 0 { RegisterInput::Read } else { RegisterInput::Write(value.into()) },
            |_, state, input| Some(match input {
                RegisterInput::Read => RegisterOutput::Read(*state),
                RegisterInput::Write(_) => RegisterOutput::Written,
            }),
            (corrupt, with),
            |output, with| match output {
                RegisterOutput::Read(_) => RegisterOutput::Read(Some(with.into())),
                other => other.clone(),
            },
        );
        agree(&model, &history)?;
    }

    #[test]
    fn cas_register((raw, corrupt, with) in raw_ops()) {
        let model = CasRegister::new(None);
        let history = build(
            &model,
            &raw,
            |which, value| match which % 3 {
                0 => CasInput::Read,
                1 => CasInput::Write(value.into()),
                _ => CasInput::Cas { expected: i64::from(value), new: i64::from(which % 3 + value) },
            },
            |model, state, input| legal(model, state, input, vec![CasOutput::Ok, CasOutput::Read(*state)]),
            (corrupt, with),
            |output, with| match output {
                CasOutput::Read(_) if with == 3 => CasOutput::Read(None),
                CasOutput::Read(_) => CasOutput::Read(Some(with.into())),
                other => other.clone(),
            },
        );
        agree(&model, &history)?;
    }

    #[test]
    fn kv((raw, corrupt, with) in raw_ops()) {
        // Each key runs its own sequence, as the model's per-key state requires.
        let mut history = Vec::new();
        for key in ["a", "b"] {
            let mine: Vec<Raw> = raw.iter().copied().filter(|op| (op.3 & 4 == 0) == (key == "a")).collect();
            if mine.is_empty() {
                continue;
            }
            history.extend(build(
                &Kv,
                &mine,
                |which, value| {
                    let op = match which % 4 {
                        0 | 1 => KvOp::Get,
                        2 => KvOp::Put(value.to_string()),
                        _ => KvOp::Append(value.to_string()),
                    };
                    KvInput { key: key.to_string(), op }
                },
                |_, state, input| Some(match input.op {
                    KvOp::Get => KvOutput::Value(state.clone()),
                    _ => KvOutput::Ok,
                }),
                (corrupt, with),
                |output, with| match output {
                    KvOutput::Value(value) => KvOutput::Value(format!("{value}{with}")),
                    other => other.clone(),
                },
            ));
        }
        agree(&Kv, &history)?;
    }

    #[test]
    fn versioned_kv((raw, corrupt, with) in raw_ops()) {
        use VersionedKvOutput as Out;
        let model = VersionedKv;
        let history = build(
            &model,
            &raw,
            |which, value| {
                let op = if which % 2 == 0 {
                    VersionedKvOp::Get
                } else {
                    VersionedKvOp::Put { value: value.to_string(), version: u64::from(which / 2 % 3) }
                };
                VersionedKvInput { key: "k".to_string(), op }
            },
            |model, state, input| {
                let mut candidates = vec![
                    Out::Value { value: state.0.clone(), version: state.1 },
                    Out::Ok, Out::ErrNoKey, Out::ErrVersion,
                ];
                if state.0.len() % 2 == 1 { candidates.insert(1, Out::ErrMaybe); }
                legal(model, state, input, candidates)
            },
            (corrupt, with),
            |output, with| match (output, with) {
                (Out::Value { value, version }, 0) => Out::Value { value: value.clone(), version: version + 1 },
                (Out::Ok, 1) => Out::ErrVersion,
                (Out::ErrVersion, 1) => Out::Ok,
                (other, 2) => other.clone(),
                (_, _) => Out::ErrMaybe,
            },
        );
        agree(&model, &history)?;
    }

    #[test]
    fn queue((raw, corrupt, with) in raw_ops()) {
        let history = build(
            &Queue,
            &raw,
            |which, value| if which % 2 == 0 { QueueInput::Enqueue(value.into()) } else { QueueInput::Dequeue },
            |_, state, input| Some(match input {
                QueueInput::Enqueue(_) => QueueOutput::Enqueued,
                QueueInput::Dequeue => QueueOutput::Dequeued(state.front().copied()),
            }),
            (corrupt, with),
            |output, with| match output {
                QueueOutput::Dequeued(_) => QueueOutput::Dequeued(Some(with.into())),
                other => other.clone(),
            },
        );
        agree(&Queue, &history)?;
    }
}
