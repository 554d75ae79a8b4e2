import type { AnalysisResult } from '../../analyze.js';
import { configuredCoDeploymentGroups, type Coupling } from '../../graph/couplings.js';
import { serviceResolver } from '../../graph/services.js';
import type { EdgeKind, Evidence, Finding, SourceLocation } from '../../model.js';
import { compareStrings } from '../../util/text.js';

/** The service map every picture is drawn from: services, libraries, contracts and databases, with evidence. */
export interface ServiceMap {
  nodes: MapNode[];
  edges: MapEdge[];
  /** Co-deployment groups (the distributed-monolith rule's groups), drawn as clusters. */
  groups: MapGroup[];
}

export type NodeKind = 'service' | 'job' | 'frontend' | 'library' | 'contract' | 'database';

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

/** Collapses the component graph to the service map and marks the edges findings point at. */
export function serviceMap(result: AnalysisResult): ServiceMap {
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

  const violationsAt = new Map<string, Set<string>>();
  const errorsAt = new Set<string>();
  for (const finding of findings) {
    const locations = [finding.location, ...finding.related.map((r) => r.location), ...(finding.flow ?? []).map((r) => r.location)];
    for (const location of locations) {
      const key = locationKey(location);
      violationsAt.set(key, (violationsAt.get(key) ?? new Set()).add(finding.ruleId));
      if (finding.severity === 'error') errorsAt.add(key);
    }
    for (const service of new Set(finding.services)) {
      nodes.get(service)?.findings.push({ ruleId: finding.ruleId, severity: finding.severity, message: finding.message, location: finding.location });
    }
  }

  const edges = new Map<string, MapEdge>();
  for (const edge of graph.edges) {
    const from = nodeOf.get(edge.from);
    const to = nodeOf.get(edge.to);
    if (!from || !to || from === to) continue;
    const key = `${from}\0${to}\0${edge.kind}`;
    const mapEdge = edges.get(key) ?? { from, to, kind: edge.kind, sync: false, violations: [], evidence: [] };
    mapEdge.sync ||= edge.sync;
    mapEdge.evidence.push(...edge.evidence);
    const rules = new Set([...mapEdge.violations, ...edge.evidence.flatMap((e) => [...(violationsAt.get(locationKey(e.location)) ?? [])])]);
    mapEdge.violations = [...rules].sort(compareStrings);
    if (edge.evidence.some((e) => errorsAt.has(locationKey(e.location)))) mapEdge.level = 'error';
    else if (mapEdge.violations.length > 0) mapEdge.level ??= 'warning';
    edges.set(key, mapEdge);
  }

  const groups = configuredCoDeploymentGroups(graph, result.config);
  groups.forEach((group, index) => group.services.forEach((s) => (nodes.get(s)!.group = index)));
  const order: Record<NodeKind, number> = { frontend: 0, service: 1, job: 2, library: 3, contract: 4, database: 5 };
  return {
    nodes: [...nodes.values()].sort((a, b) => order[a.kind] - order[b.kind] || compareStrings(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind, b.kind)),
    groups,
  };
}

function locationKey(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
