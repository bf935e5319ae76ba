//! `tenrec sweep --merge FILE...`: the `--jsonl` files of a sharded sweep (one per machine)
//! read back into the summary the unsharded sweep would have printed: each failure with its
//! replay command, then "N passed, M failed", in the same (scenario, seed) order, on stdout;
//! exit code the worst failure's.
//!
//! The headers make the merge checkable, and it says on stderr what it found: every file must
//! describe the same sweep (scenarios, seeds, bugs, shard count), every run must lie in that
//! sweep and in its file's shard (a malformed file is an error: exit 1, no summary). A shard
//! with no file, a file shorter than its header says, or a run given twice with two different
//! outcomes leaves the merge incomplete: it prints what is missing and exits at least 1, since
//! a sweep that did not run everything must not read as a pass. A run given twice with the
//! same outcome (a shard merged twice) is only reported.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::jsonl::{self, SweepFile};
use super::outcome::{print_failures_and_count, Outcome};
use super::shard::shard_of;

/// How many missing runs or duplicates are named one by one before "and N more".
const NAMED: usize = 10;

/// The runs of all files, keyed by (scenario position in the header, seed).
type Seen<'a> = BTreeMap<(usize, u64), &'a Outcome>;

pub fn run(paths: &[PathBuf], json: bool) -> ExitCode {
    match merge(paths, json) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn merge(paths: &[PathBuf], json: bool) -> Result<u8, String> {
    let files = paths.iter().map(|p| jsonl::read(p)).collect::<Result<Vec<_>, _>>()?;
    let first = files.first().ok_or("--merge needs at least one file")?;
    for file in &files[1..] {
        same_sweep(first, file)?;
    }
    let mut problems = Vec::new();
    let mut duplicates = Vec::new();
    let mut seen = Seen::new();
    for file in &files {
        collect(file, &mut seen, &mut duplicates, &mut problems)?;
    }
    problems.extend(missing_shards(&files));
    let missing = missing_runs(first, &seen);
    if let Some(line) = describe_missing(first, &seen, missing) {
        problems.push(line);
    }
    let mut code = print_summary(&seen, json, missing, &duplicates, &problems);
    for line in &duplicates {
        eprintln!("note: given twice with the same outcome: {line}");
    }
    for line in &problems {
        eprintln!("problem: {line}");
    }
    if problems.is_empty() {
        let h = &first.header;
        eprintln!(
            "merged {} file(s): all {} runs of {} scenario(s) over seeds {}..{}, {} shard(s)",
            files.len(),
            seen.len(),
            h.scenarios.len(),
            h.seeds.start,
            h.seeds.end,
            h.shard.count
        );
    } else {
        code = code.max(1);
    }
    Ok(code)
}

/// Two files merge only if they are shards of one sweep.
fn same_sweep(a: &SweepFile, b: &SweepFile) -> Result<(), String> {
    let (ha, hb) = (&a.header, &b.header);
    let differs = if ha.scenarios != hb.scenarios {
        "scenarios"
    } else if ha.seeds != hb.seeds {
        "seeds"
    } else if ha.bugs != hb.bugs {
        "bugs"
    } else if ha.shard.count != hb.shard.count {
        "shard count"
    } else {
        return Ok(());
    };
    Err(format!(
        "{} and {} are not shards of one sweep: their headers differ in {differs}",
        a.path.display(),
        b.path.display()
    ))
}

/// Adds a file's runs to `seen`, checking each lies in the sweep and in the file's shard.
fn collect<'a>(
    file: &'a SweepFile,
    seen: &mut Seen<'a>,
    duplicates: &mut Vec<String>,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let (h, name) = (&file.header, file.path.display());
    if file.runs.len() as u64 != h.runs {
        let found = file.runs.len();
        problems.push(format!("{name}: its header says {} runs, it holds {found}", h.runs));
    }
    for (line, outcome) in &file.runs {
        let at = format!("{name}:{line}");
        let position =
            h.scenarios.iter().position(|s| *s == outcome.scenario).ok_or_else(|| {
                format!("{at}: scenario `{}` is not one of the header's", outcome.scenario)
            })?;
        let seed = outcome.seed;
        if !h.seeds.contains(&seed) {
            let (a, b) = (h.seeds.start, h.seeds.end);
            return Err(format!("{at}: seed {seed} is outside the header's seeds {a}..{b}"));
        }
        let owner = shard_of(&outcome.scenario, seed, h.shard.count);
        if owner != h.shard.index {
            return Err(format!(
                "{at}: {} seed {seed} belongs to shard {owner}/{}, this file is shard {}",
                outcome.scenario, h.shard.count, h.shard
            ));
        }
        match seen.insert((position, seed), outcome) {
            None => {}
            Some(earlier) if earlier == outcome => {
                duplicates.push(format!("{} seed {seed} ({at})", outcome.scenario))
            }
            Some(earlier) => problems.push(format!(
                "{at}: {} seed {seed} given twice with different outcomes (trace {:016x}, \
                 exit {}; then trace {:016x}, exit {}): one build gives one outcome per seed, so \
                 were these shards built from different commits?",
                outcome.scenario,
                earlier.trace_hash,
                earlier.exit_code,
                outcome.trace_hash,
                outcome.exit_code
            )),
        }
    }
    Ok(())
}

/// "no file for shard 2/8" for each shard index no file claims.
fn missing_shards(files: &[SweepFile]) -> Vec<String> {
    let count = files[0].header.shard.count;
    let present: Vec<u64> = files.iter().map(|f| f.header.shard.index).collect();
    let absent: Vec<String> =
        (1..=count).filter(|i| !present.contains(i)).map(|i| format!("{i}/{count}")).collect();
    if absent.is_empty() {
        return Vec::new();
    }
    vec![format!("no file for shard(s) {}", absent.join(", "))]
}

/// Runs of the sweep no file holds: arithmetic, since every seen run was checked to be in it.
fn missing_runs(first: &SweepFile, seen: &Seen) -> u128 {
    let h = &first.header;
    let space = h.scenarios.len() as u128 * u128::from(h.seeds.end - h.seeds.start);
    space - seen.len() as u128
}

/// "N runs missing: a seed 3, b seed 9, ... and K more", naming the first few in sweep order.
fn describe_missing(first: &SweepFile, seen: &Seen, missing: u128) -> Option<String> {
    if missing == 0 {
        return None;
    }
    let h = &first.header;
    let named: Vec<String> = (0..h.scenarios.len())
        .flat_map(|k| h.seeds.clone().map(move |seed| (k, seed)))
        .filter(|key| !seen.contains_key(key))
        .take(NAMED)
        .map(|(k, seed)| format!("{} seed {seed}", h.scenarios[k]))
        .collect();
    let more = missing - named.len() as u128;
    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
    Some(format!("{missing} run(s) missing: {}{tail}", named.join(", ")))
}

/// The sweep's summary (text or `--json`) over the merged runs; returns the worst exit code.
fn print_summary(
    seen: &Seen,
    json: bool,
    missing: u128,
    duplicates: &[String],
    problems: &[String],
) -> u8 {
    if !json {
        return print_failures_and_count(seen.values().copied());
    }
    let failures: Vec<&Outcome> = seen.values().copied().filter(|o| !o.passed()).collect();
    let value = serde_json::json!({
        "passed": seen.len() - failures.len(),
        "failed": failures.len(),
        "failures": failures.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
        "complete": problems.is_empty(),
        "missing": u64::try_from(missing).unwrap_or(u64::MAX),
        "duplicates": duplicates.len(),
        "problems": problems,
    });
    println!("{value}");
    failures.iter().map(|o| o.exit_code).max().unwrap_or(0)
}
