//! The entry point: is a whole history sequentially consistent, under the same budget
//! options as the linearizable check.
use std::time::Instant;

use super::frontier::{Progress, Search};
use super::hint::hint;
use super::program::{ProgramOrderError, Programs};
use super::result::{Blocked, SequentialResult};
use crate::budget::Options;
use crate::consistency::{Consistency, Decision};
use crate::history::History;
use crate::model::Model;

/// Checks `history` against `model` for sequential consistency: one order of all its
/// operations that keeps each client's program order (real time need not be kept) and is a
/// legal sequential run of the model. An operation with an unknown outcome is the last of
/// its client's program; it may take effect anywhere after its client's previous operation,
/// or never.
///
/// Sequential consistency is not local, so the history is searched as a whole: `model`'s
/// partitions (the keys of the kv models) are only parts of one state, never checked apart.
/// `options` bound it as they bound [`check`](crate::check): `max_steps`, `max_time` and
/// `max_memory` (when one runs out the verdict is Unknown, never a pass); the options about
/// partitions and fast paths do not apply.
///
/// Errs when a client's operations overlap in time (or one that never returned is followed
/// by another of the same client): such a history has no program order to respect.
///
/// ```
/// use checker::models::{Kv, KvInput, KvOp, KvOutput};
/// use checker::{check, check_sequential, ClientId, Decision, Operation, Options, Outcome, Verdict};
///
/// let op = |client, key: &str, op, call, at, output| Operation {
///     client: ClientId(client),
///     input: KvInput { key: key.to_string(), op },
///     call,
///     outcome: Outcome::Returned { at, output },
///     line: 0,
/// };
/// // c0 puts x = 1; afterwards c1 reads x from a follower that has not caught up.
/// let mut history = vec![
///     op(0, "x", KvOp::Put("1".into()), 0, 10, KvOutput::Ok),
///     op(1, "x", KvOp::Get, 20, 30, KvOutput::Value(String::new())),
/// ];
/// let options = Options::default();
/// assert_eq!(check(&Kv, &history, &options).verdict, Verdict::NotLinearizable);
/// let result = check_sequential(&Kv, &history, &options).expect("no client overlaps itself");
/// assert_eq!(result.verdict, Decision::Holds, "c1's read may come first");
/// assert_eq!(result.judgement().to_string(), "sequentially consistent");
///
/// // But a client must see its own writes: c1 now puts x = 2 before its stale read.
/// history.push(op(1, "x", KvOp::Put("2".into()), 0, 5, KvOutput::Ok));
/// let result = check_sequential(&Kv, &history, &options).expect("no client overlaps itself");
/// assert_eq!(result.judgement().to_string(), "not sequentially consistent");
/// // Neither put can go first: after either, c1's read of "" could never be placed.
/// assert!(result.blocked.iter().all(|blocked| blocked.starves == Some(1)));
/// ```
pub fn check_sequential<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    options: &Options,
) -> Result<SequentialResult, ProgramOrderError> {
    let programs = Programs::of(history)?;
    Ok(decide(model, history, &programs.ops, options))
}

/// Searches the given programs (per client, history indices in program order).
pub(crate) fn decide<M: Model>(
    model: &M,
    history: &History<M::Input, M::Output>,
    programs: &[Vec<usize>],
    options: &Options,
) -> SequentialResult {
    let started = Instant::now();
    let (rank, hint_steps) = hint(model, history, options, started);
    let mut search = Search::new(model, history, programs, rank);
    let progress = search.run(options, started, hint_steps);
    let mut result = SequentialResult {
        consistency: Consistency::Sequential,
        verdict: Decision::Unknown,
        undecided: None,
        ops: search.ops(),
        clients: programs.len(),
        steps: search.steps(),
        elapsed: started.elapsed(),
        longest_prefix: search.deepest().path.clone(),
        blocked: Vec::new(),
    };
    match progress {
        Progress::Consistent => {
            result.verdict = Decision::Holds;
            result.longest_prefix = search.path().to_vec();
        }
        Progress::Violated => {
            result.verdict = Decision::Violated;
            result.blocked = blocked(&mut search, history);
        }
        Progress::Out(why) => result.undecided = Some(why),
    }
    result
}

/// The frontier of the deepest configuration: every client's next operation there.
fn blocked<M: Model>(
    search: &mut Search<'_, M>,
    history: &History<M::Input, M::Output>,
) -> Vec<Blocked> {
    let deepest = search.deepest().clone();
    let frontier: Vec<usize> = search.frontier(&deepest.pos).collect();
    frontier
        .into_iter()
        .map(|op| Blocked {
            client: history[op].client,
            op,
            part: search.whole().label(op).to_string(),
            state: search.whole().describe_part(deepest.tuple, op),
            starves: search.starved_by(&deepest.pos, deepest.tuple, op),
        })
        .collect()
}
