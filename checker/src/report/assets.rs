//! The report's inline style sheet and script: the page fetches nothing.

/// Styles for the summary, the sections and the timelines.
pub const CSS: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d232b; background: #f6f7f9; }
main { padding: 16px 24px 160px; max-width: none; }
h1 { font-size: 20px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 0; display: inline; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
table.summary { border-collapse: collapse; margin: 8px 0 12px; background: #fff; }
table.summary th, table.summary td { text-align: left; padding: 3px 12px; border-bottom: 1px solid #e3e6ea; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; color: #fff; }
.badge.linearizable { background: #2e7d32; } .badge.not-linearizable { background: #c62828; } .badge.unknown { background: #b26a00; }
nav.toc { margin: 0 0 12px; } nav.toc a { margin-right: 10px; text-decoration: none; color: #1d4f91; white-space: nowrap; }
nav.toc a.not-linearizable { color: #c62828; font-weight: 600; }
section.partition { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; margin: 10px 0; padding: 8px 12px; }
section.partition.not-linearizable { border-color: #e57373; box-shadow: 0 0 0 1px #e57373; }
summary { cursor: pointer; } .counts { color: #5b6573; margin-left: 8px; }
p.why { margin: 8px 0; } pre.cycle { background: #fff8e1; border-left: 3px solid #c62828; padding: 8px; overflow-x: auto; font-size: 12px; } p.why .blocked-op { color: #c62828; font-weight: 600; }
.timeline { display: flex; margin: 8px 0; border: 1px solid #eceff2; }
.timeline .gutter { flex: none; background: #fafbfc; border-right: 1px solid #eceff2; }
.timeline .scroll { overflow-x: auto; flex: 1; }
text.client { font: 12px ui-monospace, monospace; text-anchor: end; fill: #5b6573; }
line.lane { stroke: #eef0f3; stroke-width: 1; }
svg.op rect { fill: #dbe7f7; stroke: #7a9cc6; stroke-width: 1.5; }
svg.op text { font: 11.5px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d232b; }
g.whole-label { pointer-events: none; }
g.whole-label text { font: 600 11.5px ui-monospace, "DejaVu Sans Mono", monospace; fill: #1d232b; }
g.whole-label rect { fill: #fff8e8; fill-opacity: .85; stroke: none; }
g.whole-label.blocked rect { fill: #ffebee; }
svg.op.unknown rect { fill: #eef1f5; stroke: #9aa5b1; stroke-dasharray: 4 3; }
svg.op.core rect { fill: #fff1d6; stroke: #e08a00; stroke-width: 3; }
svg.op.context rect { fill: #f3f4f6; stroke: #b8bfc8; stroke-dasharray: 4 3; }
svg.op.context text { fill: #6b7480; }
svg.op.blocked rect { fill: #ffcdd2; stroke: #c62828; stroke-width: 3; }
svg.op:hover rect { stroke: #1d232b; }
polyline.lin-path { fill: none; stroke: #37474f; stroke-width: 1.2; stroke-opacity: .55; }
g.step circle { fill: #37474f; stroke: #fff; stroke-width: 1.5; }
g.step text { font: bold 8.5px sans-serif; fill: #fff; text-anchor: middle; pointer-events: none; }
g.step:hover circle { fill: #1565c0; }
g.blocked-mark circle { fill: #c62828; stroke: #fff; stroke-width: 1.5; }
g.blocked-mark text { font: bold 11px sans-serif; fill: #fff; text-anchor: middle; pointer-events: none; }
.legend span { margin-right: 14px; white-space: nowrap; color: #5b6573; font-size: 12.5px; }
.swatch { display: inline-block; width: 18px; height: 10px; border-radius: 2px; vertical-align: middle; margin-right: 4px; border: 1.5px solid; }
.swatch.op { background: #dbe7f7; border-color: #7a9cc6; } .swatch.core { background: #fff1d6; border-color: #e08a00; }
.swatch.blocked { background: #ffcdd2; border-color: #c62828; } .swatch.unknown { background: #eef1f5; border: 1.5px dashed #9aa5b1; }
.minimal { background: #fffaf0; border: 1px solid #f0d9a8; border-radius: 6px; padding: 6px 10px; margin: 8px 0; }
.minimal ol { margin: 4px 0; padding-left: 22px; }
#panel { position: fixed; left: 0; right: 0; bottom: 0; background: #263238; color: #eceff1; padding: 8px 24px; min-height: 3.2em; max-height: 30vh; overflow: auto; font: 12.5px/1.5 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
#panel b { color: #ffcc80; }
"#;

/// Error capture, run first so a failure in the main script is visible on the page.
pub const ERROR_HOOK: &str = r#"
window.addEventListener('error', function (e) {
  document.documentElement.setAttribute('data-error', String(e.message));
});
"#;

/// The hover panel: shows the operation or linearization step under the pointer, with the
/// model state before and after. Built with textContent, never innerHTML, so no history
/// string is parsed as markup. Sets `data-ready` once set up.
pub const SCRIPT: &str = r#"
(function () {
  var panel = document.getElementById('panel');
  function line(label, value) {
    var row = document.createElement('div');
    var b = document.createElement('b');
    b.textContent = label;
    row.appendChild(b);
    row.appendChild(document.createTextNode(' ' + value));
    return row;
  }
  function show(rows) {
    panel.textContent = '';
    rows.forEach(function (r) { panel.appendChild(line(r[0], r[1])); });
  }
  function describe(el) {
    var d = el.dataset;
    if (d.step) {
      return [['step #' + d.step, d.op], ['state before:', d.before], ['state after: ', d.after]];
    }
    if (d.blocked !== undefined) {
      return [['cannot be placed next:', d.blocked], ['in state:', d.state]];
    }
    var where = d.client + ', ' + d.place;
    var rows = [['operation', d.op + '   (' + where + ')']];
    if (d.stepOf) {
      var step = el.ownerSVGElement.querySelector('[data-step="' + d.stepOf + '"]');
      rows.push(['linearized as step #' + d.stepOf + ', state after:', step ? step.dataset.after : '?']);
    }
    return rows;
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest && e.target.closest('[data-step],[data-blocked],svg[data-op]');
    if (el) { show(describe(el)); }
  });
  var first = document.querySelector('[data-blocked]');
  if (first) {
    show(describe(first));
  } else {
    show([['hover', 'an operation or a numbered linearization point to see the model state']]);
  }
  var root = document.documentElement;
  root.setAttribute('data-steps', String(document.querySelectorAll('[data-step]').length));
  root.setAttribute('data-ready', 'yes');
})();
"#;
