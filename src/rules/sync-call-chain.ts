import { flowStep, isSynchronousCall, longestSimplePath, pathText, relatedEvidence, serviceLinks, successorsOf } from '../graph/services.js';
import type { Graph, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface SyncCallChainOptions {
  /** The longest chain of synchronous calls allowed, in hops. */
  max: number;
}

/**
 * Temporal coupling: A waits on B, which waits on C, … Each extra hop adds latency and another
 * service that must be up for the first one to answer.
 */
export const syncCallChain = defineRule<SyncCallChainOptions>({
  meta: {
    id: 'sync-call-chain',
    description: 'A chain of synchronous calls (HTTP, request-response messaging) between services is longer than the maximum.',
    defaultSeverity: 'warning',
    tags: ['architecture', 'coupling', 'temporal-coupling'],
    precision: 'medium',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { max: { type: 'integer', minimum: 1 } },
    },
    defaultOptions: { max: 3 },
  },
  check(graph: Graph, options: SyncCallChainOptions): RuleFinding[] {
    const links = serviceLinks(graph, isSynchronousCall);
    const linkOf = new Map(links.map((l) => [`${l.from}\0${l.to}`, l]));
    const successors = successorsOf(links);
    const called = new Set(links.map((l) => l.to));
    // Chains are reported from where they start: a service no other service calls synchronously.
    const entries = [...successors.keys()].filter((s) => !called.has(s)).sort();
    const findings: RuleFinding[] = [];
    for (const entry of entries) {
      const chain = longestSimplePath(entry, successors);
      const hops = chain.length - 1;
      if (hops <= options.max) continue;
      const steps = chain.slice(1).map((to, i) => linkOf.get(`${chain[i]}\0${to}`)!);
      const flow = steps.map(flowStep);
      findings.push({
        message: `A chain of ${hops} synchronous calls (max ${options.max}) starts at service "${entry}": ${pathText(chain)}; each hop must answer before the first can; replace a hop with an event or a local copy of the data.`,
        location: flow[0].location,
        related: steps.flatMap(relatedEvidence),
        services: chain,
        key: pathText(chain),
        flow,
      });
    }
    return findings;
  },
});
