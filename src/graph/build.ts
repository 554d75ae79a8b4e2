import picomatch from 'picomatch';
import type { Component, ComponentEdge, Diagnostic, Discovery, Evidence, FileFacts, Graph, ModuleEdge, Resource } from '../model.js';
import type { Resolution } from '../resolve/resolver.js';
import { interactionEnricher } from './interactions.js';
import { compareStrings } from '../util/text.js';
import { databaseEnricher } from './databases.js';
import { componentClasses, releaseGroups } from './declarations.js';
import { LibraryUsers } from './library-users.js';
import { componentLocator } from '../discover/component-locator.js';

export interface GraphInput {
  discovery: Discovery;
  facts: FileFacts[];
  /** Where each import of the facts leads (resolveImports). */
  resolve(fromFile: string, specifier: string): Resolution;
  testFileGlobs: string[];
  diagnostics: Diagnostic[];
}

/** What an enricher sees: the inputs, the graph built so far, who owns a file and which services run it. */
export interface EnrichContext extends GraphInput {
  graph: Graph;
  ownerOf(file: string): Component | undefined;
  /** Whether a file is a test or test-runner file: never what a service runs. */
  isTest(file: string): boolean;
  libraryUsers: LibraryUsers;
}

/**
 * Turns one kind of fact into graph edges and resources (databases, topics, endpoints).
 * Enrichers run in order after the import and manifest edges exist; they never decide violations.
 */
export type GraphEnricher = (context: EnrichContext) => { edges?: ComponentEdge[]; resources?: Resource[] };

/** Every enricher, in the order they run. */
export const enrichers: GraphEnricher[] = [databaseEnricher, interactionEnricher];

/** Test runner configuration and setup files: what they import (test containers, seeds) is not what a service runs. */
const TEST_RUNNER_CONFIG = /(^|\/)(vitest|jest|playwright|cypress)\.(config|setup|workspace|global-setup)[^/]*$/;

/** Builds the one model every rule reads: components, file-level module edges and component edges with evidence. */
export function buildGraph(input: GraphInput): Graph {
  const { discovery, facts, testFileGlobs, resolve } = input;
  const { root, components } = discovery;
  const ownerOf = componentLocator(components);
  refineContracts(facts, ownerOf);

  const moduleEdges: ModuleEdge[] = [];
  const unresolved: Graph['unresolved'] = [];
  for (const fileFacts of facts) {
    const fromComponent = fileFacts.imports.length > 0 ? ownerOf(fileFacts.file)?.id : undefined;
    for (const reference of fileFacts.imports) {
      const resolved = resolve(fileFacts.file, reference.specifier);
      if (resolved.file) {
        moduleEdges.push({ from: fileFacts.file, to: resolved.file, reference, fromComponent, toComponent: ownerOf(resolved.file)?.id });
      } else if (!resolved.external) {
        unresolved.push({ file: fileFacts.file, reference });
      }
    }
  }

  const matchesTestGlobs = picomatch(testFileGlobs.length > 0 ? testFileGlobs : ['\0'], { dot: true });
  const testFiles = new Set(facts.map((f) => f.file).filter((file) => matchesTestGlobs(file)));
  for (const helper of testHelpers(moduleEdges, testFiles, entryPoints(components, facts))) testFiles.add(helper);
  const isTest = (file: string) => testFiles.has(file);
  const graph: Graph = {
    root,
    components,
    resources: [],
    environment: discovery.deployments.environment,
    moduleEdges,
    edges: [...importEdges(moduleEdges), ...manifestEdges(components)],
    unresolved,
    testFiles: [...testFiles].sort(compareStrings),
    classes: componentClasses(facts, ownerOf, isTest),
    releaseGroups: releaseGroups(facts, components),
  };
  const isTestOrRunner = (file: string) => isTest(file) || TEST_RUNNER_CONFIG.test(file);
  const erased = new Set(facts.filter((f) => f.importsErased).map((f) => f.file));
  const libraryUsers = new LibraryUsers(graph, ownerOf, isTestOrRunner, (file) => erased.has(file));
  for (const enrich of enrichers) {
    const added = enrich({ ...input, graph, ownerOf, isTest: isTestOrRunner, libraryUsers });
    graph.edges.push(...(added.edges ?? []));
    graph.resources.push(...(added.resources ?? []));
  }
  graph.edges.sort(compareEdges);
  graph.resources.sort((a, b) => compareStrings(a.id, b.id));
  return graph;
}

/**
 * Modules that only test code imports (a fixture builder or mock server beside the code): test code too, as are the
 * modules only they import. A module nothing imports is no helper, and neither is an entry point a test imports.
 */
function testHelpers(moduleEdges: ModuleEdge[], tests: ReadonlySet<string>, entries: ReadonlySet<string>): Set<string> {
  const importers = new Map<string, Set<string>>();
  for (const { from, to } of moduleEdges) {
    if (from === to || tests.has(to) || entries.has(to)) continue;
    let set = importers.get(to);
    if (!set) importers.set(to, (set = new Set()));
    set.add(from);
  }
  const helpers = new Set<string>();
  const isTestCode = (file: string) => tests.has(file) || helpers.has(file);
  for (let found = true; found; ) {
    found = false;
    for (const [file, from] of importers) {
      if (helpers.has(file) || !everyOf(from, isTestCode)) continue;
      helpers.add(file);
      found = true;
    }
  }
  return helpers;
}

/** What runs without being imported: a package's entry points, and modules serving routes or consuming messages (a framework or a platform calls them). */
function entryPoints(components: Component[], facts: FileFacts[]): Set<string> {
  const entries = new Set(components.flatMap((c) => c.publicFiles));
  for (const { file, routes, routeMounts, messages } of facts) {
    if (routes?.length || routeMounts?.length || messages?.some((m) => m.role === 'subscribe' || m.role === 'consume' || m.role === 'respond')) entries.add(file);
  }
  return entries;
}

function everyOf<T>(items: Iterable<T>, test: (item: T) => boolean): boolean {
  for (const item of items) if (!test(item)) return false;
  return true;
}

/** A package whose every module only declares types is a contract, whatever its name. */
function refineContracts(facts: FileFacts[], ownerOf: (file: string) => Component | undefined): void {
  const onlyTypes = new Map<Component, boolean>();
  for (const fileFacts of facts) {
    const owner = ownerOf(fileFacts.file);
    if (!owner || owner.kind !== 'library' || owner.reasons.some((r) => r.startsWith('configured'))) continue;
    onlyTypes.set(owner, (onlyTypes.get(owner) ?? true) && fileFacts.declaresOnlyTypes === true);
  }
  for (const [component, typesOnly] of onlyTypes) {
    if (!typesOnly) continue;
    component.kind = 'contract';
    component.reasons = ['every module only declares types (interfaces, type aliases, enums)'];
  }
}

function importEdges(moduleEdges: ModuleEdge[]): ComponentEdge[] {
  const edges = new Map<string, ComponentEdge>();
  for (const edge of moduleEdges) {
    if (!edge.fromComponent || !edge.toComponent || edge.fromComponent === edge.toComponent) continue;
    const key = `${edge.fromComponent}\0${edge.toComponent}`;
    let aggregate = edges.get(key);
    if (!aggregate) {
      aggregate = { from: edge.fromComponent, to: edge.toComponent, kind: 'import', sync: false, typeOnly: true, evidence: [] };
      edges.set(key, aggregate);
    }
    const evidence: Evidence = { location: edge.reference.location, detail: `${edge.reference.typeOnly ? 'type-only ' : ''}${edge.reference.kind} "${edge.reference.specifier}"` };
    aggregate.evidence.push(evidence);
    if (!edge.reference.typeOnly) {
      aggregate.typeOnly = false;
      aggregate.sync = true;
    }
  }
  return [...edges.values()];
}

/** package.json dependencies on another workspace component. */
function manifestEdges(components: Component[]): ComponentEdge[] {
  const byPackage = new Map(components.filter((c) => c.packageName).map((c) => [c.packageName!, c]));
  const edges: ComponentEdge[] = [];
  for (const component of components) {
    const byTarget = new Map<string, ComponentEdge>();
    for (const dependency of component.manifest?.dependencies ?? []) {
      const target = byPackage.get(dependency.name);
      if (!target || target === component) continue;
      let edge = byTarget.get(target.id);
      if (!edge) {
        edge = { from: component.id, to: target.id, kind: 'manifest', sync: false, evidence: [] };
        byTarget.set(target.id, edge);
        edges.push(edge);
      }
      edge.evidence.push({ location: dependency.location, detail: `${dependency.field}: "${dependency.name}": "${dependency.range}"` });
      if (dependency.field !== 'devDependencies') edge.sync = true;
    }
  }
  return edges;
}

function compareEdges(a: ComponentEdge, b: ComponentEdge): number {
  return compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind);
}
