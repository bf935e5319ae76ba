//! Running one KV scenario for one seed: build the KV world, run the story, catch what broke,
//! and report like any scenario (trace hash, virtual time, trace tail, replay command). The
//! checker's wall time comes back separately, for the suite benchmark.
use std::io::Write;
use std::time::Duration;

use kv::KvBugs;
use raft::Consensus;

use super::history::KvHistory;
use super::linearize::with_explanation;
use super::tester::{KvSetup, KvTester};
use crate::failure::Check;
use crate::runner::{bug_names, run_story, Options, Report};

/// A KV story: its cluster and its body.
pub type KvStoryParts<R> = (KvSetup, fn(&mut KvTester<R>) -> Check);

/// Runs `story` for `seed` with the options' Raft bugs and `kv_bugs` switched on.
pub fn drive_kv<R: Consensus>(
    name: &'static str,
    seed: u64,
    options: &Options,
    kv_bugs: KvBugs,
    story: KvStoryParts<R>,
    tail: usize,
    trace_file: Option<Box<dyn Write + Send>>,
) -> (Report, Duration) {
    let (report, check_time, _) =
        drive_kv_with_history(name, seed, options, kv_bugs, story, tail, trace_file);
    (report, check_time)
}

/// As `drive_kv`, also handing back the clients' history (`tenrec run --html` reports it).
pub fn drive_kv_with_history<R: Consensus>(
    name: &'static str,
    seed: u64,
    options: &Options,
    kv_bugs: KvBugs,
    (mut setup, body): KvStoryParts<R>,
    tail: usize,
    trace_file: Option<Box<dyn Write + Send>>,
) -> (Report, Duration, KvHistory) {
    setup.raft_bugs = options.bugs;
    setup.kv_bugs = kv_bugs;
    setup.trace_capacity = options.trace_capacity;
    let mut tester: KvTester<R> = KvTester::new(seed, setup);
    let mut bugs = bug_names(options.bugs);
    bugs.extend(kv_bug_names(kv_bugs));
    let mut report = run_story(name, seed, &mut tester, body, tail, trace_file, bugs);
    // After the run, so the run and its trace are what they were.
    report.failure = report.failure.map(|failure| with_explanation(failure, &tester.kv_history));
    (report, tester.check_time, std::mem::take(&mut tester.kv_history))
}

/// The names of kv's switches that are on.
pub fn kv_bug_names(bugs: KvBugs) -> Vec<&'static str> {
    KvBugs::NAMES
        .iter()
        .copied()
        .filter(|name| KvBugs::only(name).is_some_and(|one| with(bugs, one) == bugs))
        .collect()
}

/// `bugs` with every switch of `more` turned on too.
pub fn with(bugs: KvBugs, more: KvBugs) -> KvBugs {
    KvBugs {
        no_duplicate_detection: bugs.no_duplicate_detection || more.no_duplicate_detection,
        reply_before_commit: bugs.reply_before_commit || more.reply_before_commit,
        get_without_log_on_leader: bugs.get_without_log_on_leader || more.get_without_log_on_leader,
        get_without_log_anywhere: bugs.get_without_log_anywhere || more.get_without_log_anywhere,
        snapshot_without_sessions: bugs.snapshot_without_sessions || more.snapshot_without_sessions,
        reply_without_checking_command: bugs.reply_without_checking_command
            || more.reply_without_checking_command,
    }
}
