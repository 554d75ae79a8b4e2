import { DYNAMIC, pathMatches, stripBasePath } from '../graph/urls.js';
import type { ApiSpec, Graph, ResolvedHttpCall, RuleFinding } from '../model.js';
import { callsBySite, InteractionQueries } from './shared/interaction-queries.js';
import { defineRule } from './types.js';

/**
 * A call to another service with a method and path its OpenAPI document does not declare: the caller
 * depends on behaviour outside the contract, which the owner may change without notice.
 */
export const undeclaredApiCall = defineRule<Record<string, never>>({
  meta: {
    id: 'undeclared-api-call',
    description: "A call to another service uses a method and path that the service's OpenAPI document does not declare.",
    defaultSeverity: 'error',
    tags: ['architecture', 'contract', 'openapi'],
    precision: 'high',
    optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  check(graph: Graph): RuleFinding[] {
    const queries = new InteractionQueries(graph);
    const specs = graph.interactions?.specs ?? [];
    const checked = (graph.interactions?.httpCalls ?? []).filter((c) => c.to && hasKnownPath(c) && queries.serviceOf(c.to) !== queries.serviceOf(c.from));
    const findings: RuleFinding[] = [];
    for (const calls of callsBySite(checked)) {
      const [call] = calls;
      const target = queries.serviceOf(call.to!)!;
      const targetSpecs = specs.filter((s) => queries.serviceOf(s.owner) === target);
      if (targetSpecs.length === 0 || targetSpecs.some((spec) => declares(spec, call))) continue;
      const what = `${call.method ?? 'a request to'} ${call.path}`;
      findings.push({
        message: `${queries.describeCaller(calls)} calls ${what} on service "${target}", which its OpenAPI document does not declare; add the operation to the contract or call a declared one.`,
        location: call.location,
        related: targetSpecs.map((spec) => ({ location: { file: spec.file, line: 1, column: 1 }, message: `OpenAPI document of service "${target}"` })),
        services: [...new Set(calls.map((c) => queries.serviceOf(c.from)!))].sort().concat(target),
        key: `${target}\0${call.method ?? ''} ${call.path}`,
      });
    }
    return findings;
  },
});

function hasKnownPath(call: ResolvedHttpCall): boolean {
  return call.path !== undefined && call.path.split('/').some((s) => s !== '' && !s.includes(DYNAMIC) && !s.includes('${'));
}

function declares(spec: ApiSpec, call: ResolvedHttpCall): boolean {
  const paths = [call.path!, ...spec.basePaths.map((base) => stripBasePath(call.path!, base)).filter((p): p is string => p !== undefined)];
  return spec.operations.some((op) => (!call.method || op.method === call.method) && paths.some((p) => pathMatches(p, op.path)));
}
