//! The fast paths against the search on random small histories with unique written or
//! appended values: register, cas-register (with failed and unknown-outcome CASes) and kv
//! appends over two keys. Histories come from a random linearization with one output
//! corrupted, so many are not linearizable; the fast path must give the search's verdict on
//! every one, a linearization that replays when it says linearizable, and true real-time
//! facts in its explanation when it says not.
mod common;

use checker::fastpath::{decide, FastBudget, FastResult, Violation, Why};
use checker::generate::{self, Shape};
use checker::models::{
    CasInput, CasOutput, CasRegister, Kv, KvInput, KvOp, KvOutput, Register, RegisterInput,
    RegisterOutput,
};
use checker::{check, History, Model, Next, Operation, Options, Outcome, Verdict};
use common::{done, pending};
use proptest::prelude::*;

/// One generated operation: (call, duration, where in its interval it takes effect, which
/// operation, a value, whether its outcome is unknown).
type Raw = (u64, u64, u64, u8, u8, bool);

fn raw_ops(max: usize) -> impl Strategy<Value = (Vec<Raw>, Corrupt)> {
    (
        prop::collection::vec(
            (0..12u64, 0..8u64, 0..8u64, any::<u8>(), any::<u8>(), prop::bool::weighted(0.2)),
            1..=max,
        ),
        prop::collection::vec((any::<u8>(), any::<u8>()), 0..=2),
    )
}

/// Which outputs to corrupt (an index modulo the length) and how.
type Corrupt = Vec<(u8, u8)>;

/// The order the operations take effect in: by a point inside each interval.
fn effect_order(raw: &[Raw]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by_key(|&i| (raw[i].0 * 8 + raw[i].2.min(raw[i].1) * 8 / raw[i].1.max(1), i));
    order
}

fn operation<I, O>(i: usize, raw: &Raw, input: I, output: Option<O>) -> Operation<I, O> {
    let (call, duration) = (raw.0 * 8, raw.1 * 8);
    match output {
        Some(output) => done(i as u64, input, call, call + duration, output),
        None => pending(i as u64, input, call),
    }
}

/// A cas-register history (plain reads and writes only unless `cas`): writes and CASes
/// write 100 + their index, so written values are unique; one output is then corrupted.
fn cas_history(
    raw: &[Raw],
    initial: Option<i64>,
    cas: bool,
    corrupt: &Corrupt,
) -> History<CasInput, CasOutput> {
    let model = CasRegister::new(initial);
    let mut state = initial;
    let mut ops = vec![None; raw.len()];
    for i in effect_order(raw) {
        let (_, _, _, which, value, unknown) = raw[i];
        let input = match which % if cas { 3 } else { 2 } {
            0 => CasInput::Read,
            1 => CasInput::Write(100 + i as i64),
            _ if value % 2 == 0 => {
                CasInput::Cas { expected: state.unwrap_or(-1), new: 100 + i as i64 }
            }
            _ => CasInput::Cas { expected: 99 + (value as i64 % 8), new: 100 + i as i64 },
        };
        let output = match &input {
            CasInput::Read => CasOutput::Read(state),
            CasInput::Write(_) => CasOutput::Ok,
            CasInput::Cas { expected, .. } if state == Some(*expected) => CasOutput::Ok,
            CasInput::Cas { .. } => CasOutput::Failed,
        };
        // Half of the unknown-outcome operations took effect, half did not.
        if !unknown || value % 4 < 2 {
            if let Next::One(after) = model.step(&state, &input, &output) {
                state = after;
            }
        }
        ops[i] = Some(operation(i, &raw[i], input, (!unknown).then_some(output)));
    }
    let mut history: History<CasInput, CasOutput> = ops.into_iter().flatten().collect();
    for &corrupt in corrupt {
        cas_corrupt(&mut history, corrupt);
    }
    history
}

fn cas_corrupt(history: &mut History<CasInput, CasOutput>, corrupt: (u8, u8)) {
    let target = corrupt.0 as usize % history.len();
    let is_cas = matches!(history[target].input, CasInput::Cas { .. });
    if let Outcome::Returned { output, .. } = &mut history[target].outcome {
        *output = match output {
            CasOutput::Read(_) if corrupt.1.is_multiple_of(5) => CasOutput::Read(None),
            CasOutput::Read(_) => CasOutput::Read(Some(99 + i64::from(corrupt.1 % 9))),
            CasOutput::Ok if is_cas => CasOutput::Failed,
            CasOutput::Failed => CasOutput::Ok,
            CasOutput::Ok => CasOutput::Ok,
        };
    }
}

fn register_history(
    raw: &[Raw],
    initial: Option<i64>,
    corrupt: &Corrupt,
) -> History<RegisterInput, RegisterOutput> {
    cas_history(raw, initial, false, corrupt)
        .into_iter()
        .map(|op| {
            let input = match op.input {
                CasInput::Write(value) => RegisterInput::Write(value),
                _ => RegisterInput::Read,
            };
            let outcome = match op.outcome {
                Outcome::Returned { at, output: CasOutput::Read(value) } => {
                    Outcome::Returned { at, output: RegisterOutput::Read(value) }
                }
                Outcome::Returned { at, .. } => {
                    Outcome::Returned { at, output: RegisterOutput::Written }
                }
                Outcome::Unknown => Outcome::Unknown,
            };
            Operation { client: op.client, input, call: op.call, outcome, line: op.line }
        })
        .collect()
}

/// A kv history over keys "a" and "b": appends of "<i>" (unique, none a prefix of another)
/// and gets; one get's output is then corrupted (an append dropped, two swapped, an
/// unwritten one added, or the state of another moment).
fn kv_history(raw: &[Raw], corrupt: &Corrupt) -> History<KvInput, KvOutput> {
    let mut state = [Vec::<usize>::new(), Vec::new()];
    let mut ops = vec![None; raw.len()];
    let text = |appends: &[usize]| appends.iter().map(|i| format!("<{i}>")).collect::<String>();
    for i in effect_order(raw) {
        let (_, _, _, which, value, unknown) = raw[i];
        let key = usize::from(which % 8 >= 6);
        let (op, output) = if which % 2 == 0 {
            (KvOp::Get, KvOutput::Value(text(&state[key])))
        } else {
            (KvOp::Append(format!("<{i}>")), KvOutput::Ok)
        };
        if op != KvOp::Get && (!unknown || value % 4 < 2) {
            state[key].push(i);
        }
        let input = KvInput { key: ["a", "b"][key].to_string(), op };
        ops[i] =
            Some((operation(i, &raw[i], input, (!unknown).then_some(output)), state[key].clone()));
    }
    let mut history: Vec<(Operation<KvInput, KvOutput>, Vec<usize>)> =
        ops.into_iter().flatten().collect();
    for &corrupt in corrupt {
        kv_corrupt(&mut history, corrupt);
    }
    history.into_iter().map(|(op, _)| op).collect()
}

fn kv_corrupt(history: &mut [(Operation<KvInput, KvOutput>, Vec<usize>)], corrupt: (u8, u8)) {
    let text = |appends: &[usize]| appends.iter().map(|i| format!("<{i}>")).collect::<String>();
    let target = corrupt.0 as usize % history.len();
    let (op, seen) = &mut history[target];
    if let Outcome::Returned { output: output @ KvOutput::Value(_), .. } = &mut op.outcome {
        let mut seen = seen.clone();
        match corrupt.1 % 4 {
            0 if !seen.is_empty() => {
                seen.remove(corrupt.1 as usize % seen.len());
            }
            1 if seen.len() >= 2 => seen.swap(0, 1),
            2 => seen.push(50 + corrupt.1 as usize % 3),
            _ => seen.truncate(corrupt.1 as usize % 3),
        }
        *output = KvOutput::Value(text(&seen));
    }
}

/// Asserts `order` is a linearization of the partition `ops`: every operation with a known
/// outcome once (unknown ones at most once), real time respected, and every step legal.
fn assert_linearization<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    ops: &[usize],
    order: &[usize],
) -> Result<(), TestCaseError> {
    let mut sorted = order.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    prop_assert_eq!(sorted.len(), order.len(), "an operation twice in {:?}", order);
    for &op in ops {
        let known = history[op].return_time().is_some();
        let read_only = model.is_read_only(&history[op].input);
        prop_assert!(!known || order.contains(&op), "{} missing from {:?}", op, order);
        prop_assert!(known || !read_only || !order.contains(&op), "an unseen read placed");
    }
    for (p, &earlier) in order.iter().enumerate() {
        prop_assert!(ops.contains(&earlier));
        for &later in &order[p + 1..] {
            let precedes =
                history[later].return_time().is_some_and(|ret| ret < history[earlier].call);
            prop_assert!(!precedes, "{} is placed after {}, which it precedes", later, earlier);
        }
    }
    let mut state = model.init();
    for &op in order {
        let next = match &history[op].outcome {
            Outcome::Returned { output, .. } => model.step(&state, &history[op].input, output),
            Outcome::Unknown => model.step_unknown(&state, &history[op].input),
        };
        match next {
            Next::One(after) => state = after,
            other => prop_assert!(false, "{} is illegal in {:?}: {:?}", op, state, other),
        }
    }
    Ok(())
}

/// The real-time steps of an explanation are true of the history.
fn assert_true_facts<I, O>(
    history: &History<I, O>,
    violation: &Violation,
) -> Result<(), TestCaseError> {
    if let Violation::Cycle(cycle) = violation {
        for step in cycle.steps() {
            if let Why::RealTime { returned, called } = step.why {
                prop_assert_eq!(history[step.from].return_time(), Some(returned));
                prop_assert_eq!(history[step.to].call, called);
                prop_assert!(returned < called);
            }
        }
    }
    Ok(())
}

/// The fast path's verdict over every partition, if it decides them all.
fn fast_verdict<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
) -> Result<Option<Verdict>, TestCaseError> {
    let mut verdict = Verdict::Linearizable;
    for partition in model.partition(history) {
        let Some(result) = decide(model, history, &partition.ops, &FastBudget::default()) else {
            return Ok(None);
        };
        match &result {
            FastResult::Linearizable { order } => {
                assert_linearization(model, history, &partition.ops, order)?
            }
            FastResult::NotLinearizable(explained) => {
                assert_true_facts(history, &explained.violation)?;
                prop_assert!(explained.violation.ops().iter().all(|op| partition.ops.contains(op)));
                prop_assert!(!explained.to_string().is_empty());
                verdict = Verdict::NotLinearizable;
            }
            FastResult::Undecided(why) => {
                prop_assert!(false, "undecided without a budget: {}", why)
            }
        }
    }
    Ok(Some(verdict))
}

fn agree<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    must_decide: bool,
) -> Result<(), TestCaseError> {
    let search =
        check(model, history, &Options { fast_paths: false, ..Options::default() }).verdict;
    match fast_verdict(model, history)? {
        Some(fast) => prop_assert_eq!(fast, search, "history: {:#?}", history),
        None => prop_assert!(!must_decide, "no fast path for {:#?}", history),
    }
    Ok(())
}

fn has_failed_cas(history: &History<CasInput, CasOutput>) -> bool {
    history
        .iter()
        .any(|op| matches!(op.outcome, Outcome::Returned { output: CasOutput::Failed, .. }))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20000, ..ProptestConfig::default() })]

    #[test]
    fn registers_agree_with_the_search((raw, corrupt) in raw_ops(12), initial in prop::option::of(0..1i64)) {
        agree(&Register::new(initial), &register_history(&raw, initial, &corrupt), true)?;
    }

    #[test]
    fn cas_registers_agree_with_the_search((raw, corrupt) in raw_ops(12), initial in prop::option::of(0..1i64)) {
        let history = cas_history(&raw, initial, true, &corrupt);
        // Only failed CASes may send a unique-value history back to the search.
        agree(&CasRegister::new(initial), &history, !has_failed_cas(&history))?;
    }

    #[test]
    fn append_only_keys_agree_with_the_search((raw, corrupt) in raw_ops(12)) {
        agree(&Kv, &kv_history(&raw, &corrupt), true)?;
    }
}

#[test]
fn repeated_values_leave_the_partition_to_the_search() {
    use RegisterInput::{Read, Write};
    let register = Register::new(None);
    let twice = vec![
        done(0, Write(1), 0, 5, RegisterOutput::Written),
        done(1, Write(1), 0, 5, RegisterOutput::Written),
        done(2, Read, 6, 7, RegisterOutput::Read(Some(1))),
    ];
    assert!(decide(&register, &twice, &[0, 1, 2], &FastBudget::default()).is_none());
    let initial = vec![done(0, Write(0), 0, 5, RegisterOutput::Written)];
    assert!(decide(&Register::new(Some(0)), &initial, &[0], &FastBudget::default()).is_none());

    let cas = CasRegister::new(None);
    let swapped_twice = vec![
        done(0, CasInput::Write(1), 0, 5, CasOutput::Ok),
        done(1, CasInput::Cas { expected: 1, new: 2 }, 6, 7, CasOutput::Ok),
        pending(2, CasInput::Cas { expected: 1, new: 2 }, 6),
    ];
    assert!(decide(&cas, &swapped_twice, &[0, 1, 2], &FastBudget::default()).is_none());

    let key = |op| KvInput { key: "k".to_string(), op };
    let appended_twice = vec![
        done(0, key(KvOp::Append("x".into())), 0, 5, KvOutput::Ok),
        pending(1, key(KvOp::Append("x".into())), 0),
    ];
    assert!(decide(&Kv, &appended_twice, &[0, 1], &FastBudget::default()).is_none());
    let prefix = vec![
        done(0, key(KvOp::Append("x".into())), 0, 5, KvOutput::Ok),
        done(1, key(KvOp::Append("xy".into())), 0, 5, KvOutput::Ok),
    ];
    assert!(decide(&Kv, &prefix, &[0, 1], &FastBudget::default()).is_none());
    let put = vec![done(0, key(KvOp::Put("x".into())), 0, 5, KvOutput::Ok)];
    assert!(decide(&Kv, &put, &[0], &FastBudget::default()).is_none());
}

fn explain<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> String {
    let ops: Vec<usize> = (0..history.len()).collect();
    match decide(model, history, &ops, &FastBudget::default()) {
        Some(FastResult::NotLinearizable(explained)) => explained.to_string(),
        other => panic!("expected a violation, got {other:?}"),
    }
}

#[test]
fn a_stale_read_is_a_cycle_through_the_two_runs() {
    use RegisterInput::{Read, Write};
    let history = vec![
        done(0, Write(1), 0, 5, RegisterOutput::Written),
        done(1, Read, 10, 15, RegisterOutput::Read(Some(0))),
    ];
    assert_eq!(
        explain(&Register::new(Some(0)), &history),
        "cycle: c0 write(1) -> ok -rt-> c1 read -> 0 -init-> c0 write(1) -> ok\n  \
         c0 write(1) -> ok returned at 5 before c1 read -> 0 was called at 10\n  \
         c1 read -> 0 belongs to the run from the initial value, which precedes every write"
    );
}

#[test]
fn a_read_before_its_write_is_a_cycle() {
    use RegisterInput::{Read, Write};
    let history = vec![
        done(0, Read, 0, 5, RegisterOutput::Read(Some(1))),
        done(1, Write(1), 10, 15, RegisterOutput::Written),
    ];
    assert_eq!(
        explain(&Register::new(None), &history),
        "cycle: c1 write(1) -> ok -wr-> c0 read -> 1 -rt-> c1 write(1) -> ok\n  \
         c0 read -> 1 observed what c1 write(1) -> ok wrote\n  \
         c0 read -> 1 returned at 5 before c1 write(1) -> ok was called at 10"
    );
}

#[test]
fn reads_that_disagree_on_the_order_of_appends_are_named() {
    let key = |op| KvInput { key: "k".to_string(), op };
    let history = vec![
        done(0, key(KvOp::Append("<1>".into())), 0, 10, KvOutput::Ok),
        done(1, key(KvOp::Append("<2>".into())), 0, 10, KvOutput::Ok),
        done(2, key(KvOp::Get), 11, 12, KvOutput::Value("<1><2>".into())),
        done(3, key(KvOp::Get), 11, 12, KvOutput::Value("<2>".into())),
    ];
    assert_eq!(
        explain(&Kv, &history),
        "c3 get(\"k\") -> \"<2>\" and c2 get(\"k\") -> \"<1><2>\" show appends in orders that \
         are not prefixes of one another"
    );
}

#[test]
fn a_read_that_misses_an_append_it_follows_is_a_cycle() {
    let key = |op| KvInput { key: "k".to_string(), op };
    let history = vec![
        done(0, key(KvOp::Append("<1>".into())), 0, 2, KvOutput::Ok),
        done(1, key(KvOp::Append("<2>".into())), 3, 4, KvOutput::Ok),
        done(2, key(KvOp::Get), 5, 6, KvOutput::Value("<1>".into())),
        done(3, key(KvOp::Get), 7, 8, KvOutput::Value("<1><2>".into())),
    ];
    let explanation = explain(&Kv, &history);
    assert!(
        explanation.starts_with(
            "cycle: c1 append(\"k\", \"<2>\") -> ok -rt-> c2 get(\"k\") -> \"<1>\" -rw-> c1"
        ),
        "{explanation}"
    );
}

#[test]
fn an_unknown_write_someone_read_took_effect_and_one_nobody_read_did_not() {
    use CasInput::{Read, Write};
    let history = vec![
        pending(0, Write(1), 0),
        pending(1, Write(2), 0),
        done(2, Read, 5, 6, CasOutput::Read(Some(1))),
    ];
    let ops = [0, 1, 2];
    match decide(&CasRegister::new(None), &history, &ops, &FastBudget::default()) {
        Some(FastResult::Linearizable { order }) => assert_eq!(order, vec![0, 2]),
        other => panic!("{other:?}"),
    }
}

/// CPU time this thread has used (Linux; zero elsewhere), so a timing means something on
/// a loaded machine.
fn cpu_time() -> std::time::Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    // utime and stime (clock ticks of 10 ms) are fields 14 and 15; the list starts at 3.
    let field = |k: usize| fields.get(k - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(14) + field(15);
    std::time::Duration::from_millis(ticks * 10)
}

fn timed<M: Model>(
    what: &str,
    model: &M,
    history: &History<M::Input, M::Output>,
) -> Option<FastResult> {
    let ops: Vec<usize> = (0..history.len()).collect();
    let (wall, cpu) = (std::time::Instant::now(), cpu_time());
    let result = decide(model, history, &ops, &FastBudget::default());
    let verdict = result.as_ref().map(FastResult::verdict);
    println!("{what}: {verdict:?} in {:?} ({:?} CPU)", wall.elapsed(), cpu_time() - cpu);
    result
}

/// Times the fast paths on generated 1,000,000-operation histories (release build:
/// `cargo test --release -p checker --test fast_path -- --ignored --nocapture`).
#[test]
#[ignore]
fn a_million_operations() {
    for (clients, violation) in [(5, false), (10, false), (10, true)] {
        let shape = Shape {
            ops: 1_000_000,
            clients,
            seed: 7,
            unique_values: true,
            violation_near_end: violation,
            unknown_outcomes: 0.001,
        };
        let what = format!("{clients} clients{}", if violation { ", a stale read" } else { "" });
        timed(&format!("register, {what}"), &Register::new(None), &generate::register(&shape));
        let history = generate::cas_register(&shape);
        let result = timed(&format!("cas-register, {what}"), &CasRegister::new(None), &history);
        if let Some(FastResult::NotLinearizable(explained)) = result {
            println!("{explained}");
        }
    }
    // One key: 1,000,000 appends by 10 clients and 100 reads (each shows up to a million).
    let key = |op| KvInput { key: "k".to_string(), op };
    let mut history = Vec::new();
    let mut value = String::new();
    for i in 0..1_000_000u64 {
        let call = i * 3;
        let appended = format!("<{i}>");
        value.push_str(&appended);
        history.push(done(i % 10, key(KvOp::Append(appended)), call, call + 20, KvOutput::Ok));
        if i % 10_000 == 9_999 {
            history.push(done(
                10,
                key(KvOp::Get),
                call + 21,
                call + 22,
                KvOutput::Value(value.clone()),
            ));
        }
    }
    timed("kv, one key", &Kv, &history);
}
