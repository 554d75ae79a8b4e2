import type { AnalysisResult } from '../../analyze.js';
import { formatDot } from './dot.js';
import { formatHtml } from './html.js';
import { formatMermaid } from './mermaid.js';
import { serviceMap, type ServiceMap } from './model.js';

/** Version of the `arch-lint graph --format json` shape; bump on any incompatible change. */
export const GRAPH_SCHEMA_VERSION = 1;

/** `arch-lint graph`: the service map in one of these formats. */
export const graphFormatters: Record<string, (map: ServiceMap) => string> = {
  mermaid: formatMermaid,
  dot: formatDot,
  json: (map) => `${JSON.stringify({ schemaVersion: GRAPH_SCHEMA_VERSION, ...map }, null, 2)}\n`,
  html: formatHtml,
};

export function formatGraph(result: AnalysisResult, format: string): string {
  return graphFormatters[format](serviceMap(result));
}
