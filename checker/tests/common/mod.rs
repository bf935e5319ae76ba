//! Shared test helpers: history builders and a brute-force linearizability oracle.
#![allow(dead_code)]

pub mod sequential_oracle;

use checker::{ClientId, History, Model, Operation, Outcome};

/// An operation that returned `output` at `ret`.
pub fn done<I, O>(client: u64, input: I, call: u64, ret: u64, output: O) -> Operation<I, O> {
    Operation {
        client: ClientId(client),
        input,
        call,
        outcome: Outcome::Returned { at: ret, output },
        line: 0,
    }
}

/// An operation whose outcome nobody saw.
pub fn pending<I, O>(client: u64, input: I, call: u64) -> Operation<I, O> {
    Operation { client: ClientId(client), input, call, outcome: Outcome::Unknown, line: 0 }
}

/// Tries every order of every subset of the unknown-outcome operations that respects real
/// time, per partition: exponential, and independent of the search's list, memo and
/// symmetry tricks.
pub fn brute_force<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> bool {
    model.partition(history).iter().all(|partition| {
        let ops: Vec<&Operation<M::Input, M::Output>> =
            partition.ops.iter().map(|&index| &history[index]).collect();
        let mut used = vec![false; ops.len()];
        explore(model, &ops, &mut used, &model.init())
    })
}

fn explore<M: Model>(
    model: &M,
    ops: &[&Operation<M::Input, M::Output>],
    used: &mut [bool],
    state: &M::State,
) -> bool {
    let open_known =
        |used: &[bool], index: usize| !used[index] && ops[index].return_time().is_some();
    if !(0..ops.len()).any(|index| open_known(used, index)) {
        return true;
    }
    for index in 0..ops.len() {
        if used[index] {
            continue;
        }
        // It may go next only if no open operation returned strictly before it was called.
        let call = ops[index].call;
        let blocked = (0..ops.len())
            .any(|other| open_known(used, other) && ops[other].return_time().unwrap() < call);
        if blocked {
            continue;
        }
        let next = match &ops[index].outcome {
            Outcome::Returned { output, .. } => model.step(state, &ops[index].input, output),
            Outcome::Unknown => model.step_unknown(state, &ops[index].input),
        };
        used[index] = true;
        let found = next.into_vec().iter().any(|after| explore(model, ops, used, after));
        used[index] = false;
        if found {
            return true;
        }
    }
    false
}
