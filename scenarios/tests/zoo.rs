//! The bug zoo (issue 8): every mutant must be killed by the default suite within the default
//! seed budget, by a real check (not a vacuous run or an undecided checker), with a median of
//! at most 5 seeds, and each kill must replay to the same verdict and trace; the reference
//! implementation must pass every scenario for the same seeds.
use raft::RaftNode;
use scenarios::zoo::{find, kill_matrix, median_seeds_to_kill, reference_failures, Layer, MUTANTS};
use scenarios::{catalog, Broke, Report};

/// The default budget of `tenrec mutants`: seeds 0..10 per mutant. The whole matrix takes a
/// few seconds in the test profile, so CI runs it in full.
const SEEDS: u64 = 10;

#[test]
fn the_zoo_lists_every_required_mistake_once() {
    assert!(MUTANTS.len() >= 15);
    for (k, m) in MUTANTS.iter().enumerate() {
        assert!(MUTANTS[..k].iter().all(|other| other.name != m.name), "{} twice", m.name);
        assert!(find(m.name).is_some());
        // Every switch is a real one of its crate (this panics otherwise).
        let _ = m.switches();
    }
    assert_eq!(MUTANTS.iter().filter(|m| m.layer == Layer::Raft).count(), raft::Bugs::NAMES.len());
    assert_eq!(MUTANTS.iter().filter(|m| m.layer == Layer::Kv).count(), kv::KvBugs::NAMES.len());
}

#[test]
fn every_mutant_is_killed_within_the_default_budget_and_replays() {
    let kills = kill_matrix(0..SEEDS, None);
    let survivors: Vec<&str> =
        kills.iter().filter(|k| !k.killed()).map(|k| k.mutant.name).collect();
    assert!(survivors.is_empty(), "mutants survived seeds 0..{SEEDS}: {survivors:?}");
    for kill in &kills {
        let report = kill.report.as_ref().expect("killed");
        let broke = kill.caught_by().expect("a failure");
        assert!(
            !matches!(broke, Broke::Vacuous | Broke::Undecided),
            "{} was only 'caught' by {broke}: {}",
            kill.mutant.name,
            report.failure_text()
        );
        assert!(report.replay_command().contains(&format!("--bug {}", kill.mutant.name)));
        let again = replay(kill.mutant.name, report);
        assert_eq!(
            (again.trace_hash, &again.failure),
            (report.trace_hash, &report.failure),
            "{}: the replay differs",
            kill.mutant.name
        );
    }
    let median = median_seeds_to_kill(&kills).expect("some kills");
    assert!(median <= 5.0, "median seeds to kill is {median}");
    // The liveness mutants are reported as liveness failures (exit 3), not as safety ones.
    for name in ["no_timer_reset_on_vote", "block_on_slow_peer"] {
        let kill = kills.iter().find(|k| k.mutant.name == name).expect("listed");
        assert_eq!(kill.caught_by(), Some(&Broke::Liveness), "{name}");
        assert_eq!(kill.report.as_ref().map(Report::exit_code), Some(3), "{name}");
    }
}

#[test]
fn the_reference_passes_the_same_budget() {
    let failures = reference_failures(0..SEEDS, None);
    let text: Vec<String> = failures.iter().map(Report::failure_text).collect();
    assert!(failures.is_empty(), "the reference fails:\n{}", text.join("\n"));
}

#[test]
fn the_swarm_is_in_the_catalog_and_its_mix_changes_with_the_seed() {
    let all = catalog::<RaftNode>();
    let raft = all.iter().find(|s| s.name == "swarm.raft").expect("swarm.raft");
    assert!(all.iter().any(|s| s.name == "swarm.kv" && s.is_kv()));
    let mixes: Vec<String> = (0..4)
        .map(|seed| {
            let sink = Sink::default();
            let report = raft.run_with_trace(seed, &Default::default(), 0, Box::new(sink.clone()));
            assert!(report.passed(), "{}", report.failure_text());
            let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
            let line = text.lines().find(|l| l.contains("swarm mix:"));
            line.map(|l| l[l.find("swarm mix:").unwrap()..].to_string()).unwrap_or_default()
        })
        .collect();
    assert!(mixes.iter().all(|m| !m.is_empty()), "every run narrates its mix");
    assert!(mixes.windows(2).any(|w| w[0] != w[1]), "the mix depends on the seed: {mixes:?}");
}

/// Reruns a kill from its replay command's scenario, seed and `--bug` switch.
fn replay(mutant: &str, report: &Report) -> Report {
    let m = find(mutant).expect("a zoo mutant");
    let (options, kv_bugs) = m.switches();
    let scenario = catalog::find::<RaftNode>(report.scenario).expect("in the catalog");
    scenario.run_kv(report.seed, &options, kv_bugs, 0).0
}

/// A trace writer that keeps what it is given.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
