//! The files a run can leave behind, for `run`, `replay` and `shrink` alike: its timeline page
//! (`--html`), its trace for ShiViz (`--shiviz`) and its fault schedule (`--save-schedule`).
//! Each path is checked before the run, so a verdict is never lost to an unwritable file at
//! the end; each is written after the verdict is printed.
use std::path::PathBuf;
use std::process::ExitCode;

use scenarios::export::{write_shiviz, ShivizOptions};
use scenarios::flags::check_writable_file;
use scenarios::{Report, Run};

#[derive(clap::Args, Clone, Debug, Default)]
pub struct OutputArgs {
    /// Write the run's timeline as a self-contained HTML page: each server's role and term
    /// over virtual time, crashes, partitions, client operations with their linearization
    /// points (KV), the failure at its time, and messages on demand. Passed or failed.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// Write the run's trace as a ShiViz log (vector clocks per event; docs/shiviz.md).
    #[arg(long, value_name = "OUT.log")]
    pub shiviz: Option<PathBuf>,
    /// Write the run's fault schedule (every message's fate, every fault action) as JSON,
    /// for `tenrec replay --schedule`.
    #[arg(long, value_name = "FILE.json")]
    pub save_schedule: Option<PathBuf>,
}

impl OutputArgs {
    /// Fails (exit 1) if any asked-for file cannot be written.
    pub fn check(&self) -> Result<(), ExitCode> {
        let files = [("--html", &self.html), ("--shiviz", &self.shiviz)];
        let files = files.into_iter().chain([("--save-schedule", &self.save_schedule)]);
        for (flag, path) in files {
            if let Some(path) = path {
                if let Err(e) = check_writable_file(path) {
                    eprintln!("error: {flag}: {e}");
                    return Err(ExitCode::from(1));
                }
            }
        }
        Ok(())
    }

    /// `run`, asked to record what the files need.
    pub fn prepare(&self, mut run: Run) -> Run {
        if self.html.is_some() || self.shiviz.is_some() {
            run = run.timeline();
        }
        if self.save_schedule.is_some() {
            run = run.record_schedule();
        }
        run
    }

    /// Writes the asked-for files from `report`, saying what each holds; `replay` is the
    /// command the page prints.
    pub fn write(&self, report: &Report, replay: &str) -> Result<(), ExitCode> {
        let failed = |path: &PathBuf, e: &dyn std::fmt::Display| {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(1)
        };
        if let (Some(path), Some(schedule)) = (&self.save_schedule, &report.schedule) {
            std::fs::write(path, schedule.to_json()).map_err(|e| failed(path, &e))?;
            eprintln!(
                "wrote {} ({} fault events: {} actions, {} message faults over {} messages)",
                path.display(),
                schedule.fault_events(),
                schedule.applied_actions(),
                schedule.net.faults(),
                schedule.net.messages()
            );
        }
        if let Some(path) = &self.html {
            scenarios::timeline::write_html_replaying(report, path, replay)
                .map_err(|e| failed(path, &e))?;
            let records = report.timeline.as_ref().map_or(0, |t| t.records().len());
            let operations = report.kv.map_or(0, |kv| kv.operations);
            eprintln!(
                "wrote {} ({records} trace records, {operations} operations)",
                path.display()
            );
        }
        if let Some(path) = &self.shiviz {
            let records = report.timeline.as_ref().map(|t| t.records()).unwrap_or_default();
            let written = std::fs::File::create(path)
                .and_then(|mut file| write_shiviz(records, &ShivizOptions::default(), &mut file));
            let counts = written.map_err(|e| failed(path, &e))?;
            eprintln!(
                "wrote {} ({} events on {} hosts, {} messages; open it in ShiViz, docs/shiviz.md)",
                path.display(),
                counts.events,
                counts.hosts,
                counts.messages
            );
        }
        Ok(())
    }
}
