import type { Graph, RuleFinding } from '../model.js';
import { callsBySite, InteractionQueries } from './shared/interaction-queries.js';
import { defineRule } from './types.js';
import { testFileSet } from '../graph/services.js';

export interface HardCodedServiceUrlOptions {
  /** Skip calls written in test files (config `testFiles`). */
  ignoreTestFiles: boolean;
}

/**
 * A literal URL whose host is another service of the repository: the caller is bound to where that
 * service runs today, so moving, renaming or splitting it means changing and redeploying every caller.
 */
export const hardCodedServiceUrl = defineRule<HardCodedServiceUrlOptions>({
  meta: {
    id: 'hard-coded-service-url',
    description: 'A call uses a URL literal whose host is another service of the repository instead of configuration or service discovery.',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'service-discovery'],
    precision: 'very-high',
    optionsSchema: { type: 'object', additionalProperties: false, properties: { ignoreTestFiles: { type: 'boolean' } } },
    defaultOptions: { ignoreTestFiles: true },
  },
  check(graph: Graph, options: HardCodedServiceUrlOptions): RuleFinding[] {
    const queries = new InteractionQueries(graph);
    const tests = testFileSet(graph);
    const hardCoded = (graph.interactions?.httpCalls ?? []).filter(
      (c) => c.literalHost && c.to && queries.serviceOf(c.to) !== queries.serviceOf(c.from) && !(options.ignoreTestFiles && tests.has(c.location.file)),
    );
    return callsBySite(hardCoded).map((calls): RuleFinding => {
      const [call] = calls;
      const target = queries.serviceOf(call.to!)!;
      const callers = [...new Set(calls.map((c) => queries.serviceOf(c.from)!))].sort();
      return {
        message: `${queries.describeCaller(calls)} calls service "${target}" at the hard-coded URL "${call.url}"; read the base URL from configuration (an env var) or service discovery instead.`,
        location: call.location,
        related: calls.flatMap((c) => (c.via ? [{ location: c.via, message: `service "${queries.serviceOf(c.from)}" uses the library here` }] : [])),
        services: [...callers, target],
        key: `${target}\0${call.url}`,
      };
    });
  },
});
