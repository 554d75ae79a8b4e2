import type { ChalkInstance } from 'chalk';
import type { AnalysisResult } from '../analyze.js';

/** `arch-lint services`: every component with its kind, service and the evidence for it. */
export function formatServices(result: AnalysisResult, format: 'text' | 'json', chalk: ChalkInstance): string {
  const { components, edges } = result.graph;
  const databasesOf = databaseLister(result);
  if (format === 'json') {
    const list = components.map((c) => ({
      id: c.id,
      dir: c.dir,
      kind: c.kind,
      service: c.service,
      reasons: c.reasons,
      publicFiles: c.publicFiles,
      publicGlobs: c.publicGlobs,
      dependsOn: edges.filter((e) => e.from === c.id).map((e) => ({ to: e.to, kind: e.kind, sync: e.sync })),
      databases: databasesOf(c.id),
    }));
    return `${JSON.stringify({ components: list }, null, 2)}\n`;
  }
  const lines: string[] = [];
  for (const kind of ['service', 'library', 'contract'] as const) {
    const ofKind = components.filter((c) => c.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push(chalk.bold(`${kind === 'library' ? 'libraries' : `${kind}s`} (${ofKind.length})`));
    for (const c of ofKind) {
      const group = c.service !== c.id ? chalk.cyan(` [service ${c.service}]`) : '';
      lines.push(`  ${chalk.bold(c.id)}  ${chalk.dim(c.dir)}${group}`);
      for (const reason of c.reasons) lines.push(`    ${chalk.dim('·')} ${reason}`);
      const depends = [...new Set(edges.filter((e) => e.from === c.id && e.kind !== 'database').map((e) => `${e.to} (${e.kind})`))];
      if (depends.length > 0) lines.push(`    ${chalk.dim('→')} ${depends.join(', ')}`);
      const databases = databasesOf(c.id).map((d) => `${d.name} (${d.access}${d.owner ? `, owned by ${d.owner}` : ''})`);
      if (databases.length > 0) lines.push(`    ${chalk.dim('databases:')} ${databases.join(', ')}`);
    }
    lines.push('');
  }
  if (components.length === 0) lines.push('no components found: declare workspaces or configure services (see README)');
  return `${lines.join('\n')}\n`;
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
