import { flowStep, serviceLinks } from '../graph/services.js';
import type { ComponentEdge, Graph, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface ServiceFanOutOptions {
  /** The most other services one service may depend on. */
  max: number;
}

/** Domain coupling in excess: a service that needs many others is probably doing too much. */
export const serviceFanOut = defineRule<ServiceFanOutOptions>({
  meta: {
    id: 'service-fan-out',
    description: 'A service depends on more other services than the maximum (imports, package dependencies, HTTP calls, events).',
    defaultSeverity: 'warning',
    tags: ['architecture', 'coupling', 'domain-coupling'],
    precision: 'high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { max: { type: 'integer', minimum: 0 } },
    },
    defaultOptions: { max: 5 },
  },
  check(graph: Graph, options: ServiceFanOutOptions): RuleFinding[] {
    const bySource = new Map<string, ReturnType<typeof serviceLinks>>();
    for (const link of serviceLinks(graph, isDependency)) bySource.set(link.from, [...(bySource.get(link.from) ?? []), link]);
    const findings: RuleFinding[] = [];
    for (const [service, links] of bySource) {
      if (links.length <= options.max) continue;
      const steps = links.map(flowStep);
      findings.push({
        message: `Service "${service}" depends on ${links.length} other services (max ${options.max}): ${links.map((l) => l.to).join(', ')}; it may be doing too much.`,
        location: steps[0].location,
        related: steps.slice(1),
        services: [service, ...links.map((l) => l.to)],
        key: service,
      });
    }
    return findings;
  },
});

/** Every dependency except development-only package dependencies (which do not ship). */
function isDependency(edge: ComponentEdge): boolean {
  return edge.kind !== 'manifest' || edge.sync;
}
