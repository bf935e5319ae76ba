//! Sequential consistency (`check_sequential`) against a brute-force oracle on thousands of
//! small random histories (register, cas-register, kv over two keys, with unknown outcomes),
//! plus the cases that tell it apart from linearizability: a stale read that breaks real time
//! only, a client missing its own write, two keys each fine alone but not together, budgets
//! running out, a malformed program order, and a history of 100k operations.
mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use checker::models::{
    CasInput, CasOutput, CasRegister, Kv, KvInput, KvOp, KvOutput, Register, RegisterInput,
    RegisterOutput,
};
use checker::{
    check, check_sequential, ClientId, Decision, History, Model, Next, Operation, Options, Outcome,
    SequentialResult, Undecided, Verdict,
};
use common::sequential_oracle::{assert_witness, sequentially_consistent};
use common::{done, pending};

/// splitmix64: a seeded stream, so every run tests the same histories.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How to draw a model's operations: an input, the outputs to try in a state (the first
/// legal one is recorded), a corrupted output, and the key whose state an input touches.
struct Spec<M: Model> {
    input: fn(&mut Rng) -> M::Input,
    outputs: fn(&M::State, &M::Input) -> Vec<M::Output>,
    corrupt: fn(&M::Output, &mut Rng) -> M::Output,
    key: fn(&M::Input) -> String,
}

/// A random interleaving of the clients' programs (`sizes[c]` operations each).
fn interleave(sizes: &[usize], rng: &mut Rng) -> Vec<(usize, usize)> {
    let mut next = vec![0; sizes.len()];
    let mut order = Vec::new();
    while let Some(total) = Some(sizes.iter().zip(&next).filter(|(s, n)| n < s).count()) {
        if total == 0 {
            break;
        }
        let pick = rng.below(total as u64) as usize;
        let client = (0..sizes.len()).filter(|&c| next[c] < sizes[c]).nth(pick).expect("a client");
        order.push((client, next[client]));
        next[client] += 1;
    }
    order
}

/// A history of 1 to 3 clients with 1 to 3 operations each. Times follow one random
/// interleaving; outputs come from it (so the history is linearizable unless corrupted) or,
/// half the time, from another one (sequentially consistent, often not linearizable). A
/// client's last operation may have an unknown outcome, and took effect or not. One output
/// may then be corrupted (half the time).
fn generate<M: Model>(model: &M, spec: &Spec<M>, rng: &mut Rng) -> History<M::Input, M::Output> {
    let sizes: Vec<usize> = (0..1 + rng.below(3)).map(|_| 1 + rng.below(3) as usize).collect();
    let inputs: Vec<Vec<M::Input>> =
        sizes.iter().map(|&n| (0..n).map(|_| (spec.input)(rng)).collect()).collect();
    let open: Vec<bool> = sizes.iter().map(|_| rng.below(4) == 0).collect();
    let timed = interleave(&sizes, rng);
    let effects = if rng.below(2) == 0 { timed.clone() } else { interleave(&sizes, rng) };
    let mut states: BTreeMap<String, M::State> = BTreeMap::new();
    let mut outputs: BTreeMap<(usize, usize), Option<M::Output>> = BTreeMap::new();
    for &(client, k) in &effects {
        let input = &inputs[client][k];
        let state = states.entry((spec.key)(input)).or_insert_with(|| model.init());
        let output = (spec.outputs)(state, input)
            .into_iter()
            .find(|output| model.step(state, input, output) != Next::Illegal);
        let unknown = open[client] && k + 1 == sizes[client];
        if let Some(output) = &output {
            if !unknown || rng.below(2) == 0 {
                if let Some(after) = model.step(state, input, output).into_vec().into_iter().next()
                {
                    *state = after;
                }
            }
        }
        outputs.insert((client, k), if unknown { None } else { output });
    }
    let mut history = Vec::new();
    for (tick, &(client, k)) in timed.iter().enumerate() {
        // Ten ticks apart with at most five of slack each side: a client's operations
        // never overlap, and sometimes one returns exactly when the next is called.
        let effect = 10 * tick as u64 + 10;
        let call = effect - rng.below(6);
        let outcome = match outputs.remove(&(client, k)).flatten() {
            Some(output) => Outcome::Returned { at: effect + rng.below(6), output },
            None => Outcome::Unknown,
        };
        let input = inputs[client][k].clone();
        history.push(Operation { client: ClientId(client as u64), input, call, outcome, line: 0 });
    }
    if rng.below(2) == 0 {
        let target = rng.below(history.len() as u64) as usize;
        if let Outcome::Returned { output, .. } = &mut history[target].outcome {
            *output = (spec.corrupt)(output, rng);
        }
    }
    history
}

/// Counts of each verdict over a run of random histories.
#[derive(Default, Debug)]
struct Tally {
    consistent: usize,
    violated: usize,
    /// Sequentially consistent but not linearizable.
    only_sequential: usize,
}

/// Checks `cases` random histories: the search agrees with the oracle, its order is a real
/// witness, a violation names its blocked operations, and every linearizable history is
/// sequentially consistent.
fn against_oracle<M: Model>(model: &M, spec: &Spec<M>, seed: u64, cases: usize) -> Tally {
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for _ in 0..cases {
        let history = generate(model, spec, &mut rng);
        let result = check_sequential(model, &history, &Options::default())
            .unwrap_or_else(|e| panic!("{e}: {history:#?}"));
        let expected = sequentially_consistent(model, &history);
        let linearizable = check(model, &history, &Options::default()).verdict;
        match result.verdict {
            Decision::Holds => {
                assert!(expected, "search says consistent, oracle not: {history:#?}");
                assert_witness(model, &history, &result.longest_prefix);
                tally.consistent += 1;
                if linearizable == Verdict::NotLinearizable {
                    tally.only_sequential += 1;
                }
            }
            Decision::Violated => {
                assert!(!expected, "search says violated, oracle not: {history:#?}");
                assert!(!result.blocked.is_empty(), "a violation names what cannot be placed");
                assert_ne!(
                    linearizable,
                    Verdict::Linearizable,
                    "linearizable implies SC: {history:#?}"
                );
                tally.violated += 1;
            }
            Decision::Unknown => panic!("no budget was set: {result:?}"),
        }
    }
    // The generator must exercise both answers, and the gap between the two properties.
    assert!(tally.consistent > cases / 10 && tally.violated > cases / 10, "{tally:?}");
    assert!(tally.only_sequential > cases / 50, "{tally:?}");
    eprintln!("{}: {tally:?}", model.name());
    tally
}

#[test]
fn register_agrees_with_brute_force() {
    let spec = Spec::<Register> {
        input: |rng| match rng.below(2) {
            0 => RegisterInput::Read,
            _ => RegisterInput::Write(rng.below(3) as i64),
        },
        outputs: |state, _| vec![RegisterOutput::Read(*state), RegisterOutput::Written],
        corrupt: |output, rng| match output {
            RegisterOutput::Read(_) => RegisterOutput::Read(Some(rng.below(3) as i64)),
            other => other.clone(),
        },
        key: |_| String::new(),
    };
    against_oracle(&Register::new(Some(0)), &spec, 1, 3000);
}

#[test]
fn cas_register_agrees_with_brute_force() {
    let spec = Spec::<CasRegister> {
        input: |rng| match rng.below(3) {
            0 => CasInput::Read,
            1 => CasInput::Write(rng.below(3) as i64),
            _ => CasInput::Cas { expected: rng.below(3) as i64, new: rng.below(3) as i64 },
        },
        outputs: |state, _| vec![CasOutput::Ok, CasOutput::Failed, CasOutput::Read(*state)],
        corrupt: |output, rng| match (output, rng.below(3)) {
            (CasOutput::Read(_), 0) => CasOutput::Read(None),
            (CasOutput::Read(_), _) => CasOutput::Read(Some(rng.below(3) as i64)),
            (CasOutput::Ok, _) => CasOutput::Failed,
            (CasOutput::Failed, _) => CasOutput::Ok,
        },
        key: |_| String::new(),
    };
    against_oracle(&CasRegister::new(None), &spec, 2, 3000);
}

#[test]
fn kv_over_two_keys_agrees_with_brute_force() {
    let spec = Spec::<Kv> {
        input: |rng| {
            let key = if rng.below(2) == 0 { "x" } else { "y" }.to_string();
            let op = match rng.below(4) {
                0 | 1 => KvOp::Get,
                2 => KvOp::Put(rng.below(3).to_string()),
                _ => KvOp::Append(rng.below(3).to_string()),
            };
            KvInput { key, op }
        },
        outputs: |state, _| vec![KvOutput::Value(state.clone()), KvOutput::Ok],
        corrupt: |output, rng| match output {
            KvOutput::Value(value) => KvOutput::Value(format!("{value}{}", rng.below(3))),
            other => other.clone(),
        },
        key: |input| input.key.clone(),
    };
    against_oracle(&Kv, &spec, 3, 3000);
}

fn kv(client: u64, key: &str, op: KvOp, call: u64, ret: u64) -> Operation<KvInput, KvOutput> {
    let output = match &op {
        KvOp::Get => unreachable!("gets use get()"),
        _ => KvOutput::Ok,
    };
    done(client, KvInput { key: key.to_string(), op }, call, ret, output)
}

fn get(client: u64, key: &str, saw: &str, call: u64, ret: u64) -> Operation<KvInput, KvOutput> {
    let input = KvInput { key: key.to_string(), op: KvOp::Get };
    done(client, input, call, ret, KvOutput::Value(saw.to_string()))
}

fn sequential<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> SequentialResult {
    let result = check_sequential(model, history, &Options::default()).expect("well formed");
    let expected =
        if sequentially_consistent(model, history) { Decision::Holds } else { Decision::Violated };
    assert_eq!(result.verdict, expected, "search and brute force disagree");
    result
}

#[test]
fn a_stale_read_breaks_real_time_but_not_program_order() {
    let register = Register::new(Some(0));
    let history = vec![
        done(0, RegisterInput::Write(1), 0, 5, RegisterOutput::Written),
        done(1, RegisterInput::Read, 10, 15, RegisterOutput::Read(Some(0))),
    ];
    assert_eq!(check(&register, &history, &Options::default()).verdict, Verdict::NotLinearizable);
    let result = sequential(&register, &history);
    assert_eq!(result.judgement().to_string(), "sequentially consistent");
    assert_eq!(result.longest_prefix, vec![1, 0], "the read goes first");
}

#[test]
fn a_client_must_see_its_own_write() {
    let history = vec![kv(0, "x", KvOp::Put("1".into()), 0, 5), get(0, "x", "", 10, 15)];
    let result = sequential(&Kv, &history);
    assert_eq!(result.judgement().to_string(), "not sequentially consistent");
    // The put is legal at the start, but after it c0's read of "" can never be placed.
    assert_eq!(result.longest_prefix, Vec::<usize>::new());
    let blocked: Vec<(ClientId, usize, &str, Option<usize>)> =
        result.blocked.iter().map(|b| (b.client, b.op, b.state.as_str(), b.starves)).collect();
    assert_eq!(blocked, vec![(ClientId(0), 0, "\"\"", Some(1))]);
    assert_eq!(result.blocked[0].part, "key \"x\"");
}

#[test]
fn two_keys_each_consistent_alone_are_not_together() {
    // c0 writes x then reads y = ""; c1 writes y then reads x = "". Whichever write comes
    // first in one order, the other client's read comes after it.
    let history = vec![
        kv(0, "x", KvOp::Put("1".into()), 0, 10),
        get(0, "y", "", 20, 30),
        kv(1, "y", KvOp::Put("1".into()), 0, 10),
        get(1, "x", "", 20, 30),
    ];
    for key in ["x", "y"] {
        let alone: History<KvInput, KvOutput> =
            history.iter().filter(|op| op.input.key == key).cloned().collect();
        assert_eq!(sequential(&Kv, &alone).verdict, Decision::Holds, "key {key} alone");
    }
    let result = sequential(&Kv, &history);
    assert_eq!(result.verdict, Decision::Violated);
    // Neither write can go first: each makes the other client's read impossible.
    assert_eq!(result.longest_prefix, Vec::<usize>::new(), "{result:?}");
    let blocked: Vec<(usize, Option<usize>)> =
        result.blocked.iter().map(|b| (b.op, b.starves)).collect();
    assert_eq!(blocked, vec![(0, Some(3)), (2, Some(1))], "{result:?}");
}

#[test]
fn an_unknown_outcome_may_take_effect_or_not() {
    let register = Register::new(Some(0));
    let write = |client, value, call| pending(client, RegisterInput::Write(value), call);
    let read = |client, seen, call, ret| {
        done(client, RegisterInput::Read, call, ret, RegisterOutput::Read(Some(seen)))
    };
    // Seen: it took effect, even though the read was over before the write was called.
    let history = vec![write(0, 1, 50), read(1, 1, 0, 10)];
    assert_eq!(sequential(&register, &history).verdict, Decision::Holds);
    // Not seen: it never did.
    let history = vec![write(0, 1, 0), read(1, 0, 10, 20), read(1, 0, 30, 40)];
    assert_eq!(sequential(&register, &history).verdict, Decision::Holds);
    // But a client's unknown write is after its own earlier reads.
    let history = vec![read(0, 1, 0, 10), write(0, 1, 20)];
    assert_eq!(sequential(&register, &history).verdict, Decision::Violated);
}

/// Eight clients each write their own values, and one read sees a value nobody wrote: every
/// interleaving of the writes is a configuration to try before the answer is no (the
/// cas-register model gives the search no way to prune a read).
fn hard_history() -> History<CasInput, CasOutput> {
    let mut history = Vec::new();
    for client in 0..8u64 {
        for k in 0..3u64 {
            let value = (client * 3 + k) as i64;
            history.push(done(client, CasInput::Write(value), k * 10, k * 10 + 5, CasOutput::Ok));
        }
    }
    history.push(done(8, CasInput::Read, 0, 5, CasOutput::Read(Some(99))));
    history
}

#[test]
fn budgets_give_unknown_never_a_pass() {
    let register = CasRegister::new(None);
    let history = hard_history();
    let cases = [
        (Options { max_steps: Some(10_000), ..Options::default() }, Undecided::Steps),
        (Options { max_time: Some(Duration::ZERO), ..Options::default() }, Undecided::Time),
        (Options { max_memory: 0, ..Options::default() }, Undecided::Memory),
    ];
    for (options, why) in cases {
        let result = check_sequential(&register, &history, &options).expect("well formed");
        assert_eq!(result.verdict, Decision::Unknown, "{why}");
        assert_eq!(result.undecided, Some(why));
        assert_eq!(result.judgement().to_string(), "unknown");
        assert!(result.blocked.is_empty());
    }
    let steps = check_sequential(
        &register,
        &history,
        &Options { max_steps: Some(10_000), ..Options::default() },
    )
    .expect("well formed")
    .steps;
    assert_eq!(steps, 10_000);
    // A consistent history under a budget too small for it is Unknown as well, not ok.
    let mut fine = hard_history();
    fine.pop();
    let options = Options { max_steps: Some(3), ..Options::default() };
    let result = check_sequential(&register, &fine, &options).expect("well formed");
    assert_eq!(result.verdict, Decision::Unknown);
}

#[test]
fn overlapping_operations_of_one_client_are_an_error() {
    let register = Register::new(Some(0));
    let history = vec![
        done(0, RegisterInput::Write(1), 0, 20, RegisterOutput::Written),
        done(0, RegisterInput::Read, 10, 30, RegisterOutput::Read(Some(1))),
    ];
    let error = check_sequential(&register, &history, &Options::default()).expect_err("overlap");
    assert_eq!((error.client, error.first, error.second), (ClientId(0), 0, 1));
    let message = error.to_string();
    assert!(message.contains("client c0 has overlapping operations"), "{message}");
    assert!(message.contains("returned at 20"), "{message}");
    let history = vec![
        pending(0, RegisterInput::Write(1), 0),
        done(0, RegisterInput::Read, 10, 30, RegisterOutput::Read(Some(1))),
    ];
    let error = check_sequential(&register, &history, &Options::default()).expect_err("overlap");
    assert!(error.to_string().contains("never returned"), "{error}");
}

#[test]
fn a_hundred_thousand_operations_do_not_overflow_the_stack() {
    // Four clients take turns: write their own value, read it back. Consistent, 100k deep.
    let register = Register::new(None);
    let mut history = Vec::new();
    for round in 0..50_000u64 {
        let client = round % 4;
        let t = round * 10;
        let value = round as i64;
        history.push(done(client, RegisterInput::Write(value), t, t + 2, RegisterOutput::Written));
        history.push(done(
            client,
            RegisterInput::Read,
            t + 3,
            t + 5,
            RegisterOutput::Read(Some(value)),
        ));
    }
    let result = check_sequential(&register, &history, &Options::default()).expect("well formed");
    assert_eq!(result.verdict, Decision::Holds);
    assert_eq!(result.longest_prefix.len(), 100_000);
    // A read of a value nobody wrote: the search goes 100k deep, then backtracks through
    // the interleavings until its budget is spent (there are far too many to finish).
    history.push(done(
        5,
        RegisterInput::Read,
        1_000_000,
        1_000_001,
        RegisterOutput::Read(Some(-1)),
    ));
    let options = Options { max_steps: Some(1_000_000), ..Options::default() };
    let result = check_sequential(&register, &history, &options).expect("well formed");
    assert_eq!((result.verdict, result.undecided), (Decision::Unknown, Some(Undecided::Steps)));
    assert_eq!(result.longest_prefix.len(), 100_000, "all but the impossible read");
}
