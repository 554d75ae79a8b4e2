import type { EdgeKind } from '../../model.js';
import type { MapEdge } from './model.js';

/** Colours shared by every picture, so the map looks the same in Mermaid, Graphviz and HTML. */
export const EDGE_COLOURS: Record<EdgeKind, string> = {
  import: '#6b7280',
  manifest: '#a3a3a3',
  http: '#2563eb',
  event: '#d97706',
  database: '#059669',
  'openapi-ref': '#7c3aed',
};
/** Edges that findings point at, by the worst severity among them. */
export const FINDING_COLOURS = { error: '#dc2626', warning: '#db2777' } as const;
export const NODE_FILLS = { service: '#dbeafe', job: '#fef3c7', frontend: '#fce7f3', library: '#f3f4f6', contract: '#ede9fe', database: '#d1fae5' } as const;
export const GROUP_COLOUR = FINDING_COLOURS.error;

/** An edge's colour: its finding severity's, else its kind's. */
export function edgeColour(edge: MapEdge): string {
  return edge.level ? FINDING_COLOURS[edge.level] : EDGE_COLOURS[edge.kind];
}
