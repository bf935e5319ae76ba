//! A run's trace as a ShiViz log (<https://bestchai.bitbucket.io/shiviz/>), the
//! space-time-diagram viewer for logs with vector clocks: two lines per event, the event's
//! text, then its process and vector clock as JSON, which is what ShiViz's default parser
//! regex [`SHIVIZ_REGEX`] reads.
//!
//! The file opens with that regex and an empty line because ShiViz's "Choose File" takes a
//! log's first line as the parser regex and its second as the multiple-executions delimiter
//! (empty: one execution), and shows the rest as the log. Pasted into the log box with the
//! default regex instead, the two lines match nothing and are ignored: neither is followed
//! by a `host {clock}` line. Event lines start with the virtual time (`1.234s`, no spaces)
//! and never with `{`, so no event line can be mistaken for a clock line either.
use std::io::{self, BufWriter, Write};

use sim::{Message, TraceRecord};

use super::causal::{Causality, Clock};

/// ShiViz's default log-parsing regex: the event text on one line, `host {clock}` on the next.
pub const SHIVIZ_REGEX: &str = r"(?<event>.*)\n(?<host>\S*) (?<clock>{.*})";

/// What the export includes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShivizOptions {
    /// Timer firings as local events. Off by default: election and heartbeat ticks are about
    /// half of a trace and draw nothing but dots on each line.
    pub timers: bool,
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Events written (two lines each).
    pub events: u64,
    /// Processes (ShiViz hosts): the nodes that had an event, and `tester` if it acted.
    pub hosts: usize,
    /// Deliveries drawn as messages (their send was in the records).
    pub messages: u64,
    /// Deliveries whose send the records did not hold (a trace kept from the middle of a
    /// run), drawn as local events of the receiver.
    pub unmatched: u64,
    /// Bytes written, the two header lines included.
    pub bytes: u64,
}

/// Writes `records` (oldest first) as a ShiViz log to `out` and says what it wrote. Open the
/// file in ShiViz with "Choose File": its first line is [`SHIVIZ_REGEX`]. `out` is buffered
/// here, so a bare `File` is fine.
///
/// Any run of consecutive records will do, not only a whole trace: a delivery whose send is
/// not among them is drawn as a local event of the receiver (and counted in
/// `Counts::unmatched`), so `&records[n..]` exports the end of a run that is too long for a
/// browser to draw.
///
/// ```
/// use scenarios::export::{write_shiviz, ShivizOptions};
/// use scenarios::{catalog, Run};
///
/// let scenario = catalog::find::<raft::RaftNode>("agree.basic_indices").expect("in the catalog");
/// let report = scenario.run(Run::new(42).timeline());
/// let records = report.timeline.expect("recorded").records().to_vec();
/// let mut log = Vec::new();
/// let counts = write_shiviz(&records, &ShivizOptions::default(), &mut log)?;
/// assert!(counts.messages > 0 && counts.unmatched == 0);
/// assert_eq!(counts.bytes, log.len() as u64);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_shiviz<'a, M: Message + 'a>(
    records: impl IntoIterator<Item = &'a TraceRecord<M>>,
    options: &ShivizOptions,
    out: &mut dyn Write,
) -> io::Result<Counts> {
    let mut out = Counting { inner: BufWriter::new(out), bytes: 0 };
    writeln!(out, "{SHIVIZ_REGEX}\n")?;
    let mut causality = Causality::new(options.timers);
    let mut events = 0;
    let mut entry = String::new();
    for record in records {
        let Some(p) = causality.step(record) else { continue };
        entry.clear();
        push_event_line(&mut entry, record);
        push_clock_line(&mut entry, &causality, p);
        out.write_all(entry.as_bytes())?;
        events += 1;
    }
    out.flush()?;
    let (messages, unmatched) = causality.deliveries();
    Ok(Counts { events, hosts: causality.processes(), messages, unmatched, bytes: out.bytes })
}

/// What ends a line for ShiViz's `.*` (a JavaScript regex): inside a message's text, each
/// would cut the event short, so it becomes a space.
const LINE_BREAKS: [char; 4] = ['\n', '\r', '\u{2028}', '\u{2029}'];

/// `<virtual time> <event>` on one line.
fn push_event_line<M: Message>(entry: &mut String, record: &TraceRecord<M>) {
    use std::fmt::Write as _;
    let start = entry.len();
    // Writing into a String cannot fail.
    let _ = write!(entry, "{} {}", record.time, record.event);
    if entry[start..].contains(LINE_BREAKS) {
        let line = entry[start..].replace(LINE_BREAKS, " ");
        entry.truncate(start);
        entry.push_str(&line);
    }
    entry.push('\n');
}

/// `<host> {"<host>": n, ...}`: only nonzero components, which always include the host's own
/// (ShiViz rejects a clock without it). Host names are `n<digits>` or `tester`, so the JSON
/// keys need no escaping.
fn push_clock_line(entry: &mut String, causality: &Causality, p: usize) {
    use std::fmt::Write as _;
    let clock: &Clock = causality.clock(p);
    let _ = write!(entry, "{} {{", causality.process(p));
    let mut first = true;
    for (q, &time) in clock.iter().enumerate().filter(|(_, &time)| time > 0) {
        let comma = if first { "" } else { "," };
        let _ = write!(entry, "{comma}\"{}\":{time}", causality.process(q));
        first = false;
    }
    entry.push_str("}\n");
}

/// Counts the bytes that pass through to `inner`.
struct Counting<W: Write> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
