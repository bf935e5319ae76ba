//! What `run` and `replay` run: a scenario, seed and switches from the command line, or from a
//! schedule file (whose values the command line may repeat but not contradict; `--bug` may
//! replace the file's switches, to replay a schedule against other code).
use std::path::Path;

use scenarios::schedule::Schedule;
use scenarios::Report;

/// The run a command line asks for.
pub struct Target {
    pub name: String,
    pub seed: u64,
    pub bugs: Vec<String>,
    pub schedule: Option<Schedule>,
}

impl Target {
    pub fn resolve(
        name: Option<&str>,
        seed: Option<u64>,
        bugs: &[String],
        schedule: Option<&Path>,
    ) -> Result<Target, String> {
        let Some(path) = schedule else {
            // clap requires both without --schedule.
            let name = name.ok_or("a scenario name is required")?.to_string();
            let seed = seed.ok_or("--seed is required")?;
            return Ok(Target { name, seed, bugs: bugs.to_vec(), schedule: None });
        };
        let file = Schedule::read(path).map_err(|e| e.to_string())?;
        if let Some(name) = name.filter(|n| *n != file.scenario) {
            return Err(format!(
                "{} is a schedule of {}, not of {name}",
                path.display(),
                file.scenario
            ));
        }
        if let Some(seed) = seed.filter(|s| *s != file.seed) {
            return Err(format!(
                "{} was recorded with seed {}, not {seed}",
                path.display(),
                file.seed
            ));
        }
        let bugs = if bugs.is_empty() { file.bugs.clone() } else { bugs.to_vec() };
        Ok(Target { name: file.scenario.clone(), seed: file.seed, bugs, schedule: Some(file) })
    }

    /// One line on whether the replay gave the recorded run back.
    pub fn say_how_the_replay_went(&self, schedule: &Schedule, report: &Report) {
        if report.trace_hash == schedule.trace_hash {
            eprintln!(
                "replayed the schedule: the same trace hash as recorded ({} fault events)",
                schedule.fault_events()
            );
        } else {
            eprintln!(
                "note: the schedule was recorded with trace {:016x}; this run's differs (other \
                 --bug switches or another build of the code under test)",
                schedule.trace_hash
            );
        }
    }
}
