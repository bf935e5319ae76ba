//! The bug zoo (issue 8): every mutant must be killed by the default suite within the default
//! seed budget, by a real check (not a vacuous run or an undecided checker), with a median of
//! at most 5 seeds, and each kill must replay to the same verdict and trace; the reference
//! implementation must pass every scenario for the same seeds.
use kv::KvBugs;
use raft::{Bugs, RaftNode};
use scenarios::zoo::{find, kill_matrix, median_seeds_to_kill, reference_failures, Layer, MUTANTS};
use scenarios::{catalog, Broke, Report, Run};

/// The default budget of `tenrec mutants`: seeds 0..10 per mutant. The whole matrix takes a
/// few seconds in the test profile, so CI runs it in full.
const SEEDS: u64 = 10;

#[test]
fn the_zoo_lists_every_required_mistake_once() {
    assert!(MUTANTS.len() >= 15);
    for (k, m) in MUTANTS.iter().enumerate() {
        assert!(MUTANTS[..k].iter().all(|other| other.name != m.name), "{} twice", m.name);
        assert!(find(m.name).is_some());
        // The mutant's options turn on its own switch and nothing else.
        let options = m.options();
        let mut on = options.bugs.names();
        on.extend(options.kv_bugs.names());
        assert_eq!(on, [m.name], "{}", m.name);
    }
}

#[test]
fn every_switch_of_both_crates_is_a_mutant_described_by_its_declaration() {
    let raft = Bugs::SWITCHES.iter().map(|switch| (Layer::Raft, switch));
    let switches: Vec<_> = raft.chain(KvBugs::SWITCHES.iter().map(|s| (Layer::Kv, s))).collect();
    assert_eq!(MUTANTS.len(), switches.len(), "one mutant per switch, no more");
    for (layer, switch) in switches {
        let m = find(switch.name).unwrap_or_else(|| panic!("{} is not in the zoo", switch.name));
        assert_eq!((m.layer, m.breaks, m.rule), (layer, switch.breaks, switch.rule), "{}", m.name);
    }
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
        assert_eq!(kill.caught_by(), Some(Broke::Liveness), "{name}");
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
            let report = raft.run(Run::new(seed));
            assert!(report.passed(), "{}", report.failure_text());
            report.fault_mix.unwrap_or_default()
        })
        .collect();
    assert!(mixes.iter().all(|m| !m.is_empty()), "every run reports its mix");
    assert!(mixes.windows(2).any(|w| w[0] != w[1]), "the mix depends on the seed: {mixes:?}");
}

/// Reruns a kill from its replay command's scenario, seed and `--bug` switch.
fn replay(mutant: &str, report: &Report) -> Report {
    let m = find(mutant).expect("a zoo mutant");
    let scenario = catalog::find::<RaftNode>(report.scenario).expect("in the catalog");
    scenario.run(Run::new(report.seed).options(m.options()).tail(0))
}
