//! Hand-built kv and versioned-kv histories: lost writes, duplicated appends, partitions.
mod common;

use checker::models::{
    Kv, KvInput, KvOp, KvOutput, VersionedKv, VersionedKvInput, VersionedKvOp, VersionedKvOutput,
};
use checker::{check, Options, Undecided, Verdict};
use common::{brute_force, done, pending};

fn kv(key: &str, op: KvOp) -> KvInput {
    KvInput { key: key.to_string(), op }
}

fn get(key: &str) -> KvInput {
    kv(key, KvOp::Get)
}

fn append(key: &str, value: &str) -> KvInput {
    kv(key, KvOp::Append(value.to_string()))
}

fn saw(value: &str) -> KvOutput {
    KvOutput::Value(value.to_string())
}

fn both(history: &checker::History<KvInput, KvOutput>) -> Verdict {
    let verdict = check(&Kv, history, &Options::default()).verdict;
    assert_eq!(verdict == Verdict::Linearizable, brute_force(&Kv, history));
    verdict
}

#[test]
fn a_lost_put_is_not_linearizable() {
    let history = vec![
        done(0, kv("k", KvOp::Put("a".into())), 0, 5, KvOutput::Ok),
        done(1, get("k"), 10, 15, saw("")),
    ];
    assert_eq!(both(&history), Verdict::NotLinearizable);
}

#[test]
fn a_duplicated_append_is_not_linearizable() {
    let history =
        vec![done(0, append("k", "x"), 0, 5, KvOutput::Ok), done(1, get("k"), 10, 15, saw("xx"))];
    assert_eq!(both(&history), Verdict::NotLinearizable);
}

#[test]
fn concurrent_appends_land_in_either_order_once_each() {
    for (seen, expected) in [
        ("xy", Verdict::Linearizable),
        ("yx", Verdict::Linearizable),
        ("x", Verdict::NotLinearizable),
        ("xyx", Verdict::NotLinearizable),
    ] {
        let history = vec![
            done(0, append("k", "x"), 0, 10, KvOutput::Ok),
            done(1, append("k", "y"), 0, 10, KvOutput::Ok),
            done(2, get("k"), 20, 30, saw(seen)),
        ];
        assert_eq!(both(&history), expected, "get saw {seen:?}");
    }
}

#[test]
fn keys_are_checked_apart_and_the_bad_one_is_named() {
    let history = vec![
        done(0, append("a", "x"), 0, 5, KvOutput::Ok),
        done(1, get("a"), 10, 15, saw("x")),
        done(0, append("b", "y"), 0, 5, KvOutput::Ok),
        done(1, get("b"), 10, 15, saw("")),
    ];
    let result = check(&Kv, &history, &Options { all_keys: true, ..Options::default() });
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    let labels: Vec<(&str, Verdict)> =
        result.partitions.iter().map(|p| (p.label.as_str(), p.verdict)).collect();
    assert_eq!(
        labels,
        vec![("key \"a\"", Verdict::Linearizable), ("key \"b\"", Verdict::NotLinearizable)]
    );
    assert_eq!(result.failed().next().unwrap().blocked, Some(3));
}

/// A key no search can finish quickly: `n` concurrent appends of distinct values and a
/// concurrent put, then a read that extends the put's value with something nobody appended.
/// Until the put is placed, the read could still become legal after it, so pruning cannot
/// cut the orders of the appends before it.
fn hard_key(key: &str, n: usize) -> Vec<checker::Operation<KvInput, KvOutput>> {
    let mut history: Vec<_> = (0..n)
        .map(|i| done(i as u64, append(key, &format!("<{i}>")), 0, 100, KvOutput::Ok))
        .collect();
    history.push(done(98, kv(key, KvOp::Put("<put>".into())), 0, 100, KvOutput::Ok));
    history.push(done(99, get(key), 200, 300, saw("<put>zzz")));
    history
}

#[test]
fn a_hard_key_does_not_starve_an_easy_bad_one() {
    let mut history = hard_key("a", 14);
    history.push(done(0, append("b", "y"), 0, 5, KvOutput::Ok));
    history.push(done(1, get("b"), 10, 15, saw("")));
    let options = Options { max_steps: Some(300_000), ..Options::default() };
    let result = check(&Kv, &history, &options);
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    assert_eq!(result.partitions[0].undecided, Some(Undecided::Skipped));
    assert!(result.steps() < 100_000, "stopped early, after {} steps", result.steps());

    let every_key = Options { all_keys: true, ..options };
    let result = check(&Kv, &history, &every_key);
    assert_eq!(result.verdict, Verdict::NotLinearizable);
    assert_eq!(result.partitions[0].verdict, Verdict::Unknown);
    assert_eq!(result.partitions[0].undecided, Some(Undecided::Steps));
    assert_eq!(result.partitions[1].verdict, Verdict::NotLinearizable);
}

#[test]
fn out_of_budget_is_unknown_never_a_pass() {
    let history = hard_key("a", 14);
    let steps = check(&Kv, &history, &Options { max_steps: Some(10_000), ..Options::default() });
    assert_eq!(steps.verdict, Verdict::Unknown);
    assert_eq!(steps.undecided().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["key \"a\""]);
    assert!(steps.steps() <= 10_000);
    let memory = check(&Kv, &history, &Options { max_memory: 1 << 20, ..Options::default() });
    assert_eq!(memory.verdict, Verdict::Unknown);
    assert_eq!(memory.partitions[0].undecided, Some(Undecided::Memory));
    let time =
        Options { max_time: Some(std::time::Duration::from_millis(50)), ..Options::default() };
    let timed = check(&Kv, &history, &time);
    assert_eq!(timed.verdict, Verdict::Unknown);
    assert_eq!(timed.partitions[0].undecided, Some(Undecided::Time));
}

fn vget(key: &str) -> VersionedKvInput {
    VersionedKvInput { key: key.to_string(), op: VersionedKvOp::Get }
}

fn vput(key: &str, value: &str, version: u64) -> VersionedKvInput {
    VersionedKvInput {
        key: key.to_string(),
        op: VersionedKvOp::Put { value: value.into(), version },
    }
}

fn value(value: &str, version: u64) -> VersionedKvOutput {
    VersionedKvOutput::Value { value: value.to_string(), version }
}

fn vboth(history: &checker::History<VersionedKvInput, VersionedKvOutput>) -> Verdict {
    let verdict = check(&VersionedKv, history, &Options::default()).verdict;
    assert_eq!(verdict == Verdict::Linearizable, brute_force(&VersionedKv, history));
    verdict
}

#[test]
fn versioned_puts_follow_versions() {
    use VersionedKvOutput::{ErrNoKey, ErrVersion, Ok};
    let history = vec![
        done(0, vget("k"), 0, 1, ErrNoKey),
        done(0, vput("k", "a", 1), 2, 3, ErrNoKey),
        done(0, vput("k", "a", 0), 4, 5, Ok),
        done(0, vget("k"), 6, 7, value("a", 1)),
        done(0, vput("k", "b", 0), 8, 9, ErrVersion),
        done(0, vput("k", "b", 1), 10, 11, Ok),
        done(0, vget("k"), 12, 13, value("b", 2)),
    ];
    assert_eq!(vboth(&history), Verdict::Linearizable);
    let mut stale = history.clone();
    stale.push(done(1, vget("k"), 14, 15, value("a", 1)));
    assert_eq!(vboth(&stale), Verdict::NotLinearizable);
}

#[test]
fn err_maybe_may_or_may_not_have_happened() {
    use VersionedKvOutput::{ErrMaybe, Ok};
    let setup = done(0, vput("k", "a", 0), 0, 1, Ok);
    for (seen, expected) in [
        (value("a", 1), Verdict::Linearizable),
        (value("b", 2), Verdict::Linearizable),
        (value("c", 2), Verdict::NotLinearizable),
    ] {
        let history = vec![
            setup.clone(),
            done(1, vput("k", "b", 1), 2, 3, ErrMaybe),
            done(2, vget("k"), 4, 5, seen.clone()),
        ];
        assert_eq!(vboth(&history), expected, "get saw {seen:?}");
    }
    let pending_put = vec![
        setup.clone(),
        pending(1, vput("k", "b", 1), 2),
        done(2, vget("k"), 4, 5, value("b", 2)),
    ];
    assert_eq!(vboth(&pending_put), Verdict::Linearizable);
}
