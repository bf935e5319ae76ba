//! A schedule as a file: the run it came from (scenario, seed, switches, trace hash), its
//! fault actions in call order, each message lane's fates and each node's notice delays, as
//! JSON a person can read and edit. Reading is strict: unknown fields, a wrong format tag or
//! a malformed entry are errors naming the file, line and column.
use std::fmt;

use serde::{Deserialize, Serialize};
use sim::{Fate, Lane, NetSchedule, NodeId, SimTime};

use super::action::{Action, Verb};
use super::clients::ClientOps;

/// The format tag every schedule file starts with; a later incompatible format changes it.
pub const FORMAT: &str = "tenrec-schedule/1";

/// The largest schedule file read (the longest swarm runs write a few MB).
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Every fault decision of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub scenario: String,
    /// The seed the scenario's own pacing and workload, and the nodes' own randomness (their
    /// election timeouts), still come from: those are the scenario's and the implementation's
    /// business, not faults.
    pub seed: u64,
    /// `--bug` switches of the run.
    pub bugs: Vec<String>,
    /// The trace hash of the run that recorded this schedule: a replay gives it again.
    pub trace_hash: u64,
    pub actions: Vec<Action>,
    /// Operations each cuttable clerk started (see `clients.rs`).
    pub clients: Vec<ClientOps>,
    pub net: NetSchedule,
}

impl Schedule {
    /// Fault actions applied (not skipped).
    pub fn applied_actions(&self) -> usize {
        self.actions.iter().filter(|a| !a.skipped).count()
    }

    /// Client operations the schedule lets clerks start (the cuttable ones).
    pub fn client_ops(&self) -> u64 {
        self.clients.iter().map(|c| c.ops).sum()
    }

    /// Every fault event: applied actions, plus each loss, copy and extra delay of a message.
    pub fn fault_events(&self) -> usize {
        self.applied_actions() + self.net.faults()
    }

    pub fn to_json(&self) -> String {
        let file = FileJson::from(self);
        let mut text = serde_json::to_string_pretty(&file).expect("a schedule serializes");
        text.push('\n');
        text
    }

    /// Reads the schedule in file `path`, of at most [`MAX_FILE_BYTES`].
    pub fn read(path: &std::path::Path) -> Result<Schedule, ScheduleError> {
        let name = path.display().to_string();
        let whole =
            |message: String| ScheduleError { file: name.clone(), line: 0, column: 0, message };
        let size =
            std::fs::metadata(path).map_err(|e| whole(format!("cannot read it: {e}")))?.len();
        if size > MAX_FILE_BYTES {
            return Err(whole(format!(
                "{size} bytes is more than a schedule can be ({MAX_FILE_BYTES} bytes)"
            )));
        }
        let text =
            std::fs::read_to_string(path).map_err(|e| whole(format!("cannot read it: {e}")))?;
        Schedule::from_json(&text, &name)
    }

    /// Reads a schedule; `file` names it in errors.
    pub fn from_json(text: &str, file: &str) -> Result<Schedule, ScheduleError> {
        let parsed: FileJson = serde_json::from_str(text).map_err(|e| ScheduleError {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: cut(&e.to_string()),
        })?;
        parsed.into_schedule().map_err(|message| ScheduleError {
            file: file.to_string(),
            line: 0,
            column: 0,
            message: cut(&message),
        })
    }
}

/// A schedule file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    pub file: String,
    /// 0 when the error is about the content as a whole rather than one place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
        }
    }
}

/// Long messages (serde quotes the offending token) are cut, so an error stays one line.
fn cut(message: &str) -> String {
    const MAX: usize = 200;
    match message.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message.to_string(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    format: String,
    scenario: String,
    seed: u64,
    #[serde(default)]
    bugs: Vec<String>,
    /// Hex, as every command prints trace hashes.
    trace_hash: String,
    /// A count for a reader; recomputed from the content, never trusted on reading.
    #[serde(default)]
    fault_events: usize,
    actions: Vec<ActionJson>,
    #[serde(default)]
    clients: Vec<ClientJson>,
    lanes: Vec<LaneJson>,
    #[serde(default)]
    notices: Vec<NoticesJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionJson {
    verb: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    node: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<Vec<u32>>>,
    at_ns: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    skipped: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientJson {
    clerk: usize,
    ops: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LaneJson {
    from: u32,
    to: u32,
    kind: String,
    /// A plain number is a message delivered after that many nanoseconds, untouched by the
    /// fault model; anything else is an object.
    fates: Vec<FateJson>,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum FateJson {
    Plain(u64),
    Full(FullFateJson),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullFateJson {
    base: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    extra: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    lost: bool,
    /// A duplicate copy's [base, extra].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    copy: Option<[u64; 2]>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoticesJson {
    node: u32,
    delays: Vec<u64>,
}

impl From<&Schedule> for FileJson {
    fn from(s: &Schedule) -> FileJson {
        FileJson {
            format: FORMAT.to_string(),
            scenario: s.scenario.clone(),
            seed: s.seed,
            bugs: s.bugs.clone(),
            trace_hash: format!("{:016x}", s.trace_hash),
            fault_events: s.fault_events(),
            actions: s.actions.iter().map(action_json).collect(),
            clients: s.clients.iter().map(|c| ClientJson { clerk: c.clerk, ops: c.ops }).collect(),
            lanes: s
                .net
                .fates
                .iter()
                .map(|(lane, fates)| LaneJson {
                    from: lane.from.0,
                    to: lane.to.0,
                    kind: lane.kind.clone(),
                    fates: fates.iter().map(fate_json).collect(),
                })
                .collect(),
            notices: s
                .net
                .notices
                .iter()
                .map(|(node, delays)| NoticesJson { node: node.0, delays: delays.clone() })
                .collect(),
        }
    }
}

fn action_json(a: &Action) -> ActionJson {
    let mut json = ActionJson {
        verb: a.verb.name().to_string(),
        node: None,
        from: None,
        to: None,
        groups: None,
        at_ns: a.at.as_nanos(),
        skipped: a.skipped,
    };
    match &a.verb {
        Verb::Crash(id) | Verb::Restart(id) | Verb::Disconnect(id) => json.node = Some(id.0),
        Verb::Partition(groups) => {
            json.groups = Some(groups.iter().map(|g| g.iter().map(|id| id.0).collect()).collect())
        }
        Verb::LinkDown(from, to) => {
            json.from = Some(from.0);
            json.to = Some(to.0);
        }
    }
    json
}

fn fate_json(f: &Fate) -> FateJson {
    if f.is_fault() {
        FateJson::Full(FullFateJson {
            base: f.base,
            extra: f.extra,
            lost: f.lost,
            copy: f.copy.map(|(b, e)| [b, e]),
        })
    } else {
        FateJson::Plain(f.base)
    }
}

impl FileJson {
    fn into_schedule(self) -> Result<Schedule, String> {
        if self.format != FORMAT {
            return Err(format!("format is {:?}, expected {FORMAT:?}", cut(&self.format)));
        }
        let trace_hash = u64::from_str_radix(&self.trace_hash, 16)
            .map_err(|_| format!("trace_hash {:?} is not a hex number", cut(&self.trace_hash)))?;
        let actions = self
            .actions
            .into_iter()
            .enumerate()
            .map(|(i, a)| action(a).map_err(|e| format!("actions[{i}]: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut clients: Vec<ClientOps> = Vec::new();
        for (i, c) in self.clients.into_iter().enumerate() {
            if clients.iter().any(|o| o.clerk == c.clerk) {
                return Err(format!("clients[{i}] repeats clerk {}", c.clerk));
            }
            clients.push(ClientOps { clerk: c.clerk, ops: c.ops });
        }
        let mut net = NetSchedule::default();
        for (i, lane) in self.lanes.into_iter().enumerate() {
            let key = Lane { from: NodeId(lane.from), to: NodeId(lane.to), kind: lane.kind };
            let fates = lane.fates.into_iter().map(fate).collect();
            if net.fates.insert(key, fates).is_some() {
                return Err(format!("lanes[{i}] repeats an earlier lane"));
            }
        }
        for (i, n) in self.notices.into_iter().enumerate() {
            if net.notices.insert(NodeId(n.node), n.delays).is_some() {
                return Err(format!("notices[{i}] repeats node {}", n.node));
            }
        }
        Ok(Schedule {
            scenario: self.scenario,
            seed: self.seed,
            bugs: self.bugs,
            trace_hash,
            actions,
            clients,
            net,
        })
    }
}

fn action(a: ActionJson) -> Result<Action, String> {
    let node = |n: Option<u32>, field: &str| {
        n.map(NodeId).ok_or_else(|| format!("{} needs `{field}`", a.verb))
    };
    let verb = match a.verb.as_str() {
        "crash" => Verb::Crash(node(a.node, "node")?),
        "restart" => Verb::Restart(node(a.node, "node")?),
        "disconnect" => Verb::Disconnect(node(a.node, "node")?),
        "link_down" => Verb::LinkDown(node(a.from, "from")?, node(a.to, "to")?),
        "partition" => {
            let groups = a.groups.as_ref().ok_or("partition needs `groups`")?;
            Verb::Partition(
                groups.iter().map(|g| g.iter().map(|&id| NodeId(id)).collect()).collect(),
            )
        }
        other => {
            return Err(format!(
                "unknown verb {:?} (expected crash, restart, disconnect, partition or link_down)",
                cut(other)
            ))
        }
    };
    Ok(Action { verb, at: SimTime::from_nanos(a.at_ns), skipped: a.skipped })
}

fn fate(f: FateJson) -> Fate {
    match f {
        FateJson::Plain(base) => Fate { base, ..Fate::default() },
        FateJson::Full(f) => {
            Fate { lost: f.lost, base: f.base, extra: f.extra, copy: f.copy.map(|[b, e]| (b, e)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Schedule {
        let mut net = NetSchedule::default();
        let lane = Lane { from: NodeId(0), to: NodeId(1), kind: "Append".into() };
        net.fates.insert(
            lane,
            vec![
                Fate { base: 1_500_000, ..Fate::default() },
                Fate { lost: true, base: 2_000_000, extra: 7, copy: None },
                Fate { lost: false, base: 1, extra: 0, copy: Some((3, 4)) },
            ],
        );
        net.notices.insert(NodeId(2), vec![5, 6]);
        let actions = vec![
            Action { verb: Verb::Crash(NodeId(2)), at: SimTime::from_millis(3), skipped: false },
            Action {
                verb: Verb::Partition(vec![vec![NodeId(0)], vec![NodeId(1), NodeId(2)]]),
                at: SimTime::from_millis(4),
                skipped: true,
            },
            Action {
                verb: Verb::LinkDown(NodeId(1), NodeId(0)),
                at: SimTime::from_millis(5),
                skipped: false,
            },
        ];
        Schedule {
            scenario: "swarm.raft".into(),
            seed: 7,
            bugs: vec!["block_on_slow_peer".into()],
            trace_hash: 0xdead_beef,
            actions,
            clients: vec![ClientOps { clerk: 1, ops: 40 }],
            net,
        }
    }

    #[test]
    fn a_schedule_survives_its_file() {
        let s = sample();
        assert_eq!(s.fault_events(), 2 + 3);
        let text = s.to_json();
        assert_eq!(Schedule::from_json(&text, "s.json").unwrap(), s);
    }

    #[test]
    fn bad_files_say_where_and_what() {
        let text = sample().to_json();
        let e =
            Schedule::from_json(&text.replace("\"crash\"", "\"explode\""), "s.json").unwrap_err();
        assert!(e.to_string().starts_with("s.json: actions[0]: unknown verb"), "{e}");
        let e = Schedule::from_json(&text.replace("tenrec-schedule/1", "x"), "s.json").unwrap_err();
        assert!(e.message.contains("expected \"tenrec-schedule/1\""), "{e}");
        let e = Schedule::from_json(&text.replace("\"seed\"", "\"sede\""), "s.json").unwrap_err();
        assert!(e.line > 1 && e.message.contains("unknown field"), "{e}");
        let long = format!("\"{}\"", "z".repeat(10_000));
        let e = Schedule::from_json(&text.replace("\"explode\"", &long), "s.json");
        assert!(e.is_ok() || e.unwrap_err().message.len() < 300);
        let e = Schedule::from_json(&text.replacen("\"Append\"", &long, 1), "s.json").unwrap();
        assert_eq!(e.net.fates.len(), 1, "a long kind is a kind like any other");
        let e = Schedule::from_json(&text.replace("\"crash\"", &long), "s.json").unwrap_err();
        assert!(e.message.len() < 300, "{e}");
        assert!(Schedule::from_json("{", "s.json")
            .unwrap_err()
            .to_string()
            .starts_with("s.json:1:"));
    }

    #[test]
    fn an_oversized_file_is_refused_before_it_is_read() {
        let path = std::env::temp_dir().join(format!("tenrec-huge-{}.json", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: nothing is written
        let e = Schedule::read(&path).unwrap_err();
        let _ = std::fs::remove_file(&path);
        assert!(e.message.contains("more than a schedule can be"), "{e}");
        let missing = Schedule::read(std::path::Path::new("/no/such/schedule.json")).unwrap_err();
        assert!(missing.to_string().starts_with("/no/such/schedule.json: cannot read it"));
    }
}
