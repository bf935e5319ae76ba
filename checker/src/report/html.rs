//! The report as one self-contained HTML page: summary, then a section per partition.
use std::fmt::Write as _;

use super::assets::{CSS, ERROR_HOOK, SCRIPT};
use super::data::{Report, Section, Summary};
use super::escape::escape;
use super::svg::{timeline, Marks};
use crate::result::Verdict;

/// Context operations drawn in a minimal sub-history's own timeline, at most.
const MAX_CONTEXT_SHOWN: usize = 16;

/// The page for `report`. Every string from the history or the model is escaped.
pub fn html(report: &Report) -> String {
    let mut out = String::new();
    let title = escape(&format!("tenrec check: {}", report.summary.file));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{CSS}</style><script>{ERROR_HOOK}</script></head><body><main>"
    );
    summary(&mut out, &report.summary, &report.sections);
    for (index, section) in report.sections.iter().enumerate() {
        partition(&mut out, index, section);
    }
    let _ = writeln!(out, "</main><div id=\"panel\"></div><script>{SCRIPT}</script></body></html>");
    out
}

/// The CSS class and words for a verdict.
fn verdict_class(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Linearizable => "linearizable",
        Verdict::NotLinearizable => "not-linearizable",
        Verdict::Unknown => "unknown",
    }
}

fn badge(verdict: Verdict) -> String {
    format!(r#"<span class="badge {}">{verdict}</span>"#, verdict_class(verdict))
}

fn summary(out: &mut String, summary: &Summary, sections: &[Section]) {
    let count = |verdict: Verdict| sections.iter().filter(|s| s.verdict == verdict).count();
    let _ = write!(
        out,
        "<h1>tenrec check {}</h1><table class=\"summary\">\
         <tr><th>file</th><td class=\"mono\">{}</td></tr>\
         <tr><th>format</th><td>{}</td></tr>{}<tr><th>model</th><td>{}</td></tr>\
         <tr><th>verdict</th><td id=\"verdict\">{}</td></tr>\
         <tr><th>operations</th><td>{} returned, {} with unknown outcome, {} failed (left out)</td></tr>\
         <tr><th>partitions</th><td>{} ({} linearizable, {} not linearizable, {} unknown)</td></tr>\
         <tr><th>time</th><td>{:.1?}</td></tr></table>",
        badge(summary.verdict),
        escape(&summary.file),
        escape(&summary.format),
        summary
            .notes
            .iter()
            .map(|(label, value)| format!("<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(value)))
            .collect::<String>(),
        escape(&summary.model),
        badge(summary.verdict),
        summary.returned,
        summary.unknown,
        summary.failed,
        sections.len(),
        count(Verdict::Linearizable),
        count(Verdict::NotLinearizable),
        count(Verdict::Unknown),
        summary.elapsed,
    );
    if sections.len() > 1 {
        out.push_str("<nav class=\"toc\">");
        for (index, section) in sections.iter().enumerate() {
            let _ = write!(
                out,
                "<a href=\"#p{index}\" class=\"{}\" title=\"{}\">{}</a>",
                verdict_class(section.verdict),
                section.verdict,
                escape(&section.label)
            );
        }
        out.push_str("</nav>");
    }
    out.push_str(
        "<div class=\"legend\"><span><i class=\"swatch op\"></i>operation, call to return</span>\
         <span><i class=\"swatch unknown\"></i>unknown outcome</span>\
         <span>● n: linearization point, in order</span>\
         <span><i class=\"swatch blocked\"></i>cannot be placed</span>\
         <span><i class=\"swatch core\"></i>minimal failing sub-history</span></div>",
    );
}

fn partition(out: &mut String, index: usize, section: &Section) {
    let class = verdict_class(section.verdict);
    let clients = {
        let mut clients: Vec<u64> = section.ops.iter().map(|op| op.client).collect();
        clients.sort_unstable();
        clients.dedup();
        clients.len()
    };
    // Passing partitions start folded so a report of many keys opens on what failed.
    let open = if section.verdict == Verdict::Linearizable { "" } else { " open" };
    let why = section.undecided.as_ref().map(|u| format!(" ({})", escape(u))).unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"partition {class}\" id=\"p{index}\" data-verdict=\"{class}\"><details{open}>\
         <summary><h2>{}</h2> {}{why}<span class=\"counts\">{} operations, {} clients, {} linearized</span></summary>",
        escape(&section.label),
        badge(section.verdict),
        section.ops.len(),
        clients,
        section.linearization.len(),
    );
    if let Some(blocked) = section.blocked {
        let op = &section.ops[blocked];
        let state = section.linearization.last().map_or("the initial state".to_string(), |s| {
            format!("<code>{}</code>", escape(&s.after))
        });
        let _ = write!(
            out,
            "<p class=\"why\">The search linearized at most {} operations; after them \
             <span class=\"blocked-op\"><code>{}</code></span> (c{}, {}) must come next \
             but cannot be placed: the state is {state}.</p>",
            section.linearization.len(),
            escape(&op.text),
            op.client,
            escape(&op.place),
        );
    }
    if let Some(cycle) = &section.cycle {
        let _ = write!(
            out,
            "<p class=\"why\">No order of these operations respects every constraint the \
             history forces (real time, what each read observed, the order of versions):</p>\
             <pre class=\"cycle\">{}</pre>",
            escape(cycle)
        );
    }
    if let Some(minimal) = &section.minimal {
        minimal_view(out, section, minimal);
    }
    let all: Vec<usize> = (0..section.ops.len()).collect();
    let (core, context): (&[usize], &[usize]) =
        section.minimal.as_ref().map_or((&[], &[]), |m| (&m.core, &[]));
    let marks = Marks {
        steps: &section.linearization,
        blocked: section.blocked,
        core,
        context,
        min_unit: Marks::NARROW,
    };
    out.push_str(&timeline(&section.ops, &all, &marks));
    out.push_str("</details></section>");
}

fn minimal_view(out: &mut String, section: &Section, minimal: &super::data::MinimalView) {
    let _ = write!(
        out,
        "<div class=\"minimal\"><b>Minimal failing sub-history:</b> these {} operations, as \
         recorded, cannot be linearized{}{}.<ol>",
        minimal.core.len(),
        match minimal.context.len() {
            0 => String::new(),
            n => format!(
                ", even if the other {n} state-changing operations (faded) took effect at any \
                 time after their call, or never"
            ),
        },
        if minimal.one_minimal { "; without any one of them, they can" } else { "" },
    );
    for &index in &minimal.core {
        let op = &section.ops[index];
        let _ = write!(
            out,
            "<li><code>{}</code> <span class=\"counts\">c{}, {}</span></li>",
            escape(&op.text),
            op.client,
            escape(&op.place)
        );
    }
    out.push_str("</ol>");
    // A few context operations help read the core; dozens bury it, so then the timeline
    // shows the core alone.
    let context: &[usize] =
        if minimal.context.len() <= MAX_CONTEXT_SHOWN { &minimal.context } else { &[] };
    if context.len() < minimal.context.len() {
        let _ = write!(
            out,
            "<p class=\"counts\">The {} state-changing operations it keeps without their \
             responses are left out of this timeline.</p>",
            minimal.context.len()
        );
    }
    let mut selected: Vec<usize> = minimal.core.iter().chain(context).copied().collect();
    selected.sort_unstable();
    let marks =
        Marks { steps: &[], blocked: None, core: &minimal.core, context, min_unit: Marks::NARROW };
    out.push_str(&timeline(&section.ops, &selected, &marks));
    out.push_str("</div>");
}
