//! The outcome of one run as structured facts: the verdict and what broke, the trace hash,
//! virtual time and event count, the fault mix a swarm scenario drew, the KV history's size
//! and what checking it cost; and the forms a person reads (the failure report of DESIGN.md
//! with its replay command, the HTML timeline of a KV run). Tests read the fields, never the
//! trace text.
use sim::SimTime;

use crate::failure::{Broke, Failure};
use crate::kv::{html_report, CheckCost, KvHistory};
use crate::schedule::Schedule;
use crate::timeline::Timeline;

/// What a KV run's history came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KvFacts {
    /// Clerk operations recorded (returned or still open at the end).
    pub operations: usize,
    /// What the linearizability checks cost.
    pub check: CheckCost,
}

/// The outcome of one run.
#[derive(Clone, Debug)]
pub struct Report {
    pub scenario: &'static str,
    pub seed: u64,
    /// What broke, if anything (`failure.broke` is the kind: invariant, liveness, ...).
    pub failure: Option<Failure>,
    pub trace_hash: u64,
    pub virtual_time: SimTime,
    pub events: u64,
    /// The last trace records (empty when the trace ring was off).
    pub trace_tail: Vec<String>,
    /// `--bug` switches the run used (Raft's and kv's), for the replay command.
    pub bugs: Vec<&'static str>,
    /// The fault mix the scenario drew from its seed (swarm scenarios).
    pub fault_mix: Option<String>,
    /// The goals the story reached (each proves a fault really happened), in order.
    pub goals: Vec<String>,
    /// The client history's size and checking cost (KV scenarios).
    pub kv: Option<KvFacts>,
    /// The client history itself, when the run was asked to keep it.
    pub history: Option<KvHistory>,
    /// The run's fault schedule, when the run was asked to record it.
    pub schedule: Option<Schedule>,
    /// The whole run for its timeline page (`timeline::write_html`) and other exports, when
    /// the run was asked to record it (`Run::timeline`).
    pub timeline: Option<Timeline>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// What broke, if anything.
    pub fn broke(&self) -> Option<Broke> {
        self.failure.as_ref().map(|f| f.broke)
    }

    /// 0 on success, else the failure's exit code.
    pub fn exit_code(&self) -> u8 {
        self.failure.as_ref().map_or(0, |f| f.broke.exit_code())
    }

    /// The exact one-line command that replays this run.
    pub fn replay_command(&self) -> String {
        let mut line = format!(
            "cargo run --release -p scenarios --bin tenrec -- run {} --seed {}",
            self.scenario, self.seed
        );
        for bug in &self.bugs {
            line.push_str(&format!(" --bug {bug}"));
        }
        // A history that cannot be linearized reads best as a timeline (KV scenarios only).
        if self.broke() == Some(Broke::NotLinearizable) {
            line.push_str(" --html out.html");
        }
        line
    }

    /// The failure report of DESIGN.md: scenario, seed, what broke, trace tail, replay.
    pub fn failure_text(&self) -> String {
        let mut text = self.failure_text_replaying(&self.replay_command());
        if !text.is_empty() {
            text.push_str(&format!("  shrink its faults: {}\n", self.shrink_command()));
        }
        text
    }

    /// The command that shrinks this failure's fault schedule (docs/shrinking.md).
    pub fn shrink_command(&self) -> String {
        let mut line = format!(
            "cargo run --release -p scenarios --bin tenrec -- shrink {} --seed {}",
            self.scenario, self.seed
        );
        for bug in &self.bugs {
            line.push_str(&format!(" --bug {bug}"));
        }
        line.push_str(" --html shrunk.html");
        line
    }

    /// The failure report with another replay command (a lab test's, which reruns the
    /// student's own code).
    pub fn failure_text_replaying(&self, replay: &str) -> String {
        let Some(failure) = &self.failure else { return String::new() };
        let mut text = format!(
            "FAIL {} seed {} at {} (event {})\n  what broke: {}\n",
            self.scenario, self.seed, self.virtual_time, self.events, failure
        );
        if let Some(mix) = &self.fault_mix {
            text.push_str(&format!("  fault mix: {mix}\n"));
        }
        if !self.trace_tail.is_empty() {
            text.push_str(&format!("  last {} events:\n", self.trace_tail.len()));
            for line in &self.trace_tail {
                text.push_str(&format!("    {line}\n"));
            }
        }
        text.push_str(&format!("  trace hash: {:016x}\n", self.trace_hash));
        text.push_str(&format!("  replay: {replay}\n"));
        text
    }

    /// The HTML report of a KV run's history (`None` if the run kept none): the timeline,
    /// titled with the scenario, seed and switches, with the run's own verdict and replay
    /// command on top (a run can fail on other checks while its history is linearizable, or
    /// the other way round).
    pub fn html(&self) -> Option<String> {
        self.html_replaying(&self.replay_command())
    }

    /// The HTML report with another replay command (a lab test's).
    pub fn html_replaying(&self, replay: &str) -> Option<String> {
        let history = self.history.as_ref()?;
        let bugs: String = self.bugs.iter().map(|bug| format!(" --bug {bug}")).collect();
        let title = format!("{} seed {}{bugs}", self.scenario, self.seed);
        let run = match &self.failure {
            None => "PASS".to_string(),
            // The first line: the explanation's details are what the sections below draw.
            Some(failure) => {
                let first = failure.message.lines().next().unwrap_or_default();
                format!("FAIL ({}): {first}", failure.broke)
            }
        };
        let notes = vec![
            ("run".to_string(), run),
            (
                "virtual time".to_string(),
                format!(
                    "{} ({} events, trace {:016x})",
                    self.virtual_time, self.events, self.trace_hash
                ),
            ),
            ("replay".to_string(), replay.to_string()),
        ];
        Some(html_report(history, &title, notes))
    }
}
