import { COUPLING_KINDS, coDeploymentGroups, type CouplingKind } from '../graph/couplings.js';
import type { Graph, RuleFinding } from '../model.js';
import { defineRule } from './types.js';

export interface DistributedMonolithOptions {
  /** Which couplings force services to deploy together. */
  couplings: CouplingKind[];
}

const COUPLING_WORDS: Record<CouplingKind, string> = {
  'shared-database': 'a shared written database',
  'content-coupling': 'content coupling',
  'sync-cycle': 'a synchronous cycle',
  lockstep: 'lockstep releases',
};

/** The rule whose findings show each coupling one by one. */
const COUPLING_RULES: Record<CouplingKind, string> = {
  'shared-database': 'shared-database',
  'content-coupling': 'content-coupling',
  'sync-cycle': 'service-cycle',
  lockstep: 'lockstep-dependency',
};

/**
 * The co-deployment groups: services that cannot be deployed independently because shared written
 * databases, content coupling, synchronous cycles or lockstep releases tie them together. The headline
 * finding: its evidence comes strongest first, each piece naming the rule that reports it on its own.
 */
export const distributedMonolith = defineRule<DistributedMonolithOptions>({
  meta: {
    id: 'distributed-monolith',
    description: 'Services that cannot be deployed independently: a group joined by synchronous cycles, shared written databases, content coupling or lockstep releases.',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'distributed-monolith'],
    precision: 'very-high',
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
      // Couplings come sorted strongest kind first, so the first evidence is the strongest.
      const kinds = COUPLING_KINDS.filter((k) => group.couplings.some((c) => c.kind === k));
      const related = group.couplings.flatMap((coupling) =>
        coupling.evidence.map((e) => ({ location: e.location, message: `${joined(coupling.services)}: ${coupling.description} (${e.detail}) [${COUPLING_RULES[coupling.kind]}]` })),
      );
      const joinedBy = kinds.map((k) => `${COUPLING_WORDS[k]} (see ${COUPLING_RULES[k]})`);
      return {
        message: `Services ${listed(group.services)} cannot be deployed independently: they are joined by ${listed(joinedBy, false)}.`,
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
