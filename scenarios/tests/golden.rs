//! Golden transcripts: a few short stories that matter (an initial election, one Figure 8
//! round, a KV retry across a leader change), each run from a fixed seed, with the one-line
//! `Display` of every trace record compared against `tests/golden/<name>.txt`.
//!
//! A change in behaviour then shows as a readable diff of messages and faults rather than as
//! a changed trace hash. When the change is intended, rewrite the files with
//! `TENREC_BLESS=1 cargo test -p scenarios --test golden` and review them like code.
//!
//! What a transcript holds: every record the simulator traces (message sends, deliveries,
//! drops, duplicates, crashes, restarts, connects, partitions, link changes, narration and
//! goals) except the servers' periodic tick timers. A tick fires every 10 ms on every server
//! and says nothing a reader needs (what a tick causes, an election or a heartbeat, shows as
//! the messages it sends), so keeping it would bury each story under hundreds of lines. A
//! clerk's retry timer is kept: it is part of the retry story. Applying a committed entry is a
//! node output, not a trace record, so the stories narrate what was committed with notes.
//!
//! Each test asserts that its story passed before comparing, so a broken run reports its
//! failure, not a diff.
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use kv::Op;
use raft::{LogIndex, RaftNode};
use scenarios::host::TICK;
use scenarios::kv::Plan;
use scenarios::labels::cmd;
use scenarios::{Check, Cluster, Failure, Setup};
use sim::{NodeId, TraceEvent};

/// The command that rewrites every golden file from the current behaviour.
const BLESS_COMMAND: &str = "TENREC_BLESS=1 cargo test -p scenarios --test golden";

/// Trace records kept: far more than any story here makes, so a transcript starts at time 0.
const TRACE_CAPACITY: usize = 100_000;

/// Unchanged lines shown around a difference.
const CONTEXT: usize = 3;

/// Lines of each side shown in a diff's hunk; more are counted, not printed.
const HUNK_LINES: usize = 20;

#[test]
fn initial_election_then_one_command() {
    let mut t = Cluster::<RaftNode>::new(1, traced(Setup::raft(3)));
    passed(initial_election(&mut t));
    check_golden("election", &transcript(&t, "election: 3 Raft servers, seed 1"));
}

#[test]
fn figure8_old_term_entry_commits_only_under_the_new_term() {
    let mut t = Cluster::<RaftNode>::new(8, traced(Setup::raft(3)));
    passed(figure8_round(&mut t));
    check_golden("figure8", &transcript(&t, "figure8: 3 Raft servers, seed 8"));
}

#[test]
fn kv_append_retried_across_a_leader_change_applies_once() {
    let mut t = Cluster::<RaftNode>::new(3, traced(Setup::kv(3)));
    passed(kv_retry(&mut t));
    check_golden("kv_retry", &transcript(&t, "kv_retry: 3 KV servers and a clerk, seed 3"));
}

/// Three servers elect a leader, which then commits one command on all of them.
fn initial_election(t: &mut Cluster<RaftNode>) -> Check {
    t.note("story: three servers start as followers and elect a leader");
    let leader = t.check_one_leader()?;
    t.note(format!("{leader} leads; it commits one command on all three servers"));
    let index = t.one(cmd(101), 3, false)?;
    t.goal(index == LogIndex(1), "the first command was committed at index 1")
}

/// Raft paper §5.4.2 and Figure 8, one round: an entry reaches only one follower before its
/// leader crashes; the follower that holds it wins the next election, sends it on, and must
/// not count it committed when a majority holds it, only once an entry of its own term is.
fn figure8_round(t: &mut Cluster<RaftNode>) -> Check {
    t.note("story: an entry reaches one follower before its leader crashes (Raft Figure 8)");
    let old = t.check_one_leader()?;
    t.one(cmd(1), 3, false)?;
    let (near, far) = (t.server(old.0 as usize + 1), t.server(old.0 as usize + 2));
    t.note(format!("cut {old}->{far}: the next entry can reach {near} only"));
    t.set_link(old, far, false);
    let (index, term) =
        t.start(old, cmd(2))?.ok_or_else(|| Failure::liveness(format!("{old} stopped leading")))?;
    let holds = |t: &Cluster<RaftNode>, id| log_term(t, id, index) == Some(term);
    t.run_while_not(Duration::from_secs(1), |t| holds(t, near))?;
    t.goal(holds(t, near), "the entry reached one follower only")?;
    t.note(format!("crash {old} before it hears that {near} holds index {index}"));
    t.crash(old);
    t.set_link(old, far, true);
    t.assert_not_committed(index, "its leader crashed before a majority acknowledged it")?;
    let new = t.check_one_leader()?;
    t.goal(new == near, "the follower holding the old entry won the next election")?;
    t.goal(holds(t, far), "the new leader copied the old entry to a majority")?;
    t.note(format!("index {index} is on a majority, but from an old term: not committed yet"));
    t.sleep(Duration::from_millis(300))?;
    t.assert_not_committed(index, "no entry of the new leader's term is committed yet")?;
    t.note(format!("{new} commits an entry of its own term, and with it index {index}"));
    t.one(cmd(3), 2, false)?;
    let second = t.history().get(index).map(|e| e.command.clone());
    t.goal(second == Some(cmd(2)), "the old entry was committed under the new term")?;
    t.note(format!("restart {old}: it catches up"));
    t.restart(old)?;
    t.connect(old);
    t.one(cmd(4), 3, false)?;
    Ok(())
}

/// A clerk's Append is applied but its reply lost; its leader is then cut off, the retry goes
/// through a leader of a later term, whose session table keeps it from applying twice.
fn kv_retry(t: &mut Cluster<RaftNode>) -> Check {
    t.note("story: a clerk's Append is applied but its reply lost; the retry must apply once");
    // A leader first, so the transcript is not a clerk hearing `wrong-leader` until one is.
    t.check_one_leader()?;
    let ck = t.add_clerk(Plan::Manual);
    let clerk = t.clerk(ck).id;
    let long = Duration::from_secs(10);
    t.run_op(ck, Op::Put { key: "x".into(), value: "a".into() }, long)?;
    let old = t.leader().ok_or_else(|| Failure::liveness("no leader after the first Put"))?;
    let committed = |t: &Cluster<RaftNode>| t.status(old).map_or(LogIndex(0), |s| s.commit_index);
    let before = committed(t);
    t.note(format!("cut {old}->{clerk}: {old}'s replies to the clerk are lost"));
    t.set_link(old, clerk, false);
    t.start_op(ck, Op::Append { key: "x".into(), value: "b".into() })?;
    t.run_while_not(Duration::from_secs(1), |t| committed(t) > before)?;
    t.goal(committed(t) > before, "the leader committed the Append")?;
    let lost = t.sim().counters().sent_to(clerk).dropped > 0;
    t.goal(lost, "the leader's reply to the Append was lost")?;
    let others: Vec<NodeId> = t.servers().iter().copied().filter(|id| *id != old).collect();
    t.note(format!("isolate {old}; the clerk must retry elsewhere"));
    t.partition(&[vec![old], others]);
    if !t.run_while_not(long, |t| !t.clerk_busy(ck))? {
        return Err(Failure::liveness("the retried Append did not complete"));
    }
    let new = t.leader().filter(|id| *id != old);
    t.goal(new.is_some(), "the retry completed under a new leader")?;
    t.note("heal; a Get must read the Append exactly once");
    t.heal();
    t.check_get(ck, "x", "ab")?;
    t.check_linearizable()
}

/// `setup` keeping every trace record of a story.
fn traced(setup: Setup) -> Setup {
    Setup { trace_capacity: TRACE_CAPACITY, ..setup }
}

/// The term of `id`'s log entry at `index`, if `id` is up and holds one.
fn log_term(t: &Cluster<RaftNode>, id: NodeId, index: LogIndex) -> Option<raft::Term> {
    t.sim().node(id).and_then(|host| host.log_term(index))
}

/// Fails with the scenario's own failure, so a broken run never shows as a mere diff.
fn passed(check: Check) {
    if let Err(failure) = check {
        panic!("the story failed before its transcript was compared: {failure}");
    }
}

/// The story's trace as lines: a header naming it, then every record but server ticks.
fn transcript(t: &Cluster<RaftNode>, header: &str) -> Vec<String> {
    let records: Vec<_> = t.sim().trace_records(usize::MAX).collect();
    assert!(records.len() < TRACE_CAPACITY, "the trace ring overflowed; raise TRACE_CAPACITY");
    let mut lines = vec![format!("# {header}; server tick timers left out")];
    let shown =
        records.iter().filter(|r| !matches!(r.event, TraceEvent::Timer { tag, .. } if tag == TICK));
    lines.extend(shown.map(|r| r.to_string()));
    lines
}

/// Compares `lines` with `tests/golden/<name>.txt`, or rewrites that file when
/// `TENREC_BLESS=1`. A missing file fails: a golden test that passes without its file would
/// check nothing.
fn check_golden(name: &str, lines: &[String]) {
    let path = golden_path(name);
    if std::env::var("TENREC_BLESS").is_ok_and(|v| v == "1") {
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::create_dir_all(path.parent().expect("a golden directory"))
            .and_then(|()| std::fs::write(&path, text))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("blessed {} ({} lines)", path.display(), lines.len());
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "golden file {} cannot be read ({e}); create it with:\n    {BLESS_COMMAND}",
            path.display()
        ),
    };
    let expected: Vec<&str> = expected.lines().collect();
    if let Some(diff) = diff(&expected, lines) {
        panic!(
            "transcript {name} differs from {}:\n{diff}\nIf the new behaviour is intended, \
             bless it and review the file's diff:\n    {BLESS_COMMAND}",
            path.display()
        );
    }
}

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.txt"))
}

/// A unified-style diff of the one region where `expected` and `actual` differ (after their
/// common first and last lines), with line numbers and context; `None` when they are equal.
/// One region is enough: a change in behaviour usually shifts everything after it anyway.
fn diff(expected: &[&str], actual: &[String]) -> Option<String> {
    let prefix = expected.iter().zip(actual).take_while(|(e, a)| **e == a.as_str()).count();
    if prefix == expected.len() && prefix == actual.len() {
        return None;
    }
    let tail = |n: usize| n - prefix;
    let suffix = (expected.iter().rev().zip(actual.iter().rev()))
        .take_while(|(e, a)| **e == a.as_str())
        .count()
        .min(tail(expected.len()).min(tail(actual.len())));
    let (e_end, a_end) = (expected.len() - suffix, actual.len() - suffix);
    let start = prefix.saturating_sub(CONTEXT);
    let after = suffix.min(CONTEXT);
    let mut out = format!(
        "expected {} lines, got {}; first difference at line {}\n",
        expected.len(),
        actual.len(),
        prefix + 1
    );
    let _ = writeln!(
        out,
        "@@ -{},{} +{},{} @@",
        start + 1,
        e_end + after - start,
        start + 1,
        a_end + after - start
    );
    for (i, line) in expected[start..prefix].iter().enumerate() {
        let _ = writeln!(out, "{:>5}   {line}", start + i + 1);
    }
    hunk(&mut out, '-', prefix, expected[prefix..e_end].iter().copied());
    hunk(&mut out, '+', prefix, actual[prefix..a_end].iter().map(String::as_str));
    for (i, line) in expected[e_end..e_end + after].iter().enumerate() {
        let _ = writeln!(out, "{:>5}   {line}", e_end + i + 1);
    }
    Some(out)
}

/// One side of a hunk: up to `HUNK_LINES` lines marked `-` (expected) or `+` (actual).
fn hunk<'a>(
    out: &mut String,
    mark: char,
    first: usize,
    lines: impl ExactSizeIterator<Item = &'a str>,
) {
    let count = lines.len();
    for (i, line) in lines.take(HUNK_LINES).enumerate() {
        let _ = writeln!(out, "{:>5} {mark} {line}", first + i + 1);
    }
    if count > HUNK_LINES {
        let _ = writeln!(out, "      {mark} ... {} more lines", count - HUNK_LINES);
    }
}

#[test]
fn the_diff_names_the_first_difference_with_context() {
    let expected = ["a", "b", "c", "d", "e", "f"];
    let actual: Vec<String> = ["a", "b", "c", "X", "e", "f"].map(String::from).to_vec();
    let text = diff(&expected, &actual).expect("they differ");
    assert!(text.contains("first difference at line 4"), "{text}");
    assert!(text.contains("    4 - d") && text.contains("    4 + X"), "{text}");
    assert!(text.contains("    3   c") && text.contains("    5   e"), "{text}");
    let same: Vec<String> = expected.map(String::from).to_vec();
    assert_eq!(diff(&expected, &same), None);
}
