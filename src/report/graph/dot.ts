import type { MapNode, ServiceMap } from './model.js';
import { edgeColour, edgeLabel, edgeWidth, GROUP_COLOUR, NODE_FILLS } from './style.js';

/** A Graphviz digraph: clusters for co-deployment groups, shapes by node kind, edges styled by kind. */
export function formatDot(map: ServiceMap): string {
  const lines = ['digraph services {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];'];
  map.groups.forEach((_group, index) => {
    lines.push(`  subgraph cluster_${index + 1} {`, `    label=${quote(`co-deployment group ${index + 1}`)};`, `    color="${GROUP_COLOUR}"; style="rounded,dashed"; fontcolor="${GROUP_COLOUR}";`);
    for (const node of map.nodes.filter((n) => n.group === index)) lines.push(`    ${declaration(node)}`);
    lines.push('  }');
  });
  for (const node of map.nodes.filter((n) => n.group === undefined)) lines.push(`  ${declaration(node)}`);
  for (const edge of map.edges) {
    const attributes = [
      `label=${quote(edgeLabel(edge))}`,
      `color="${edgeColour(edge)}"`,
      `style=${edge.kind === 'event' ? 'dashed' : edge.kind === 'manifest' ? 'dotted' : 'solid'}`,
      `penwidth=${edgeWidth(edge)}`,
    ];
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const SHAPES: Record<MapNode['kind'], string> = { service: 'box', job: 'box3d', frontend: 'tab', library: 'component', contract: 'note', database: 'cylinder', topic: 'cds' };

function declaration(node: MapNode): string {
  return `${quote(node.id)} [label=${quote(node.id)}, shape=${SHAPES[node.kind]}, style="rounded,filled", fillcolor="${NODE_FILLS[node.kind]}"];`;
}

/** A DOT double-quoted string: backslashes and quotes escaped, newlines removed. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]+/g, ' ')}"`;
}
