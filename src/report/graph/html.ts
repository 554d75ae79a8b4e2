import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import { layout, type Box } from './layout.js';
import type { MapEdge, ServiceMap } from './model.js';
import { EDGE_COLOURS, edgeColour, FINDING_COLOURS, GROUP_COLOUR, NODE_FILLS } from './style.js';

/**
 * One self-contained page: the map drawn as inline SVG (laid out here, not in the browser) and a small
 * script of our own that shows a node's or an edge's evidence when clicked. No external resource is
 * loaded, and the content security policy forbids it.
 */
export function formatHtml(map: ServiceMap): string {
  const drawn = layout(map);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${drawn.width}" height="${drawn.height}" viewBox="0 0 ${drawn.width} ${drawn.height}" role="img" aria-label="service map">`,
    '<defs>',
    ...[...Object.entries(EDGE_COLOURS), ...Object.entries(FINDING_COLOURS)].map(
      ([kind, colour]) => `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`,
    ),
    '</defs>',
    ...drawn.groups.map((box, i) => `<g class="group"><rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="10"/><text x="${box.x + 8}" y="${box.y - 5}">co-deployment group ${i + 1}</text></g>`),
    ...map.edges.map((edge, i) => edgePath(edge, i, drawn.nodes, map.edges)),
    ...map.nodes.map((node) => {
      const box = drawn.nodes.get(node.id)!;
      const flagged = node.findings.length > 0 ? ' flagged' : '';
      const shape =
        node.kind === 'database'
          ? `<path d="M${box.x},${box.y + 6} a${box.width / 2},6 0 0,0 ${box.width},0 v${box.height - 12} a${box.width / 2},6 0 0,1 -${box.width},0 z M${box.x},${box.y + 6} a${box.width / 2},6 0 0,1 ${box.width},0" fill="${NODE_FILLS.database}"/>`
          : `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="${node.kind === 'service' ? 6 : 18}" fill="${NODE_FILLS[node.kind]}"/>`;
      return `<g class="node ${node.kind}${flagged}" data-node="${escape(node.id)}" tabindex="0" role="button" aria-label="${escape(`${node.kind} ${node.id}`)}">${shape}<text x="${box.x + box.width / 2}" y="${box.y + box.height / 2 + 4}" text-anchor="middle">${escape(node.id)}</text></g>`;
    }),
    '</svg>',
  ].join('\n');
  const services = map.nodes.filter((n) => n.kind === 'service').length;
  const summary = `${services} service${services === 1 ? '' : 's'}, ${map.nodes.length - services} other node${map.nodes.length - services === 1 ? '' : 's'}, ${map.edges.length} edge${map.edges.length === 1 ? '' : 's'}, ${map.groups.length} co-deployment group${map.groups.length === 1 ? '' : 's'}`;
  const legend = [...Object.entries(EDGE_COLOURS), ...Object.entries(FINDING_COLOURS).map(([level, colour]) => [`${level} finding`, colour])]
    .map(([kind, colour]) => `<span><i style="background:${colour}"></i>${kind}</span>`)
    .join('');
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
<header><h1>Service map</h1><p>${escape(summary)} · ${TOOL_NAME} ${TOOL_VERSION}</p><p class="legend">${legend}</p></header>
<main>
<div id="map">
${svg}
</div>
<aside id="details" aria-live="polite"><p class="hint">Click a service, library or database to see its evidence; click an edge for how it was found.</p></aside>
</main>
<script type="application/json" id="map-data">${scriptSafeJson(map)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** A curve from the bottom of the source to the top of the target; parallel edges of different kinds are spread apart. */
function edgePath(edge: MapEdge, index: number, boxes: Map<string, Box>, all: MapEdge[]): string {
  const [from, to] = [boxes.get(edge.from)!, boxes.get(edge.to)!];
  const siblings = all.filter((e) => e.from === edge.from && e.to === edge.to);
  const spread = (siblings.indexOf(edge) - (siblings.length - 1) / 2) * 8;
  const violating = edge.violations.length > 0;
  let d: string;
  if (from.y === to.y) {
    // Same row: from side to side, bowing up when going right and down when going left, so a pair of opposite edges stays apart.
    const right = to.x > from.x;
    const x1 = right ? from.x + from.width : from.x;
    const x2 = right ? to.x : to.x + to.width;
    const y = from.y + from.height / 2 + spread / 2 + (right ? -8 : 8);
    const bow = (right ? -1 : 1) * Math.min(60, 14 + Math.abs(x2 - x1) / 4);
    d = `M${x1},${y} C${x1 + (x2 - x1) / 3},${y + bow} ${x2 - (x2 - x1) / 3},${y + bow} ${x2},${y}`;
  } else {
    const x1 = from.x + from.width / 2 + spread;
    const x2 = to.x + to.width / 2 + spread;
    const downward = to.y > from.y;
    const y1 = downward ? from.y + from.height : from.y;
    const y2 = downward ? to.y : to.y + to.height;
    const bend = Math.max(40, Math.abs(y2 - y1) / 2) * (downward ? 1 : -1);
    d = `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
  }
  const marker = edge.level ?? edge.kind;
  const title = `${edge.from} → ${edge.to} (${edge.kind}${violating ? `; ${edge.violations.join(', ')}` : ''})`;
  return `<g class="edge ${edge.kind}${violating ? ' violating' : ''}" data-edge="${index}"><title>${escape(title)}</title><path d="${d}" stroke="${edgeColour(edge)}" marker-end="url(#arrow-${marker})"/></g>`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside a script element: `<` escaped so no string can close the element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const STYLE = `
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; background: #fff; }
header { padding: 12px 20px; border-bottom: 1px solid #e5e7eb; }
h1 { font-size: 18px; margin: 0 0 4px; }
header p { margin: 2px 0; color: #4b5563; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 5px; }
main { display: flex; align-items: flex-start; }
#map { flex: 1; overflow: auto; padding: 8px; }
#details { width: 380px; max-height: calc(100vh - 90px); overflow: auto; padding: 12px 16px; border-left: 1px solid #e5e7eb; position: sticky; top: 0; }
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
.edge path { fill: none; stroke-width: 1.5; }
.edge { cursor: pointer; }
.edge.event path { stroke-dasharray: 6 4; }
.edge.manifest path { stroke-dasharray: 2 3; }
.edge.http path { stroke-width: 2; }
.edge.violating path { stroke-width: 3; }
.edge:hover path { stroke-width: 4; }
.group rect { fill: #fef2f2; stroke: ${GROUP_COLOUR}; stroke-dasharray: 6 3; stroke-width: 1.5; }
.group text { fill: ${GROUP_COLOUR}; font-weight: 600; }
`;

const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var details = document.getElementById('details');
  var nodes = {};
  data.nodes.forEach(function (n) { nodes[n.id] = n; });
  var LIMIT = 50;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
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
    li.appendChild(document.createTextNode(other));
    edge.violations.forEach(function (rule) { li.appendChild(document.createTextNode(' ')); li.appendChild(el('span', 'badge ' + edge.level, rule)); });
    li.appendChild(list(edge.evidence, evidence));
  }
  function select(selector) {
    document.querySelectorAll('.selected').forEach(function (e) { e.classList.remove('selected'); });
    if (selector) { var target = document.querySelector(selector); if (target) target.classList.add('selected'); }
  }

  function showNode(id) {
    var node = nodes[id];
    select('[data-node="' + CSS.escape(id) + '"]');
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
    var out = data.edges.filter(function (e) { return e.from === id; });
    var into = data.edges.filter(function (e) { return e.to === id; });
    if (out.length > 0) section('Depends on', list(out, function (li, e) { edgeItem(li, e, ' ' + e.to); }));
    if (into.length > 0) section('Used by', list(into, function (li, e) { edgeItem(li, e, ' ' + e.from); }));
    if (node.group !== undefined) {
      var group = data.groups[node.group];
      section('Why the group deploys together', list(group.couplings, function (li, c) {
        li.appendChild(el('span', 'badge error', c.kind));
        li.appendChild(document.createTextNode(c.services.join(' ↔ ') + ': ' + c.description));
        li.appendChild(list(c.evidence, evidence));
      }));
    }
  }

  function showEdge(index) {
    var edge = data.edges[index];
    select('[data-edge="' + index + '"]');
    details.textContent = '';
    details.appendChild(el('h2', '', edge.from + ' → ' + edge.to));
    var li = el('div');
    edgeItem(li, edge, '');
    details.appendChild(li);
  }

  document.querySelectorAll('[data-node]').forEach(function (g) {
    g.addEventListener('click', function () { showNode(g.getAttribute('data-node')); });
    g.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); showNode(g.getAttribute('data-node')); } });
  });
  document.querySelectorAll('[data-edge]').forEach(function (g) {
    g.addEventListener('click', function () { showEdge(Number(g.getAttribute('data-edge'))); });
  });
})();
`;
