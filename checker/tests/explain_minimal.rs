//! Hand-built violations whose minimal failing sub-history is known, and the replay of states
//! along a linearization.
mod common;

use checker::explain::{explain_first_failure, minimize, replay, MinimizeOptions};
use checker::models::{CasInput, CasOutput, CasRegister};
use checker::{check, Options, Verdict};
use common::done;

/// write(1); read -> 1; write(2); then a read of 1 after write(2) returned. Deleting
/// operations would shrink this to the lone `read -> 1` (no write of 1 at all), which the
/// original history does not show; the sound core keeps what shows 1 was written first.
#[test]
fn the_core_keeps_the_write_a_stale_read_needs() {
    let history = vec![
        done(0, CasInput::Write(1), 0, 10, CasOutput::Ok),
        done(1, CasInput::Read, 20, 30, CasOutput::Read(Some(1))),
        done(0, CasInput::Write(2), 40, 50, CasOutput::Ok),
        done(1, CasInput::Read, 60, 70, CasOutput::Read(Some(1))),
    ];
    let model = CasRegister::new(None);
    let result = check(&model, &history, &Options::default());
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    let explanation =
        explain_first_failure(&model, &history, &result, &MinimizeOptions::default()).unwrap();
    let minimal = explanation.minimal;
    // Either the write of 1 or the first read shows 1 was written before write(2).
    let core = &minimal.core;
    assert!(core == &vec![0, 2, 3] || core == &vec![1, 2, 3], "{core:?}");
    // The write of 1, when not in the core, stays as an operation that may have happened.
    let context: Vec<usize> = if core[0] == 1 { vec![0] } else { vec![] };
    assert_eq!(minimal.context, context);
    assert!(minimal.one_minimal);
    let witness = minimal.history(&model, &history);
    assert_eq!(witness.len(), 3 + context.len());
    assert_eq!(check(&model, &witness, &Options::default()).verdict, Verdict::NotLinearizable);
}

#[test]
fn a_linearizable_partition_has_no_minimal_failure() {
    let history = vec![
        done(0, CasInput::Write(1), 0, 10, CasOutput::Ok),
        done(1, CasInput::Read, 5, 30, CasOutput::Read(Some(1))),
    ];
    let model = CasRegister::new(None);
    assert_eq!(minimize(&model, &history, &[0, 1], &MinimizeOptions::default()), None);
}

#[test]
fn replay_gives_the_state_before_and_after_each_step() {
    let history = vec![
        done(0, CasInput::Write(1), 0, 10, CasOutput::Ok),
        done(1, CasInput::Cas { expected: 1, new: 3 }, 20, 30, CasOutput::Ok),
        done(2, CasInput::Read, 40, 50, CasOutput::Read(Some(3))),
    ];
    let model = CasRegister::new(None);
    assert_eq!(replay(&model, &history, &[0, 1, 2]), vec![None, Some(1), Some(3), Some(3)]);
    // An order the model rejects stops at the last state some path reaches.
    assert_eq!(replay(&model, &history, &[1, 0]), vec![None]);
}
