import { pathMatches } from '../graph/urls.js';
import type { Graph, RuleFinding } from '../model.js';
import { InteractionQueries, quoteList } from './shared/interaction-queries.js';
import { defineRule } from './types.js';

export interface PassThroughDtoOptions {
  /** Files of a service that hold its request/response types (picomatch-free regex source, matched on the repo path). */
  dtoFilePattern: string;
}

/**
 * Pass-through coupling: service B's contract carries data that only service C needs, so a change to C's
 * data changes B's contract and its callers (A) too, though B never uses it.
 */
export const passThroughDto = defineRule<PassThroughDtoOptions>({
  meta: {
    id: 'pass-through-dto',
    description: "A service's contract embeds a type or schema owned by another service, or its handler forwards a request field to another service unread.",
    defaultSeverity: 'warning',
    tags: ['architecture', 'coupling', 'pass-through-coupling'],
    precision: 'medium',
    optionsSchema: { type: 'object', additionalProperties: false, properties: { dtoFilePattern: { type: 'string' } } },
    defaultOptions: { dtoFilePattern: '(^|/)(dtos?|contracts?|requests?)(/|\\.)|\\.(dto|request|contract)s?\\.[cm]?[jt]sx?$' },
  },
  check(graph: Graph, options: PassThroughDtoOptions): RuleFinding[] {
    const queries = new InteractionQueries(graph);
    const isDtoFile = new RegExp(options.dtoFilePattern, 'i');
    const chain = (a: string[], b: string, c: string) => (a.length > 0 ? `${quoteList(a)} → "${b}" → "${c}"` : `"${b}" → "${c}"`);
    const findings: RuleFinding[] = [];

    // 1. B's OpenAPI document embeds a schema from C's: a $ref across services.
    for (const ref of graph.interactions?.specRefs ?? []) {
      const b = queries.owningService(ref.fromOwner);
      const c = queries.owningService(ref.toOwner);
      if (!b || !c || b === c) continue;
      findings.push({
        message: `The API of service "${b}" embeds "${ref.ref}", a schema owned by service "${c}" (pass-through coupling: ${chain(queries.callersOf(b), b, c)}); define the fields "${b}" itself needs, or let callers send that data to "${c}" directly.`,
        location: ref.location,
        related: [{ location: ref.target, message: `schema owned by service "${c}"` }],
        services: [...queries.callersOf(b), b, c],
        key: `${ref.from}\0${ref.ref}`,
      });
    }

    // 2. B's request DTOs (or B's contract package) import a type from C's contract or code.
    for (const edge of graph.moduleEdges) {
      const fromComponent = edge.fromComponent ? queries.byId.get(edge.fromComponent) : undefined;
      if (!fromComponent || !edge.toComponent) continue;
      const b = queries.owningService(fromComponent.id);
      const c = queries.owningService(edge.toComponent);
      if (!b || !c || b === c) continue;
      const inContract = fromComponent.kind === 'contract' || isDtoFile.test(edge.from.slice(fromComponent.dir.length));
      if (!inContract) continue;
      findings.push({
        message: `A request type of service "${b}" imports "${edge.reference.specifier}", owned by service "${c}" (pass-through coupling: ${chain(queries.callersOf(b), b, c)}); define the fields "${b}" itself needs, or let callers send that data to "${c}" directly.`,
        location: edge.reference.location,
        related: [{ location: { file: edge.to, line: 1, column: 1 }, message: `type owned by service "${c}"` }],
        services: [...queries.callersOf(b), b, c],
        key: `${edge.from}\0${edge.to}`,
      });
    }

    // 3. B's handler takes a request field and hands it to a call to C without reading it.
    const calls = graph.interactions?.httpCalls ?? [];
    for (const route of graph.interactions?.routes ?? []) {
      const b = queries.serviceOf(route.component);
      if (!b) continue;
      for (const forward of route.forwards) {
        const call = calls.find((c) => c.to && c.location.file === forward.call.file && c.location.line === forward.call.line && c.location.column === forward.call.column);
        const c = call?.to ? queries.serviceOf(call.to) : undefined;
        if (!c || c === b) continue;
        const a = queries.callersOf(b, (caller) => !!caller.path && (!caller.method || caller.method === route.method) && pathMatches(caller.path, route.path));
        findings.push({
          message: `Service "${b}" takes "${forward.field}" from its ${route.method} ${route.path} request and passes it to service "${c}" without reading it (pass-through coupling: ${chain(a, b, c)}); let the caller send it to "${c}" directly, or make "${b}" own that data.`,
          location: forward.location,
          related: [
            { location: route.location, message: `${route.method} ${route.path} of service "${b}"` },
            { location: call!.location, message: `call to service "${c}"` },
          ],
          services: [...a, b, c],
          key: `${route.method} ${route.path}\0${forward.field}`,
        });
      }
    }
    return findings;
  },
});
