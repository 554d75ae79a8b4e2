import { lockstepDependencies, releaseToolName, serviceReleaseGroups, type LockstepDependency } from '../graph/couplings.js';
import type { Graph, RuleFinding } from '../model.js';
import { useInsteadOfCode } from './shared/advice.js';
import { defineRule } from './types.js';

/**
 * A service that depends on another service's package, imports its runtime code, or is versioned together
 * with it by release configuration cannot ship on its own: every release of one is a release of both.
 * Imports of the other service's internal modules are content-coupling's findings: here they are related
 * information of a package dependency or a public import, never a finding of their own.
 */
export const lockstepDependency = defineRule<Record<string, never>>({
  meta: {
    id: 'lockstep-dependency',
    description: "A service depends on another service's package or runtime code, or release configuration versions services together.",
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'distributed-monolith', 'release'],
    precision: 'very-high',
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  check(graph: Graph): RuleFinding[] {
    const findings = lockstepDependencies(graph).flatMap((dependency) => dependencyFinding(graph, dependency));
    for (const { group, services } of serviceReleaseGroups(graph)) {
      findings.push({
        message: `${capitalise(releaseToolName(group.tool))} versions services ${services.map((s) => `"${s}"`).join(', ')} together, so none can be released alone; version services independently and group only libraries.`,
        location: group.location,
        related: [],
        services,
        key: `${group.tool} ${services.join(',')}`,
      });
    }
    return findings;
  },
});

function dependencyFinding(graph: Graph, dependency: LockstepDependency): RuleFinding[] {
  const { from, to, manifest } = dependency;
  const imports = dependency.imports.filter((i) => !i.internal);
  const internal = dependency.imports.filter((i) => i.internal);
  const evidence = [...manifest, ...imports];
  if (evidence.length === 0) return [];
  const how = [
    manifest.length > 0 ? `depends on its package (${manifest[0].detail})` : undefined,
    imports.length > 0 ? `imports its runtime code (${imports.length === 1 ? imports[0].detail : `${imports.length} imports`})` : undefined,
  ].filter(Boolean);
  return [
    {
      message: `Service "${from}" cannot ship without service "${to}": it ${how.join(' and ')}; ${useInsteadOfCode(graph, to)}.`,
      location: evidence[0].location,
      related: [
        ...evidence.slice(1).map((e) => ({ location: e.location, message: e.detail })),
        ...internal.map((e) => ({ location: e.location, message: `${e.detail}: an internal module of "${to}", reported by content-coupling` })),
      ],
      services: [from, to],
      key: `${from} → ${to}`,
    },
  ];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
