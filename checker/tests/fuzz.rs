//! A mutational fuzzer over the four parsers, every model's interpreter, the search and the
//! explanation (issue 18, item 5): seeded with tests/data and hand-written histories, it must
//! meet no panic and no input running past 2 s. Deterministic: inputs are numbered, and each is
//! a function of the run's seed and its number. docs/fuzzing.md says how to run it longer.
//!
//! Environment: `TENREC_FUZZ_INPUTS` (how many inputs; default [`DEFAULT_INPUTS`]),
//! `TENREC_FUZZ_SEED` (default 0), `TENREC_FUZZ_REPLAY` (a file saved by a failing run, a
//! directory of them, or an input's number: run only those, without catching the panic, to
//! debug it), `TENREC_FUZZ_TRACE=1` (print each input's number before running it, to find the
//! input behind a crash that aborts the process, such as a stack overflow).
#[path = "fuzz/corpus.rs"]
mod corpus;
#[path = "fuzz/exercise.rs"]
mod exercise;
#[path = "fuzz/mutate.rs"]
mod mutate;
#[path = "fuzz/rng.rs"]
mod rng;
#[path = "fuzz/run.rs"]
mod run;

use std::path::Path;
use std::time::Duration;

use exercise::{exercise, Stats, PARSES};

/// Inputs per run unless `TENREC_FUZZ_INPUTS` says otherwise: about 4 s of CPU, under 3 s on
/// two idle cores, in the optimised test profile (CI runs it so, in `cargo test --workspace`).
const DEFAULT_INPUTS: u64 = 20_000;

/// An input running longer than this is a hang: inputs take milliseconds, so this leaves room
/// for a loaded machine.
const LIMIT: Duration = Duration::from_secs(2);

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Err(_) => default,
        Ok(text) => text
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?}: expected a non-negative integer")),
    }
}

#[test]
fn no_input_panics_or_hangs() {
    let seed = env_number("TENREC_FUZZ_SEED", 0);
    if let Ok(what) = std::env::var("TENREC_FUZZ_REPLAY") {
        return match what.parse::<u64>() {
            Ok(n) => replay(&run::save(seed, n, "replayed", &corpus::seeds())),
            Err(_) => replay(Path::new(&what)),
        };
    }
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(8)) as u64;
    let plan = run::Plan {
        inputs: env_number("TENREC_FUZZ_INPUTS", DEFAULT_INPUTS),
        seed,
        threads,
        limit: LIMIT,
        trace: std::env::var_os("TENREC_FUZZ_TRACE").is_some(),
    };
    let seeds = corpus::seeds();
    let seed_count = seeds.len();
    let outcome = run::run(&plan, seeds);
    summarize(&plan, seed_count, &outcome);
    let names: Vec<String> = outcome.failures.iter().map(|p| p.display().to_string()).collect();
    assert!(
        names.is_empty(),
        "{} failing input(s), replay with TENREC_FUZZ_REPLAY=<file>:\n  {}",
        names.len(),
        names.join("\n  ")
    );
    assert_eq!(outcome.stats.inputs, plan.inputs, "every input ran");
}

fn summarize(plan: &run::Plan, seed_count: usize, outcome: &run::Outcome) {
    let s = &outcome.stats;
    let names = PARSES.map(|f| f.map_or("detected".to_string(), |f| f.to_string()));
    let parses: Vec<String> = (0..PARSES.len())
        .map(|i| format!("{} {} ok/{} err", names[i], s.parsed[i], s.rejected[i]))
        .collect();
    eprintln!(
        "fuzz: {} inputs ({} MB) from {seed_count} seeds, seed {}, {} threads, in {:.1?}\n\
         fuzz: parses: {}\n\
         fuzz: models: {} histories interpreted, {} refused; {} checks: {} linearizable, \
         {} not, {} unknown; {} explained\n\
         fuzz: slowest input {} took {:.1?}; {} failures",
        s.inputs,
        s.bytes >> 20,
        plan.seed,
        plan.threads,
        outcome.elapsed,
        parses.join(", "),
        s.interpreted,
        s.refused,
        s.checks(),
        s.linearizable,
        s.not_linearizable,
        s.unknown,
        s.explained,
        s.slowest.1,
        s.slowest.0,
        outcome.failures.len(),
    );
}

/// Runs the saved input(s) at `path` without catching anything, so the panic and its backtrace
/// show as in any failing test.
fn replay(path: &Path) {
    let files: Vec<_> = if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    for file in files {
        eprintln!("fuzz: replaying {}", file.display());
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        exercise(&bytes, &mut Stats::default());
    }
}

/// The fuzzer's own parts work: the corpus holds the data files and a seed of each format,
/// and an input depends only on the seed and its number.
#[test]
fn the_corpus_covers_every_format_and_inputs_are_reproducible() {
    let seeds = corpus::seeds();
    assert!(seeds.len() >= 30, "found {} seeds", seeds.len());
    for format in ["json", "txt", "log", "edn"] {
        let count = seeds.iter().filter(|s| s.name.ends_with(format)).count();
        assert!(count >= 2, "{count} seeds of .{format}");
    }
    let a = mutate::input(&seeds, &mut rng::Rng::for_input(7, 123));
    let b = mutate::input(&seeds, &mut rng::Rng::for_input(7, 123));
    assert_eq!(a, b);
    assert!(run::failure_dir().ends_with("fuzz-failures"));
}
