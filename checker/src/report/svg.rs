//! One timeline as SVG: a row per client, an operation as a bar from call to return, the
//! linearization as numbered points joined in order, and the operation that cannot be placed
//! in red.
use std::fmt::Write as _;

use super::data::{OpView, Step};
use super::escape::escape;
use super::layout::{axis, points, rows};

const ROW: f64 = 30.0;
const BAR: f64 = 20.0;
const TOP: f64 = 8.0;
const GUTTER: f64 = 64.0;

/// What to draw on a timeline besides the bars.
pub struct Marks<'a> {
    /// The linearization, drawn as numbered points (empty for none).
    pub steps: &'a [Step],
    pub blocked: Option<usize>,
    /// Operations of the minimal failing sub-history, outlined.
    pub core: &'a [usize],
    /// Operations kept only as "may have taken effect", drawn faded.
    pub context: &'a [usize],
    /// The fewest pixels per rank of the time axis: more shows longer labels, less keeps a
    /// long timeline shorter.
    pub min_unit: f64,
}

impl Marks<'_> {
    /// The narrowest axis that still shows short labels such as `get("0") -> ..`.
    pub const NARROW: f64 = 40.0;
}

/// The timeline of the `selected` operations (indices into `ops`), as HTML: a fixed gutter
/// naming the clients beside a horizontally scrolling SVG.
pub fn timeline(ops: &[OpView], selected: &[usize], marks: &Marks<'_>) -> String {
    let axis = axis(ops, selected);
    let clients = rows(ops, selected);
    let row_of = |client: u64| clients.binary_search(&client).unwrap_or(0) as f64;
    // Few events get wide ranks so labels fit; many get narrow ones and the section scrolls.
    let unit = (1150.0 / axis.end).clamp(marks.min_unit, marks.min_unit.max(150.0));
    let x = |rank: f64| 6.0 + rank * unit;
    let y = |client: u64| TOP + row_of(client) * ROW;
    let width = x(axis.end) + 12.0;
    let height = TOP * 2.0 + clients.len() as f64 * ROW;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<div class="timeline"><svg class="gutter" width="{GUTTER}" height="{height}">"#
    );
    for &client in &clients {
        let _ = write!(
            out,
            r#"<text class="client" x="{}" y="{:.1}">c{client}</text>"#,
            GUTTER - 8.0,
            y(client) + BAR * 0.7
        );
    }
    let _ = write!(out, r#"</svg><div class="scroll"><svg width="{width:.0}" height="{height}">"#);
    for &client in &clients {
        let line_y = y(client) + BAR / 2.0;
        let _ = write!(
            out,
            r#"<line class="lane" x1="0" x2="{width:.0}" y1="{line_y}" y2="{line_y}"/>"#
        );
    }
    let mut labels: Vec<String> = Vec::new();
    let step_of = |op: usize| marks.steps.iter().position(|step| step.op == op);
    for &index in selected {
        let op = &ops[index];
        let (call, ret) = axis.spans[index];
        let mut class = String::from("op");
        for (flag, name) in [
            (op.ret.is_none(), " unknown"),
            (marks.blocked == Some(index), " blocked"),
            (marks.core.contains(&index), " core"),
            (marks.context.contains(&index), " context"),
        ] {
            if flag {
                class.push_str(name);
            }
        }
        let text = escape(&op.text);
        let place = escape(&op.place);
        let step =
            step_of(index).map(|s| format!(" data-step-of=\"{}\"", s + 1)).unwrap_or_default();
        let (left, right) = (x(call), x(ret));
        let top = y(op.client);
        // The operations that explain the violation get their whole label, drawn over the
        // bars after them; the others are clipped to their bar (hover shows all).
        let whole = marks.blocked == Some(index) || marks.core.contains(&index);
        let inner =
            if whole { String::new() } else { format!(r#"<text x="4" y="14">{text}</text>"#) };
        let _ = write!(
            out,
            r#"<svg class="{class}" x="{left:.1}" y="{top:.1}" width="{:.1}" height="{BAR}" data-op="{text}" data-client="c{}" data-line="{}" data-place="{place}"{step}><title>{text} (c{}, {place})</title><rect width="100%" height="100%" rx="3"/>{inner}</svg>"#,
            (right - left).max(4.0),
            op.client,
            op.line,
            op.client,
        );
        if whole {
            // A monospace character is about 0.6 em wide; the backing hides what lies under.
            let width = op.text.chars().count() as f64 * 11.5 * 0.6 + 8.0;
            let kind = if marks.blocked == Some(index) { "blocked" } else { "core" };
            labels.push(format!(
                r#"<g class="whole-label {kind}"><rect x="{left:.1}" y="{top:.1}" width="{width:.1}" height="{BAR}" rx="3"/><text x="{:.1}" y="{:.1}">{text}</text></g>"#,
                left + 4.0,
                top + 14.0
            ));
        }
    }
    // Drawn last so no later bar covers them.
    out.push_str(&labels.concat());
    if !marks.steps.is_empty() {
        steps(&mut out, ops, &axis, marks, &x, &y);
    }
    out.push_str("</svg></div></div>");
    out
}

/// The linearization: a path through its points, each point numbered and carrying the
/// states before and after it for the hover panel, then the red mark of the blocked op.
fn steps(
    out: &mut String,
    ops: &[OpView],
    axis: &super::layout::Axis,
    marks: &Marks<'_>,
    x: &impl Fn(f64) -> f64,
    y: &impl Fn(u64) -> f64,
) {
    let order: Vec<usize> = marks.steps.iter().map(|step| step.op).collect();
    let xs = points(axis, &order);
    // Points sit on the bars' lower edges, so they hide little of the labels.
    let centre = |at: usize| (x(xs[at]), y(ops[order[at]].client) + BAR - 1.0);
    let path: Vec<String> = (0..order.len())
        .map(|at| {
            let (cx, cy) = centre(at);
            format!("{cx:.1},{cy:.1}")
        })
        .collect();
    let _ = write!(out, r#"<polyline class="lin-path" points="{}"/>"#, path.join(" "));
    for (at, step) in marks.steps.iter().enumerate() {
        let (cx, cy) = centre(at);
        let number = at + 1;
        let (text, before, after) =
            (escape(&ops[step.op].text), escape(&step.before), escape(&step.after));
        let _ = write!(
            out,
            r#"<g class="step" data-step="{number}" data-op="{text}" data-before="{before}" data-after="{after}"><title>#{number} {text}&#10;before: {before}&#10;after: {after}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="7.5"/><text x="{cx:.1}" y="{:.1}">{number}</text></g>"#,
            cy + 3.0
        );
    }
    if let Some(blocked) = marks.blocked {
        let last = xs.last().copied().unwrap_or(0.0);
        let (call, ret) = axis.spans[blocked];
        let at = (last.max(call) + 0.5).min((call + ret) / 2.0).max(call + 0.2);
        let (cx, cy) = (x(at), y(ops[blocked].client) + BAR - 1.0);
        let state =
            marks.steps.last().map_or("the initial state".to_string(), |s| escape(&s.after));
        let text = escape(&ops[blocked].text);
        let _ = write!(
            out,
            r#"<g class="blocked-mark" data-blocked="{text}" data-state="{state}"><title>cannot be placed next: {text}&#10;state: {state}</title><circle cx="{cx:.1}" cy="{cy:.1}" r="8"/><text x="{cx:.1}" y="{:.1}">✗</text></g>"#,
            cy + 4.0
        );
    }
}
