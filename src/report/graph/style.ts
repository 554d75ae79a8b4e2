import type { EdgeKind } from '../../model.js';
import type { MapEdge } from './model.js';

/** Colours shared by every picture, so the map looks the same in Mermaid, Graphviz and HTML. */
export const EDGE_COLOURS: Record<EdgeKind, string> = {
  import: '#6b7280',
  manifest: '#a3a3a3',
  http: '#2563eb',
  rpc: '#0891b2',
  event: '#d97706',
  database: '#059669',
  'openapi-ref': '#7c3aed',
};
/** Edges that findings point at, by the worst severity among them. */
export const FINDING_COLOURS = { error: '#dc2626', warning: '#db2777' } as const;
export const NODE_FILLS = { service: '#dbeafe', job: '#fef3c7', frontend: '#fce7f3', library: '#f3f4f6', contract: '#ede9fe', database: '#d1fae5', topic: '#ffedd5' } as const;
export const GROUP_COLOUR = FINDING_COLOURS.error;

/** An edge's colour: its finding severity's, else its kind's. */
export function edgeColour(edge: MapEdge): string {
  return edge.level ? FINDING_COLOURS[edge.level] : EDGE_COLOURS[edge.kind];
}

/** An edge's label: its kind, its weight, the first libraries carrying it and (unless left out) the rules it breaks. */
export function edgeLabel(edge: MapEdge, { libraries = 2, violations = true } = {}): string {
  const via = edge.via && edge.via.length > libraries ? `${edge.via.slice(0, libraries).join(', ')} +${edge.via.length - libraries}` : edge.via?.join(', ');
  return `${edge.kind}${edge.count > 1 ? ` ×${edge.count}` : ''}${via ? ` via ${via}` : ''}${violations && edge.violations.length > 0 ? ` ✖ ${edge.violations.join(', ')}` : ''}`;
}

/** Stroke width: heavier with more evidence (logarithmically), heaviest where a finding points. */
export function edgeWidth(edge: MapEdge): number {
  return Math.round((edge.level ? 3 : 1.5) * (1 + Math.log10(Math.max(1, edge.count)) / 2) * 10) / 10;
}
