import type { AnalysisResult } from '../../analyze.js';
import { formatDot } from './dot.js';
import { formatHtml } from './html.js';
import { formatMermaid } from './mermaid.js';
import { serviceMaps, type MapDetail } from './model.js';

/** Version of the `arch-lint graph --format json` shape; bump on any incompatible change. */
export const GRAPH_SCHEMA_VERSION = 2;

/** `arch-lint graph`: the service map in one of these formats, at one level of detail (the page holds both levels). */
export const GRAPH_FORMATS = ['mermaid', 'dot', 'json', 'html'] as const;

export function formatGraph(result: AnalysisResult, format: (typeof GRAPH_FORMATS)[number], detail: MapDetail): string {
  const maps = serviceMaps(result);
  if (format === 'html') return formatHtml(maps, detail);
  if (format === 'json') return `${JSON.stringify({ schemaVersion: GRAPH_SCHEMA_VERSION, ...maps[detail] }, null, 2)}\n`;
  return format === 'mermaid' ? formatMermaid(maps[detail]) : formatDot(maps[detail]);
}
