//! Delta debugging over a failing run's schedule (Zeller and Hildebrandt's ddmin, on fault
//! events): try the schedule without a chunk of its faults; when the run still fails the same
//! way, keep the schedule that run recorded and go on from there; when no chunk of a size can
//! go, halve the size; stop when no single fault can go, or the budget is spent.
//!
//! Deterministic: candidates are tried in a fixed order and every run is a pure function of
//! its schedule, so the same failure shrinks to the same schedule on every machine (unless
//! the caller stops it early by wall time).
//!
//! A fault event is an applied fault action (crash, restart of a live server, disconnect,
//! partition, cut link) or a message fault (a loss, a duplicate copy, an extra delay).
//! Removing one means skipping the action, delivering the message, dropping the copy or
//! cutting the delay to the link's own latency. A partition of three or more groups can also
//! shrink by merging two of its groups, and a clerk whose workload the scenario lets be cut
//! short by starting half as many operations.
use sim::Lane;

use super::action::Verb;
use super::file::Schedule;
use super::kind::FailureKind;
use crate::failure::Broke;

/// One fault event a candidate may remove.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Atom {
    /// Skip the applied action at this position.
    Action(usize),
    /// Merge groups `g` and `g + 1` of the partition at this position.
    Merge(usize, usize),
    /// Deliver the message at this position of the lane.
    Loss(Lane, usize),
    /// Drop its duplicate copy.
    Copy(Lane, usize),
    /// Cut its extra delay.
    Delay(Lane, usize),
    /// Halve the operations the clerk at this position of `clients` may start.
    Clients(usize),
}

/// Bounds of a shrink; the caller's `keep_going` may stop it earlier (wall time).
#[derive(Clone, Copy, Debug)]
pub struct ShrinkOptions {
    /// Candidate runs at most.
    pub max_runs: usize,
}

impl Default for ShrinkOptions {
    fn default() -> Self {
        ShrinkOptions { max_runs: 2_000 }
    }
}

/// Where a shrink is, for a progress bar.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub runs: usize,
    /// Candidates that still failed the same way (each made the schedule smaller).
    pub accepted: usize,
    pub fault_events: usize,
    pub original_events: usize,
    /// How many fault events the current candidates remove at once.
    pub chunk: usize,
}

/// Why a shrink stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// No single fault event can be removed: the schedule is 1-minimal.
    Minimal,
    /// `max_runs` candidates were run.
    Runs,
    /// The caller stopped it (its time limit).
    Caller,
}

impl Stop {
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::Minimal => "minimal",
            Stop::Runs => "run budget",
            Stop::Caller => "time limit",
        }
    }
}

/// The outcome of a shrink.
#[derive(Clone, Debug)]
pub struct Shrunk {
    pub kind: FailureKind,
    pub original_events: usize,
    /// The smallest schedule found, as its own failing run recorded it (so it replays to its
    /// `trace_hash`).
    pub schedule: Schedule,
    pub runs: usize,
    pub accepted: usize,
    pub stop: Stop,
}

/// Shrinks `original` (recorded from a run that failed with `kind`). `run` runs a candidate
/// schedule and returns what broke and the schedule that run recorded; `keep_going` sees the
/// progress before every candidate and may stop the search.
pub fn shrink(
    original: Schedule,
    kind: FailureKind,
    options: ShrinkOptions,
    run: &mut dyn FnMut(&Schedule) -> (Option<Broke>, Schedule),
    keep_going: &mut dyn FnMut(&Progress) -> bool,
) -> Shrunk {
    let original_events = original.fault_events();
    let mut best = original;
    let mut progress =
        Progress { runs: 0, accepted: 0, fault_events: original_events, original_events, chunk: 0 };
    let mut chunk = atoms(&best).len().div_ceil(2).max(1);
    let stop = 'search: loop {
        let mut list = atoms(&best);
        if list.is_empty() {
            break Stop::Minimal;
        }
        chunk = chunk.min(list.len());
        let mut start = 0;
        let mut removed_any = false;
        while start < list.len() {
            progress.chunk = chunk;
            if progress.runs >= options.max_runs {
                break 'search Stop::Runs;
            }
            if !keep_going(&progress) {
                break 'search Stop::Caller;
            }
            let end = (start + chunk).min(list.len());
            let candidate = without(&best, &list[start..end]);
            progress.runs += 1;
            let (broke, recorded) = run(&candidate);
            // Strictly smaller, or a run that diverged into as many new faults would loop.
            if kind.matches(broke) && weight(&recorded) < weight(&best) {
                best = recorded;
                progress.accepted += 1;
                progress.fault_events = best.fault_events();
                removed_any = true;
                list = atoms(&best);
            } else {
                start = end;
            }
        }
        if !removed_any {
            if chunk == 1 {
                break Stop::Minimal;
            }
            chunk = chunk.div_ceil(2);
        }
    };
    Shrunk {
        kind,
        original_events,
        schedule: best,
        runs: progress.runs,
        accepted: progress.accepted,
        stop,
    }
}

/// How big a schedule is: its fault events, then the groups of its applied partitions (a
/// merge keeps the event but makes it simpler), then its client operations.
fn weight(s: &Schedule) -> (usize, usize, u64) {
    let groups = s
        .actions
        .iter()
        .filter(|a| !a.skipped)
        .map(|a| if let Verb::Partition(g) = &a.verb { g.len() } else { 0 })
        .sum();
    (s.fault_events(), groups, s.client_ops())
}

/// The fault events of a schedule, actions first (in call order), then each lane's message
/// faults in send order.
pub fn atoms(schedule: &Schedule) -> Vec<Atom> {
    let mut atoms = Vec::new();
    for (i, action) in schedule.actions.iter().enumerate() {
        if action.skipped {
            continue;
        }
        atoms.push(Atom::Action(i));
        // Merging the two groups of a two-way split heals it: skipping the action does that.
        if let Verb::Partition(groups) = &action.verb {
            if groups.len() >= 3 {
                atoms.extend((0..groups.len() - 1).map(|g| Atom::Merge(i, g)));
            }
        }
    }
    atoms.extend(
        (0..schedule.clients.len()).filter(|&i| schedule.clients[i].ops > 0).map(Atom::Clients),
    );
    for (lane, fates) in &schedule.net.fates {
        for (i, fate) in fates.iter().enumerate() {
            if fate.lost {
                atoms.push(Atom::Loss(lane.clone(), i));
            }
            if fate.copy.is_some() {
                atoms.push(Atom::Copy(lane.clone(), i));
            }
            if fate.extra > 0 {
                atoms.push(Atom::Delay(lane.clone(), i));
            }
        }
    }
    atoms
}

/// `schedule` without the fault events `remove`.
fn without(schedule: &Schedule, remove: &[Atom]) -> Schedule {
    let mut s = schedule.clone();
    // Merges first, by descending group, so an earlier merge does not renumber a later one;
    // a skip of the same action wins anyway.
    let mut merges: Vec<(usize, usize)> = remove
        .iter()
        .filter_map(|a| if let Atom::Merge(i, g) = a { Some((*i, *g)) } else { None })
        .collect();
    merges.sort_by(|a, b| b.cmp(a));
    for (i, g) in merges {
        if let Verb::Partition(groups) = &mut s.actions[i].verb {
            if g + 1 < groups.len() {
                let next = groups.remove(g + 1);
                groups[g].extend(next);
            }
        }
    }
    for atom in remove {
        match atom {
            Atom::Action(i) => s.actions[*i].skipped = true,
            Atom::Merge(..) => {}
            Atom::Loss(lane, i) => fate(&mut s, lane, *i).lost = false,
            Atom::Copy(lane, i) => fate(&mut s, lane, *i).copy = None,
            Atom::Delay(lane, i) => fate(&mut s, lane, *i).extra = 0,
            Atom::Clients(i) => s.clients[*i].ops /= 2,
        }
    }
    s
}

fn fate<'a>(s: &'a mut Schedule, lane: &Lane, i: usize) -> &'a mut sim::Fate {
    &mut s.net.fates.get_mut(lane).expect("an atom names a lane of its schedule")[i]
}

#[cfg(test)]
mod tests {
    use sim::{Fate, NetSchedule, NodeId, SimTime};

    use super::*;
    use crate::schedule::Action;

    /// A schedule of `n` lost messages on one lane and one partition of three groups.
    fn schedule(n: usize) -> Schedule {
        let mut net = NetSchedule::default();
        let lane = Lane { from: NodeId(0), to: NodeId(1), kind: "M".into() };
        net.fates.insert(lane, vec![Fate { lost: true, base: 1, ..Fate::default() }; n]);
        let groups = vec![vec![NodeId(0)], vec![NodeId(1)], vec![NodeId(2)]];
        let at = SimTime::ZERO;
        Schedule {
            scenario: "t".into(),
            seed: 0,
            bugs: vec![],
            trace_hash: 0,
            actions: vec![Action { verb: Verb::Partition(groups), at, skipped: false }],
            clients: vec![],
            net,
        }
    }

    /// A "run" that fails while losses 3 and 17 are both in, and nodes 0 and 1 are apart.
    fn fails(s: &Schedule) -> (Option<Broke>, Schedule) {
        let fates = s.net.fates.values().next().unwrap();
        let apart = match &s.actions[0] {
            a if a.skipped => false,
            Action { verb: Verb::Partition(g), .. } => {
                !g.iter().any(|g| g.len() > 1 && g[0].0 == 0)
            }
            _ => unreachable!(),
        };
        let broke = (fates[3].lost && fates[17].lost && apart).then_some(Broke::Liveness);
        (broke, s.clone())
    }

    #[test]
    fn shrinks_to_the_faults_that_matter() {
        let kind = FailureKind(Broke::Liveness);
        let shrunk =
            shrink(schedule(100), kind, ShrinkOptions::default(), &mut fails, &mut |_| true);
        assert_eq!(shrunk.stop, Stop::Minimal);
        assert_eq!(shrunk.original_events, 101);
        let lost: Vec<usize> = shrunk
            .schedule
            .net
            .fates
            .values()
            .next()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.lost)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(lost, vec![3, 17]);
        // The partition stays, with 1 and 2 merged (0 must stay apart from 1).
        let expected = vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]];
        assert_eq!(shrunk.schedule.actions[0].verb, Verb::Partition(expected));
        assert_eq!(shrunk.schedule.fault_events(), 3);
        assert!(shrunk.runs < 100, "ddmin, not one by one: {} runs", shrunk.runs);
    }

    #[test]
    fn budgets_stop_it_with_the_best_so_far() {
        let kind = FailureKind(Broke::Liveness);
        let options = ShrinkOptions { max_runs: 3 };
        let shrunk = shrink(schedule(100), kind, options, &mut fails, &mut |_| true);
        assert_eq!((shrunk.stop, shrunk.runs), (Stop::Runs, 3));
        assert!(kind.matches(fails(&shrunk.schedule).0));
        let shrunk =
            shrink(schedule(100), kind, ShrinkOptions::default(), &mut fails, &mut |p| p.runs < 5);
        assert_eq!((shrunk.stop, shrunk.runs), (Stop::Caller, 5));
    }
}
