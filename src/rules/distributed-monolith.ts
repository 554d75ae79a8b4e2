import { COUPLING_KINDS, coDeploymentGroups, type CouplingKind } from '../graph/couplings.js';
import type { Graph, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface DistributedMonolithOptions {
  /** Which couplings force services to deploy together. */
  couplings: CouplingKind[];
}

const COUPLING_WORDS: Record<CouplingKind, string> = {
  'sync-cycle': 'a synchronous cycle',
  'shared-database': 'a shared written database',
  'content-coupling': 'content coupling',
  lockstep: 'lockstep releases',
};

/**
 * The co-deployment groups: services that cannot be deployed independently because synchronous cycles,
 * shared written databases, content coupling or lockstep releases tie them together. The headline finding.
 */
export const distributedMonolith = defineRule<DistributedMonolithOptions>({
  meta: {
    id: 'distributed-monolith',
    description: 'Services that cannot be deployed independently: a group joined by synchronous cycles, shared written databases, content coupling or lockstep releases.',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'distributed-monolith'],
    precision: 'high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        couplings: { type: 'array', items: { enum: [...COUPLING_KINDS] }, uniqueItems: true },
      },
    },
    defaultOptions: { couplings: [...COUPLING_KINDS] },
  },
  check(graph: Graph, options: DistributedMonolithOptions): RuleFinding[] {
    return coDeploymentGroups(graph, options.couplings).map((group) => {
      const kinds = COUPLING_KINDS.filter((k) => group.couplings.some((c) => c.kind === k)).map((k) => COUPLING_WORDS[k]);
      const related = group.couplings.flatMap((coupling) =>
        coupling.evidence.map((e) => ({ location: e.location, message: `${joined(coupling.services)}: ${coupling.description} (${e.detail})` })),
      );
      return {
        message: `Services ${listed(group.services)} cannot be deployed independently: they are joined by ${listed(kinds, false)}.`,
        location: related[0].location,
        related,
        services: group.services,
        key: group.services.join(','),
      };
    });
  },
});

/** `a ↔ b`, or a count when a coupling (a release group, a shared database) joins many services. */
function joined(services: string[]): string {
  return services.length <= 3 ? services.join(' ↔ ') : `${services.length} services`;
}

/** `"a", "b" and "c"`; past six names, the first five and how many more (the related locations name them all). */
function listed(items: string[], quoted = true): string {
  const shown = quoted ? items.map((i) => `"${i}"`) : items;
  if (shown.length > 6) return `${shown.slice(0, 5).join(', ')} and ${shown.length - 5} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
