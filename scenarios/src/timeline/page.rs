//! The timeline as one self-contained HTML page (inline CSS and script, nothing fetched): the
//! run's summary and failure written here, escaped; the lanes drawn by the script from the
//! page data in a `<script type="application/json">` element. `write_html` is what every
//! command with `--html` calls (`run`, `replay`, and `shrink` for its shrunk run).
use std::fmt::Write as _;
use std::io;
use std::path::Path;

use checker::report::escape;

use super::capture::Timeline;
use super::page_data::page_data;
use crate::report::Report;

const CSS: &str = include_str!("assets/timeline.css");
const SCRIPT: &str = include_str!("assets/timeline.js");

/// The page of `report`'s run, or `None` if the run recorded no timeline (`Run::timeline`).
pub fn html(report: &Report) -> Option<String> {
    html_replaying(report, &report.replay_command())
}

/// The page with another replay command (a schedule's, a lab test's).
pub fn html_replaying(report: &Report, replay: &str) -> Option<String> {
    let timeline = report.timeline.as_ref()?;
    let data = page_data(report, timeline);
    let mut out = String::with_capacity(data.len() + CSS.len() + SCRIPT.len() + 8192);
    let title = escape(&format!("tenrec timeline: {} seed {}", report.scenario, report.seed));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{CSS}</style></head><body data-ready=\"no\">"
    );
    header(&mut out, report, timeline, replay);
    out.push_str(CONTROLS);
    out.push_str(
        "<div id=\"wrap\"><svg id=\"lanes\"></svg></div>\
         <div id=\"tip\" class=\"hidden\"></div>",
    );
    out.push_str(LEGEND);
    out.push_str("<section class=\"below\"><h2>Story</h2><ol id=\"story\"></ol>");
    goals(&mut out, report);
    out.push_str("</section>");
    let _ = writeln!(
        out,
        "<script id=\"data\" type=\"application/json\">{data}</script><script>{SCRIPT}</script>\
         </body></html>"
    );
    Some(out)
}

/// Writes the page of `report`'s run to `path`; an error if the run recorded no timeline.
pub fn write_html(report: &Report, path: &Path) -> io::Result<()> {
    write_html_replaying(report, path, &report.replay_command())
}

/// `write_html` with another replay command.
pub fn write_html_replaying(report: &Report, path: &Path, replay: &str) -> io::Result<()> {
    let page = html_replaying(report, replay).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "the run recorded no timeline (run it with `Run::timeline()`)",
        )
    })?;
    std::fs::write(path, page)
}

/// Title, verdict, the run's figures, what broke and the replay command.
fn header(out: &mut String, report: &Report, timeline: &Timeline, replay: &str) {
    let bugs: String = report.bugs.iter().map(|bug| format!(" --bug {bug}")).collect();
    let badge = if report.passed() {
        "<span class=\"badge pass\">PASS</span>"
    } else {
        "<span class=\"badge fail\">FAIL</span>"
    };
    let _ = write!(
        out,
        "<header><h1>{badge} {} seed {}{}</h1><div class=\"facts\">\
         <span>virtual time {}</span><span>{} events</span><span>trace {:016x}</span>\
         <span>{} servers</span>",
        escape(report.scenario),
        report.seed,
        escape(&bugs),
        timeline.end,
        report.events,
        report.trace_hash,
        timeline.servers.len(),
    );
    if let Some(kv) = &timeline.kv {
        let _ = write!(out, "<span>{} client operations</span>", kv.history.records().len());
    }
    if let Some(mix) = &report.fault_mix {
        let _ = write!(out, "<span>fault mix: {}</span>", escape(mix));
    }
    out.push_str("</div>");
    if let Some(failure) = &timeline.failure {
        let _ = write!(
            out,
            "<div class=\"failure\" id=\"failure\"><b>{}</b> at {}<pre>{}</pre></div>",
            escape(&failure.kind),
            failure.at,
            escape(&failure.message)
        );
    }
    let _ =
        write!(out, "<div class=\"facts\">replay: <code>{}</code></div></header>", escape(replay));
}

/// The goals the story reached, which prove its faults really happened.
fn goals(out: &mut String, report: &Report) {
    if report.goals.is_empty() {
        return;
    }
    out.push_str("<h2>Goals reached</h2><ul>");
    for goal in &report.goals {
        let _ = write!(out, "<li>{}</li>", escape(goal));
    }
    out.push_str("</ul>");
}

const CONTROLS: &str = "<div class=\"controls\">\
<fieldset><legend>view</legend><button id=\"zoom-in\">zoom in</button> \
<button id=\"zoom-out\">zoom out</button> <button id=\"zoom-fit\">whole run</button> \
<button id=\"zoom-failure\">go to the failure</button> <span id=\"view-span\"></span> \
<span class=\"facts\">(wheel: zoom, drag: pan)</span></fieldset>\
<fieldset><legend>messages on demand</legend><select id=\"msg-node\"></select> \
<span id=\"msg-kinds\"></span> from <input id=\"msg-from\" type=\"number\" step=\"any\" \
placeholder=\"start\"> to <input id=\"msg-to\" type=\"number\" step=\"any\" placeholder=\"end\"> ms \
<button id=\"msg-window\">this view</button> <button id=\"msg-draw\">draw</button> \
<button id=\"msg-clear\">clear</button> <span id=\"msg-status\"></span></fieldset></div>";

const LEGEND: &str = "<div class=\"legend\">roles:<i style=\"background:#cfd8e3\"></i>\
follower<i style=\"background:#f2b84b\"></i>candidate<i style=\"background:#3fa34d\"></i>leader \
(tN: term N)<i style=\"background:#555\"></i>down (crashed) · the thin band under a server: its \
partition group (grey: no partition, colours: groups, red stripes: cut off) · \
<span style=\"color:#7a5cc4\">◆</span> narration · client operations: call to return, \
<b>|</b> its linearization point, red: cannot be placed · <span style=\"color:#d03b3b\">|</span> \
the failure</div>";
