import type { ChalkInstance } from 'chalk';
import type { AnalysisResult } from '../analyze.js';

/** `arch-lint services`: every component with its kind, service and the evidence for it. */
export function formatServices(result: AnalysisResult, format: 'text' | 'json', chalk: ChalkInstance): string {
  const { components, edges } = result.graph;
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
      ...interactionsOf(result, c.id),
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
      const depends = [...new Set(edges.filter((e) => e.from === c.id).map((e) => `${e.to} (${e.kind})`))];
      if (depends.length > 0) lines.push(`    ${chalk.dim('→')} ${depends.join(', ')}`);
      const { calls, topics } = interactionsOf(result, c.id);
      for (const call of calls) lines.push(`    ${chalk.dim('⇢')} ${call.method ?? 'calls'} ${call.url}${call.to ? ` ${chalk.dim('→')} ${call.to}` : ''}  ${chalk.dim(call.at)}`);
      for (const topic of topics) lines.push(`    ${chalk.dim('≋')} ${topic.role} ${topic.topic} (${topic.system})  ${chalk.dim(topic.at)}`);
    }
    lines.push('');
  }
  if (components.length === 0) lines.push('no components found: declare workspaces or configure services (see README)');
  return `${lines.join('\n')}\n`;
}

/** A component's HTTP calls and topics, one entry per distinct call or topic use, in source order. */
function interactionsOf(result: AnalysisResult, id: string) {
  const at = (l: { file: string; line: number }) => `${l.file}:${l.line}`;
  const interactions = result.graph.interactions;
  const calls = (interactions?.httpCalls ?? [])
    .filter((c) => c.from === id)
    .map((c) => ({ method: c.method, url: c.url, to: c.to, at: at(c.location) }));
  const topics = (interactions?.messages ?? [])
    .filter((m) => m.component === id)
    .map((m) => ({ role: m.role, topic: m.topic, system: m.system, at: at(m.location) }));
  return { calls, topics };
}
