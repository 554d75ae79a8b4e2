import type { Component, ComponentClass, ComponentEdge, EdgeKind, Graph, ModuleEdge, ReleaseGroup, Resource, SourceLocation } from '../src/model.js';

/** Small hand-built graphs for rule tests: every edge kind, without parsing a repository. */

export function service(id: string, group = id): Component {
  return { id, dir: `apps/${id}`, kind: 'service', reasons: ['test'], service: group, packageName: id, publicFiles: [`apps/${id}/src/index.ts`], publicGlobs: [] };
}

export function library(id: string, kind: 'library' | 'contract' = 'library'): Component {
  return { id, dir: `packages/${id}`, kind, reasons: ['test'], service: id, packageName: id, publicFiles: [`packages/${id}/src/index.ts`], publicGlobs: [] };
}

let line = 0;
/** A fresh location in the caller's file, so every piece of evidence is distinct. */
export function at(file: string): SourceLocation {
  return { file, line: ++line, column: 1 };
}

const SYNC_BY_DEFAULT: Record<EdgeKind, boolean> = { import: true, manifest: true, http: true, rpc: true, event: false, database: false, 'openapi-ref': false };

export function edge(from: string, to: string, kind: EdgeKind, extra: Partial<ComponentEdge> = {}): ComponentEdge {
  const file = kind === 'manifest' ? `apps/${from}/package.json` : `apps/${from}/src/index.ts`;
  const detail = kind === 'manifest' ? `dependencies: "${to}": "*"` : `${kind} ${to}`;
  return { from, to, kind, sync: SYNC_BY_DEFAULT[kind], evidence: [{ location: at(file), detail }], ...extra };
}

export function moduleEdge(from: string, to: string, toFile: string, typeOnly = false): ModuleEdge {
  const file = `apps/${from}/src/index.ts`;
  return { from: file, to: toFile, fromComponent: from, toComponent: to, reference: { specifier: to, kind: 'import', typeOnly, location: at(file) } };
}

export function database(id: string, owner?: string, kind: Resource['kind'] = 'database'): Resource {
  return { id, kind, name: id, owner, evidence: [] };
}

export function graph(parts: {
  components: Component[];
  edges?: ComponentEdge[];
  moduleEdges?: ModuleEdge[];
  resources?: Resource[];
  classes?: ComponentClass[];
  releaseGroups?: ReleaseGroup[];
  testFiles?: string[];
}): Graph {
  return {
    root: '/repo',
    components: parts.components,
    resources: parts.resources ?? [],
    environment: [],
    moduleEdges: parts.moduleEdges ?? [],
    edges: parts.edges ?? [],
    unresolved: [],
    testFiles: parts.testFiles ?? [],
    classes: parts.classes,
    releaseGroups: parts.releaseGroups,
  };
}

/** Services s0…s(n-1), each calling every other one over HTTP. */
export function completeGraph(n: number): Graph {
  const ids = Array.from({ length: n }, (_, i) => `s${String(i).padStart(2, '0')}`);
  return graph({ components: ids.map((id) => service(id)), edges: ids.flatMap((a) => ids.filter((b) => b !== a).map((b) => edge(a, b, 'http'))) });
}
