import type { MapNode, ServiceMap } from './model.js';
import { edgeColour, edgeLabel, edgeWidth, GROUP_COLOUR, NODE_FILLS } from './style.js';

/** A Mermaid flowchart (renders in GitHub markdown): clusters for co-deployment groups, edges styled by kind. */
export function formatMermaid(map: ServiceMap): string {
  const ids = new Map(map.nodes.map((n, i) => [n.id, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const [kind, fill] of Object.entries(NODE_FILLS)) lines.push(`  classDef ${kind} fill:${fill},stroke:#374151,color:#111827`);
  const declare = (node: MapNode, indent: string) => lines.push(`${indent}${ids.get(node.id)}${shape(node)}:::${node.kind}`);
  map.groups.forEach((_group, index) => {
    lines.push(`  subgraph group${index + 1}["co-deployment group ${index + 1}"]`);
    for (const node of map.nodes.filter((n) => n.group === index)) declare(node, '    ');
    lines.push('  end');
    lines.push(`  style group${index + 1} fill:#fef2f2,stroke:${GROUP_COLOUR},stroke-width:2px`);
  });
  for (const node of map.nodes.filter((n) => n.group === undefined)) declare(node, '  ');
  const styles: string[] = [];
  map.edges.forEach((edge, index) => {
    const arrow = edge.kind === 'event' ? '-.->' : edge.kind === 'http' || edge.kind === 'rpc' ? '==>' : '-->';
    lines.push(`  ${ids.get(edge.from)} ${arrow}|${text(edgeLabel(edge))}| ${ids.get(edge.to)}`);
    styles.push(`  linkStyle ${index} stroke:${edgeColour(edge)},stroke-width:${edgeWidth(edge)}px${edge.kind === 'manifest' ? ',stroke-dasharray:2 3' : ''}`);
  });
  return `${[...lines, ...styles].join('\n')}\n`;
}

function shape(node: MapNode): string {
  const label = `"${text(node.id)}"`;
  if (node.kind === 'database') return `[(${label})]`;
  if (node.kind === 'library') return `([${label}])`;
  if (node.kind === 'contract') return `[/${label}/]`;
  if (node.kind === 'job') return `[[${label}]]`;
  if (node.kind === 'frontend') return `[\\${label}/]`;
  if (node.kind === 'topic') return `>${label}]`;
  return `[${label}]`;
}

/** Mermaid has no backslash escapes: quotes, pipes and angle brackets become entity codes. */
function text(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/\|/g, '#124;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
