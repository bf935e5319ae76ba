//! One run's outcome as a sweep summary needs it (scenario, seed, verdict, hash, what broke,
//! the replay command): made from a `Report`, or read back from a `--jsonl` line, so that
//! `sweep` and `sweep --merge` print failures and the "N passed, M failed" line from one code.
use serde_json::{json, Value};

use scenarios::Report;

/// What a sweep keeps of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub scenario: String,
    pub seed: u64,
    pub exit_code: u8,
    pub trace_hash: u64,
    pub virtual_time_ns: u64,
    pub events: u64,
    /// What broke and how, `None` for a pass.
    pub failure: Option<(String, String)>,
    pub replay: String,
}

impl Outcome {
    pub fn of(report: &Report) -> Outcome {
        Outcome {
            scenario: report.scenario.to_string(),
            seed: report.seed,
            exit_code: report.exit_code(),
            trace_hash: report.trace_hash,
            virtual_time_ns: report.virtual_time.as_nanos(),
            events: report.events,
            failure: report.failure.as_ref().map(|f| (f.broke.to_string(), f.message.clone())),
            replay: report.replay_command(),
        }
    }

    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// The `--jsonl` line: flat, every field always present (`null` when there is none).
    pub fn to_json(&self) -> Value {
        let (broke, message) = match &self.failure {
            Some((broke, message)) => (Some(broke), Some(message)),
            None => (None, None),
        };
        json!({
            "scenario": self.scenario,
            "seed": self.seed,
            "passed": self.passed(),
            "exit_code": self.exit_code,
            "trace_hash": format!("{:016x}", self.trace_hash),
            "virtual_time_ns": self.virtual_time_ns,
            "events": self.events,
            "broke": broke,
            "message": message,
            "replay": self.replay,
        })
    }

    /// Reads a `--jsonl` line back; the error names the field and what it should have been.
    pub fn from_json(value: &Value) -> Result<Outcome, String> {
        let failure = match (field(value, "broke")?, field(value, "message")?) {
            (Value::Null, Value::Null) => None,
            (Value::String(b), Value::String(m)) => Some((b.clone(), m.clone())),
            _ => return Err("`broke` and `message`: expected both strings or both null".into()),
        };
        let exit_code = u8::try_from(number(value, "exit_code")?)
            .map_err(|_| "`exit_code`: expected 0..=255".to_string())?;
        let hash = text(value, "trace_hash")?;
        let outcome = Outcome {
            scenario: text(value, "scenario")?.to_string(),
            seed: number(value, "seed")?,
            exit_code,
            trace_hash: u64::from_str_radix(hash, 16)
                .map_err(|_| format!("`trace_hash`: expected 16 hex digits, found `{hash}`"))?,
            virtual_time_ns: number(value, "virtual_time_ns")?,
            events: number(value, "events")?,
            failure,
            replay: text(value, "replay")?.to_string(),
        };
        // A line whose verdict and exit code disagree was not written by `sweep`.
        if outcome.passed() != (outcome.exit_code == 0) {
            return Err("`exit_code` is 0 exactly when `broke` is null: they disagree".into());
        }
        Ok(outcome)
    }
}

fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value, String> {
    value.get(name).ok_or_else(|| format!("missing field `{name}`"))
}

fn number(value: &Value, name: &str) -> Result<u64, String> {
    field(value, name)?.as_u64().ok_or_else(|| format!("`{name}`: expected a non-negative integer"))
}

fn text<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    field(value, name)?.as_str().ok_or_else(|| format!("`{name}`: expected a string"))
}

/// Prints each failure with its replay command, then "N passed, M failed"; returns the worst
/// exit code (0 when everything passed).
pub fn print_failures_and_count<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> u8 {
    let (mut passed, mut failed, mut code) = (0usize, 0usize, 0u8);
    for outcome in outcomes {
        let Some((broke, message)) = &outcome.failure else {
            passed += 1;
            continue;
        };
        failed += 1;
        code = code.max(outcome.exit_code);
        println!("FAIL {} seed {}: {broke}: {message}", outcome.scenario, outcome.seed);
        println!("  replay: {}", outcome.replay);
    }
    println!("{passed} passed, {failed} failed");
    code
}
