// tenrec timeline: draws one run from the JSON in #data (inlined into the page, which fetches
// nothing). Every number shown comes from that data. Strings from the run (operations, states,
// notes, messages) reach the DOM through textContent only; the SVG markup built as text holds
// numbers, fixed words and class names, never a string of the run.
(function () {
  'use strict';
  var body = document.body;
  var started = performance.now();
  window.addEventListener('error', function (e) {
    body.setAttribute('data-error', String(e.message));
  });

  var D = JSON.parse(document.getElementById('data').textContent);
  var END = Math.max(D.end, 1);
  // Past the stop, each lane keeps showing its state at the stop: a run that fails the moment
  // a server becomes leader must still show that leader.
  var TAIL = END * 0.03;
  function edge(t) { return t >= END ? END + TAIL : t; }
  var GUTTER = 96, AXIS = 24, NOTE_H = 16, ROLE_H = 20, BAND_H = 6, SERVER_GAP = 8;
  var CLIENT_H = 12, CLIENT_GAP = 4, CAP = 1500;
  var ROLES = ['follower', 'candidate', 'leader'];
  var PALETTE = ['#6c8ebf', '#d79b00', '#9673a6', '#82b366', '#b85450', '#23a5a5', '#7f6f5f'];

  function undelta(a) {
    var s = 0, out = new Array(a.length);
    for (var i = 0; i < a.length; i++) { s += a[i]; out[i] = s; }
    return out;
  }

  // SimTime's own format: `1.234s`, `2.000150s`, `12.5ms`, `750us`, `0s`.
  function fmt(ns) {
    ns = Math.round(ns);
    function scaled(unit, digits, minDecimals, suffix) {
      var whole = Math.floor(ns / unit), frac = String(ns % unit);
      while (frac.length < digits) frac = '0' + frac;
      var text = whole + '.' + frac, keep = text.length - digits + minDecimals;
      while (text.length > keep && text.charAt(text.length - 1) === '0') text = text.slice(0, -1);
      if (text.charAt(text.length - 1) === '.') text = text.slice(0, -1);
      return text + suffix;
    }
    if (ns >= 1e9) return scaled(1e9, 9, 3, 's');
    if (ns >= 1e6) return scaled(1e6, 6, 0, 'ms');
    if (ns >= 1e3) return scaled(1e3, 3, 0, 'us');
    return ns === 0 ? '0s' : ns + 'ns';
  }

  // ----- the run, decoded -----
  var servers = D.servers;
  var laneOfServer = {};
  servers.forEach(function (id, i) { laneOfServer[id] = i; });

  var roleT = undelta(D.roles.t);
  var lifeT = undelta(D.life.t);
  var noteT = undelta(D.notes.t);

  // Per server: role segments (cut at a crash) and down intervals.
  var segs = servers.map(function () { return []; });
  var downs = servers.map(function () { return []; });
  var lives = [];
  (function () {
    var crashes = servers.map(function () { return []; });
    for (var i = 0; i < lifeT.length; i++) {
      var lane = laneOfServer[D.life.n[i]];
      if (lane === undefined) continue;
      lives.push({ t: lifeT[i], lane: lane, k: D.life.k[i] });
      if (D.life.k[i] === 1) crashes[lane].push(lifeT[i]);
    }
    servers.forEach(function (id, lane) {
      crashes[lane].forEach(function (c) {
        var back = END;
        lives.forEach(function (l) {
          if (l.lane === lane && l.k !== 1 && l.t >= c && l.t < back) back = l.t;
        });
        downs[lane].push({ from: c, to: back });
      });
    });
    var byLane = servers.map(function () { return []; });
    for (var j = 0; j < roleT.length; j++) {
      var ln = laneOfServer[D.roles.n[j]];
      if (ln !== undefined) byLane[ln].push({ t: roleT[j], r: D.roles.r[j], term: D.roles.term[j] });
    }
    byLane.forEach(function (changes, lane) {
      changes.forEach(function (c, k) {
        var stop = k + 1 < changes.length ? changes[k + 1].t : END;
        crashes[lane].forEach(function (x) { if (x >= c.t && x < stop) stop = x; });
        segs[lane].push({ from: c.t, to: stop, r: c.r, term: c.term });
      });
    });
  })();

  var groups = D.groups.map(function (g, i) {
    return { from: g[0], to: i + 1 < D.groups.length ? D.groups[i + 1][0] : END, groups: g[1], cut: g[2] };
  });

  var kv = D.kv || null;
  var ops = null, clientLane = {}, clientOfNode = {}, clients = [];
  if (kv) {
    var calls = undelta(kv.call);
    ops = calls.map(function (call, i) {
      return {
        i: i, c: kv.c[i], call: call, ret: kv.ret[i] >= 0 ? call + kv.ret[i] : -1,
        early: kv.lp[i] >= 0 ? call + kv.lp[i] : -1, late: kv.lq[i] >= 0 ? call + kv.lq[i] : -1,
        lp: kv.lp[i] >= 0 ? call + kv.lp[i] + Math.floor((kv.lq[i] - kv.lp[i]) / 2) : -1,
        text: kv.text[i], state: kv.state[i], blocked: false
      };
    });
    kv.blocked.forEach(function (i) { if (ops[i]) ops[i].blocked = true; });
    kv.clerks.forEach(function (pair) { clientOfNode[pair[1]] = pair[0]; });
    var seen = {};
    kv.clerks.forEach(function (pair) { seen[pair[0]] = true; });
    kv.c.forEach(function (c) { seen[c] = true; });
    clients = Object.keys(seen).map(Number).sort(function (a, b) { return a - b; });
    clients.forEach(function (c, i) { clientLane[c] = i; });
  }

  var msgT = undelta(D.msgs.t);
  var failure = D.failure || null;

  // ----- geometry -----
  function serverY(lane) { return AXIS + NOTE_H + 6 + lane * (ROLE_H + BAND_H + SERVER_GAP); }
  var clientsTop = serverY(servers.length) + 8;
  function clientY(lane) { return clientsTop + lane * (CLIENT_H + CLIENT_GAP); }
  var HEIGHT = clients.length ? clientY(clients.length) + 8 : clientsTop + 4;
  // Where a message to or from `node` meets its lane.
  function nodeY(node) {
    if (laneOfServer[node] !== undefined) return serverY(laneOfServer[node]) + ROLE_H / 2;
    var c = clientOfNode[node];
    if (c !== undefined && clientLane[c] !== undefined) return clientY(clientLane[c]) + CLIENT_H / 2;
    return null;
  }
  function nodeName(node) {
    if (laneOfServer[node] !== undefined) return 'n' + node;
    var c = clientOfNode[node];
    return c !== undefined ? 'c' + c + ' (n' + node + ')' : 'n' + node;
  }

  var view = { t0: 0, t1: END + TAIL };
  var wrap = document.getElementById('wrap');
  var svg = document.getElementById('lanes');
  var tip = document.getElementById('tip');
  var width = 0;
  function plotW() { return width - GUTTER - 12; }
  function X(t) { return GUTTER + (t - view.t0) / (view.t1 - view.t0) * plotW(); }
  function T(x) { return view.t0 + (x - GUTTER) / plotW() * (view.t1 - view.t0); }
  function n2(v) { return Math.round(v * 100) / 100; }
  // A span clipped to the plot, at least a pixel wide; null when outside the view.
  function span(from, to) {
    if (to < view.t0 || from > view.t1) return null;
    var a = Math.max(X(from), GUTTER - 2), b = Math.min(X(to), width + 2);
    return { x: n2(a), w: n2(Math.max(b - a, 1)) };
  }

  // ----- drawing -----
  var drawn = [];  // indices of the messages the filter chose, in send order
  function axis(parts) {
    var spanT = view.t1 - view.t0, target = spanT / Math.max(plotW() / 90, 1);
    var step = Math.pow(10, Math.floor(Math.log10(Math.max(target, 1))));
    if (step * 2 >= target) step *= 2; else if (step * 5 >= target) step *= 5; else step *= 10;
    parts.push('<g class="axis">');
    // No ticks past the stop: virtual time ends there.
    for (var t = Math.ceil(Math.max(view.t0, 0) / step) * step; t <= Math.min(view.t1, END); t += step) {
      var x = n2(X(t));
      parts.push('<line x1="' + x + '" x2="' + x + '" y1="' + (AXIS - 4) + '" y2="' + HEIGHT + '"/>');
      // The first label starts at its tick rather than centring on it, clear of the gutter.
      var anchor = x < GUTTER + 20 ? 'start' : 'middle';
      parts.push('<text x="' + x + '" y="' + (AXIS - 8) + '" text-anchor="' + anchor + '">' + fmt(t) + '</text>');
    }
    parts.push('</g>');
  }

  function serverLanes(parts) {
    servers.forEach(function (id, lane) {
      var y = serverY(lane);
      segs[lane].forEach(function (s, k) {
        var sp = span(s.from, edge(s.to));
        if (!sp) return;
        parts.push('<rect class="role' + s.r + '" x="' + sp.x + '" y="' + y + '" width="' + sp.w +
          '" height="' + ROLE_H + '" data-seg="' + lane + ':' + k + '"/>');
        if (sp.w > 26) {
          parts.push('<text class="term" x="' + n2(sp.x + 3) + '" y="' + (y + 14) + '">t' + s.term +
            (s.r === 2 ? ' L' : s.r === 1 ? ' C' : '') + '</text>');
        }
      });
      downs[lane].forEach(function (d, k) {
        var sp = span(d.from, edge(d.to));
        if (sp) parts.push('<rect class="down" x="' + sp.x + '" y="' + y + '" width="' + sp.w +
          '" height="' + ROLE_H + '" data-down="' + lane + ':' + k + '"/>');
      });
      groups.forEach(function (g, k) {
        var sp = span(g.from, edge(g.to));
        if (!sp) return;
        var cls = 'grp-all', fill = '';
        if (g.cut.indexOf(id) >= 0) cls = 'grp-cut';
        else if (g.groups.length > 1 || g.cut.length > 0) {
          var gi = 0;
          g.groups.forEach(function (members, i) { if (members.indexOf(id) >= 0) gi = i; });
          cls = 'grp'; fill = ' fill="' + PALETTE[gi % PALETTE.length] + '"';
        }
        parts.push('<rect class="' + cls + '"' + fill + ' x="' + sp.x + '" y="' + (y + ROLE_H + 1) +
          '" width="' + sp.w + '" height="' + BAND_H + '" data-grp="' + k + '"/>');
      });
    });
    lives.forEach(function (l, k) {
      if (l.t < view.t0 || l.t > view.t1 || l.k === 0) return;
      var x = n2(X(l.t)), y = serverY(l.lane);
      var mark = l.k === 1
        ? 'M' + (x - 5) + ' ' + (y - 1) + 'l10 ' + (ROLE_H + 2) + 'm0 -' + (ROLE_H + 2) + 'l-10 ' + (ROLE_H + 2)
        : 'M' + x + ' ' + (y - 2) + 'v' + (ROLE_H + 4);
      parts.push('<path class="life" d="' + mark + '" data-life="' + k + '"/>');
      parts.push('<rect x="' + (x - 5) + '" y="' + y + '" width="10" height="' + ROLE_H +
        '" fill="transparent" data-life="' + k + '"/>');
    });
    D.links.forEach(function (l, k) {
      if (l[0] < view.t0 || l[0] > view.t1 || laneOfServer[l[1]] === undefined) return;
      var x = n2(X(l[0])), y = serverY(laneOfServer[l[1]]) + ROLE_H + BAND_H + 1;
      parts.push('<path class="link" d="M' + (x - 4) + ' ' + (y + 6) + 'l4 -6l4 6z" data-link="' + k + '"/>');
    });
  }

  function notes(parts) {
    for (var i = 0; i < noteT.length; i++) {
      if (noteT[i] < view.t0 || noteT[i] > view.t1) continue;
      var x = n2(X(noteT[i])), y = AXIS + 2;
      parts.push('<path class="note" d="M' + x + ' ' + y + 'l5 6l-5 6l-5 -6z" data-note="' + i + '"/>');
    }
  }

  function clientLanes(parts) {
    if (!ops) return;
    ops.forEach(function (op) {
      var end = op.ret >= 0 ? op.ret : END;
      var sp = span(op.call, end);
      if (!sp) return;
      var y = clientY(clientLane[op.c]);
      // Outlines of bars a few pixels wide would merge into a dark smear when zoomed out.
      var cls = 'op' + (op.ret < 0 ? ' open' : '') + (op.blocked ? ' blocked' : '') + (sp.w < 4 ? ' thin' : '');
      parts.push('<rect id="op' + op.i + '" class="' + cls + '" x="' + sp.x + '" y="' + y + '" width="' +
        sp.w + '" height="' + CLIENT_H + '" data-op="' + op.i + '"/>');
      if (op.lp >= 0 && op.lp >= view.t0 && op.lp <= view.t1) {
        var x = n2(X(op.lp));
        parts.push('<line class="lp" x1="' + x + '" x2="' + x + '" y1="' + (y - 2) + '" y2="' + (y + CLIENT_H + 2) + '"/>');
      }
    });
  }

  function messages(parts) {
    drawn.forEach(function (i) {
      var from = nodeY(D.msgs.f[i]), to = nodeY(D.msgs.to[i]);
      if (from === null || to === null) return;
      var sent = msgT[i], fate = D.msgs.x[i], at = fate === 1 ? END : sent + D.msgs.d[i];
      if (at < view.t0 || sent > view.t1) return;
      var x1 = n2(X(sent)), x2 = n2(X(at));
      var cls = fate === 0 ? 'msg' : fate === 1 ? 'msg flight' : 'msg drop';
      var toY = fate >= 2 ? from + (to - from) * 0.5 : to;
      var d = 'M' + x1 + ' ' + n2(from) + 'L' + x2 + ' ' + n2(toY);
      if (fate >= 2) d += 'm-4 -4l8 8m0 -8l-8 8';
      parts.push('<path class="' + cls + '" d="' + d + '"' + (fate === 0 ? ' marker-end="url(#arrow)"' : '') +
        ' data-msg="' + i + '"/>');
    });
  }

  function laneLabels(parts) {
    parts.push('<rect x="0" y="0" width="' + (GUTTER - 2) + '" height="' + HEIGHT + '" fill="#fff"/>');
    parts.push('<text class="lane-label" x="6" y="' + (AXIS + 12) + '">story</text>');
    servers.forEach(function (id, lane) {
      parts.push('<text class="lane-label" x="6" y="' + (serverY(lane) + 14) + '" data-server="' + lane + '">n' + id + '</text>');
    });
    clients.forEach(function (c, lane) {
      parts.push('<text class="lane-label" x="6" y="' + (clientY(lane) + 10) + '">c' + c + '</text>');
    });
  }

  function failureMark(parts) {
    if (!failure || failure.at < view.t0 || failure.at > view.t1) return;
    var x = n2(X(failure.at));
    parts.push('<line class="fail-line" x1="' + x + '" x2="' + x + '" y1="' + AXIS + '" y2="' + HEIGHT + '" data-fail="1"/>');
    parts.push('<text id="fail-label" class="fail-label" x="' + (x - 4) + '" y="' + (AXIS + 12) + '" text-anchor="end" data-fail="1"></text>');
  }

  var DEFS = '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="#555"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern>' +
    '<pattern id="cut" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="#f6d5d5"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d03b3b" stroke-width="2"/></pattern>' +
    '<marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto-start-reverse">' +
    '<path d="M0 0L8 4L0 8z" fill="#4b6b8a"/></marker></defs>';

  function stop(parts) {
    var sp = span(END, END + TAIL);
    if (sp) parts.push('<rect class="stop" x="' + sp.x + '" y="' + AXIS + '" width="' + sp.w + '" height="' + (HEIGHT - AXIS) + '" data-stop="1"/>');
  }

  function render() {
    width = Math.max(700, wrap.clientWidth);
    var parts = [DEFS];
    stop(parts);
    axis(parts);
    notes(parts);
    serverLanes(parts);
    clientLanes(parts);
    messages(parts);
    failureMark(parts);
    laneLabels(parts);
    svg.setAttribute('width', width);
    svg.setAttribute('height', HEIGHT);
    svg.innerHTML = parts.join('');
    var label = document.getElementById('fail-label');
    if (label) label.textContent = '\u2716 ' + failure.kind;
    document.getElementById('view-span').textContent = fmt(Math.max(view.t0, 0)) + ' \u2013 ' + fmt(view.t1);
  }
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; render(); });
  }

  // ----- hover: what is under the pointer, in words -----
  function row(key, value) {
    var div = document.createElement('div');
    div.className = 'row';
    var k = document.createElement('span');
    k.className = 'k';
    k.textContent = key;
    div.appendChild(k);
    div.appendChild(document.createTextNode(value));
    tip.appendChild(div);
  }
  function describeOp(i) {
    var op = ops[i];
    tip.setAttribute('data-op', String(i));
    row('client', 'c' + op.c + ', operation ' + i);
    row('op', op.text);
    row('called', fmt(op.call) + (op.ret >= 0 ? ', returned ' + fmt(op.ret) + ' (took ' + fmt(op.ret - op.call) + ')' : ', never returned'));
    if (op.lp >= 0) {
      row('linearized', 'at ' + fmt(op.lp) + (op.late > op.early
        ? ' (in this order it may sit anywhere from ' + fmt(op.early) + ' to ' + fmt(op.late) + ')' : ''));
      row('state after', op.state);
    } else if (op.blocked) {
      row('cannot be placed', 'no linearization of its key can place this operation next');
    } else {
      row('linearized', op.ret < 0 ? 'no: an open operation that may never have taken effect'
        : 'no: after its key\u2019s longest linearizable prefix');
    }
  }
  function describeMsg(i) {
    var fate = D.msgs.x[i], sent = msgT[i];
    tip.setAttribute('data-msg', String(i));
    row(nodeName(D.msgs.f[i]) + ' \u2192 ' + nodeName(D.msgs.to[i]), D.msgs.kinds[D.msgs.k[i]] + ' ' + D.msgs.text[i] +
      (D.msgs.dup.indexOf(i) >= 0 ? ' (duplicate copy)' : ''));
    row('sent', fmt(sent));
    if (fate === 0) row('delivered', fmt(sent + D.msgs.d[i]) + ' (after ' + fmt(D.msgs.d[i]) + ')');
    else if (fate === 1) row('in flight', 'when the run stopped');
    else row('dropped', fmt(sent + D.msgs.d[i]) + ': ' + D.msgs.reasons[fate - 2]);
  }
  function describe(el) {
    var d = el.dataset;
    if (d.op !== undefined) return describeOp(Number(d.op));
    if (d.msg !== undefined) return describeMsg(Number(d.msg));
    if (d.seg !== undefined) {
      var p = d.seg.split(':'), s = segs[Number(p[0])][Number(p[1])];
      row('n' + servers[Number(p[0])], ROLES[s.r] + ' in term ' + s.term);
      return row('from', fmt(s.from) + ' to ' + fmt(s.to) + (s.to >= END ? ' (the stop)' : ''));
    }
    if (d.down !== undefined) {
      var q = d.down.split(':'), w = downs[Number(q[0])][Number(q[1])];
      return row('n' + servers[Number(q[0])], 'down from ' + fmt(w.from) + (w.to < END ? ' to ' + fmt(w.to) : ' to the end'));
    }
    if (d.life !== undefined) {
      var l = lives[Number(d.life)];
      return row('n' + servers[l.lane], (l.k === 1 ? 'crashed' : 'restarted') + ' at ' + fmt(l.t));
    }
    if (d.grp !== undefined) {
      var g = groups[Number(d.grp)];
      var names = g.groups.map(function (m) { return '{' + m.map(function (id) { return 'n' + id; }).join(' ') + '}'; });
      row('groups', names.join(' ') + (g.groups.length === 1 && !g.cut.length ? ' (no partition)' : ''));
      if (g.cut.length) row('cut off', g.cut.map(function (id) { return 'n' + id; }).join(' '));
      return row('from', fmt(g.from) + ' to ' + fmt(g.to));
    }
    if (d.link !== undefined) {
      var k = D.links[Number(d.link)];
      return row('link', 'n' + k[1] + ' \u2192 n' + k[2] + (k[3] ? ' up' : ' down') + ' at ' + fmt(k[0]));
    }
    if (d.stop !== undefined) return row('stop', 'the run stopped at ' + fmt(END) + '; the lanes show each server as it was then');
    if (d.note !== undefined) return row(fmt(noteT[Number(d.note)]), D.notes.text[Number(d.note)]);
    if (d.fail !== undefined) {
      row(failure.kind, 'at ' + fmt(failure.at));
      return row('what broke', failure.message);
    }
    return false;
  }
  function hover(e) {
    var el = e.target;
    if (!el || !el.dataset) return;
    tip.textContent = '';
    ['data-op', 'data-msg'].forEach(function (a) { tip.removeAttribute(a); });
    if (describe(el) === false || !tip.firstChild) { tip.className = 'hidden'; return; }
    tip.className = '';
    var x = (e.clientX || 0) + 14, y = (e.clientY || 0) + 14;
    tip.style.left = Math.min(x, window.innerWidth - 380) + 'px';
    tip.style.top = Math.min(y, window.innerHeight - 120) + 'px';
  }
  svg.addEventListener('mouseover', hover);
  svg.addEventListener('mouseleave', function () { tip.className = 'hidden'; });

  // ----- zoom and pan -----
  function setView(t0, t1) {
    var spanT = Math.max(t1 - t0, 1000), pad = END * 0.02, last = END + TAIL + pad;
    t0 = Math.max(t0, -pad);
    t1 = t0 + Math.min(spanT, last + pad);
    if (t1 > last) { t0 -= t1 - last; t1 = last; }
    view.t0 = t0; view.t1 = t1;
    schedule();
  }
  function zoom(factor, at) {
    setView(at - (at - view.t0) * factor, at + (view.t1 - at) * factor);
  }
  wrap.addEventListener('wheel', function (e) {
    e.preventDefault();
    var rect = svg.getBoundingClientRect(), x = e.clientX - rect.left;
    zoom(Math.exp(e.deltaY * 0.0015), x > GUTTER ? T(x) : (view.t0 + view.t1) / 2);
  }, { passive: false });
  var drag = null;
  wrap.addEventListener('mousedown', function (e) {
    drag = { x: e.clientX, t0: view.t0, t1: view.t1 };
    wrap.className = 'dragging';
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var dt = (e.clientX - drag.x) / plotW() * (drag.t1 - drag.t0);
    setView(drag.t0 - dt, drag.t1 - dt);
  });
  window.addEventListener('mouseup', function () { drag = null; wrap.className = ''; });
  function mid() { return (view.t0 + view.t1) / 2; }
  document.getElementById('zoom-in').onclick = function () { zoom(0.5, mid()); };
  document.getElementById('zoom-out').onclick = function () { zoom(2, mid()); };
  document.getElementById('zoom-fit').onclick = function () { setView(0, END + TAIL); };
  var toFailure = document.getElementById('zoom-failure');
  if (failure) {
    toFailure.onclick = function () {
      var op = failure.op >= 0 && ops ? ops[failure.op] : null;
      var at = op ? op.call : failure.at, w = Math.max(END / 40, 1e6);
      setView(at - w, at + w);
    };
  } else {
    toFailure.disabled = true;
  }

  // ----- messages on demand -----
  var nodeSel = document.getElementById('msg-node');
  function option(value, text) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    nodeSel.appendChild(o);
  }
  option('', 'any node');
  servers.forEach(function (id) { option(String(id), 'n' + id); });
  if (kv) kv.clerks.forEach(function (p) { option(String(p[1]), 'c' + p[0] + ' (n' + p[1] + ')'); });
  var kindBox = document.getElementById('msg-kinds');
  var kindCount = D.msgs.kinds.map(function () { return 0; });
  D.msgs.k.forEach(function (k) { kindCount[k]++; });
  D.msgs.kinds.forEach(function (kind, k) {
    var label = document.createElement('label');
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = true;
    box.value = String(k);
    label.appendChild(box);
    label.appendChild(document.createTextNode(' ' + kind + ' (' + kindCount[k] + ')'));
    kindBox.appendChild(label);
  });
  var fromIn = document.getElementById('msg-from'), toIn = document.getElementById('msg-to');
  var status = document.getElementById('msg-status');
  status.textContent = D.msgs.t.length + ' messages in this run; none drawn until you ask.';
  document.getElementById('msg-window').onclick = function () {
    fromIn.value = String(Math.max(0, view.t0) / 1e6);
    toIn.value = String(Math.min(END, view.t1) / 1e6);
  };
  function drawMessages() {
    var node = nodeSel.value === '' ? null : Number(nodeSel.value);
    var kinds = {};
    kindBox.querySelectorAll('input').forEach(function (b) { if (b.checked) kinds[b.value] = true; });
    // An empty bound is the view's: what is drawn is what is on screen.
    var from = fromIn.value === '' ? view.t0 : Number(fromIn.value) * 1e6;
    var to = toIn.value === '' ? view.t1 : Number(toIn.value) * 1e6;
    var matched = 0;
    drawn = [];
    for (var i = 0; i < msgT.length; i++) {
      if (node !== null && D.msgs.f[i] !== node && D.msgs.to[i] !== node) continue;
      if (!kinds[D.msgs.k[i]]) continue;
      var end = D.msgs.x[i] === 1 ? END : msgT[i] + D.msgs.d[i];
      if (msgT[i] > to || end < from) continue;
      matched++;
      if (drawn.length < CAP) drawn.push(i);
    }
    var left = matched - drawn.length;
    var who = node === null ? 'any node' : nodeName(node);
    status.textContent = matched + ' of ' + msgT.length + ' messages match (' + who + ', ' +
      fmt(Math.max(from, 0)) + ' \u2013 ' + fmt(Math.min(to, END)) + '); ' + drawn.length + ' drawn' +
      (left > 0 ? ', ' + left + ' more left out (at most ' + CAP + ' are drawn: narrow the filter)' : '') + '.';
    body.setAttribute('data-messages-drawn', String(drawn.length));
    render();
  }
  document.getElementById('msg-draw').onclick = drawMessages;
  document.getElementById('msg-clear').onclick = function () {
    drawn = [];
    status.textContent = 'No messages drawn.';
    body.setAttribute('data-messages-drawn', '0');
    render();
  };

  // ----- the story below the lanes: narration, clickable to move there -----
  var story = document.getElementById('story');
  D.notes.text.forEach(function (text, i) {
    var li = document.createElement('li');
    var t = document.createElement('span');
    t.className = 't';
    t.textContent = fmt(noteT[i]);
    li.appendChild(t);
    li.appendChild(document.createTextNode(text));
    li.onclick = function () { var w = (view.t1 - view.t0) / 2; setView(noteT[i] - w, noteT[i] + w); };
    story.appendChild(li);
  });

  render();

  // Links into the page, and test hooks, in the fragment: `#view=1200,1300` shows 1.2 s to
  // 1.3 s, `#node=1&draw=1` draws messages of n1, `#hover=op12` puts the pointer on operation
  // 12 (a real mouseover event, through the same handler as the mouse).
  var params = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var p = kv.split('=');
    if (p[0]) params[p[0]] = decodeURIComponent(p[1] || '');
  });
  if (params.view) {
    var w = params.view.split(',').map(Number);
    if (w.length === 2 && w[0] < w[1]) { view.t0 = w[0] * 1e6; view.t1 = w[1] * 1e6; render(); }
  }
  if (params.node !== undefined) nodeSel.value = params.node;
  if (params.draw) drawMessages();
  if (params.hover) {
    var target = document.getElementById(params.hover);
    if (target) {
      var r = target.getBoundingClientRect();
      target.dispatchEvent(new MouseEvent('mouseover', {
        bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2
      }));
    }
  }
  body.setAttribute('data-render-ms', String(Math.round(performance.now())));
  body.setAttribute('data-script-ms', String(Math.round(performance.now() - started)));
  body.setAttribute('data-ready', 'yes');
})();
