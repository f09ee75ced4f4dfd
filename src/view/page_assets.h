// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The execution page's inline stylesheet and script. The script reads the JSON data element
// `#stepwise-data`, fills the state panel and the timeline, and handles the URL fragments
// `#select=STATE_NAME` and `#event=ID`. It writes history text only through `textContent`.
#ifndef STEPWISE_SRC_VIEW_PAGE_ASSETS_H_
#define STEPWISE_SRC_VIEW_PAGE_ASSETS_H_

namespace stepwise::internal {

inline constexpr const char* kPageCss = R"CSS(
*{box-sizing:border-box}
body{margin:0;font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d2329;background:#fafbfc}
header{padding:10px 16px;background:#fff;border-bottom:1px solid #dde1e6;display:flex;flex-wrap:wrap;gap:10px;align-items:center}
h1{font-size:17px;margin:0}
h2{font-size:14px;margin:10px 0 6px}
.pill{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;border:1px solid}
.s-SUCCEEDED{background:#d4f5dc;border-color:#2e8540;color:#1d5a2b}
.s-FAILED,.s-TIMED_OUT{background:#fbd5d5;border-color:#c0392b;color:#8a1f14}
.s-ABORTED{background:#e2d9f3;border-color:#6c4fa3}
.s-INCOMPLETE{background:#d6e9ff;border-color:#2f6fbf;color:#1b4a85}
#summary{color:#5a6570}
#execution-error{flex-basis:100%;color:#8a1f14}
.banner{margin:8px 16px;padding:8px 12px;background:#fff4d6;border:1px solid #e0b84d;border-radius:6px}
main{display:flex;gap:12px;padding:12px 16px;align-items:flex-start}
#graph-pane{flex:3;min-width:0;background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:8px}
#graph-scroll{overflow:auto;max-height:78vh}
#panel{flex:2;min-width:280px;max-height:84vh;overflow:auto;background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 12px}
#legend{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:6px;font-size:12px;color:#3a444e}
.legend-item{display:inline-flex;align-items:center;gap:4px}
.swatch{display:inline-block;width:14px;height:12px;border-radius:3px;border:1.5px solid}
.line-catch,.line-taken{display:inline-block;width:22px;height:0;border-top:2px dashed #c0392b}
.line-taken{border-top:3px solid #1d2329}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.node{cursor:pointer}
.node .box{stroke-width:1.5}
.node text{text-anchor:middle;pointer-events:none}
.node .name{font-size:12px;font-weight:600}
.node .sub{font-size:10.5px;fill:#4a545e}
.node .retry{fill:#8a6d00}
.node .count{text-anchor:end;font-size:10px;fill:#4a545e}
.node.collapsed .box{stroke-dasharray:6 3;stroke-width:2.5}
.node:hover .box,.node:focus .box{stroke-width:3}
.node.selected .box{stroke:#111;stroke-width:3.5}
.st-succeeded .box,.swatch.st-succeeded{fill:#d4f5dc;stroke:#2e8540;background:#d4f5dc;border-color:#2e8540}
.st-failed .box,.swatch.st-failed{fill:#fbd5d5;stroke:#c0392b;background:#fbd5d5;border-color:#c0392b}
.st-caught .box,.swatch.st-caught{fill:#fde7c8;stroke:#d9822b;background:#fde7c8;border-color:#d9822b}
.st-retried .box,.swatch.st-retried{fill:#fff3bf;stroke:#b7950b;background:#fff3bf;border-color:#b7950b}
.st-aborted .box,.swatch.st-aborted{fill:#e2d9f3;stroke:#6c4fa3;background:#e2d9f3;border-color:#6c4fa3}
.st-running .box,.swatch.st-running{fill:#d6e9ff;stroke:#2f6fbf;background:#d6e9ff;border-color:#2f6fbf}
.st-notreached .box,.swatch.st-notreached{fill:#f7f7f7;stroke:#b5b5b5;stroke-dasharray:4 3;background:#f7f7f7;border-color:#b5b5b5}
.st-notreached text{fill:#9aa3ab}
.cluster .frame{fill:#f3f8f8;stroke:#7a9a9a;stroke-dasharray:5 3}
.cluster.st-notreached .frame{fill:#fafafa;stroke:#c8c8c8}
.cluster .branch{fill:#fff;stroke:#b0c4c4}
.branch-label{font-size:10px;fill:#5a7070}
.edge{fill:none;stroke:#9aa3ab;stroke-width:1.3}
.edge.e-catch{stroke:#c0392b;stroke-dasharray:5 4}
.edge.e-default{stroke-width:1.8}
.edge.e-body{stroke:#7a9a9a;stroke-dasharray:2 3}
.edge.taken{stroke:#1d2329;stroke-width:2.6}
.edge.e-catch.taken{stroke:#c0392b}
.arrowhead{fill:#6a737c}
.edge-label rect{fill:#fff;stroke:#dde1e6}
.edge-label text{font-size:10px;text-anchor:middle;fill:#3a444e}
.edge-label.e-catch text{fill:#c0392b}
.edge-label.taken text{font-weight:700}
.marker{fill:#333}
.marker.end-outer{fill:#fff;stroke:#333;stroke-width:2}
.hint{color:#5a6570}
.visit{border:1px solid #dde1e6;border-radius:6px;margin:8px 0;padding:6px 8px}
.visit h3{font-size:12.5px;margin:0 0 4px;display:flex;gap:6px;align-items:center;flex-wrap:wrap}
.tag{font-size:11px;padding:0 6px;border-radius:8px;border:1px solid #b5b5b5;background:#f3f3f3}
.tag.succeeded{background:#d4f5dc;border-color:#2e8540}.tag.failed{background:#fbd5d5;border-color:#c0392b}
.tag.caught{background:#fde7c8;border-color:#d9822b}.tag.retried{background:#fff3bf;border-color:#b7950b}
.tag.aborted{background:#e2d9f3;border-color:#6c4fa3}.tag.running{background:#d6e9ff;border-color:#2f6fbf}
.io-label{font-size:11px;color:#5a6570;margin-top:4px}
pre{margin:2px 0;padding:6px;background:#f6f8fa;border-radius:4px;max-height:260px;overflow:auto;white-space:pre-wrap;word-break:break-word;font:11.5px/1.35 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.err{color:#8a1f14}
.chips{display:flex;flex-wrap:wrap;gap:3px;margin:4px 0}
.chip{font-size:10.5px;padding:0 5px;border-radius:6px;border:1px solid #b5b5b5}
#timeline{padding:0 16px 24px}
#timeline-table{border-collapse:collapse;width:100%;background:#fff;font-size:12px}
#timeline-table th,#timeline-table td{border-bottom:1px solid #eceff2;padding:3px 8px;text-align:left;vertical-align:top}
#timeline-table th{background:#f1f3f5;position:sticky;top:0}
#timeline-table tbody tr{cursor:pointer}
#timeline-table tbody tr:hover{background:#f5f9ff}
#timeline-table tr.fail td{color:#8a1f14}
#timeline-table tr.selected{background:#e4efff}
)CSS";

inline constexpr const char* kPageJs = R"JS(
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('stepwise-data').textContent);
  var panel = document.getElementById('panel');
  var selectedRow = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pretty(s) {
    if (typeof s !== 'string') return JSON.stringify(s, null, 2);
    try { return JSON.stringify(JSON.parse(s), null, 2); } catch (e) { return s; }
  }
  function eventAt(i) { return i >= 0 && i < data.events.length ? data.events[i] : null; }
  function label(status) {
    return status === 'notreached' ? 'not reached' : status === 'running' ? 'in progress' : status;
  }

  function visitsOf(node) {
    var out = [];
    for (var i = 0; i < data.visits.length; i++) {
      var v = data.visits[i];
      if (v.node >= 0 && (v.node === node || data.nodes[v.node].drawn === node)) out.push(v);
    }
    return out;
  }

  function showVisit(container, v, k, node) {
    var box = el('div', 'visit');
    var h = el('h3');
    h.appendChild(el('span', null, 'Entry ' + (k + 1)));
    if (v.node !== node) h.appendChild(el('span', null, v.state));
    h.appendChild(el('span', 'tag ' + v.status, label(v.status)));
    if (v.context) h.appendChild(el('span', 'where', 'in ' + v.context));
    box.appendChild(h);
    var ev = eventAt(v.entered), ex = eventAt(v.exited);
    var meta = 'events #' + (ev ? ev.id : '?') + (ex ? ' to #' + ex.id : ' (not exited)');
    if (ev && ev.ts) meta += ', ' + ev.ts;
    if (v.attempts > 1) meta += ', ' + v.attempts + ' attempts';
    box.appendChild(el('div', 'io-label', meta));
    if (v.error || v.cause) {
      box.appendChild(el('div', 'err', (v.failures > 1 ? 'last error: ' : 'error: ') +
          v.error + (v.cause ? ': ' + v.cause : '')));
    }
    if (v.iterations.length) {
      var counts = {};
      v.iterations.forEach(function (it) { counts[it[1]] = (counts[it[1]] || 0) + 1; });
      var parts = Object.keys(counts).map(function (s) { return counts[s] + ' ' + s; });
      box.appendChild(el('div', 'io-label', v.iterations.length + ' iterations: ' + parts.join(', ')));
      var chips = el('div', 'chips iterations');
      v.iterations.forEach(function (it) {
        chips.appendChild(el('span', 'chip tag ' + it[1], '#' + it[0] + ' ' + it[1]));
      });
      box.appendChild(chips);
    }
    if (v.branches.length) {
      box.appendChild(el('div', 'io-label', v.branches.length + ' branches'));
      var bchips = el('div', 'chips branches');
      v.branches.forEach(function (b) {
        bchips.appendChild(el('span', 'chip tag ' + b.status, 'branch ' + b.branch + ' ' + b.status));
      });
      box.appendChild(bchips);
    }
    box.appendChild(el('div', 'io-label', 'Input'));
    box.appendChild(el('pre', 'io input', ev && ev.details && ev.details.input !== undefined
        ? pretty(ev.details.input) : '(none recorded)'));
    box.appendChild(el('div', 'io-label', 'Output'));
    box.appendChild(el('pre', 'io output', ex && ex.details && ex.details.output !== undefined
        ? pretty(ex.details.output) : '(not exited)'));
    container.appendChild(box);
  }

  function select(node, event) {
    var old = document.querySelectorAll('.node.selected');
    for (var i = 0; i < old.length; i++) old[i].classList.remove('selected');
    panel.textContent = '';
    if (node !== null && node >= 0) {
      var g = document.getElementById('node-' + node);
      if (g) g.classList.add('selected');
      var n = data.nodes[node];
      var title = el('h2', null, n.name);
      title.id = 'panel-title';
      panel.appendChild(title);
      var head = el('div', null);
      head.appendChild(el('span', 'tag ' + n.status, label(n.status)));
      head.appendChild(document.createTextNode(' ' + n.type + (n.collapsed ? ' (collapsed: entries of the states inside are listed too)' : '')));
      panel.appendChild(head);
      var vs = visitsOf(node);
      panel.appendChild(el('div', 'io-label', vs.length ? vs.length + ' entr' + (vs.length === 1 ? 'y' : 'ies') : 'Not reached in this execution.'));
      var limit = Math.min(vs.length, 300);
      for (var k = 0; k < limit; k++) showVisit(panel, vs[k], k, node);
      if (limit < vs.length) panel.appendChild(el('p', 'hint', (vs.length - limit) + ' more entries are in the timeline.'));
    }
    if (event) {
      var d = el('div', 'visit event-details');
      d.appendChild(el('h3', null, 'Event #' + event.id + ' ' + event.type));
      d.appendChild(el('div', 'io-label', (event.ts || '') + (event.context ? ' in ' + event.context : '')));
      var details = {};
      for (var key in event.details) {
        var val = event.details[key];
        details[key] = (key === 'input' || key === 'output' || key === 'parameters') && typeof val === 'string'
            ? (function (s) { try { return JSON.parse(s); } catch (e) { return s; } })(val) : val;
      }
      d.appendChild(el('pre', 'io details', JSON.stringify(details, null, 2)));
      panel.insertBefore(d, panel.firstChild);
    }
  }

  function nodeByName(name) {
    for (var i = 0; i < data.nodes.length; i++) if (data.nodes[i].name === name) return data.nodes[i].drawn;
    return -1;
  }

  function selectEvent(i) {
    var e = data.events[i];
    if (selectedRow) selectedRow.classList.remove('selected');
    selectedRow = document.getElementById('event-' + e.id);
    if (selectedRow) selectedRow.classList.add('selected');
    var node = e.visit >= 0 && data.visits[e.visit].node >= 0 ? data.nodes[data.visits[e.visit].node].drawn : -1;
    select(node, e);
  }

  function buildTimeline() {
    var body = document.querySelector('#timeline-table tbody');
    var frag = document.createDocumentFragment();
    data.events.forEach(function (e, i) {
      var tr = el('tr', /Failed|TimedOut|Aborted/.test(e.type) ? 'fail' : null);
      tr.id = 'event-' + e.id;
      tr.appendChild(el('td', null, e.id));
      tr.appendChild(el('td', null, e.ts));
      tr.appendChild(el('td', null, e.type));
      tr.appendChild(el('td', null, e.state));
      tr.appendChild(el('td', null, e.context));
      tr.addEventListener('click', function () { selectEvent(i); });
      frag.appendChild(tr);
    });
    body.appendChild(frag);
  }

  function fromHash() {
    var h = location.hash.replace(/^#/, '');
    var m;
    if ((m = /^select=(.*)$/.exec(h))) {
      var name;
      try { name = decodeURIComponent(m[1]); } catch (e) { name = m[1]; }
      var n = nodeByName(name);
      if (n >= 0) select(n, null);
    } else if ((m = /^event=(\d+)$/.exec(h))) {
      for (var i = 0; i < data.events.length; i++) if (String(data.events[i].id) === m[1]) selectEvent(i);
    }
  }

  var nodes = document.querySelectorAll('.node');
  for (var i = 0; i < nodes.length; i++) {
    (function (g) {
      var n = parseInt(g.getAttribute('data-node'), 10);
      g.addEventListener('click', function () { select(n, null); });
      g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') select(n, null); });
    })(nodes[i]);
  }
  buildTimeline();
  window.addEventListener('hashchange', fromHash);
  fromHash();
  document.body.setAttribute('data-ready', 'true');
})();
)JS";

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_VIEW_PAGE_ASSETS_H_
