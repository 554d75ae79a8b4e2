import type { EdgeKind } from '../../model.js';

/** Colours shared by every picture, so the map looks the same in Mermaid, Graphviz and HTML. */
export const EDGE_COLOURS: Record<EdgeKind, string> = {
  import: '#6b7280',
  manifest: '#a3a3a3',
  http: '#2563eb',
  event: '#d97706',
  database: '#059669',
  'openapi-ref': '#7c3aed',
};
export const VIOLATION_COLOUR = '#dc2626';
export const NODE_FILLS = { service: '#dbeafe', library: '#f3f4f6', contract: '#ede9fe', database: '#d1fae5' } as const;
export const GROUP_COLOUR = '#dc2626';
