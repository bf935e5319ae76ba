//! The `sweep --jsonl` file: a header line naming the whole sweep (the scenarios, the seed
//! range, the `--bug` switches, which shard of how many this file is and how many runs it
//! holds), then one line per run (`Outcome::to_json`), in (scenario, seed) order. The header
//! lets `sweep --merge` tell a complete set of shards from one with a file missing, cut
//! short or run with other flags. Reading never panics: a bad line is an error naming the
//! file, the line and what was expected.
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::outcome::Outcome;
use super::shard::{parse_shard, Shard};
use scenarios::seeds::parse_seeds;

/// Bumped when a line's meaning changes, so an old file is refused rather than misread.
const FORMAT: u64 = 1;

/// The first line of a `--jsonl` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The whole sweep's scenarios, in its order (every shard's header lists all of them).
    pub scenarios: Vec<String>,
    pub seeds: Range<u64>,
    /// The `--bug` switches, sorted, so two shards given them in another order still agree.
    pub bugs: Vec<String>,
    pub shard: Shard,
    /// Runs in this file, so a file cut short is told from a shard that had fewer runs.
    pub runs: u64,
}

/// One file read back.
pub struct SweepFile {
    pub path: PathBuf,
    pub header: Header,
    /// Each run with its line number (1-based, the header being line 1).
    pub runs: Vec<(usize, Outcome)>,
}

/// Writes the header and one line per outcome.
pub fn write(path: &Path, header: &Header, outcomes: &[Outcome]) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut out = BufWriter::new(File::create(path).map_err(fail)?);
    let head = json!({
        "tenrec_sweep": FORMAT,
        "scenarios": header.scenarios,
        "seeds": format!("{}..{}", header.seeds.start, header.seeds.end),
        "bugs": header.bugs,
        "shard": header.shard.to_string(),
        "runs": header.runs,
    });
    writeln!(out, "{head}").map_err(fail)?;
    for outcome in outcomes {
        writeln!(out, "{}", outcome.to_json()).map_err(fail)?;
    }
    out.flush().map_err(fail)
}

/// Reads a whole file; the error is `FILE:LINE: what was expected`.
pub fn read(path: &Path) -> Result<SweepFile, String> {
    let name = path.display();
    let file = File::open(path).map_err(|e| format!("cannot open {name}: {e}"))?;
    let mut header = None;
    let mut runs = Vec::new();
    for (k, line) in BufReader::new(file).lines().enumerate() {
        let number = k + 1;
        let line = line.map_err(|e| format!("{name}:{number}: cannot read: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = |what: String| format!("{name}:{number}: {what}");
        let value: Value =
            serde_json::from_str(&line).map_err(|e| at(format!("not a JSON object: {e}")))?;
        match header {
            None => header = Some(parse_header(&value).map_err(at)?),
            Some(_) => {
                let outcome = Outcome::from_json(&value).map_err(|e| {
                    at(format!("expected a run line of `tenrec sweep --jsonl`: {e}"))
                })?;
                runs.push((number, outcome));
            }
        }
    }
    let header = header.ok_or_else(|| {
        format!("{name}: empty: expected a header line from `tenrec sweep --jsonl`")
    })?;
    Ok(SweepFile { path: path.to_path_buf(), header, runs })
}

fn parse_header(value: &Value) -> Result<Header, String> {
    let expected = "expected the header line of `tenrec sweep --jsonl` \
                    ({\"tenrec_sweep\": 1, \"scenarios\": [..], \"seeds\": \"A..B\", ..})";
    let format = value.get("tenrec_sweep").ok_or_else(|| expected.to_string())?;
    if format.as_u64() != Some(FORMAT) {
        return Err(format!("format {format}: this tenrec reads format {FORMAT}"));
    }
    let seeds = string(value, "seeds")?;
    let shard = string(value, "shard")?;
    Ok(Header {
        scenarios: strings(value, "scenarios")?,
        seeds: parse_seeds(seeds).map_err(|e| format!("`seeds`: {e}"))?,
        bugs: strings(value, "bugs")?,
        shard: parse_shard(shard).map_err(|e| format!("`shard`: {e}"))?,
        runs: value
            .get("runs")
            .and_then(Value::as_u64)
            .ok_or("`runs`: expected a non-negative integer")?,
    })
}

fn string<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    value.get(name).and_then(Value::as_str).ok_or_else(|| format!("`{name}`: expected a string"))
}

fn strings(value: &Value, name: &str) -> Result<Vec<String>, String> {
    let wrong = || format!("`{name}`: expected a list of strings");
    let list = value.get(name).and_then(Value::as_array).ok_or_else(wrong)?;
    list.iter().map(|v| v.as_str().map(str::to_string).ok_or_else(wrong)).collect()
}
