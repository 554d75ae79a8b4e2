import type { Graph, ResolvedHttpCall, ResolvedUrlLiteral, RuleFinding, SourceLocation } from '../model.js';
import { callsBySite, InteractionQueries } from './shared/interaction-queries.js';
import { defineRule } from './types.js';
import { testFileSet } from '../graph/services.js';

export interface HardCodedServiceUrlOptions {
  /** Skip calls and URL literals written in test files (config `testFiles`). */
  ignoreTestFiles: boolean;
}

/**
 * A literal URL whose host is another service of the repository: the caller is bound to where that
 * service runs today, so moving, renaming or splitting it means changing and redeploying every caller.
 * Reported where a call uses it, else where the literal is written (whatever it is handed to).
 */
export const hardCodedServiceUrl = defineRule<HardCodedServiceUrlOptions>({
  meta: {
    id: 'hard-coded-service-url',
    description: 'Code holds a URL literal whose host is another service of the repository instead of reading it from configuration or service discovery.',
    defaultSeverity: 'error',
    tags: ['architecture', 'coupling', 'service-discovery'],
    precision: 'very-high',
    optionsSchema: { type: 'object', additionalProperties: false, properties: { ignoreTestFiles: { type: 'boolean' } } },
    defaultOptions: { ignoreTestFiles: true },
  },
  check(graph: Graph, options: HardCodedServiceUrlOptions): RuleFinding[] {
    const queries = new InteractionQueries(graph);
    const tests = testFileSet(graph);
    const toOtherService = (c: { from: string; to?: string; location: SourceLocation }) =>
      c.to !== undefined && queries.serviceOf(c.to) !== queries.serviceOf(c.from) && !(options.ignoreTestFiles && tests.has(c.location.file));
    const hardCoded = (graph.interactions?.httpCalls ?? []).filter((c) => c.literalHost && toOtherService(c));
    const literals = (graph.interactions?.urlLiterals ?? []).filter((l) => toOtherService(l) && !hardCoded.some((c) => reportedWith(l, c)));
    const callFindings = callsBySite(hardCoded).map((calls): RuleFinding => {
      const [call] = calls;
      const target = queries.serviceOf(call.to!)!;
      return {
        message: `${queries.describeCaller(calls)} calls service "${target}" at the hard-coded URL "${call.url}"; read the base URL from configuration (an env var) or service discovery instead.`,
        location: call.location,
        related: viaLocations(calls, queries),
        services: [...servicesOf(calls, queries), target],
        key: `${target}\0${call.url}`,
      };
    });
    const literalFindings = callsBySite(literals).map((found): RuleFinding => {
      const [literal] = found;
      const target = queries.serviceOf(literal.to)!;
      return {
        message: `${queries.describeCaller(found)} holds ${describeLiteral(literal)} naming service "${target}"; read it from configuration (an env var) or service discovery instead.`,
        location: literal.location,
        related: viaLocations(found, queries),
        services: [...servicesOf(found, queries), target],
        key: `${target}\0${literal.url}`,
      };
    });
    return [...callFindings, ...literalFindings];
  },
});

/** A literal a call finding already reports: the call's own URL at that site, or a constant of the same file the call's URL starts with. */
function reportedWith(literal: ResolvedUrlLiteral, call: ResolvedHttpCall): boolean {
  if (literal.location.file !== call.location.file) return false;
  return within(literal.location, call.location) || call.url.startsWith(literal.url.replace(/\{…\}$/, ''));
}

function within(inner: SourceLocation, outer: SourceLocation): boolean {
  const before = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line < b.line || (a.line === b.line && a.column <= b.column);
  const outerEnd = { line: outer.endLine ?? outer.line, column: outer.endColumn ?? outer.column };
  const innerEnd = { line: inner.endLine ?? inner.line, column: inner.endColumn ?? inner.column };
  return before(outer, inner) && before(innerEnd, outerEnd);
}

/** `the URL literal "…" passed to `queue.add` (as "url")`, or just the literal when nothing takes it. */
function describeLiteral(literal: ResolvedUrlLiteral): string {
  const what = `the URL literal "${literal.url}"`;
  if (!literal.passedTo) return literal.property ? `${what} (as "${literal.property}")` : what;
  return `${what} passed to \`${literal.passedTo}\`${literal.property ? ` (as "${literal.property}")` : ''}`;
}

function servicesOf(found: { from: string }[], queries: InteractionQueries): string[] {
  return [...new Set(found.map((c) => queries.serviceOf(c.from)!))].sort();
}

function viaLocations(found: { from: string; via?: SourceLocation }[], queries: InteractionQueries): RuleFinding['related'] {
  return found.flatMap((c) => (c.via ? [{ location: c.via, message: `service "${queries.serviceOf(c.from)}" uses the library here` }] : []));
}
