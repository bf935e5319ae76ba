//! The page's data: one JSON object built from a report and its timeline, in columns (one
//! array per field, times delta-encoded) so a run of tens of thousands of messages stays a
//! few megabytes. Every number in it comes from the run; the page's script only draws it.
use checker::models::Kv;
use checker::{Model, Outcome};
use raft::Role;
use sim::{NodeId, SimTime, TraceEvent};

use super::capture::{KvTimeline, Timeline};
use super::json::{deltas, list, numbers, strings, Object};
use super::linearization::Placed;
use super::membership::groups_over_time;
use super::messages::{pair, Fate};
use super::text::shorten;
use crate::report::Report;

/// Characters of an operation's description kept on the page (a read returns a whole value).
const OP_CHARS: usize = 96;

/// Characters of a narration line kept on the page.
const NOTE_CHARS: usize = 160;

/// The page's data for `report`, whose run recorded `timeline`.
pub fn page_data(report: &Report, timeline: &Timeline) -> String {
    let mut data = Object::new();
    summary(&mut data, report, timeline);
    data.raw("servers", &numbers(timeline.servers.iter().map(|id| i64::from(id.0))));
    data.raw("roles", &roles(timeline));
    data.raw("life", &life(timeline));
    data.raw("groups", &groups(timeline));
    data.raw("links", &links(timeline));
    data.raw("notes", &notes(timeline));
    data.raw("msgs", &messages(timeline));
    if let Some(kv) = &timeline.kv {
        data.raw("kv", &kv_data(kv));
    }
    data.finish()
}

/// Title, verdict, the run's figures and the replay command.
fn summary(data: &mut Object, report: &Report, timeline: &Timeline) {
    let bugs: String = report.bugs.iter().map(|bug| format!(" --bug {bug}")).collect();
    data.str("title", &format!("{} seed {}{bugs}", report.scenario, report.seed))
        .num("end", timeline.end.as_nanos() as i64)
        .num("events", report.events as i64)
        .str("hash", &format!("{:016x}", report.trace_hash))
        .str("replay", &report.replay_command())
        .str("faultMix", report.fault_mix.as_deref().unwrap_or(""))
        .raw("goals", &strings(report.goals.iter().map(String::as_str)));
    if let Some(failure) = &timeline.failure {
        let mut mark = Object::new();
        mark.str("kind", &failure.kind)
            .str("message", &failure.message)
            .num("at", failure.at.as_nanos() as i64)
            .num("op", failure.blocked_op.map_or(-1, |i| i as i64));
        data.raw("failure", &mark.finish());
    }
}

fn roles(timeline: &Timeline) -> String {
    let changes = &timeline.roles;
    let role = |r: Role| match r {
        Role::Follower => 0,
        Role::Candidate => 1,
        Role::Leader => 2,
    };
    Object::new()
        .raw("t", &deltas(changes.iter().map(|c| c.at.as_nanos())))
        .raw("n", &numbers(changes.iter().map(|c| i64::from(c.node.0))))
        .raw("r", &numbers(changes.iter().map(|c| role(c.role))))
        .raw("term", &numbers(changes.iter().map(|c| c.term.0 as i64)))
        .finish()
}

/// Starts, crashes and restarts of servers: `k` 0 start, 1 crash, 2 restart.
fn life(timeline: &Timeline) -> String {
    let events: Vec<(u64, NodeId, i64)> = timeline
        .records
        .iter()
        .filter_map(|r| match r.event {
            TraceEvent::Start { node } => Some((r.time.as_nanos(), node, 0)),
            TraceEvent::Crash { node } => Some((r.time.as_nanos(), node, 1)),
            TraceEvent::Restart { node } => Some((r.time.as_nanos(), node, 2)),
            _ => None,
        })
        .filter(|(_, node, _)| timeline.servers.contains(node))
        .collect();
    Object::new()
        .raw("t", &deltas(events.iter().map(|e| e.0)))
        .raw("n", &numbers(events.iter().map(|e| i64::from(e.1 .0))))
        .raw("k", &numbers(events.iter().map(|e| e.2)))
        .finish()
}

/// `[[t, [[ids], ...], [cut-off ids]], ...]`.
fn groups(timeline: &Timeline) -> String {
    let ids = |v: &[NodeId]| numbers(v.iter().map(|id| i64::from(id.0)));
    list(groups_over_time(&timeline.records, &timeline.servers).iter().map(|g| {
        let groups = list(g.groups.iter().map(|group| ids(group)));
        format!("[{},{groups},{}]", g.at.as_nanos(), ids(&g.cut_off))
    }))
}

/// One-way link changes `[[t, from, to, up], ...]` (partitions show as groups).
fn links(timeline: &Timeline) -> String {
    list(timeline.records.iter().filter_map(|r| match r.event {
        TraceEvent::Link { from, to, up } => {
            Some(format!("[{},{},{},{}]", r.time.as_nanos(), from.0, to.0, u8::from(up)))
        }
        _ => None,
    }))
}

/// The scenario's narration and network presets, in order.
fn notes(timeline: &Timeline) -> String {
    let notes: Vec<(u64, String)> = timeline
        .records
        .iter()
        .filter_map(|r| match &r.event {
            TraceEvent::Note { text } => Some((r.time.as_nanos(), shorten(text, NOTE_CHARS))),
            TraceEvent::Net { config } => {
                Some((r.time.as_nanos(), shorten(&format!("net {config}"), NOTE_CHARS)))
            }
            _ => None,
        })
        .collect();
    Object::new()
        .raw("t", &deltas(notes.iter().map(|n| n.0)))
        .raw("text", &strings(notes.iter().map(|n| n.1.as_str())))
        .finish()
}

/// Every message: `x` 0 delivered, 1 in flight at the end, 2+i dropped for `reasons[i]`;
/// `d` the time from its send to its fate.
fn messages(timeline: &Timeline) -> String {
    let messages = pair(&timeline.records);
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut reasons: Vec<String> = Vec::new();
    let mut kind_of = Vec::with_capacity(messages.len());
    let mut fate_of = Vec::with_capacity(messages.len());
    let mut took = Vec::with_capacity(messages.len());
    for m in &messages {
        let kind = kinds.iter().position(|k| *k == m.kind).unwrap_or_else(|| {
            kinds.push(m.kind);
            kinds.len() - 1
        });
        kind_of.push(kind as i64);
        let (fate, at) = match m.fate {
            Fate::Delivered(at) => (0, Some(at)),
            Fate::InFlight => (1, None),
            Fate::Dropped(at, reason) => {
                let name = reason.to_string();
                let i = reasons.iter().position(|r| *r == name).unwrap_or_else(|| {
                    reasons.push(name);
                    reasons.len() - 1
                });
                (2 + i as i64, Some(at))
            }
        };
        fate_of.push(fate);
        took.push(at.map_or(0, |at| (at.as_nanos() - m.sent.as_nanos()) as i64));
    }
    let copies = messages.iter().enumerate().filter(|(_, m)| m.copy).map(|(i, _)| i as i64);
    Object::new()
        .raw("kinds", &strings(kinds.iter().copied()))
        .raw("reasons", &strings(reasons.iter().map(String::as_str)))
        .raw("t", &deltas(messages.iter().map(|m| m.sent.as_nanos())))
        .raw("f", &numbers(messages.iter().map(|m| i64::from(m.from.0))))
        .raw("to", &numbers(messages.iter().map(|m| i64::from(m.to.0))))
        .raw("k", &numbers(kind_of))
        .raw("x", &numbers(fate_of))
        .raw("d", &numbers(took))
        .raw("dup", &numbers(copies))
        .raw("text", &strings(messages.iter().map(|m| m.text.as_str())))
        .finish()
}

/// Clerks, operations (in call order) with their linearization points and states, keys.
fn kv_data(kv: &KvTimeline) -> String {
    let ops = kv.history.to_checker();
    let places = &kv.linearization.places;
    let text: Vec<String> = ops
        .iter()
        .map(|op| {
            let output = match &op.outcome {
                Outcome::Returned { output, .. } => Some(output),
                Outcome::Unknown => None,
            };
            shorten(&Kv.describe_operation(&op.input, output), OP_CHARS)
        })
        .collect();
    // Points as offsets from the operation's call: short numbers, -1 for none.
    let offsets =
        |at: fn(&Placed) -> SimTime| {
            numbers(places.iter().zip(&ops).map(|(place, op)| {
                place.as_ref().map_or(-1, |p| (at(p).as_nanos() - op.call) as i64)
            }))
        };
    let clerks = list(kv.clerks.iter().map(|(client, node)| format!("[{},{}]", client.0, node.0)));
    let keys = list(kv.linearization.keys.iter().map(|key| {
        let mut out = String::from("[");
        super::json::string(&mut out, &key.label);
        out.push(',');
        super::json::string(&mut out, &key.verdict.to_string());
        out.push(']');
        out
    }));
    Object::new()
        .raw("clerks", &clerks)
        .raw("c", &numbers(ops.iter().map(|op| op.client.0 as i64)))
        .raw("call", &deltas(ops.iter().map(|op| op.call)))
        .raw(
            "ret",
            &numbers(ops.iter().map(|op| op.return_time().map_or(-1, |at| (at - op.call) as i64))),
        )
        .raw("lp", &offsets(|p| p.earliest))
        .raw("lq", &offsets(|p| p.latest))
        .raw(
            "state",
            &strings(places.iter().map(|p| p.as_ref().map_or("", |p| p.state_after.as_str()))),
        )
        .raw("text", &strings(text.iter().map(String::as_str)))
        .raw("keys", &keys)
        .raw("blocked", &numbers(kv.linearization.blocked.iter().map(|&i| i as i64)))
        .finish()
}
