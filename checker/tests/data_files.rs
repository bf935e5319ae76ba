//! Every real history in tests/data gets the verdict its expected.tsv gives, through the
//! same path as `tenrec check`: parse (format detected), default model, interpret, search.
use std::path::{Path, PathBuf};

use checker::interpret::{default_model, with_model, WithModel};
use checker::parse::{parse_file, FailedCas, Format};
use checker::{check, History, Model, ModelKind, Options, Verdict};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// One row of an expected.tsv, whatever its columns.
struct Row {
    file: String,
    format: Option<String>,
    model: String,
    expected: String,
    n_ops: usize,
}

/// Reads a tsv by its header, so the two files' different columns need no special cases.
fn rows(dir: &str) -> Vec<Row> {
    let path = Path::new(DATA).join(dir).join("expected.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("a header row").split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let cell = |name: &str| column(name).and_then(|i| cells.get(i)).map(|c| c.to_string());
            Row {
                file: cell("file").expect("a file column"),
                format: cell("format"),
                model: cell("model").expect("a model column"),
                expected: cell("expected").expect("an expected column"),
                n_ops: cell("n_ops").and_then(|n| n.parse().ok()).expect("an n_ops column"),
            }
        })
        .collect()
}

fn expected_verdict(word: &str) -> Verdict {
    match word {
        "ok" | "valid" => Verdict::Linearizable,
        "illegal" | "invalid" => Verdict::NotLinearizable,
        other => panic!("unknown expected verdict {other:?}"),
    }
}

/// The tsv's model column starts with the model name: `kv (get/put/append, by key)`.
fn expected_model(cell: &str) -> ModelKind {
    let name = cell.split_whitespace().next().unwrap_or("");
    ModelKind::from_name(name).unwrap_or_else(|| panic!("unknown model {cell:?}"))
}

struct Check;

impl WithModel for Check {
    type Output = Verdict;
    fn run<M: Model>(self, model: M, history: History<M::Input, M::Output>) -> Verdict {
        check(&model, &history, &Options::default()).verdict
    }
}

/// Checks every row of `dir`'s expected.tsv whose file starts with `prefix`, reading failed
/// CASes the format's way or as `failed_cas`; returns a line per mismatch.
fn check_rows(dir: &str, prefix: &str, failed_cas: Option<FailedCas>) -> Vec<String> {
    let mut problems = Vec::new();
    for row in rows(dir).into_iter().filter(|row| row.file.starts_with(prefix)) {
        let path = Path::new(DATA).join(dir).join(&row.file);
        let raw = match parse_file(&path, None) {
            Ok(mut raw) => {
                raw.failed_cas = failed_cas.unwrap_or(raw.failed_cas);
                raw
            }
            Err(e) => {
                problems.push(format!("{}: {e}", row.file));
                continue;
            }
        };
        if let Some(format) = &row.format {
            if Format::from_name(format) != Some(raw.format) {
                problems.push(format!("{}: detected {} not {format}", row.file, raw.format));
            }
        }
        if raw.ops.len() + raw.failed != row.n_ops {
            let found = raw.ops.len() + raw.failed;
            problems.push(format!("{}: {found} operations, not {}", row.file, row.n_ops));
        }
        let model = expected_model(&row.model);
        match default_model(&raw) {
            Ok(inferred) if inferred == model => {}
            other => problems.push(format!("{}: default model {other:?}, not {model}", row.file)),
        }
        let want = expected_verdict(&row.expected);
        match with_model(&raw, model, Check) {
            Ok(verdict) if verdict == want => {}
            other => problems.push(format!("{}: {other:?}, expected {want}", row.file)),
        }
    }
    problems
}

/// Every data file, so a file added without an expected verdict is noticed.
fn data_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            data_files(&path, out);
        } else if !matches!(
            path.file_name().and_then(|n| n.to_str()),
            Some("README.md" | "expected.tsv")
        ) {
            out.push(path);
        }
    }
}

fn assert_all_listed(dir: &str) {
    let root = Path::new(DATA).join(dir);
    let listed: Vec<PathBuf> = rows(dir).iter().map(|row| root.join(&row.file)).collect();
    let mut files = Vec::new();
    data_files(&root, &mut files);
    let unlisted: Vec<&PathBuf> = files.iter().filter(|f| !listed.contains(f)).collect();
    assert!(unlisted.is_empty(), "data files missing from {dir}/expected.tsv: {unlisted:?}");
    assert!(!listed.is_empty(), "{dir}/expected.tsv lists no files");
}

#[test]
fn porcupine_files_get_their_expected_verdicts() {
    assert_all_listed("porcupine");
    let problems = check_rows("porcupine", "", None);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The register histories' verdicts do not depend on how a failed CAS reads: in these files
/// no failed CAS is the only witness of a violation. (Jepsen's etcd logs default to observed,
/// Knossos's EDN to dropped; each is checked here the other way too.)
#[test]
fn register_files_keep_their_verdicts_either_way_a_failed_cas_reads() {
    for policy in FailedCas::ALL {
        let mut problems = check_rows("porcupine", "etcd/", Some(policy));
        problems.extend(check_rows("knossos", "", Some(policy)));
        assert!(problems.is_empty(), "--failed-cas {}: {}", policy.name(), problems.join("\n"));
    }
}

#[test]
fn knossos_files_get_their_expected_verdicts() {
    assert_all_listed("knossos");
    let problems = check_rows("knossos", "", None);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
