//! The conformance checks of `raft::conformance` as lab tests: each check is a graded test of
//! the part its rule belongs to, named like a scenario (`conformance.one_vote_per_term`, test
//! `part3a_conformance_one_vote_per_term`), run once per seed (the seed draws the node's
//! election timeouts), and failing with a report in the scenarios' format: what broke, the
//! rule's words, the check's last steps, and the command that replays it.
//!
//! | group | part |
//! | --- | --- |
//! | All Servers, Followers and Candidates, RequestVote receiver | 3A |
//! | AppendEntries receiver, Leaders' commit rule | 3B |
//! | persistent state and restarts | 3C |
//! | InstallSnapshot receiver | 3D |
use std::sync::OnceLock;

use raft::conformance::{Check, Group, Setup};
use raft::{Bugs, Consensus};

use super::parts::Part;
use crate::failure::Failure;
use crate::panics::capture;

/// The first word of every check's lab name.
const PREFIX: &str = "conformance.";

/// Steps of a failing check's transcript that its report shows.
const TAIL: usize = 24;

/// The part a group of rules is graded in: the part whose scenarios first need them.
pub fn part_of_group(group: Group) -> Part {
    match group {
        Group::AllServers | Group::Elections | Group::RequestVote => Part::Raft3A,
        Group::AppendEntries | Group::Commit => Part::Raft3B,
        Group::Persistence => Part::Raft3C,
        Group::InstallSnapshot => Part::Raft3D,
    }
}

/// Every check as the lab names it: (`conformance.<check>`, its part), in the paper's order.
/// The names are the same for every implementation, so the reference's list serves all.
pub fn lab_checks() -> &'static [(&'static str, Part)] {
    static NAMES: OnceLock<Vec<(&'static str, Part)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        raft::conformance::checks::<raft::RaftNode>()
            .into_iter()
            .map(|check| {
                // Leaked once per process: lab names are `&'static` like scenario names.
                let name: &'static str = Box::leak(format!("{PREFIX}{}", check.name).into());
                (name, part_of_group(check.group))
            })
            .collect()
    })
}

/// The check a lab name (`conformance.<check>`) names, for implementation `R`.
pub(crate) fn find_check<R: Consensus>(lab_name: &str) -> Option<Check> {
    raft::conformance::find::<R>(lab_name.strip_prefix(PREFIX)?)
}

/// The outcome of one check over some seeds.
pub(crate) struct CheckRun {
    pub passed: bool,
    pub seeds_run: usize,
    pub failed_seed: Option<u64>,
    /// A digest of each seed's transcript digest.
    pub digest: u64,
    /// The failure report (empty on a pass).
    pub output: String,
}

/// Runs `check` for each seed until one fails; `replay(seed)` is the command a report prints.
pub(crate) fn run_check(
    check: &Check,
    seeds: &[u64],
    bugs: Bugs,
    replay: impl Fn(u64) -> String,
) -> CheckRun {
    let mut run = CheckRun {
        passed: true,
        seeds_run: 0,
        failed_seed: None,
        digest: 0,
        output: String::new(),
    };
    let mut digests = Vec::with_capacity(seeds.len());
    for &seed in seeds {
        let setup = Setup::new(seed).with_bugs(bugs);
        let outcome = capture(|| check.run(&setup));
        digests.push(setup.digest());
        run.seeds_run += 1;
        let (failure, rule) = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(violation)) => (Failure::assertion(violation.what), Some(violation.rule)),
            Err(panic) => (panic, None),
        };
        run.passed = false;
        run.failed_seed = Some(seed);
        run.output = report(check, seed, &failure, rule, &setup, &replay(seed));
        break;
    }
    run.digest = sim::fingerprint(&digests);
    run
}

/// The report of a failed check, in the shape of a scenario's.
fn report(
    check: &Check,
    seed: u64,
    failure: &Failure,
    rule: Option<&str>,
    setup: &Setup,
    replay: &str,
) -> String {
    let mut text = format!("FAIL {PREFIX}{} seed {seed}\n  what broke: {failure}\n", check.name);
    if let Some(rule) = rule {
        text.push_str(&format!("  the rule: {rule}\n"));
    }
    text.push_str(&format!("  the check: {} ({})\n", check.summary, check.group.title()));
    let transcript = setup.transcript();
    let tail = &transcript[transcript.len().saturating_sub(TAIL)..];
    if !tail.is_empty() {
        let steps = if tail.len() == 1 { "step" } else { "steps" };
        text.push_str(&format!(
            "  its last {} {steps} (one node, driven by the check):\n",
            tail.len()
        ));
        for line in tail {
            text.push_str(&format!("    {line}\n"));
        }
    }
    text.push_str(&format!("  replay: {replay}\n"));
    text
}
