import fs from 'node:fs';
import { createRequire } from 'node:module';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import { MAP_DETAILS, type MapDetail, type ServiceMap } from './model.js';
import { EDGE_COLOURS, edgeColour, edgeLabel, edgeWidth, FINDING_COLOURS, GROUP_COLOUR, NODE_FILLS } from './style.js';

/**
 * One self-contained page holding both levels of the map. The layout engine (dagre, a layered layout with edge
 * routing) is inlined from node_modules with a small script of our own that draws the SVG, pans and zooms, searches,
 * focuses, filters and shows evidence. No external resource is loaded, and the content security policy forbids it.
 */
export function formatHtml(maps: Record<MapDetail, ServiceMap>, detail: MapDetail): string {
  const legend = [...Object.entries(EDGE_COLOURS), ...Object.entries(FINDING_COLOURS).map(([level, colour]) => [`${level} finding`, colour])]
    .map(([kind, colour]) => `<span><i style="background:${colour}"></i>${kind}</span>`)
    .join('');
  const levels = MAP_DETAILS.map((d) => `<option value="${d}"${d === detail ? ' selected' : ''}>${d}</option>`).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service map · ${TOOL_NAME}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Service map</h1><p><span id="summary"></span> · ${TOOL_NAME} ${TOOL_VERSION}</p>
<p class="legend">${legend}</p>
<form id="controls" autocomplete="off">
<label>Level <select id="level">${levels}</select></label>
<label>Search <input id="search" type="search" placeholder="node name"></label>
<label>Focus <select id="hops"><option value="1" selected>1 hop</option><option value="2">2 hops</option><option value="3">3 hops</option></select></label>
<span id="kinds"></span>
<label>Findings <select id="finding"></select></label>
<button type="button" id="fit">Fit</button>
</form>
</header>
<main>
<div id="map"><svg id="canvas" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="service map"><defs>${markers()}</defs><g id="viewport"></g></svg></div>
<aside id="details" aria-live="polite"><p class="hint">Click a node to see its evidence and focus on its neighbours (click the background to clear); click an edge for how it was found. Drag to pan, wheel to zoom.</p></aside>
</main>
<script type="application/json" id="map-data">${scriptSafeJson({ initial: detail, levels: Object.fromEntries(MAP_DETAILS.map((d) => [d, drawable(maps[d])])) })}</script>
<script>${layoutEngine()}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The map with what the page draws on each edge: its label, the shorter one on the canvas, its colour and width. */
function drawable(map: ServiceMap) {
  return { ...map, edges: map.edges.map((edge) => ({ ...edge, label: edgeLabel(edge), caption: edgeLabel(edge, { libraries: 1, violations: false }), colour: edgeColour(edge), width: edgeWidth(edge) })) };
}

function markers(): string {
  return [...Object.entries(EDGE_COLOURS), ...Object.entries(FINDING_COLOURS)]
    .map(([kind, colour]) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`)
    .join('');
}

let engine: string | undefined;

/** dagre's browser bundle (which carries graphlib), read once from the installed package. */
function layoutEngine(): string {
  engine ??= fs.readFileSync(createRequire(import.meta.url).resolve('@dagrejs/dagre/dist/dagre.min.js'), 'utf8').replace(/<\/(script)/gi, '<\\/$1');
  return engine;
}

/** JSON inside a script element: `<` escaped so no string can close the element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; background: #fff; height: 100vh; display: flex; flex-direction: column; }
header { padding: 10px 20px 8px; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 18px; margin: 0 0 2px; }
header p { margin: 2px 0; color: #4b5563; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 5px; }
#controls { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin-top: 6px; }
#controls label { white-space: nowrap; }
#kinds label { margin-right: 8px; }
main { display: flex; flex: 1; min-height: 0; }
#map { flex: 1; min-width: 0; position: relative; }
#canvas { width: 100%; height: 100%; display: block; cursor: grab; touch-action: none; }
#canvas.panning { cursor: grabbing; }
#details { width: 380px; overflow: auto; padding: 12px 16px; border-left: 1px solid #e5e7eb; }
#details h2 { font-size: 16px; margin: 0 0 6px; word-break: break-all; }
#details h3 { font-size: 13px; margin: 14px 0 4px; }
#details ul { margin: 0; padding-left: 18px; }
#details li { margin: 2px 0; }
#details code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.hint { color: #6b7280; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #e5e7eb; font-size: 11px; margin-right: 4px; }
.badge.error { background: #fee2e2; color: #991b1b; }
.badge.warning { background: #fef3c7; color: #92400e; }
svg text { font: 12px system-ui, sans-serif; pointer-events: none; }
.node { cursor: pointer; }
.node rect, .node path { stroke: #374151; stroke-width: 1.2; }
.node.flagged rect, .node.flagged path { stroke: ${FINDING_COLOURS.error}; stroke-width: 2; }
.node.selected rect, .node.selected path, .node:focus rect, .node:focus path { stroke: #111827; stroke-width: 3; outline: none; }
.node.match rect, .node.match path { stroke: #2563eb; stroke-width: 3; }
.edge path { fill: none; }
.edge { cursor: pointer; }
.edge text { font-size: 10px; fill: #374151; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.edge.event path { stroke-dasharray: 6 4; }
.edge.manifest path { stroke-dasharray: 2 3; }
.edge:hover path { stroke-width: 4; }
.dimmed, .unmatched { opacity: 0.12; }
.filtered { display: none; }
.group rect { fill: #fef2f2; stroke: ${GROUP_COLOUR}; stroke-dasharray: 6 3; stroke-width: 1.5; }
.group text { fill: ${GROUP_COLOUR}; font-weight: 600; }
`;

const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var FILLS = ${JSON.stringify(NODE_FILLS)};
  var SVG = 'http://www.w3.org/2000/svg';
  var NODE_HEIGHT = 40;
  var PART_MARGIN = 24;
  var LIMIT = 50;
  var canvas = document.getElementById('canvas');
  var viewport = document.getElementById('viewport');
  var details = document.getElementById('details');
  var hint = details.innerHTML;
  var controls = { level: document.getElementById('level'), search: document.getElementById('search'), hops: document.getElementById('hops'), kinds: document.getElementById('kinds'), finding: document.getElementById('finding') };
  var layouts = {};
  var map, drawn, focused = null, view = { x: 0, y: 0, k: 1 };

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attributes, parent) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (name) { e.setAttribute(name, attributes[name]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function width(id) { return Math.max(110, Math.round(id.length * 7 + 28)); }

  // ------------------------------------------------------------ layout (dagre), once per level
  /**
   * Each connected part (a co-deployment group counts as connected) is laid out by dagre on its own, then the parts
   * are packed in rows, largest first, so that unrelated services do not stretch one rank across the page.
   */
  function layout(level) {
    if (layouts[level]) return layouts[level];
    var m = data.levels[level];
    var labelled = level === 'services';
    var index = {};
    m.nodes.forEach(function (n, i) { index[n.id] = i; });
    var part = m.nodes.map(function (n, i) { return i; });
    function find(i) { while (part[i] !== i) i = part[i] = part[part[i]]; return i; }
    function join(a, b) { part[find(a)] = find(b); }
    m.edges.forEach(function (e) { join(index[e.from], index[e.to]); });
    m.groups.forEach(function (group) { group.services.forEach(function (s) { join(index[s], index[group.services[0]]); }); });
    var parts = {};
    m.nodes.forEach(function (n, i) { (parts[find(i)] = parts[find(i)] || []).push(i); });

    var result = { labelled: labelled, nodes: [], groups: [], edges: [] };
    var laid = Object.keys(parts).map(function (key) { return layoutPart(m, parts[key], labelled, result); });
    laid.sort(function (a, b) { return b.size - a.size || a.first - b.first; });
    var area = laid.reduce(function (sum, p) { return sum + p.width * p.height; }, 0);
    var rowWidth = Math.max(Math.sqrt(area) * 1.6, Math.max.apply(null, laid.map(function (p) { return p.width; })));
    var x = 0, y = 0, rowHeight = 0, width = 0;
    laid.forEach(function (p) {
      if (x > 0 && x + p.width > rowWidth) { x = 0; y += rowHeight; rowHeight = 0; }
      p.move(x, y);
      x += p.width;
      rowHeight = Math.max(rowHeight, p.height);
      width = Math.max(width, x);
    });
    result.width = width;
    result.height = y + rowHeight;
    return (layouts[level] = result);
  }

  function layoutPart(m, members, labelled, result) {
    var g = new dagre.graphlib.Graph({ multigraph: true, compound: true });
    // Labelled edges run left to right, so that their labels lengthen the gaps between ranks rather than the ranks.
    g.setGraph({ rankdir: labelled ? 'LR' : 'TB', nodesep: labelled ? 24 : 36, ranksep: 70, edgesep: 14, marginx: 0, marginy: 0 });
    var inside = {};
    var groups = [];
    members.forEach(function (i) {
      var n = m.nodes[i];
      inside[n.id] = true;
      g.setNode('node ' + n.id, { width: width(n.id), height: NODE_HEIGHT });
      if (n.group === undefined) return;
      if (groups.indexOf(n.group) < 0) { groups.push(n.group); g.setNode('group ' + n.group, { paddingTop: 28 }); }
      g.setParent('node ' + n.id, 'group ' + n.group);
    });
    // Labelled edges are laid out one by one, each label in its own place. Unlabelled edges of several kinds
    // between the same two nodes share one route, drawn side by side: half the edges make dagre twice as fast.
    var edges = [];
    var route = {};
    m.edges.forEach(function (e, i) {
      if (!inside[e.from]) return;
      edges.push(i);
      var pair = labelled ? String(i) : e.from + ' → ' + e.to;
      if (route[pair] !== undefined) return;
      route[pair] = i;
      var text = labelled ? e.caption : '';
      g.setEdge('node ' + e.from, 'node ' + e.to, { width: text.length * 5.6, height: text ? 20 : 0, labelpos: 'c' }, pair);
    });
    dagre.layout(g);
    function box(v) { return { x: v.x - v.width / 2, y: v.y - v.height / 2, width: v.width, height: v.height }; }
    members.forEach(function (i) { result.nodes[i] = box(g.node('node ' + m.nodes[i].id)); });
    groups.forEach(function (i) { result.groups[i] = box(g.node('group ' + i)); });
    var sharing = {};
    edges.forEach(function (i) {
      var e = m.edges[i];
      var pair = labelled ? String(i) : e.from + ' → ' + e.to;
      var v = g.edge({ v: 'node ' + e.from, w: 'node ' + e.to, name: pair });
      var offset = (sharing[pair] = (sharing[pair] || 0) + 1) - 1;
      var dx = offset % 2 ? -4 * Math.ceil(offset / 2) : 4 * (offset / 2);
      result.edges[i] = { points: v.points.map(function (p) { return { x: p.x + dx, y: p.y }; }), x: v.x + dx, y: v.y };
    });
    // dagre can route an edge or place a cluster past its margins: the part's bounds are what it draws.
    var boxes = members.map(function (i) { return result.nodes[i]; }).concat(groups.map(function (i) { return result.groups[i]; }));
    edges.forEach(function (i) { result.edges[i].points.forEach(function (p) { boxes.push({ x: p.x, y: p.y, width: 0, height: 0 }); }); });
    var left = Math.min.apply(null, boxes.map(function (b) { return b.x; })) - PART_MARGIN;
    var top = Math.min.apply(null, boxes.map(function (b) { return b.y; })) - PART_MARGIN;
    var part = {
      width: Math.max.apply(null, boxes.map(function (b) { return b.x + b.width; })) + PART_MARGIN - left,
      height: Math.max.apply(null, boxes.map(function (b) { return b.y + b.height; })) + PART_MARGIN - top,
      size: members.length, first: members[0],
      move: function (dx, dy) {
        members.forEach(function (i) { result.nodes[i].x += dx; result.nodes[i].y += dy; });
        groups.forEach(function (i) { result.groups[i].x += dx; result.groups[i].y += dy; });
        edges.forEach(function (i) {
          var at = result.edges[i];
          at.points = at.points.map(function (p) { return { x: p.x + dx, y: p.y + dy }; });
          at.x += dx;
          at.y += dy;
        });
      },
    };
    part.move(-left, -top);
    return part;
  }

  // ------------------------------------------------------------ drawing
  function draw(level) {
    map = data.levels[level];
    drawn = layout(level);
    focused = null;
    viewport.textContent = '';
    drawn.groups.forEach(function (b, i) {
      var g = svg('g', { class: 'group' }, viewport);
      svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 10 }, g);
      svg('text', { x: b.x + 8, y: b.y + 16 }, g).textContent = 'co-deployment group ' + (i + 1);
    });
    map.edges.forEach(function (e, i) {
      var at = drawn.edges[i];
      var g = svg('g', { class: 'edge ' + e.kind + (e.violations.length > 0 ? ' violating' : ''), 'data-edge': i, 'data-kind': e.kind }, viewport);
      svg('title', {}, g).textContent = e.from + ' → ' + e.to + ' (' + e.label + ')';
      svg('path', { d: 'M' + at.points.map(function (p) { return p.x + ',' + p.y; }).join(' L'), stroke: e.colour, 'stroke-width': e.width, 'marker-end': 'url(#arrow-' + (e.level || e.kind) + ')' }, g);
      if (drawn.labelled) svg('text', { x: at.x, y: at.y - 4, 'text-anchor': 'middle' }, g).textContent = e.caption;
      g.addEventListener('click', function (event) { event.stopPropagation(); showEdge(i); });
    });
    map.nodes.forEach(function (n, i) {
      var b = drawn.nodes[i];
      var g = svg('g', { class: 'node ' + n.kind + (n.findings.length > 0 ? ' flagged' : ''), 'data-node': n.id, tabindex: 0, role: 'button', 'aria-label': n.kind + ' ' + n.id }, viewport);
      if (n.kind === 'database') {
        svg('path', { d: 'M' + b.x + ',' + (b.y + 6) + ' a' + b.width / 2 + ',6 0 0,0 ' + b.width + ',0 v' + (b.height - 12) + ' a' + b.width / 2 + ',6 0 0,1 -' + b.width + ',0 z M' + b.x + ',' + (b.y + 6) + ' a' + b.width / 2 + ',6 0 0,1 ' + b.width + ',0', fill: FILLS.database }, g);
      } else {
        svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: n.kind === 'service' ? 6 : 18, fill: FILLS[n.kind] }, g);
      }
      svg('text', { x: b.x + b.width / 2, y: b.y + b.height / 2 + 4, 'text-anchor': 'middle' }, g).textContent = n.id;
      g.addEventListener('click', function (event) { event.stopPropagation(); showNode(n.id); });
      g.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); showNode(n.id); } });
    });
    var services = map.nodes.filter(function (n) { return n.kind === 'service'; }).length;
    document.getElementById('summary').textContent = services + ' service' + (services === 1 ? '' : 's') + ', ' + (map.nodes.length - services) + ' other node' + (map.nodes.length - services === 1 ? '' : 's') + ', ' + map.edges.length + ' edge' + (map.edges.length === 1 ? '' : 's') + ', ' + map.groups.length + ' co-deployment group' + (map.groups.length === 1 ? '' : 's');
    buildFilters();
    details.innerHTML = hint;
    applySearch();
    fit();
  }

  // ------------------------------------------------------------ pan and zoom
  function apply() { viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')'); }
  function fit() {
    var w = canvas.clientWidth || 800, h = canvas.clientHeight || 600;
    view.k = Math.min(w / drawn.width, h / drawn.height, 1.5);
    view.x = (w - drawn.width * view.k) / 2;
    view.y = (h - drawn.height * view.k) / 2;
    apply();
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.max(0.05, Math.min(8, view.k * factor));
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  canvas.addEventListener('wheel', function (event) {
    event.preventDefault();
    var r = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - r.left, event.clientY - r.top);
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('pointerdown', function (event) {
    if (event.target.closest('.node, .edge')) return;
    drag = { x: event.clientX, y: event.clientY, moved: false };
    canvas.classList.add('panning');
  });
  window.addEventListener('pointermove', function (event) {
    if (!drag) return;
    view.x += event.clientX - drag.x;
    view.y += event.clientY - drag.y;
    drag.moved = drag.moved || Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 2;
    drag.x = event.clientX;
    drag.y = event.clientY;
    apply();
  });
  window.addEventListener('pointerup', function () { canvas.classList.remove('panning'); setTimeout(function () { drag = null; }, 0); });
  canvas.addEventListener('click', function () { if (!drag || !drag.moved) clearFocus(); });
  document.getElementById('fit').addEventListener('click', fit);
  window.addEventListener('resize', fit);

  // ------------------------------------------------------------ filters, search and focus
  function buildFilters() {
    var kinds = [];
    map.edges.forEach(function (e) { if (kinds.indexOf(e.kind) < 0) kinds.push(e.kind); });
    var unchecked = {};
    controls.kinds.querySelectorAll('input').forEach(function (box) { if (!box.checked) unchecked[box.value] = true; });
    controls.kinds.textContent = '';
    kinds.sort().forEach(function (kind) {
      var l = el('label');
      var box = el('input');
      box.type = 'checkbox';
      box.value = kind;
      box.checked = !unchecked[kind];
      box.addEventListener('change', applyFilters);
      l.appendChild(box);
      l.appendChild(document.createTextNode(' ' + kind));
      controls.kinds.appendChild(l);
    });
    var rules = [];
    map.edges.forEach(function (e) { e.violations.forEach(function (r) { if (rules.indexOf(r) < 0) rules.push(r); }); });
    var chosen = controls.finding.value;
    controls.finding.textContent = '';
    [['', 'all edges'], ['*', 'edges with a finding']].concat(rules.sort().map(function (r) { return [r, r]; })).forEach(function (option) {
      var o = el('option', '', option[1]);
      o.value = option[0];
      controls.finding.appendChild(o);
    });
    controls.finding.value = rules.indexOf(chosen) >= 0 || chosen === '*' ? chosen : '';
    applyFilters();
  }
  function shown(edge) {
    var box = controls.kinds.querySelector('input[value="' + edge.kind + '"]');
    var rule = controls.finding.value;
    return (!box || box.checked) && (rule === '' || (rule === '*' ? edge.violations.length > 0 : edge.violations.indexOf(rule) >= 0));
  }
  function applyFilters() {
    viewport.querySelectorAll('[data-edge]').forEach(function (g) { g.classList.toggle('filtered', !shown(map.edges[Number(g.getAttribute('data-edge'))])); });
    if (focused !== null) focus(focused);
  }
  function applySearch() {
    var query = controls.search.value.trim().toLowerCase();
    viewport.querySelectorAll('[data-node]').forEach(function (g) {
      var hit = query !== '' && g.getAttribute('data-node').toLowerCase().indexOf(query) >= 0;
      g.classList.toggle('match', hit);
      g.classList.toggle('unmatched', query !== '' && !hit);
    });
  }
  /** The nodes within the chosen number of hops of id, over the edges the filters show, either direction. */
  function neighbourhood(id) {
    var near = {};
    near[id] = true;
    var frontier = [id];
    for (var hop = 0; hop < Number(controls.hops.value); hop++) {
      var next = [];
      map.edges.forEach(function (e) {
        if (!shown(e)) return;
        if (frontier.indexOf(e.from) >= 0 && !near[e.to]) { near[e.to] = true; next.push(e.to); }
        if (frontier.indexOf(e.to) >= 0 && !near[e.from]) { near[e.from] = true; next.push(e.from); }
      });
      frontier = next;
    }
    return near;
  }
  function focus(id) {
    focused = id;
    var near = neighbourhood(id);
    viewport.querySelectorAll('[data-node]').forEach(function (g) { g.classList.toggle('dimmed', !near[g.getAttribute('data-node')]); });
    viewport.querySelectorAll('[data-edge]').forEach(function (g) {
      var e = map.edges[Number(g.getAttribute('data-edge'))];
      g.classList.toggle('dimmed', !(near[e.from] && near[e.to]));
    });
  }
  function clearFocus() {
    focused = null;
    viewport.querySelectorAll('.dimmed, .selected').forEach(function (g) { g.classList.remove('dimmed'); g.classList.remove('selected'); });
    details.innerHTML = hint;
  }
  controls.level.addEventListener('change', function () {
    // A level is laid out on first view, which can take seconds on a large map: say so before the page freezes.
    if (!layouts[controls.level.value]) document.getElementById('summary').textContent = 'laying out ' + data.levels[controls.level.value].nodes.length + ' nodes…';
    setTimeout(function () { draw(controls.level.value); }, 30);
  });
  controls.finding.addEventListener('change', applyFilters);
  controls.hops.addEventListener('change', function () { if (focused !== null) focus(focused); });
  controls.search.addEventListener('input', applySearch);
  controls.search.addEventListener('keydown', function (event) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    var first = viewport.querySelector('.node.match');
    if (!first) return;
    var id = first.getAttribute('data-node');
    showNode(id);
    var b = drawn.nodes[map.nodes.findIndex(function (n) { return n.id === id; })];
    view.x = canvas.clientWidth / 2 - (b.x + b.width / 2) * view.k;
    view.y = canvas.clientHeight / 2 - (b.y + b.height / 2) * view.k;
    apply();
  });
  document.getElementById('controls').addEventListener('submit', function (event) { event.preventDefault(); });

  // ------------------------------------------------------------ evidence
  function where(l) { return l.file + ':' + l.line + ':' + l.column; }
  function list(items, render) {
    var ul = el('ul');
    items.slice(0, LIMIT).forEach(function (item) { var li = el('li'); render(li, item); ul.appendChild(li); });
    if (items.length > LIMIT) ul.appendChild(el('li', 'hint', '… and ' + (items.length - LIMIT) + ' more'));
    return ul;
  }
  function evidence(li, e) { li.appendChild(el('code', '', where(e.location))); li.appendChild(document.createTextNode(' ' + e.detail)); }
  function section(title, content) { details.appendChild(el('h3', '', title)); details.appendChild(content); }
  function edgeItem(li, edge, other) {
    li.appendChild(el('span', 'badge', edge.kind + (edge.kind === 'event' && edge.sync ? ' (request-response)' : '')));
    li.appendChild(document.createTextNode(other + (edge.via ? ' via ' + edge.via.join(', ') : '')));
    edge.violations.forEach(function (rule) { li.appendChild(document.createTextNode(' ')); li.appendChild(el('span', 'badge ' + edge.level, rule)); });
    li.appendChild(list(edge.evidence, evidence));
  }
  function select(selector) {
    viewport.querySelectorAll('.selected').forEach(function (e) { e.classList.remove('selected'); });
    var target = viewport.querySelector(selector);
    if (target) target.classList.add('selected');
  }
  function showNode(id) {
    var node = map.nodes.find(function (n) { return n.id === id; });
    select('[data-node="' + CSS.escape(id) + '"]');
    focus(id);
    details.textContent = '';
    details.appendChild(el('h2', '', node.id));
    details.appendChild(el('span', 'badge', node.kind));
    if (node.group !== undefined) details.appendChild(el('span', 'badge error', 'co-deployment group ' + (node.group + 1)));
    if (node.members.length > 1) section('Deployed as one service', list(node.members, function (li, m) { li.textContent = m; }));
    if (node.reasons.length > 0) section('Why it is a ' + node.kind, list(node.reasons, function (li, r) { li.textContent = r; }));
    if (node.findings.length > 0) section('Findings', list(node.findings, function (li, f) {
      li.appendChild(el('span', 'badge ' + f.severity, f.ruleId));
      li.appendChild(document.createTextNode(f.message + ' '));
      li.appendChild(el('code', '', where(f.location)));
    }));
    var out = map.edges.filter(function (e) { return e.from === id; });
    var into = map.edges.filter(function (e) { return e.to === id; });
    if (out.length > 0) section('Depends on', list(out, function (li, e) { edgeItem(li, e, ' ' + e.to); }));
    if (into.length > 0) section('Used by', list(into, function (li, e) { edgeItem(li, e, ' ' + e.from); }));
    if (node.group !== undefined) {
      var group = map.groups[node.group];
      section('Why the group deploys together', list(group.couplings, function (li, c) {
        li.appendChild(el('span', 'badge error', c.kind));
        li.appendChild(document.createTextNode(c.services.join(' ↔ ') + ': ' + c.description));
        li.appendChild(list(c.evidence, evidence));
      }));
    }
  }
  function showEdge(index) {
    var edge = map.edges[index];
    select('[data-edge="' + index + '"]');
    details.textContent = '';
    details.appendChild(el('h2', '', edge.from + ' → ' + edge.to));
    var li = el('div');
    edgeItem(li, edge, '');
    details.appendChild(li);
  }

  draw(data.initial);
})();
`;
