//! Leader leases in the reference implementation, end to end on drifting clocks: a leader cut
//! off from its majority keeps answering reads from its lease for a while (ReadIndex cannot,
//! it needs the majority's round), never long enough to serve a stale read when the lease
//! assumes the clocks' real drift, and serves stale reads when it assumes less (a lease beyond
//! its margin), or when the margin is left out (the `lease_without_drift_margin` mutant).
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kv::{ClientId, Op, ReadPath};
use raft::{Bugs, RaftNode};
use scenarios::catalog::{deposed_leader_on, find, lease_beyond_margin};
use scenarios::{Broke, Options, Report, Run, Setup};

const WITHIN: &str = "reads.lease_drift_within_margin";
/// The story's second clerk reads at the leader it is connected to.
const READER: ClientId = ClientId(2);

/// A trace sink the test can read back.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("sink lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs the lease story for `seed` with `reads`; returns the report and the true times
/// (nanoseconds) at which the story cut a leader off.
fn run_story(seed: u64, reads: ReadPath) -> (Report, Vec<u64>) {
    let sink = Sink::default();
    let mut run = Run::new(seed).options(Options { reads: Some(reads), ..Options::default() });
    run.keep_history = true;
    run.trace_file = Some(Box::new(sink.clone()));
    let report = find::<RaftNode>(WITHIN).expect("in the catalog").run(run);
    let trace = String::from_utf8(sink.0.lock().expect("sink lock").clone()).expect("utf-8");
    let cuts = trace
        .lines()
        .filter(|line| line.contains("\"event\":\"note\"") && line.contains("cut leader"))
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON trace line");
            value["t_ns"].as_u64().expect("t_ns")
        })
        .collect();
    (report, cuts)
}

/// The reader's Gets called and answered within 200 ms after a cut: only the cut-off leader
/// can answer them (the reader reaches no one else), and the majority cannot have elected
/// anyone that soon.
fn reads_right_after_cuts(report: &Report, cuts: &[u64]) -> usize {
    let history = report.history.as_ref().expect("history kept");
    let window = Duration::from_millis(200).as_nanos() as u64;
    history
        .records()
        .iter()
        .filter(|r| r.client == READER && matches!(r.op, Op::Get { .. }))
        .filter(|r| {
            let call = r.call.as_nanos();
            let Some((ret, _)) = &r.ret else { return false };
            cuts.iter().any(|&cut| call >= cut && ret.as_nanos() < cut + window)
        })
        .count()
}

#[test]
fn a_cut_off_leader_serves_reads_from_its_lease_and_readindex_does_not() {
    let (lease, cuts) = run_story(0, ReadPath::Lease);
    assert!(lease.passed(), "{}", lease.failure_text());
    assert_eq!(cuts.len(), 12, "the story cuts a leader off twelve times");
    let served = reads_right_after_cuts(&lease, &cuts);
    assert!(served > 0, "no read was answered from a lease after a cut");

    let (index, cuts) = run_story(0, ReadPath::ReadIndex);
    assert!(index.passed(), "{}", index.failure_text());
    assert_eq!(reads_right_after_cuts(&index, &cuts), 0, "ReadIndex answered without a majority");
}

#[test]
fn a_lease_that_assumes_the_clocks_drift_never_serves_a_stale_read() {
    let scenario = find::<RaftNode>(WITHIN).expect("in the catalog");
    for seed in 0..40 {
        let report = scenario.run(Run::new(seed).tail(0));
        assert!(report.passed(), "seed {seed}: {}", report.failure_text());
    }
}

/// The first of `seeds` whose run fails, with what broke.
fn first_failure(run: impl Fn(u64) -> Report, seeds: std::ops::Range<u64>) -> Option<(u64, Broke)> {
    seeds.into_iter().find_map(|seed| {
        let report = run(seed);
        report.broke().map(|broke| (seed, broke))
    })
}

#[test]
fn a_lease_beyond_its_margin_serves_stale_reads() {
    let scenario = lease_beyond_margin::<RaftNode, kv::KvServer<RaftNode>>();
    let failed = first_failure(|seed| scenario.run(Run::new(seed).tail(0)), 0..40);
    let (seed, broke) = failed.expect("a lease assuming 1% drift on 40% clocks never went stale");
    assert_eq!(broke, Broke::NotLinearizable, "seed {seed}");
}

#[test]
fn the_mutant_without_the_margin_is_caught_only_with_drift_on() {
    let scenario = find::<RaftNode>(WITHIN).expect("in the catalog");
    let bugs = Bugs::only("lease_without_drift_margin").expect("a switch");
    let mutant =
        |seed| scenario.run(Run::new(seed).options(Options { bugs, ..Options::default() }).tail(0));
    let (seed, broke) = first_failure(mutant, 0..40).expect("the mutant survived 40 seeds");
    assert_eq!(broke, Broke::NotLinearizable, "seed {seed}");

    let perfect =
        deposed_leader_on::<RaftNode, kv::KvServer<RaftNode>>("leases.perfect_clocks", || {
            Setup::kv(3).reads(ReadPath::Lease)
        });
    let options = Options { bugs, ..Options::default() };
    let survived =
        first_failure(|seed| perfect.run(Run::new(seed).options(options).tail(0)), 0..40);
    assert_eq!(survived, None, "with perfect clocks the lease needs no margin");
}
