//! A brute-force sequential-consistency oracle: every interleaving of the clients' programs,
//! with every subset of the unknown-outcome operations, over the whole history's state (one
//! state per partition, never checked apart). Exponential, and independent of the search's
//! memo, read forcing and client ranking.
#![allow(dead_code)]

use std::collections::BTreeMap;

use checker::{History, Model, Outcome};

/// Each client's operations (history indices) ordered by call, then line, then index.
pub fn programs<I, O>(history: &History<I, O>) -> Vec<Vec<usize>> {
    let mut by_client: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (index, op) in history.iter().enumerate() {
        by_client.entry(op.client.0).or_default().push(index);
    }
    by_client
        .into_values()
        .map(|mut ops| {
            ops.sort_by_key(|&i| (history[i].call, history[i].line, i));
            ops
        })
        .collect()
}

/// Per history index, the partition whose state it steps.
pub fn parts<M: Model>(model: &M, history: &History<M::Input, M::Output>) -> (Vec<usize>, usize) {
    let partitions = model.partition(history);
    let mut part_of = vec![0; history.len()];
    for (part, partition) in partitions.iter().enumerate() {
        for &index in &partition.ops {
            part_of[index] = part;
        }
    }
    (part_of, partitions.len().max(1))
}

/// True when some interleaving of the programs is a legal run of the model.
pub fn sequentially_consistent<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
) -> bool {
    let programs = programs(history);
    let (part_of, parts) = parts(model, history);
    let mut pos = vec![0; programs.len()];
    let states = vec![model.init(); parts];
    explore(model, history, &programs, &part_of, &mut pos, &states)
}

fn explore<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    programs: &[Vec<usize>],
    part_of: &[usize],
    pos: &mut [usize],
    states: &[M::State],
) -> bool {
    if programs.iter().zip(pos.iter()).all(|(program, &at)| at == program.len()) {
        return true;
    }
    for client in 0..programs.len() {
        let Some(&op) = programs[client].get(pos[client]) else { continue };
        let part = part_of[op];
        let (next, optional) = match &history[op].outcome {
            Outcome::Returned { output, .. } => {
                (model.step(&states[part], &history[op].input, output), false)
            }
            Outcome::Unknown => (model.step_unknown(&states[part], &history[op].input), true),
        };
        pos[client] += 1;
        let mut found = optional && explore(model, history, programs, part_of, pos, states);
        for after in next.into_vec() {
            if found {
                break;
            }
            let mut states = states.to_vec();
            states[part] = after;
            found = explore(model, history, programs, part_of, pos, &states);
        }
        pos[client] -= 1;
        if found {
            return true;
        }
    }
    false
}

/// Panics unless `order` is a sequentially consistent order of `history`: every returned
/// operation once, unknown ones at most once, each client's program order kept, and a legal
/// run of the (deterministic) model.
pub fn assert_witness<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    order: &[usize],
) {
    let programs = programs(history);
    let (part_of, parts) = parts(model, history);
    let mut states = vec![model.init(); parts];
    let mut seen = vec![false; history.len()];
    for &op in order {
        assert!(!seen[op], "operation {op} placed twice in {order:?}");
        seen[op] = true;
        let next = match &history[op].outcome {
            Outcome::Returned { output, .. } => {
                model.step(&states[part_of[op]], &history[op].input, output)
            }
            Outcome::Unknown => model.step_unknown(&states[part_of[op]], &history[op].input),
        };
        let after = next.into_vec().into_iter().next();
        states[part_of[op]] =
            after.unwrap_or_else(|| panic!("operation {op} illegal in {order:?}"));
    }
    for program in &programs {
        let placed: Vec<usize> = order.iter().copied().filter(|op| program.contains(op)).collect();
        let expected: Vec<usize> = program.iter().copied().filter(|&op| seen[op]).collect();
        assert_eq!(placed, expected, "program order broken in {order:?}");
        for &op in program {
            let returned = history[op].return_time().is_some();
            assert!(seen[op] || !returned, "returned operation {op} left out of {order:?}");
        }
    }
}
