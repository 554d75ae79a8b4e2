import { contractOwner } from '../../graph/interactions.js';
import type { Component, Graph, ResolvedHttpCall, SourceLocation } from '../../model.js';
import { compareStrings } from '../../util/text.js';
import { isUnder } from '../../util/paths.js';
import { describeComponent } from './describe.js';

/** Lookups the interaction rules share: components by id, owning services, and who calls a service. */
export class InteractionQueries {
  readonly byId: Map<string, Component>;

  constructor(private readonly graph: Graph) {
    this.byId = new Map(graph.components.map((c) => [c.id, c]));
  }

  serviceOf(componentId: string): string | undefined {
    return this.byId.get(componentId)?.service;
  }

  /** The service a component belongs to: a service itself, a contract named after one; libraries have none. */
  owningService(componentId: string | undefined): string | undefined {
    const component = componentId ? this.byId.get(componentId) : undefined;
    return component ? contractOwner(component, this.graph.components)?.service : undefined;
  }

  /** The services that call `service` over HTTP (the "A" of a pass-through chain), sorted. */
  callersOf(service: string, matches: (call: ResolvedHttpCall) => boolean = () => true): string[] {
    const callers = (this.graph.interactions?.httpCalls ?? [])
      .filter((c) => c.to && this.serviceOf(c.to) === service && matches(c))
      .map((c) => this.serviceOf(c.from))
      .filter((s): s is string => !!s && s !== service);
    return [...new Set(callers)].sort(compareStrings);
  }

  /** How a call's (or a literal's) origin reads in a message: the service, or the library it is written in and the services using it. */
  describeCaller(calls: { from: string; location: SourceLocation }[]): string {
    const services = [...new Set(calls.map((c) => this.serviceOf(c.from)!))].sort(compareStrings);
    const first = calls[0];
    const caller = this.byId.get(first.from);
    if (caller && isUnder(caller.dir, first.location.file)) return describeComponent(caller);
    const library = this.graph.components.filter((c) => isUnder(c.dir, first.location.file)).sort((a, b) => b.dir.length - a.dir.length)[0];
    return `Library "${library?.id ?? first.location.file}" (used by ${services.map((s) => `"${s}"`).join(', ')})`;
  }
}

/** Calls (or URL literals) grouped by where they are written and what they reach (a library's is resolved once per using service). */
export function callsBySite<T extends { location: SourceLocation; to?: string; url: string }>(calls: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const call of calls) {
    const key = `${call.location.file}\0${call.location.line}\0${call.location.column}\0${call.to}\0${call.url}`;
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  return [...groups.values()];
}

export function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
