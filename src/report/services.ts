import type { ChalkInstance } from 'chalk';
import type { AnalysisResult } from '../analyze.js';
import type { Component, ComponentEdge, EdgeKind } from '../model.js';
import { redactCredentials } from '../util/redact.js';
import { compareStrings, escapeControlCharacters } from '../util/text.js';

const KINDS = ['service', 'job', 'frontend', 'contract', 'library'] as const;
const PLURAL = { service: 'services', job: 'jobs', frontend: 'frontends', contract: 'contracts', library: 'libraries' } as const;

function countOf(kind: (typeof KINDS)[number], n: number): string {
  return `${n} ${n === 1 ? kind : PLURAL[kind]}`;
}

/** One component's outgoing or incoming dependencies: the other end and every kind of evidence, with counts. */
interface Dependency {
  component: string;
  kinds: Partial<Record<EdgeKind, number>>;
}

/**
 * `arch-lint services`: every component with its kind, the service it deploys as, the evidence for
 * its kind, its public surface, and what it depends on and is used by.
 */
export function formatServices(result: AnalysisResult, format: 'text' | 'json', chalk: ChalkInstance): string {
  const { components } = result.graph;
  // Database and table edges are listed on their own line, with how the component uses them.
  const edges = result.graph.edges.filter((e) => e.kind !== 'database');
  const databasesOf = databaseLister(result);
  if (format === 'json') {
    const list = components.map((c) => ({
      id: c.id,
      dir: c.dir,
      kind: c.kind,
      ...(c.language ? { language: c.language } : {}),
      ...(c.system !== undefined ? { system: c.system } : {}),
      service: c.service,
      reasons: c.reasons,
      publicFiles: c.publicFiles,
      publicGlobs: c.publicGlobs,
      dependsOn: edges.filter((e) => e.from === c.id).map((e) => ({ to: e.to, kind: e.kind, sync: e.sync, evidence: e.evidence.length })),
      usedBy: dependencies(edges, c.id, 'in').map((d) => d.component),
      databases: databasesOf(c.id),
      ...interactionsOf(result, c.id),
    }));
    return `${JSON.stringify({ workspaceSources: result.workspaceSources, components: list, unboundDeployments: result.unboundDeployments }, null, 2)}\n`;
  }

  const lines: string[] = [];
  if (components.length === 0) {
    lines.push('no components found: declare workspaces (package.json, pnpm-workspace.yaml, lerna.json, Nx project.json, nest-cli.json projects), a docker-compose or skaffold build, a Dockerfile beside a package.json, or configure services (see README)');
    return `${lines.join('\n')}\n`;
  }
  // Names, folders, scripts and URLs come from the repository: never raw control characters on a terminal.
  const x = escapeControlCharacters;
  const counts = KINDS.map((kind) => countOf(kind, components.filter((c) => c.kind === kind).length)).join(', ');
  const systems = [...new Set(components.flatMap((c) => (c.system !== undefined ? [c.system || '.'] : [])))].sort(compareStrings);
  const inSystems = systems.length > 0 ? `; ${systems.length} systems, each deployed from its own subtree (${x(systems.join(', '))})` : '';
  lines.push(`${components.length} components (${counts}) from ${x(result.workspaceSources.join(', '))}; ${result.fileCount} files${inSystems}`, '');
  for (const kind of KINDS) {
    const ofKind = components.filter((c) => c.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(chalk.bold(`${PLURAL[kind]} (${ofKind.length})`));
    for (const c of ofKind) {
      const group = c.service !== c.id ? chalk.cyan(`  part of service "${x(c.service)}"`) : '';
      const system = c.system !== undefined ? chalk.cyan(`  system ${x(c.system || '.')}`) : '';
      lines.push(`  ${chalk.bold(x(c.id))}  ${chalk.dim(x(c.dir || '.'))}${system}${group}`);
      for (const reason of c.reasons) lines.push(`    ${chalk.dim('why')}      ${x(reason)}`);
      if (c.language) lines.push(`    ${chalk.dim('language')} ${x(c.language)} (its code is not analysed; calls to it and its deployment are)`);
      else lines.push(`    ${chalk.dim('public')}   ${x(publicSummary(c))}`);
      const out = dependencies(edges, c.id, 'out');
      if (out.length > 0) lines.push(`    ${chalk.dim('uses')}     ${x(out.map(describeDependency).join(', '))}`);
      const used = dependencies(edges, c.id, 'in');
      if (used.length > 0) lines.push(`    ${chalk.dim('used by')}  ${x(used.map((d) => d.component).join(', '))}`);
      const databases = databasesOf(c.id).map((d) => `${d.name} (${d.access}${d.owner ? `, owned by ${d.owner}` : ''})`);
      if (databases.length > 0) lines.push(`    ${chalk.dim('databases')} ${x(databases.join(', '))}`);
      const { calls, topics } = interactionsOf(result, c.id);
      for (const call of calls) lines.push(`    ${chalk.dim('calls')}    ${x(`${call.method ?? ''} ${call.url}`)}${call.to ? ` ${chalk.dim('→')} ${x(call.to)}` : ''}  ${chalk.dim(x(call.at))}`);
      for (const topic of topics) lines.push(`    ${chalk.dim('topic')}    ${x(`${topic.role} ${topic.topic} (${topic.system})`)}  ${chalk.dim(x(topic.at))}`);
    }
    lines.push('');
  }
  const unbound = result.unboundDeployments;
  if (unbound.length > 0) {
    lines.push(chalk.bold(`deployments bound to no component (${unbound.length})`), `  ${chalk.dim('configure `services` (or `libraries`) to name what they run')}`);
    for (const d of unbound) lines.push(`  ${x(`${d.source} ${d.name}`)}  ${chalk.dim(x(d.file))}: ${x(d.reason)}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function publicSummary(component: Component): string {
  const parts: string[] = [];
  const shown = component.publicFiles.slice(0, 3).map((f) => relativeTo(component.dir, f));
  if (component.publicFiles.length > 0) {
    const more = component.publicFiles.length > 3 ? ` and ${component.publicFiles.length - 3} more` : '';
    parts.push(`${component.publicFiles.length} ${component.publicFiles.length === 1 ? 'entry' : 'entries'} (${shown.join(', ')}${more})`);
  }
  if (component.publicGlobs.length > 0) parts.push(`globs ${component.publicGlobs.map((g) => relativeTo(component.dir, g)).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'no entry point found (every import from outside is internal)';
}

function relativeTo(dir: string, file: string): string {
  return dir && file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file;
}

function dependencies(edges: ComponentEdge[], id: string, direction: 'out' | 'in'): Dependency[] {
  const byOther = new Map<string, Dependency>();
  for (const edge of edges) {
    const [self, other] = direction === 'out' ? [edge.from, edge.to] : [edge.to, edge.from];
    if (self !== id) continue;
    const dependency = byOther.get(other) ?? { component: other, kinds: {} };
    dependency.kinds[edge.kind] = (dependency.kinds[edge.kind] ?? 0) + edge.evidence.length;
    byOther.set(other, dependency);
  }
  return [...byOther.values()].sort((a, b) => compareStrings(a.component, b.component));
}

/** `@shop/payments (3 imports, manifest)`. */
function describeDependency(dependency: Dependency): string {
  const kinds = Object.entries(dependency.kinds)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([kind, count]) => (kind === 'manifest' ? 'manifest' : `${count} ${kind}${count === 1 ? '' : 's'}`));
  return `${dependency.component} (${kinds.join(', ')})`;
}

/** The databases a component connects to, with how it uses them (names never hold credentials). */
function databaseLister(result: AnalysisResult): (component: string) => { name: string; engine?: string; access: string; owner?: string }[] {
  const databases = new Map(result.graph.resources.filter((r) => r.kind === 'database').map((r) => [r.id, r]));
  return (component) =>
    result.graph.edges
      .filter((e) => e.from === component && e.kind === 'database' && databases.has(e.to))
      .map((e) => {
        const database = databases.get(e.to)!;
        return { name: database.name, engine: database.engine, access: e.access ?? 'unknown', ...(database.owner ? { owner: database.owner } : {}) };
      });
}

/** A component's HTTP and RPC calls and topics, one entry per distinct call or topic use, in source order. */
function interactionsOf(result: AnalysisResult, id: string) {
  const at = (l: { file: string; line: number }) => `${l.file}:${l.line}`;
  const interactions = result.graph.interactions;
  const rpcCalls = (interactions?.rpcCalls ?? [])
    .filter((c) => c.from === id)
    .map((c) => ({ method: c.transport === 'grpc' ? 'gRPC' : 'TCP', url: redactCredentials(c.target), to: c.to as string | undefined, at: at(c.location) }));
  const calls = (interactions?.httpCalls ?? [])
    .filter((c) => c.from === id)
    .map((c) => ({ method: c.method, url: redactCredentials(c.url), to: c.to, at: at(c.location) }))
    .concat(rpcCalls);
  const topics = (interactions?.messages ?? [])
    .filter((m) => m.component === id)
    .map((m) => ({ role: m.role, topic: m.topic, system: m.system, at: at(m.location) }));
  return { calls, topics };
}
