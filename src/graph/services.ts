import type { Component, ComponentEdge, Evidence, Graph, RelatedLocation } from '../model.js';
import { compareStrings } from '../util/text.js';

/**
 * The service-level view of the graph that the distributed-monolith rules share: component edges
 * collapsed to links between services (after config groups), and the graph algorithms on them.
 */

const testFileSets = new WeakMap<Graph, ReadonlySet<string>>();

/** A component that runs on its own, with its own environment: a service, a job or a frontend. */
export function isDeployable(component: Component): boolean {
  return component.kind === 'service' || component.kind === 'job' || component.kind === 'frontend';
}

/**
 * A component whose modules run in the deployables that import them: a library or contract, and a job too (a
 * migrator's package that also holds the database client its services import).
 */
export function sharesCode(component: Component): boolean {
  return !isDeployable(component) || component.kind === 'job';
}

/** The graph's test files (config `testFiles`) as a set, built once per graph however many rules ask. */
export function testFileSet(graph: Graph): ReadonlySet<string> {
  let tests = testFileSets.get(graph);
  if (!tests) testFileSets.set(graph, (tests = new Set(graph.testFiles)));
  return tests;
}

/** Every component edge from one service to another (never within one service). */
export interface ServiceLink {
  from: string;
  to: string;
  edges: ComponentEdge[];
}

/** The service a component deploys as: its group for grouped components, itself for a service, none for jobs, frontends, libraries and contracts. */
export function serviceResolver(graph: Graph): (componentId: string | undefined) => string | undefined {
  const byId = new Map<string, Component>(graph.components.map((c) => [c.id, c]));
  return (componentId) => {
    const component = componentId === undefined ? undefined : byId.get(componentId);
    if (!component) return undefined;
    return component.kind === 'service' || component.service !== component.id ? component.service : undefined;
  };
}

/** Every service, after grouping, sorted. */
export function serviceIds(graph: Graph): string[] {
  const serviceOf = serviceResolver(graph);
  return [...new Set(graph.components.map((c) => serviceOf(c.id)).filter((s): s is string => !!s))].sort(compareStrings);
}

/**
 * Links between different services over the edges `accept` keeps, one per ordered pair, sorted.
 * Edges seen only in test files do not count: tests are not deployed.
 */
export function serviceLinks(graph: Graph, accept: (edge: ComponentEdge) => boolean): ServiceLink[] {
  const serviceOf = serviceResolver(graph);
  const tests = testFileSet(graph);
  const links = new Map<string, ServiceLink>();
  for (const edge of graph.edges) {
    const from = serviceOf(edge.from);
    const to = serviceOf(edge.to);
    if (!from || !to || from === to || !accept(edge)) continue;
    if (edge.evidence.length > 0 && edge.evidence.every((e) => tests.has(e.location.file))) continue;
    const key = `${from}\0${to}`;
    const link = links.get(key) ?? { from, to, edges: [] };
    link.edges.push(edge);
    links.set(key, link);
  }
  return [...links.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
}

/** Each service importing a library or contract (not another service), with its first import outside tests as evidence. */
export function libraryImporters(graph: Graph): { service: string; library: string; evidence: Evidence }[] {
  const serviceOf = serviceResolver(graph);
  const tests = testFileSet(graph);
  const links = new Map<string, { service: string; library: string; evidence: Evidence }>();
  for (const edge of graph.edges) {
    const service = serviceOf(edge.from);
    const evidence = edge.evidence.find((e) => !tests.has(e.location.file));
    if (edge.kind !== 'import' || !service || serviceOf(edge.to) || !evidence) continue;
    const key = `${service}\0${edge.to}`;
    if (!links.has(key)) links.set(key, { service, library: edge.to, evidence });
  }
  return [...links.values()];
}

/**
 * The services running each library's code: those importing it directly or through other libraries (value
 * imports outside tests), each with its own first import on the way as evidence.
 */
export function servicesThroughLibraries(graph: Graph): Map<string, { service: string; evidence: Evidence }[]> {
  const serviceOf = serviceResolver(graph);
  const tests = testFileSet(graph);
  const imported = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (edge.kind !== 'import' || edge.typeOnly || serviceOf(edge.from) || serviceOf(edge.to)) continue;
    if (edge.evidence.every((e) => tests.has(e.location.file))) continue;
    imported.set(edge.from, [...(imported.get(edge.from) ?? []), edge.to]);
  }
  const users = new Map<string, { service: string; evidence: Evidence }[]>();
  for (const { service, library, evidence } of libraryImporters(graph)) {
    const queue = [library];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const current = queue.pop()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const list = users.get(current) ?? [];
      if (!list.some((u) => u.service === service)) list.push({ service, evidence });
      users.set(current, list);
      queue.push(...(imported.get(current) ?? []));
    }
  }
  for (const list of users.values()) list.sort((a, b) => compareStrings(a.service, b.service));
  return users;
}

/** Edges a caller waits on: runtime imports, runtime package dependencies, HTTP, RPC and request-response messaging. */
export function isSynchronous(edge: ComponentEdge): boolean {
  return edge.sync;
}

/** Calls over the network that block the caller: HTTP, RPC (gRPC, NestJS TCP) and request-response messaging. */
export function isSynchronousCall(edge: ComponentEdge): boolean {
  return edge.sync && (edge.kind === 'http' || edge.kind === 'rpc' || edge.kind === 'event');
}

/** Successor lists (sorted) of the links, for the algorithms below. */
export function successorsOf(links: ServiceLink[]): Map<string, string[]> {
  const successors = new Map<string, string[]>();
  for (const link of links) {
    const list = successors.get(link.from) ?? [];
    list.push(link.to);
    successors.set(link.from, list);
  }
  for (const list of successors.values()) list.sort(compareStrings);
  return successors;
}

/** Strongly connected components (Tarjan, iterative), each sorted; only those with two or more members, sorted by first member. */
export function stronglyConnected(nodes: string[], successors: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const next = (successors.get(frame.node) ?? [])[frame.next++];
      if (next !== undefined) {
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) components.push(component.sort(compareStrings));
      }
    }
  }
  return components.sort((a, b) => compareStrings(a[0], b[0]));
}

/**
 * The elementary cycles of one strongly connected component (Johnson's algorithm), each starting at its
 * smallest member, at most `limit` of them: a tangle of services can have exponentially many.
 */
export function elementaryCycles(members: string[], successors: Map<string, string[]>, limit: number): { cycles: string[][]; truncated: boolean } {
  const sorted = [...members].sort(compareStrings);
  const cycles: string[][] = [];
  for (let i = 0; i < sorted.length && cycles.length <= limit; i++) {
    const start = sorted[i];
    const allowed = new Set(sorted.slice(i));
    const restricted = new Map([...allowed].map((node) => [node, (successors.get(node) ?? []).filter((s) => allowed.has(s))]));
    const component = stronglyConnected([...allowed], restricted).find((c) => c.includes(start));
    if (!component) continue;
    const inComponent = new Set(component);
    const next = (node: string) => restricted.get(node)!.filter((s) => inComponent.has(s));
    const blocked = new Set<string>();
    const blockedBy = new Map<string, Set<string>>();
    const path: string[] = [];
    const unblock = (node: string): void => {
      blocked.delete(node);
      for (const waiting of blockedBy.get(node) ?? []) if (blocked.has(waiting)) unblock(waiting);
      blockedBy.delete(node);
    };
    const circuit = (node: string): boolean => {
      let found = false;
      path.push(node);
      blocked.add(node);
      for (const successor of next(node)) {
        if (cycles.length > limit) break;
        if (successor === start) {
          cycles.push([...path]);
          found = true;
        } else if (!blocked.has(successor) && circuit(successor)) {
          found = true;
        }
      }
      if (found) unblock(node);
      else for (const successor of next(node)) blockedBy.set(successor, (blockedBy.get(successor) ?? new Set()).add(node));
      path.pop();
      return found;
    };
    circuit(start);
  }
  const truncated = cycles.length > limit;
  const kept = cycles.slice(0, limit).sort((a, b) => a.length - b.length || compareStrings(a.join('\0'), b.join('\0')));
  return { cycles: kept, truncated };
}

/** The longest simple path from `start` (first found among equals, successors in sorted order), exploring at most `budget` steps. */
export function longestSimplePath(start: string, successors: Map<string, string[]>, budget = 100_000): string[] {
  let best = [start];
  const path = [start];
  const onPath = new Set(path);
  let steps = 0;
  const visit = (node: string): void => {
    if (path.length > best.length) best = [...path];
    for (const successor of successors.get(node) ?? []) {
      if (onPath.has(successor) || ++steps > budget) continue;
      path.push(successor);
      onPath.add(successor);
      visit(successor);
      onPath.delete(successor);
      path.pop();
    }
  };
  visit(start);
  return best;
}

/** `A → B → C`. */
export function pathText(services: string[]): string {
  return services.join(' → ');
}

/** One step of a path for a SARIF code flow: where `from` depends on `to`, and how. */
export function flowStep(link: ServiceLink): RelatedLocation {
  const edge = link.edges.find((e) => e.evidence.length > 0) ?? link.edges[0];
  const evidence = edge.evidence[0] ?? { location: { file: '', line: 1, column: 1 }, detail: '' };
  return { location: evidence.location, message: `${link.from} → ${link.to}: ${edge.kind} ${evidence.detail}` };
}

/** Every piece of evidence of a link as related locations, each saying which hop it proves. */
export function relatedEvidence(link: ServiceLink): RelatedLocation[] {
  return link.edges.flatMap((edge) => edge.evidence.map((e) => ({ location: e.location, message: `${link.from} → ${link.to}: ${edge.kind} ${e.detail}` })));
}
