//! The ShiViz export (`scenarios::export::write_shiviz`): on hand-built traces its vector
//! clocks are exactly the ones the rules give (a delivery dominates its send, local events
//! count up, concurrent events stay incomparable, a duplicate or a message outliving its
//! sender carries its send's clock, a tester's fault orders the nodes it changes); on a real
//! KV run with partitions every event parses with ShiViz's regex and passes the checks
//! ShiViz makes when it builds its graph, and every delivery dominates a send of its message.
use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use scenarios::export::{write_shiviz, Counts, ShivizOptions, SHIVIZ_REGEX};
use scenarios::{catalog, Run};
use sim::{DropReason, NodeId, SimTime, TraceEvent, TraceRecord};

/// A tiny message for hand-built traces.
#[derive(Clone, Debug, Hash, PartialEq)]
struct Ping(&'static str);

impl fmt::Display for Ping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ping({})", self.0)
    }
}

impl sim::Message for Ping {
    fn size_bytes(&self) -> usize {
        self.0.len()
    }

    fn kind(&self) -> &'static str {
        "Ping"
    }
}

/// One parsed event: its text, host and vector clock.
#[derive(Debug)]
struct Entry {
    event: String,
    host: String,
    clock: BTreeMap<String, u64>,
}

impl Entry {
    fn at(&self, host: &str) -> u64 {
        self.clock.get(host).copied().unwrap_or(0)
    }

    /// Componentwise `self <= other`.
    fn le(&self, other: &Entry) -> bool {
        self.clock.iter().all(|(host, &time)| time <= other.at(host))
    }
}

/// Parses a ShiViz log as ShiViz's default regex `(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`
/// reads it, after the two header lines "Choose File" takes as regex and delimiter: every line
/// pair must match, host a token without spaces, clock a JSON object of integers.
fn parse(text: &str) -> Vec<Entry> {
    let mut lines = text.split('\n');
    assert_eq!(lines.next(), Some(SHIVIZ_REGEX), "the first line is the parser regex");
    assert_eq!(lines.next(), Some(""), "the second line is the (empty) delimiter");
    let lines: Vec<&str> = lines.collect();
    assert_eq!(lines.last(), Some(&""), "the log ends with a line break");
    let lines = &lines[..lines.len() - 1];
    assert_eq!(lines.len() % 2, 0, "two lines per event");
    lines
        .chunks(2)
        .map(|pair| {
            let (event, clock_line) = (pair[0], pair[1]);
            assert!(!event.contains('\r'), "{event:?}");
            let (host, clock) = clock_line.split_once(' ').expect("host, a space, the clock");
            assert!(!host.is_empty() && !host.contains(char::is_whitespace), "{clock_line}");
            assert!(clock.starts_with('{') && clock.ends_with('}'), "{clock_line}");
            let clock: BTreeMap<String, u64> = serde_json::from_str(clock)
                .unwrap_or_else(|e| panic!("clock of {event:?} is not JSON: {e}: {clock}"));
            Entry { event: event.to_string(), host: host.to_string(), clock }
        })
        .collect()
}

/// The checks ShiViz makes building its graph (`ModelGraph`), and consistency with the
/// order of the log: each host's own values run 1, 2, 3, ...; every component names a host
/// of the log and an event of it already written (so no clock depends on a later event);
/// zero components are left out; a host's clock never goes down.
fn check_shiviz_rules(entries: &[Entry]) {
    let mut written: BTreeMap<&str, u64> = BTreeMap::new();
    let mut last: BTreeMap<&str, &Entry> = BTreeMap::new();
    for entry in entries {
        let own = written.entry(&entry.host).or_default();
        *own += 1;
        assert_eq!(entry.at(&entry.host), *own, "own clock counts up by one: {entry:?}");
        for (host, &time) in &entry.clock {
            assert!(time > 0, "a zero component is written: {entry:?}");
            let seen = written.get(host.as_str()).copied().unwrap_or(0);
            assert!(time <= seen, "{entry:?} depends on {host}'s event {time}, not written yet");
        }
        if let Some(previous) = last.insert(&entry.host, entry) {
            assert!(previous.le(entry), "{entry:?} goes back from {previous:?}");
        }
    }
}

fn export(records: &[TraceRecord<Ping>], options: ShivizOptions) -> (Vec<Entry>, Counts) {
    let mut out = Vec::new();
    let counts = write_shiviz(records, &options, &mut out).expect("writes to a Vec");
    let text = String::from_utf8(out).expect("UTF-8");
    assert_eq!(counts.bytes, text.len() as u64);
    let entries = parse(&text);
    assert_eq!(counts.events, entries.len() as u64);
    check_shiviz_rules(&entries);
    (entries, counts)
}

fn at(ms: u64, event: TraceEvent<Ping>) -> TraceRecord<Ping> {
    TraceRecord { time: SimTime::from_millis(ms), event }
}

fn send(from: u32, to: u32, msg: &'static str) -> TraceEvent<Ping> {
    TraceEvent::Send { from: NodeId(from), to: NodeId(to), msg: Ping(msg), arrive: SimTime::ZERO }
}

fn deliver(from: u32, to: u32, msg: &'static str) -> TraceEvent<Ping> {
    TraceEvent::Deliver { from: NodeId(from), to: NodeId(to), msg: Ping(msg) }
}

fn start(node: u32) -> TraceEvent<Ping> {
    TraceEvent::Start { node: NodeId(node) }
}

/// The clock of each entry as `host=time` pairs, for exact comparisons.
fn clocks(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| {
            let parts: Vec<String> = e.clock.iter().map(|(h, t)| format!("{h}={t}")).collect();
            format!("{} {}", e.host, parts.join(","))
        })
        .collect()
}

#[test]
fn a_delivery_merges_its_send_and_local_events_count_up() {
    let records = [
        at(0, start(1)),
        at(0, start(2)),
        at(1, send(1, 2, "a")),
        at(2, TraceEvent::Crash { node: NodeId(2) }),
        at(3, TraceEvent::Restart { node: NodeId(2) }),
        at(4, deliver(1, 2, "a")),
    ];
    let (entries, counts) = export(&records, ShivizOptions::default());
    assert_eq!(
        clocks(&entries),
        ["n1 n1=1", "n2 n2=1", "n1 n1=2", "n2 n2=2", "n2 n2=3", "n2 n1=2,n2=4"]
    );
    assert_eq!(entries[2].event, "1ms n1->n2 send Ping(a) (due 0s)");
    assert_eq!(entries[5].event, "4ms n1->n2 deliver Ping(a)");
    assert!(entries[2].le(&entries[5]) && entries[5].at("n2") > entries[2].at("n2"));
    assert_eq!((counts.hosts, counts.messages, counts.unmatched), (2, 1, 0));
}

#[test]
fn sends_that_cross_stay_concurrent_until_delivered() {
    let records = [
        at(1, send(1, 2, "x")),
        at(1, send(2, 1, "y")),
        at(2, deliver(1, 2, "x")),
        at(3, deliver(2, 1, "y")),
    ];
    let (entries, _) = export(&records, ShivizOptions::default());
    let (x, y) = (&entries[0], &entries[1]);
    assert!(!x.le(y) && !y.le(x), "crossing sends are concurrent: {x:?} {y:?}");
    assert_eq!(clocks(&entries), ["n1 n1=1", "n2 n2=1", "n2 n1=1,n2=2", "n1 n1=2,n2=1"]);
    // Each delivery is concurrent with the other side's delivery.
    assert!(!entries[2].le(&entries[3]) && !entries[3].le(&entries[2]));
}

#[test]
fn a_duplicate_and_a_message_outliving_its_sender_carry_the_sends_clock() {
    let dup = TraceEvent::Duplicate {
        from: NodeId(1),
        to: NodeId(2),
        msg: Ping("d"),
        arrive: SimTime::ZERO,
    };
    let records = [
        at(1, send(1, 2, "d")),
        at(1, dup),
        at(2, TraceEvent::Crash { node: NodeId(1) }),
        at(3, deliver(1, 2, "d")),
        at(4, deliver(1, 2, "d")),
    ];
    let (entries, counts) = export(&records, ShivizOptions::default());
    // Both copies carry n1=1 (the send), not the duplicate's 2 or the crash's 3.
    assert_eq!(clocks(&entries), ["n1 n1=1", "n1 n1=2", "n1 n1=3", "n2 n1=1,n2=1", "n2 n1=1,n2=2"]);
    assert_eq!((counts.messages, counts.unmatched), (2, 0));
}

#[test]
fn a_drop_is_the_senders_local_event_and_ends_one_copy() {
    let drop = TraceEvent::Drop {
        from: NodeId(1),
        to: NodeId(2),
        msg: Ping("s"),
        reason: DropReason::Partitioned,
    };
    let records =
        [at(1, send(1, 2, "s")), at(2, send(1, 2, "s")), at(3, drop), at(4, deliver(1, 2, "s"))];
    let (entries, _) = export(&records, ShivizOptions::default());
    // The drop ends the oldest copy; the delivery merges the second send (n1=2).
    assert_eq!(clocks(&entries), ["n1 n1=1", "n1 n1=2", "n1 n1=3", "n2 n1=2,n2=1"]);
    assert_eq!(entries[2].event, "3ms n1->n2 drop(partitioned) Ping(s)");
}

#[test]
fn a_tester_fault_comes_after_what_it_saw_and_before_what_it_changed() {
    let partition = TraceEvent::Partition { groups: vec![vec![NodeId(1)], vec![NodeId(2)]] };
    let note = TraceEvent::Note { text: "isolate n1".into() };
    let records = [
        at(0, start(1)),
        at(0, start(2)),
        at(0, start(3)),
        at(1, note),
        at(2, partition),
        at(3, start(1)),
        at(3, start(3)),
    ];
    let (entries, counts) = export(&records, ShivizOptions::default());
    assert_eq!(
        clocks(&entries),
        [
            "n1 n1=1",
            "n2 n2=1",
            "n3 n3=1",
            "tester n1=1,n2=1,n3=1,tester=1",
            "tester n1=1,n2=1,n3=1,tester=2",
            // n1 is in the partition: its next event learns of it; n3 is not.
            "n1 n1=2,n2=1,n3=1,tester=2",
            "n3 n3=2",
        ]
    );
    assert_eq!(entries[3].event, "1ms note: isolate n1");
    assert_eq!(entries[4].event, "2ms partition [ n1 | n2 ]");
    assert_eq!(counts.hosts, 4);
}

#[test]
fn timers_are_left_out_unless_asked_for() {
    let timer = || {
        let mut records = sim_timer_records();
        records.insert(0, at(0, start(1)));
        records
    };
    let (entries, _) = export(&timer(), ShivizOptions::default());
    assert_eq!(clocks(&entries), ["n1 n1=1"]);
    let (entries, _) = export(&timer(), ShivizOptions { timers: true });
    assert_eq!(clocks(&entries), ["n1 n1=1", "n1 n1=2"]);
    assert!(entries[1].event.starts_with("5ms n1 timer "), "{}", entries[1].event);
}

/// A timer record, as the simulator makes them (`TimerId` has no public constructor).
fn sim_timer_records() -> Vec<TraceRecord<Ping>> {
    struct Ticker;
    impl sim::Node for Ticker {
        type Msg = Ping;
        type Durable = ();
        type Output = ();
        fn on_start(&mut self, ctx: &mut sim::Ctx<'_, Self>) {
            ctx.set_timer(std::time::Duration::from_millis(5), 0);
        }
        fn on_message(&mut self, _: &mut sim::Ctx<'_, Self>, _: NodeId, _: Ping) {}
        fn on_timer(&mut self, _: &mut sim::Ctx<'_, Self>, _: sim::TimerId, _: u64) {}
    }
    let mut sim = sim::Sim::with_config(sim::SimConfig::new(1));
    sim.add_node(NodeId(1), Ticker);
    sim.run_for(std::time::Duration::from_millis(10));
    sim.trace_records(100)
        .filter(|r| matches!(r.event, TraceEvent::Timer { .. }))
        .cloned()
        .collect()
}

#[test]
fn a_delivery_without_its_send_is_a_local_event() {
    let newline = TraceEvent::Note { text: "two\nlines".into() };
    let records = [at(1, deliver(1, 2, "lost")), at(2, newline)];
    let (entries, counts) = export(&records, ShivizOptions::default());
    assert_eq!(clocks(&entries), ["n2 n2=1", "tester n2=1,tester=1"]);
    assert_eq!(entries[1].event, "2ms note: two lines", "a line break stays on its line");
    assert_eq!((counts.messages, counts.unmatched), (0, 1));
}

#[test]
fn a_kv_run_with_partitions_exports_a_log_shiviz_accepts() {
    let scenario =
        catalog::find::<raft::RaftNode>("kv.partitions_many_clients").expect("in the catalog");
    let report = scenario.run(Run::new(7).timeline().tail(0));
    assert!(report.passed(), "{}", report.failure_text());
    let virtual_time = report.virtual_time;
    let records = report.timeline.expect("recorded").records().to_vec();
    #[allow(clippy::disallowed_methods)] // the host's time, outside any simulation
    let started = Instant::now();
    let mut out = Vec::new();
    let counts = write_shiviz(&records, &ShivizOptions::default(), &mut out).expect("writes");
    let took = started.elapsed();
    let text = String::from_utf8(out).expect("UTF-8");
    let entries = parse(&text);
    check_shiviz_rules(&entries);
    check_deliveries(&entries);
    assert!(counts.messages > 1000 && counts.unmatched == 0, "{counts:?}");
    assert!(entries.iter().any(|e| e.host == "tester" && e.event.contains("partition")));
    println!(
        "kv.partitions_many_clients seed 7 ({virtual_time}): {} records, {} events, {} hosts, {} messages, \
         {} bytes, export {took:?}",
        records.len(),
        counts.events,
        counts.hosts,
        counts.messages,
        counts.bytes
    );
}

/// Every delivery dominates an earlier send of the same message on the same link (found by
/// text, independently of how the export matched them), and is strictly later at the
/// receiver.
fn check_deliveries(entries: &[Entry]) {
    let mut sends: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut checked = 0;
    for (i, entry) in entries.iter().enumerate() {
        let Some((_, rest)) = entry.event.split_once(' ') else { continue };
        if let Some((link, msg)) = rest.split_once(" send ") {
            let msg = msg.rsplit_once(" (due ").map_or(msg, |(msg, _)| msg);
            sends.entry(format!("{link} {msg}")).or_default().push(i);
        } else if let Some((link, msg)) = rest.split_once(" deliver ") {
            let to = link.split_once("->").expect("from->to").1;
            let candidates = sends.get(&format!("{link} {msg}")).map_or(&[][..], Vec::as_slice);
            let matched = candidates
                .iter()
                .any(|&s| entries[s].le(entry) && entry.at(to) > entries[s].at(to));
            assert!(matched, "no send of {:?} is dominated by its delivery {entry:?}", entry.event);
            checked += 1;
        }
    }
    assert!(checked > 0);
}
