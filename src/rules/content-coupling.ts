import { publicSurfaceMatcher } from '../graph/public-surface.js';
import type { Graph, RuleFinding } from '../model.js';
import { useInsteadOfCode } from './shared/advice.js';
import { describeComponent } from './shared/describe.js';
import { tableCouplingFindings, type TableCouplingOptions } from './shared/table-ownership.js';
import { defineRule } from './types.js';
import { isDeployable, servicesThroughLibraries, testFileSet } from '../graph/services.js';

export interface ContentCouplingOptions extends TableCouplingOptions {
  /** How to treat `import type` into another service's internals. */
  typeOnlyImports: 'error' | 'warn' | 'off';
  /** Skip imports made by test files (config `testFiles`). */
  ignoreTestFiles: boolean;
}

/**
 * Content coupling: one service reaches into another's internals — "the worst of the worst",
 * since the owner can no longer change its own implementation without breaking the caller.
 */
export const contentCoupling = defineRule<ContentCouplingOptions>({
  meta: {
    id: 'content-coupling',
    description: "A service imports another service's private modules instead of its public entry points or contract, or reads or writes tables another service owns.",
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'content-coupling'],
    precision: 'very-high',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        typeOnlyImports: { enum: ['error', 'warn', 'off'] },
        ignoreTestFiles: { type: 'boolean' },
        tableReads: { enum: ['error', 'warn', 'off'] },
      },
    },
    defaultOptions: { typeOnlyImports: 'error', ignoreTestFiles: false, tableReads: 'warn' },
  },
  check(graph: Graph, options: ContentCouplingOptions): RuleFinding[] {
    const byId = new Map(graph.components.map((c) => [c.id, c]));
    const tests = testFileSet(graph);
    const isPublic = publicSurfaceMatcher();
    const findings: RuleFinding[] = [];
    const runners = servicesThroughLibraries(graph);
    for (const edge of graph.moduleEdges) {
      const from = edge.fromComponent ? byId.get(edge.fromComponent) : undefined;
      const to = edge.toComponent ? byId.get(edge.toComponent) : undefined;
      if (!from || !to || to.kind !== 'service' || from.service === to.service) continue;
      if (isPublic(to, edge.to)) continue;
      if (options.ignoreTestFiles && tests.has(edge.from)) continue;
      const typeOnly = edge.reference.typeOnly;
      if (typeOnly && options.typeOnlyImports === 'off') continue;
      const how = edge.reference.kind === 'export' || edge.reference.kind === 'export-star' ? 're-exports' : 'imports';
      // A library reaching into a service couples every service that runs the library's code to that service.
      const through = isDeployable(from) ? [] : (runners.get(from.id) ?? []).filter((u) => u.service !== to.service);
      const usedBy = through.length === 0 ? '' : ` Services ${through.map((u) => `"${u.service}"`).join(', ')} use this code through "${from.id}".`;
      findings.push({
        message: `${describeComponent(from)} ${how} ${typeOnly ? 'types from ' : ''}"${edge.to}", an internal module of service "${to.service}", so "${to.service}" cannot change it without breaking this ${how === 'imports' ? 'import' : 're-export'}; ${useInsteadOfCode(graph, to.service)}.${usedBy}`,
        location: edge.reference.location,
        related: [
          { location: { file: edge.to, line: 1, column: 1 }, message: `internal module of service "${to.service}"` },
          ...through.map((u) => ({ location: u.evidence.location, message: `service "${u.service}" uses "${from.id}": ${u.evidence.detail}` })),
        ],
        services: [...new Set([from.service, ...through.map((u) => u.service), to.service])],
        key: edge.to,
        severity: typeOnly && options.typeOnlyImports === 'warn' ? 'warning' : undefined,
      });
    }
    // Tables: reads and writes of another service's tables (src/rules/shared/table-ownership.ts).
    findings.push(...tableCouplingFindings(graph, options));
    return findings;
  },
});
