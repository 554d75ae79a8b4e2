import { componentLocator } from '../discover/component-locator.js';
import type { ContractChange, ModuleEdge, ResolvedMessage } from '../model.js';
import type { ContractInput } from './index.js';
import { publishedTypes, typeScriptContractChanges, type PayloadSite } from './typescript-changes.js';
import { changeLocation, readHead, SOURCE } from './typescript.js';
import { compareStrings } from '../util/text.js';

/**
 * Event payloads typed by their publisher alone: a service that declares its own `interface OrderPlaced` and publishes
 * a value of it on a topic has made that type the contract of the topic's subscribers, though none of them imports it.
 * Only services whose own source files the diff changed, and only their publications whose module reaches a changed
 * file, are looked at: the type checker is loaded with those modules and the modules between them (as the working
 * tree has them) and asked the type of each published value. A type declared at the top level of a changed file is
 * then compared with its base version, as an output (subscribers read it); a type published nowhere is not compared.
 */
export function publishedPayloadChanges(input: ContractInput, changed: Set<string>): { changes: ContractChange[]; typeChecked: string[] } {
  const present = new Set(input.files);
  const tests = new Set(input.graph.testFiles);
  const ownerOf = componentLocator(input.graph.components);
  const publications = new Map<string, ResolvedMessage[]>();
  for (const message of input.graph.interactions?.messages ?? []) {
    if (!message.payload || (message.role !== 'publish' && message.role !== 'produce') || tests.has(message.location.file)) continue;
    publications.set(message.component, [...(publications.get(message.component) ?? []), message]);
  }
  const changes: ContractChange[] = [];
  const typeChecked: string[] = [];
  for (const [component, published] of publications) {
    const changedTexts = readHead(input, [...changed].filter((file) => SOURCE.test(file) && present.has(file) && !tests.has(file) && ownerOf(file)?.id === component));
    // Only a file that declares a type can change a payload type: a diff of function bodies loads no checker.
    const changedSources = new Set([...changedTexts].filter(([, text]) => TYPE_DECLARATION.test(text)).map(([file]) => file));
    if (changedSources.size === 0) continue;
    const edges = input.graph.moduleEdges.filter((edge) => edge.fromComponent === component && edge.toComponent === component);
    const reaching = reachable([...changedSources], edges, 'backward');
    const sites = published.filter((message) => reaching.has(message.location.file));
    if (sites.length === 0) continue;
    typeChecked.push(component);
    // The publishing modules and those between them and the changed files: the checker needs nothing else to name a published type.
    const loaded = new Set([...reachable([...new Set(sites.map((s) => s.location.file))], edges, 'forward')].filter((file) => reaching.has(file)));
    const texts = new Map([...readHead(input, [...loaded].filter((file) => !changedTexts.has(file))), ...changedTexts].filter(([file]) => loaded.has(file)));
    const imports = new Map<string, Map<string, string>>();
    for (const edge of edges) {
      if (!loaded.has(edge.from) || !loaded.has(edge.to)) continue;
      imports.set(edge.from, (imports.get(edge.from) ?? new Map<string, string>()).set(edge.reference.specifier, edge.to));
    }
    const types = publishedTypes({ texts, imports, sites: sites.map((message) => ({ file: message.location.file, ...siteOf(message.payload!) })), declaredIn: changedSources });
    // Per declaring file, each payload type and the topics it is published on.
    const topicsOf = new Map<string, Map<string, Set<string>>>();
    types.forEach((type, i) => {
      if (!type) return;
      const byName = topicsOf.get(type.file) ?? new Map<string, Set<string>>();
      byName.set(type.name, (byName.get(type.name) ?? new Set<string>()).add(sites[i].topic));
      topicsOf.set(type.file, byName);
    });
    for (const [file, byName] of topicsOf) {
      const base = input.base.read([file]).get(file);
      if (base === undefined) continue; // a new file: every type in it is new
      let found;
      try {
        found = typeScriptContractChanges({ base: new Map([[file, base]]), head: new Map([[file, texts.get(file)!]]), entries: [file], payloadTypes: [...byName.keys()] });
      } catch (error) {
        input.diagnostics.push({ file, code: 'contract-compare-failed', message: `the event payload types of ${file} could not be compared with their base: ${(error as Error).message}` });
        continue;
      }
      for (const change of found) {
        for (const topic of [...(byName.get(change.exportName) ?? [])].sort(compareStrings)) {
          changes.push({
            contract: 'event',
            owner: component,
            file,
            change: change.kind,
            breaking: change.breaking,
            location: changeLocation(change, texts, file),
            description: `payload of "${topic}": ${change.description}${change.inBase ? ` (at ${change.file}:${change.line} in ${input.base.ref})` : ''}`,
            topic,
            side: 'payload',
            exportName: change.exportName,
            ...(change.member !== undefined ? { member: change.member, property: change.member } : {}),
          });
        }
      }
    }
  }
  return { changes, typeChecked };
}

/** A top-level type declaration, as written at the start of a line. */
const TYPE_DECLARATION = /^(export\s+)?(declare\s+)?(default\s+)?(abstract\s+)?(interface|type|class|enum)\s/m;

/** The files that reach `from` (backward) or that `from` reaches (forward) through the edges, `from` included. */
function reachable(from: string[], edges: ModuleEdge[], direction: 'forward' | 'backward'): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [a, b] = direction === 'forward' ? [edge.from, edge.to] : [edge.to, edge.from];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set(from);
  const queue = [...from];
  while (queue.length > 0) {
    for (const file of next.get(queue.pop()!) ?? []) {
      if (seen.has(file) || !SOURCE.test(file)) continue;
      seen.add(file);
      queue.push(file);
    }
  }
  return seen;
}

function siteOf(location: { line: number; column: number; endLine?: number; endColumn?: number }): Omit<PayloadSite, 'file'> {
  return { line: location.line, column: location.column, ...(location.endLine !== undefined && location.endColumn !== undefined ? { endLine: location.endLine, endColumn: location.endColumn } : {}) };
}
