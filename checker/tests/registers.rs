//! Hand-built register and cas-register histories with known verdicts.
mod common;

use checker::models::{CasInput, CasOutput, CasRegister, Register, RegisterInput, RegisterOutput};
use checker::{check, Options, Verdict};
use common::{brute_force, done, pending};

use CasInput as C;
use RegisterInput::{Read, Write};
use RegisterOutput::{Read as Saw, Written};

fn verdict<M: checker::Model>(
    model: &M,
    history: &checker::History<M::Input, M::Output>,
) -> Verdict {
    let result = check(model, history, &Options::default());
    let expected =
        if brute_force(model, history) { Verdict::Linearizable } else { Verdict::NotLinearizable };
    assert_eq!(result.verdict, expected, "search and brute force disagree");
    result.verdict
}

#[test]
fn stale_read_is_not_linearizable() {
    let register = Register::new(Some(0));
    let history = vec![done(0, Write(1), 0, 5, Written), done(1, Read, 10, 15, Saw(Some(0)))];
    assert_eq!(verdict(&register, &history), Verdict::NotLinearizable);
    let result = check(&register, &history, &Options::default());
    assert_eq!(result.partitions[0].longest_prefix, vec![0]);
    assert_eq!(result.partitions[0].blocked, Some(1), "the stale read is what cannot be placed");
}

#[test]
fn concurrent_writes_may_land_in_either_order() {
    let register = Register::new(Some(0));
    for (seen, expected) in
        [(1, Verdict::Linearizable), (2, Verdict::Linearizable), (3, Verdict::NotLinearizable)]
    {
        let history = vec![
            done(0, Write(1), 0, 10, Written),
            done(1, Write(2), 0, 10, Written),
            done(2, Read, 20, 30, Saw(Some(seen))),
        ];
        assert_eq!(verdict(&register, &history), expected, "read {seen}");
    }
}

#[test]
fn a_call_at_the_instant_of_a_return_is_concurrent_with_it() {
    let register = Register::new(Some(0));
    let touching = vec![done(0, Write(1), 0, 10, Written), done(1, Read, 10, 20, Saw(Some(0)))];
    assert_eq!(verdict(&register, &touching), Verdict::Linearizable);
    let after = vec![done(0, Write(1), 0, 10, Written), done(1, Read, 11, 20, Saw(Some(0)))];
    assert_eq!(verdict(&register, &after), Verdict::NotLinearizable);
}

#[test]
fn a_pending_write_may_or_may_not_take_effect_but_not_both() {
    let register = Register::new(Some(0));
    let took_effect = vec![pending(0, Write(1), 0), done(1, Read, 5, 6, Saw(Some(1)))];
    assert_eq!(verdict(&register, &took_effect), Verdict::Linearizable);
    let did_not = vec![pending(0, Write(1), 0), done(1, Read, 5, 6, Saw(Some(0)))];
    assert_eq!(verdict(&register, &did_not), Verdict::Linearizable);
    let undone = vec![
        pending(0, Write(1), 0),
        done(1, Read, 5, 6, Saw(Some(1))),
        done(1, Read, 7, 8, Saw(Some(0))),
    ];
    assert_eq!(verdict(&register, &undone), Verdict::NotLinearizable);
    let from_the_future = vec![done(1, Read, 0, 5, Saw(Some(1))), pending(0, Write(1), 10)];
    assert_eq!(verdict(&register, &from_the_future), Verdict::NotLinearizable);
}

#[test]
fn identical_pending_writes_are_interchangeable_but_each_lands_once() {
    let register = Register::new(Some(0));
    // Two identical pending writes of 1 and one of 2: 1, 2, 1 needs both writes of 1.
    let history = vec![
        pending(0, Write(1), 0),
        pending(1, Write(1), 1),
        pending(2, Write(2), 2),
        done(3, Read, 3, 4, Saw(Some(1))),
        done(3, Read, 5, 6, Saw(Some(2))),
        done(3, Read, 7, 8, Saw(Some(1))),
    ];
    assert_eq!(verdict(&register, &history), Verdict::Linearizable);
    let mut thrice = history.clone();
    thrice.push(done(3, Read, 9, 10, Saw(Some(2))));
    thrice.push(done(3, Read, 11, 12, Saw(Some(1))));
    assert_eq!(verdict(&register, &thrice), Verdict::NotLinearizable);
}

#[test]
fn a_cas_needs_its_expected_value() {
    let register = CasRegister::new(None);
    let ok = vec![
        done(0, C::Write(1), 0, 1, CasOutput::Ok),
        done(1, C::Cas { expected: 1, new: 2 }, 2, 3, CasOutput::Ok),
        done(2, C::Read, 4, 5, CasOutput::Read(Some(2))),
    ];
    assert_eq!(verdict(&register, &ok), Verdict::Linearizable);
    let wrong = vec![
        done(0, C::Write(3), 0, 1, CasOutput::Ok),
        done(1, C::Cas { expected: 1, new: 2 }, 2, 3, CasOutput::Ok),
    ];
    assert_eq!(verdict(&register, &wrong), Verdict::NotLinearizable);
    let from_nil = vec![done(0, C::Read, 0, 1, CasOutput::Read(None))];
    assert_eq!(verdict(&register, &from_nil), Verdict::Linearizable);
}

#[test]
fn a_pending_cas_takes_effect_only_on_its_expected_value() {
    let register = CasRegister::new(None);
    let history = vec![
        done(0, C::Write(1), 0, 1, CasOutput::Ok),
        pending(1, C::Cas { expected: 1, new: 2 }, 2),
        done(2, C::Write(5), 3, 4, CasOutput::Ok),
        done(3, C::Read, 6, 7, CasOutput::Read(Some(2))),
    ];
    // The CAS could only have applied before the write of 5, which then overwrote it.
    assert_eq!(verdict(&register, &history), Verdict::NotLinearizable);
    let mut earlier = history.clone();
    earlier[3] = done(3, C::Read, 2, 7, CasOutput::Read(Some(2)));
    assert_eq!(verdict(&register, &earlier), Verdict::Linearizable);
}
