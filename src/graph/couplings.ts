import type { ResolvedConfig } from '../config/types.js';
import type { ComponentEdge, Evidence, Graph, ReleaseGroup } from '../model.js';
import { compareStrings } from '../util/text.js';
import { publicSurfaceMatcher } from './public-surface.js';
import { isSynchronous, libraryImporters, serviceIds, serviceLinks, serviceResolver, stronglyConnected, successorsOf, testFileSet, type ServiceLink } from './services.js';

/**
 * The couplings that force services to deploy together, as the distributed-monolith rules see them.
 * Shared by `lockstep-dependency`, `service-cycle`, `distributed-monolith` and the service map.
 */

export type CouplingKind = 'sync-cycle' | 'shared-database' | 'content-coupling' | 'lockstep';
/** Strongest first: shared written data and reaching into internals tie deployments harder than a cycle or a release policy. */
export const COUPLING_KINDS: readonly CouplingKind[] = ['shared-database', 'content-coupling', 'sync-cycle', 'lockstep'];

export interface Coupling {
  kind: CouplingKind;
  /** The services it joins (two or more), sorted. */
  services: string[];
  /** What joins them, in a few words. */
  description: string;
  evidence: Evidence[];
}

/** A service that cannot ship without another: a runtime package dependency on it, or runtime imports of its code. */
export interface LockstepDependency {
  from: string;
  to: string;
  /**
   * Manifest entries naming the other service's package: `dependencies`/`optionalDependencies` always; a
   * `peerDependencies` or `devDependencies` entry only next to a runtime import (alone it ships nothing).
   */
  manifest: Evidence[];
  /** Runtime imports (not type-only, not from test files) of the other service's modules. */
  imports: (Evidence & { internal: boolean })[];
}

/** Computed once per graph: both `lockstep-dependency` and the couplings of `distributed-monolith` read it. */
const lockstepByGraph = new WeakMap<Graph, LockstepDependency[]>();

export function lockstepDependencies(graph: Graph): LockstepDependency[] {
  let found = lockstepByGraph.get(graph);
  if (!found) lockstepByGraph.set(graph, (found = findLockstepDependencies(graph)));
  return found;
}

/** Manifest fields whose entries are installed with the service and ship with it (build.ts writes the field first in each detail). */
const SHIPPED_FIELDS = /^(dependencies|optionalDependencies):/;

function findLockstepDependencies(graph: Graph): LockstepDependency[] {
  const serviceOf = serviceResolver(graph);
  const byPair = new Map<string, LockstepDependency & { declaredOnly: Evidence[] }>();
  const dependency = (from: string, to: string) => {
    const key = `${from}\0${to}`;
    let found = byPair.get(key);
    if (!found) byPair.set(key, (found = { from, to, manifest: [], imports: [], declaredOnly: [] }));
    return found;
  };
  for (const link of serviceLinks(graph, (edge) => edge.kind === 'manifest')) {
    const found = dependency(link.from, link.to);
    for (const evidence of link.edges.flatMap((edge) => edge.evidence)) (SHIPPED_FIELDS.test(evidence.detail) ? found.manifest : found.declaredOnly).push(evidence);
  }
  const tests = testFileSet(graph);
  const isPublic = publicSurfaceMatcher();
  const byId = new Map(graph.components.map((c) => [c.id, c]));
  for (const edge of graph.moduleEdges) {
    const from = serviceOf(edge.fromComponent);
    const to = serviceOf(edge.toComponent);
    if (!from || !to || from === to || edge.reference.typeOnly || tests.has(edge.from)) continue;
    dependency(from, to).imports.push({
      location: edge.reference.location,
      detail: `${edge.reference.kind} "${edge.reference.specifier}"`,
      internal: !isPublic(byId.get(edge.toComponent!)!, edge.to),
    });
  }
  return [...byPair.values()]
    .map(({ declaredOnly, ...found }) => ({ ...found, manifest: found.imports.length > 0 ? [...found.manifest, ...declaredOnly] : found.manifest }))
    .filter((found) => found.manifest.length > 0 || found.imports.length > 0)
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
}

/** Release groups that version two or more services together, with those services. */
export function serviceReleaseGroups(graph: Graph): { group: ReleaseGroup; services: string[] }[] {
  const serviceOf = serviceResolver(graph);
  return (graph.releaseGroups ?? [])
    .map((group) => ({ group, services: [...new Set(group.members.map(serviceOf).filter((s): s is string => !!s))].sort(compareStrings) }))
    .filter((g) => g.services.length >= 2);
}

/** The synchronous links that lie on a cycle: every link inside a strongly connected set of services. */
export function linksOnCycles(graph: Graph, accept: (edge: ComponentEdge) => boolean = isSynchronous): { members: string[]; links: ServiceLink[] }[] {
  const links = serviceLinks(graph, accept);
  return stronglyConnected(serviceIds(graph), successorsOf(links)).map((members) => {
    const inside = new Set(members);
    return { members, links: links.filter((l) => inside.has(l.from) && inside.has(l.to)) };
  });
}

const TOOL_NAMES: Record<ReleaseGroup['tool'], string> = {
  'changesets-fixed': 'a changesets "fixed" group',
  'changesets-linked': 'a changesets "linked" group',
  'lerna-fixed': 'Lerna in fixed mode',
  'nx-release': 'Nx release in fixed mode',
  'rush-lockstep': 'a Rush lockStepVersion policy',
  'release-please-linked': 'a release-please linked-versions group',
  'jscutlery-semver-sync': '@jscutlery/semver in sync mode',
};

export function releaseToolName(tool: ReleaseGroup['tool']): string {
  return TOOL_NAMES[tool];
}

/** Every coupling of the given kinds between services, sorted by kind, then services. */
export function couplings(graph: Graph, kinds: readonly CouplingKind[] = COUPLING_KINDS): Coupling[] {
  const found: Coupling[] = [];
  const pair = (a: string, b: string) => [a, b].sort(compareStrings);
  if (kinds.includes('sync-cycle')) {
    for (const { links } of linksOnCycles(graph)) {
      for (const link of links) {
        const how = [...new Set(link.edges.map((e) => e.kind))].join(', ');
        found.push({ kind: 'sync-cycle', services: pair(link.from, link.to), description: `${link.from} → ${link.to} (${how}) closes a synchronous cycle`, evidence: link.edges.flatMap((e) => e.evidence) });
      }
    }
  }
  if (kinds.includes('shared-database')) found.push(...sharedDatabaseCouplings(graph));
  const lockstep = lockstepDependencies(graph);
  if (kinds.includes('content-coupling')) {
    for (const dependency of lockstep) {
      const internal = dependency.imports.filter((i) => i.internal);
      if (internal.length > 0) {
        found.push({ kind: 'content-coupling', services: pair(dependency.from, dependency.to), description: `${dependency.from} imports internal modules of ${dependency.to}`, evidence: internal.map(plainEvidence) });
      }
    }
    found.push(...foreignTableCouplings(graph));
  }
  if (kinds.includes('lockstep')) {
    for (const dependency of lockstep) {
      // Internal imports are already listed as content coupling.
      const evidence = [...dependency.manifest, ...dependency.imports.filter((i) => !i.internal || !kinds.includes('content-coupling')).map(plainEvidence)];
      if (evidence.length > 0) found.push({ kind: 'lockstep', services: pair(dependency.from, dependency.to), description: `${dependency.from} ships ${dependency.to}'s code`, evidence });
    }
    for (const { group, services } of serviceReleaseGroups(graph)) {
      found.push({ kind: 'lockstep', services, description: `versioned together by ${releaseToolName(group.tool)}`, evidence: [{ location: group.location, detail: `${group.members.length} packages released with one version` }] });
    }
  }
  const order = (kind: CouplingKind) => COUPLING_KINDS.indexOf(kind);
  return found.sort((a, b) => order(a.kind) - order(b.kind) || compareStrings(a.services.join('\0'), b.services.join('\0')) || compareStrings(a.description, b.description));
}

function plainEvidence(evidence: Evidence): Evidence {
  return { location: evidence.location, detail: evidence.detail };
}

/**
 * The services that all write one database (access not known counts as writing): neither can change the
 * schema or the data's meaning without the other. Readers of a database one service writes are common
 * coupling of the milder kind (a reporting database): `shared-database` warns about them, but they do not
 * force a joint deployment. A data-access library's connection counts for every service that imports it.
 * A shared Redis is a cache or a broker more often than a store of record: it does not count.
 */
function sharedDatabaseCouplings(graph: Graph): Coupling[] {
  const serviceOf = serviceResolver(graph);
  const importers = new Map<string, { service: string; evidence: Evidence }[]>();
  for (const link of libraryImporters(graph)) importers.set(link.library, [...(importers.get(link.library) ?? []), link]);
  const found: Coupling[] = [];
  for (const database of graph.resources.filter((r) => r.kind === 'database' && r.engine !== 'redis')) {
    const users = new Map<string, { writes: boolean; evidence: Evidence[] }>();
    const use = (service: string, writes: boolean, evidence: Evidence[]) => {
      const user = users.get(service) ?? { writes: false, evidence: [] };
      user.writes ||= writes;
      user.evidence.push(...evidence);
      users.set(service, user);
    };
    for (const edge of graph.edges) {
      if (edge.kind !== 'database' || edge.to !== database.id) continue;
      const service = serviceOf(edge.from);
      if (service) use(service, edge.access !== 'read', edge.evidence);
      else for (const importer of importers.get(edge.from) ?? []) use(importer.service, edge.access !== 'read', [importer.evidence, ...edge.evidence]);
    }
    const writers = [...users.keys()].filter((s) => users.get(s)!.writes).sort(compareStrings);
    if (writers.length < 2) continue;
    found.push({ kind: 'shared-database', services: writers, description: `all write database "${database.name}"`, evidence: writers.flatMap((s) => users.get(s)!.evidence) });
  }
  return found;
}

/**
 * A service writing a table that another service owns. Reads are content coupling too, but the milder
 * kind (`content-coupling` makes them configurable, warnings by default): they do not force a joint deployment.
 */
function foreignTableCouplings(graph: Graph): Coupling[] {
  const serviceOf = serviceResolver(graph);
  const tables = new Map(graph.resources.filter((r) => r.kind === 'table').map((r) => [r.id, r]));
  const found: Coupling[] = [];
  for (const edge of graph.edges) {
    const table = edge.kind === 'database' ? tables.get(edge.to) : undefined;
    const from = serviceOf(edge.from);
    const owner = serviceOf(table?.owner);
    if (!table || !from || !owner || from === owner || edge.access === 'read') continue;
    found.push({
      kind: 'content-coupling',
      services: [from, owner].sort(compareStrings),
      description: `${from} writes table "${table.name}" owned by ${owner}`,
      evidence: edge.evidence,
    });
  }
  return found;
}

export interface CoDeploymentGroup {
  /** Two or more services, sorted. */
  services: string[];
  couplings: Coupling[];
}

/** Services joined, directly or through others, by couplings that force them to deploy together. */
/** Computed once per graph and set of coupling kinds: the rule and the service map read the same groups. */
const groupsByGraph = new WeakMap<Graph, Map<string, CoDeploymentGroup[]>>();

export function coDeploymentGroups(graph: Graph, kinds: readonly CouplingKind[] = COUPLING_KINDS): CoDeploymentGroup[] {
  let byKinds = groupsByGraph.get(graph);
  if (!byKinds) groupsByGraph.set(graph, (byKinds = new Map()));
  const key = [...kinds].sort().join(',');
  let groups = byKinds.get(key);
  if (!groups) byKinds.set(key, (groups = findCoDeploymentGroups(graph, kinds)));
  return groups;
}

/**
 * The groups as the configuration asks for them: none when `distributed-monolith` is off, else joined by
 * the couplings its options name. What the service map draws, so that it shows what the rule reports.
 */
export function configuredCoDeploymentGroups(graph: Graph, config: ResolvedConfig): CoDeploymentGroup[] {
  const setting = config.rules['distributed-monolith'];
  if (!setting || setting.severity === 'off') return [];
  const kinds = (setting.options.couplings as CouplingKind[] | undefined) ?? COUPLING_KINDS;
  return coDeploymentGroups(graph, kinds);
}

function findCoDeploymentGroups(graph: Graph, kinds: readonly CouplingKind[]): CoDeploymentGroup[] {
  const all = couplings(graph, kinds);
  const parent = new Map<string, string>();
  const find = (s: string): string => {
    const p = parent.get(s) ?? s;
    if (p === s) return s;
    const root = find(p);
    parent.set(s, root);
    return root;
  };
  for (const coupling of all) {
    const [first, ...rest] = coupling.services.map(find);
    for (const other of rest) if (other !== first) parent.set(other, first);
  }
  const groups = new Map<string, CoDeploymentGroup>();
  for (const coupling of all) {
    const root = find(coupling.services[0]);
    const group = groups.get(root) ?? { services: [], couplings: [] };
    group.couplings.push(coupling);
    group.services = [...new Set([...group.services, ...coupling.services])].sort(compareStrings);
    groups.set(root, group);
  }
  return [...groups.values()].sort((a, b) => compareStrings(a.services[0], b.services[0]));
}
