//! What `tenrec shrink` says at the end, as text or as one JSON object: the failure kept, the
//! fault events (and client operations) before and after, the search's cost, the faults left,
//! the schedule file and its replay command.
use std::path::Path;
use std::time::Duration;

use scenarios::schedule::{Schedule, ShrunkFailure};

/// A finished shrink and where its schedule went.
pub struct Summary<'a> {
    pub name: &'a str,
    pub seed: u64,
    pub bugs: &'a [String],
    pub done: &'a ShrunkFailure,
    /// The seed's own schedule.
    pub original: &'a Schedule,
    pub out: &'a Path,
    pub replay: &'a str,
    pub elapsed: Duration,
}

impl Summary<'_> {
    pub fn print(&self) {
        let (shrunk, before, after) =
            (&self.done.shrunk, self.original, &self.done.shrunk.schedule);
        let bugs: String = self.bugs.iter().map(|b| format!(" --bug {b}")).collect();
        println!("shrunk {} seed {}{bugs}: {}", self.name, self.seed, shrunk.kind);
        println!(
            "  fault events {} -> {} (actions {} -> {}, message faults {} -> {})",
            before.fault_events(),
            after.fault_events(),
            before.applied_actions(),
            after.applied_actions(),
            before.net.faults(),
            after.net.faults()
        );
        if before.client_ops() > 0 {
            let (from, to) = (before.client_ops(), after.client_ops());
            println!("  client operations the workload may start {from} -> {to}");
        }
        println!(
            "  {} candidate runs ({} kept) in {:.1} s, stopped: {}",
            shrunk.runs,
            shrunk.accepted,
            self.elapsed.as_secs_f64(),
            shrunk.stop.as_str()
        );
        for action in after.actions.iter().filter(|a| !a.skipped) {
            println!("    {} {}", action.at, action.verb);
        }
        let still = self.done.replay.failure_text();
        println!("  still fails: {}", still.lines().next().unwrap_or(""));
        println!(
            "  schedule: {} (trace {:016x}, replayed twice to the same hash)",
            self.out.display(),
            after.trace_hash
        );
        println!("  replay: {}", self.replay);
    }

    pub fn json(&self) -> serde_json::Value {
        let shrunk = &self.done.shrunk;
        serde_json::json!({
            "scenario": self.name,
            "seed": self.seed,
            "bugs": self.bugs,
            "kind": shrunk.kind.name(),
            "broke": shrunk.kind.to_string(),
            "message": self.done.replay.failure.as_ref().map(|f| f.message.clone()),
            "before": counts(self.original),
            "after": counts(&shrunk.schedule),
            "runs": shrunk.runs,
            "accepted": shrunk.accepted,
            "stopped": shrunk.stop.as_str(),
            "seconds": self.elapsed.as_secs_f64(),
            "deterministic": self.done.deterministic,
            "schedule": self.out.display().to_string(),
            "replay": self.replay,
        })
    }
}

/// A schedule's sizes, the same fields before and after.
fn counts(s: &Schedule) -> serde_json::Value {
    serde_json::json!({
        "fault_events": s.fault_events(),
        "actions": s.applied_actions(),
        "message_faults": s.net.faults(),
        "messages": s.net.messages(),
        "client_ops": s.client_ops(),
        "trace_hash": format!("{:016x}", s.trace_hash),
    })
}
