import { linksOnCycles } from '../graph/couplings.js';
import { elementaryCycles, flowStep, isSynchronous, pathText, relatedEvidence, successorsOf, type ServiceLink } from '../graph/services.js';
import type { ComponentEdge, Graph, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface ServiceCycleOptions {
  /** Count fire-and-forget events as dependencies too (a subscriber depends on the publisher's event). */
  includeEvents: boolean;
  /** At most this many cycles are reported per tangle of services; the rest are summed up in one more finding. */
  maxCycles: number;
}

/**
 * Services that depend on each other in a circle over synchronous edges cannot be deployed, started or
 * changed one at a time: each release of one needs a compatible release of the others.
 */
export const serviceCycle = defineRule<ServiceCycleOptions>({
  meta: {
    id: 'service-cycle',
    description: 'Services depend on each other in a cycle over synchronous edges (runtime imports, package dependencies, HTTP calls, request-response messages).',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'distributed-monolith', 'cycle'],
    precision: 'very-high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        includeEvents: { type: 'boolean' },
        maxCycles: { type: 'integer', minimum: 1 },
      },
    },
    defaultOptions: { includeEvents: false, maxCycles: 50 },
  },
  check(graph: Graph, options: ServiceCycleOptions): RuleFinding[] {
    const accept = (edge: ComponentEdge) => isSynchronous(edge) || (options.includeEvents && edge.kind === 'event');
    const findings: RuleFinding[] = [];
    for (const { members, links } of linksOnCycles(graph, accept)) {
      const linkOf = new Map(links.map((l) => [`${l.from}\0${l.to}`, l]));
      const { cycles, truncated } = elementaryCycles(members, successorsOf(links), options.maxCycles);
      for (const cycle of cycles) {
        const hops = cycle.map((from, i) => linkOf.get(`${from}\0${cycle[(i + 1) % cycle.length]}`)!);
        findings.push(cycleFinding(cycle, hops));
      }
      if (truncated) findings.push(tangleFinding(members, links, options.maxCycles));
    }
    return findings;
  },
});

function cycleFinding(cycle: string[], hops: ServiceLink[]): RuleFinding {
  const path = pathText([...cycle, cycle[0]]);
  const kinds = [...new Set(hops.flatMap((h) => h.edges.map((e) => e.kind)))].join(', ');
  const flow = hops.map(flowStep);
  return {
    message: `Services form a dependency cycle ${path} (${kinds}): none of them can be deployed without the others; break the cycle with an event or by moving the shared behaviour.`,
    location: flow[0].location,
    related: hops.flatMap(relatedEvidence),
    services: cycle,
    key: path,
    flow,
  };
}

function tangleFinding(members: string[], links: ServiceLink[], limit: number): RuleFinding {
  return {
    message: `Services ${members.join(', ')} are tangled in more than ${limit} dependency cycles; only ${limit} are reported one by one.`,
    location: flowStep(links[0]).location,
    related: links.map(flowStep),
    services: members,
    key: `tangle ${members.join(',')}`,
  };
}
