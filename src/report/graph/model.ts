import type { AnalysisResult } from '../../analyze.js';
import { configuredCoDeploymentGroups, type Coupling } from '../../graph/couplings.js';
import { serviceResolver, testFileSet } from '../../graph/services.js';
import type { EdgeKind, Evidence, Finding, Graph, ResolvedMessage, SourceLocation } from '../../model.js';
import { compareStrings } from '../../util/text.js';

/**
 * How much the map shows: `services` is the C4 container view (deployables, databases, topics; libraries and
 * contracts folded into the edges they carry), `components` every component, table and edge of the graph.
 */
export const MAP_DETAILS = ['services', 'components'] as const;
export type MapDetail = (typeof MAP_DETAILS)[number];

/** The service map every picture is drawn from: nodes, edges aggregated per pair and kind, with evidence. */
export interface ServiceMap {
  detail: MapDetail;
  nodes: MapNode[];
  edges: MapEdge[];
  /** Co-deployment groups (the distributed-monolith rule's groups), drawn as clusters. */
  groups: MapGroup[];
}

export type NodeKind = 'service' | 'job' | 'frontend' | 'library' | 'contract' | 'database' | 'topic';

export interface MapNode {
  id: string;
  kind: NodeKind;
  /** The components deployed as this node (an api and its worker grouped into one service), or the resource. */
  members: string[];
  reasons: string[];
  /** Index into `groups`, for services in a co-deployment group. */
  group?: number;
  findings: { ruleId: string; severity: Finding['severity']; message: string; location: SourceLocation }[];
}

export interface MapEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  sync: boolean;
  /** Pieces of evidence of this kind (not counting the imports that bring a library in), drawn as the edge's weight. */
  count: number;
  /** The libraries and contracts whose code carries the edge (services view), sorted. */
  via?: string[];
  /** Import edges only: every import is type-only. */
  typeOnly?: true;
  /** Rules with a finding that points at this edge's evidence. */
  violations: string[];
  /** The worst severity of those findings. */
  level?: Finding['severity'];
  evidence: Evidence[];
}

export interface MapGroup {
  services: string[];
  couplings: Coupling[];
}

/** Both levels of the map, the services view drawn from the components view. */
export function serviceMaps(result: AnalysisResult): Record<MapDetail, ServiceMap> {
  const components = componentMap(result);
  return { components, services: containerView(components, result.graph) };
}

export function serviceMap(result: AnalysisResult, detail: MapDetail = 'services'): ServiceMap {
  return serviceMaps(result)[detail];
}

/** Collapses grouped components to their service and marks the edges findings point at. */
function componentMap(result: AnalysisResult): ServiceMap {
  const { graph, findings } = result;
  const serviceOf = serviceResolver(graph);
  const nodes = new Map<string, MapNode>();
  const nodeOf = new Map<string, string>();
  for (const component of graph.components) {
    const id = serviceOf(component.id) ?? component.id;
    const kind: NodeKind = serviceOf(component.id) || component.kind === 'service' ? 'service' : component.kind;
    const node = nodes.get(id) ?? { id, kind, members: [], reasons: [], findings: [] };
    node.members.push(component.id);
    node.reasons.push(...component.reasons.map((r) => (component.id === id ? r : `${component.id}: ${r}`)));
    nodes.set(id, node);
    nodeOf.set(component.id, id);
  }
  for (const resource of graph.resources.filter((r) => r.kind === 'database' || r.kind === 'table')) {
    nodes.set(resource.id, { id: resource.id, kind: 'database', members: [resource.id], reasons: resource.owner ? [`owned by ${resource.owner}`] : [], findings: [] });
    nodeOf.set(resource.id, resource.id);
  }
  for (const finding of findings) {
    for (const service of new Set(finding.services)) {
      nodes.get(service)?.findings.push({ ruleId: finding.ruleId, severity: finding.severity, message: finding.message, location: finding.location });
    }
  }

  const edges = new EdgeSet(findings);
  for (const edge of graph.edges) {
    const from = nodeOf.get(edge.from);
    const to = nodeOf.get(edge.to);
    if (!from || !to || from === to) continue;
    edges.add({ from, to, kind: edge.kind, sync: edge.sync, typeOnly: edge.typeOnly || undefined }, edge.evidence);
  }

  const groups = configuredCoDeploymentGroups(graph, result.config);
  groups.forEach((group, index) => group.services.forEach((s) => (nodes.get(s)!.group = index)));
  return { detail: 'components', nodes: sortNodes([...nodes.values()]), edges: edges.sorted(), groups };
}

const DEPLOYABLE: ReadonlySet<NodeKind> = new Set(['service', 'job', 'frontend']);

/**
 * The C4 container view: deployables, databases (tables folded into theirs) and the topics two deployables
 * share. A library or contract is a node only when a finding names it; otherwise an edge leaving it becomes an
 * edge from each deployable running its code (value imports, through other libraries too), "via" it.
 */
function containerView(components: ServiceMap, graph: Graph): ServiceMap {
  const byId = new Map(components.nodes.map((n) => [n.id, n]));
  const folded = (node: MapNode) => (node.kind === 'library' || node.kind === 'contract') && node.findings.length === 0;
  const databaseOf = new Map(graph.resources.filter((r) => r.kind === 'table' && r.database && byId.has(r.database)).map((r) => [r.id, r.database!]));
  const shown = (id: string) => databaseOf.get(id) ?? id;

  // The deployables (and shown nodes) running each folded library's code, each with its import on the way in:
  // value imports outside test files.
  const tests = testFileSet(graph);
  const foldedImports = new Map<string, { library: string; entry: Evidence }[]>();
  for (const edge of components.edges) {
    const entry = edge.evidence.find((e) => !tests.has(e.location.file));
    if (edge.kind !== 'import' || edge.typeOnly || !entry || !folded(byId.get(edge.to)!)) continue;
    foldedImports.set(edge.from, [...(foldedImports.get(edge.from) ?? []), { library: edge.to, entry }]);
  }
  const runners = new Map<string, Map<string, Evidence>>();
  for (const start of components.nodes.filter((n) => !folded(n))) {
    const queue = [...(foldedImports.get(start.id) ?? [])];
    while (queue.length > 0) {
      const { library, entry } = queue.shift()!;
      const users = runners.get(library) ?? new Map<string, Evidence>();
      if (users.has(start.id)) continue;
      runners.set(library, users.set(start.id, entry));
      for (const next of foldedImports.get(library) ?? []) queue.push({ library: next.library, entry });
    }
  }

  const topics = sharedTopics(graph, byId);
  const topicLocations = new Set(topics.flatMap((t) => t.messages.map((m) => locationKey(m.location))));
  const edges = new EdgeSet([]);
  for (const edge of components.edges) {
    if (folded(byId.get(edge.to)!)) continue;
    const to = shown(edge.to);
    // Event edges between the users of a shared topic are drawn through the topic's node.
    if (edge.kind === 'event' && edge.evidence.every((e) => topicLocations.has(locationKey(e.location)))) continue;
    if (!folded(byId.get(edge.from)!)) {
      if (edge.from !== to) edges.merge({ ...edge, to });
      continue;
    }
    for (const [user, entry] of runners.get(edge.from) ?? []) {
      if (user !== to) edges.merge({ ...edge, from: user, to, via: [edge.from], evidence: [entry, ...edge.evidence] });
    }
  }
  for (const topic of topics) {
    for (const message of topic.messages) {
      const evidence = { location: message.location, detail: `${message.role}s "${message.topic}" (${message.system})` };
      edges.merge({ from: message.node, to: topic.node.id, kind: 'event', sync: message.role === 'request' || message.role === 'respond', count: 1, violations: [], evidence: [evidence] });
    }
  }

  const drawn = edges.sorted();
  const linked = new Set(drawn.flatMap((e) => [e.from, e.to]));
  const nodes = components.nodes.filter((n) => DEPLOYABLE.has(n.kind) || (!folded(n) && !databaseOf.has(n.id) && (linked.has(n.id) || n.findings.length > 0)));
  return { detail: 'services', nodes: sortNodes([...nodes, ...topics.map((t) => t.node)]), edges: drawn, groups: components.groups };
}

/** Topics (not HTTP task deliveries) that two or more deployables use, with each use. */
function sharedTopics(graph: Graph, byId: Map<string, MapNode>): { node: MapNode; messages: (ResolvedMessage & { node: string })[] }[] {
  const serviceOf = serviceResolver(graph);
  const uses = new Map<string, (ResolvedMessage & { node: string })[]>();
  for (const message of graph.interactions?.messages ?? []) {
    const node = serviceOf(message.component) ?? message.component;
    const kind = byId.get(node)?.kind;
    if (message.system === 'http-task' || !kind || !DEPLOYABLE.has(kind)) continue;
    const id = `topic:${message.system}:${message.topic}`;
    uses.set(id, [...(uses.get(id) ?? []), { ...message, node }]);
  }
  return graph.resources
    .filter((r) => r.kind === 'topic' && new Set((uses.get(r.id) ?? []).map((m) => m.node)).size >= 2)
    .map((r) => ({ node: { id: r.id, kind: 'topic', members: [r.id], reasons: r.owner ? [`owned by ${r.owner}`] : [], findings: [] }, messages: uses.get(r.id)! }));
}

/** Edges keyed by pair and kind: evidence, libraries carried through and finding marks merged. */
class EdgeSet {
  private readonly edges = new Map<string, MapEdge>();
  private readonly violationsAt = new Map<string, Set<string>>();
  private readonly errorsAt = new Set<string>();

  constructor(findings: Finding[]) {
    for (const finding of findings) {
      const locations = [finding.location, ...finding.related.map((r) => r.location), ...(finding.flow ?? []).map((r) => r.location)];
      for (const location of locations) {
        const key = locationKey(location);
        this.violationsAt.set(key, (this.violationsAt.get(key) ?? new Set()).add(finding.ruleId));
        if (finding.severity === 'error') this.errorsAt.add(key);
      }
    }
  }

  /** A component edge, its findings looked up by evidence location. */
  add(edge: Pick<MapEdge, 'from' | 'to' | 'kind' | 'sync' | 'typeOnly'>, evidence: Evidence[]): void {
    const violations = [...new Set(evidence.flatMap((e) => [...(this.violationsAt.get(locationKey(e.location)) ?? [])]))];
    const level = evidence.some((e) => this.errorsAt.has(locationKey(e.location))) ? 'error' : violations.length > 0 ? 'warning' : undefined;
    this.merge({ ...edge, count: evidence.length, violations, level, evidence });
  }

  /** An edge already marked (from the components view). */
  merge(edge: MapEdge): void {
    const key = `${edge.from}\0${edge.to}\0${edge.kind}`;
    const found = this.edges.get(key);
    if (!found) {
      this.edges.set(key, { ...edge, evidence: [...edge.evidence], violations: [...edge.violations].sort(compareStrings) });
      return;
    }
    found.sync ||= edge.sync;
    if (found.typeOnly && !edge.typeOnly) delete found.typeOnly;
    const seen = new Set(found.evidence.map(evidenceKey));
    found.evidence.push(...edge.evidence.filter((e) => !seen.has(evidenceKey(e))));
    found.count += edge.count;
    if (edge.via) found.via = [...new Set([...(found.via ?? []), ...edge.via])].sort(compareStrings);
    found.violations = [...new Set([...found.violations, ...edge.violations])].sort(compareStrings);
    if (edge.level === 'error' || (edge.level && !found.level)) found.level = edge.level;
  }

  sorted(): MapEdge[] {
    return [...this.edges.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind));
  }
}

const NODE_ORDER: Record<NodeKind, number> = { frontend: 0, service: 1, job: 2, library: 3, contract: 4, database: 5, topic: 6 };

function sortNodes(nodes: MapNode[]): MapNode[] {
  return nodes.sort((a, b) => NODE_ORDER[a.kind] - NODE_ORDER[b.kind] || compareStrings(a.id, b.id));
}

function locationKey(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

function evidenceKey(evidence: Evidence): string {
  return `${locationKey(evidence.location)} ${evidence.detail}`;
}
