import { parseDocument } from 'yaml';
import type { Diagnostic } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';
import { dirOf, joinPosix } from '../util/paths.js';

export type ReadText = (file: string) => string | undefined;

export interface WorkspaceDeclaration {
  /** Folder globs (picomatch), with `!` negations. */
  patterns: string[];
  /** Where they were declared, e.g. `package.json#workspaces`. */
  sources: string[];
}

/** The workspace globs a repository declares, from package.json, pnpm-workspace.yaml and lerna.json. */
export function readWorkspaceDeclarations(files: Set<string>, read: ReadText, diagnostics: Diagnostic[]): WorkspaceDeclaration {
  const patterns: string[] = [];
  const sources: string[] = [];
  const add = (source: string, list: unknown) => {
    if (!Array.isArray(list)) return;
    const globs = list.filter((p): p is string => typeof p === 'string').map(normalisePattern);
    if (globs.length === 0) return;
    patterns.push(...globs);
    sources.push(source);
  };

  if (files.has('package.json')) {
    const text = read('package.json');
    const doc = text === undefined ? undefined : parseJsonWithLocations('package.json', text);
    const value = doc && doc.errors.length === 0 ? (doc.value as Record<string, unknown> | null) : undefined;
    const workspaces = value?.workspaces;
    add('package.json#workspaces', Array.isArray(workspaces) ? workspaces : (workspaces as { packages?: unknown } | undefined)?.packages);
  }
  for (const name of ['pnpm-workspace.yaml', 'pnpm-workspace.yml']) {
    if (!files.has(name)) continue;
    const text = read(name);
    if (text === undefined) continue;
    add(name, (parseYamlValue(name, text, diagnostics) as { packages?: unknown } | null | undefined)?.packages);
  }
  if (files.has('lerna.json')) {
    const text = read('lerna.json');
    const doc = text === undefined ? undefined : parseJsonWithLocations('lerna.json', text);
    if (doc && doc.errors.length === 0) add('lerna.json#packages', (doc.value as { packages?: unknown } | null)?.packages);
  }
  return { patterns, sources };
}

/** The value of a one-document YAML file, or undefined with a diagnostic when it is malformed or an alias bomb. */
function parseYamlValue(file: string, text: string, diagnostics: Diagnostic[]): unknown {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) {
    diagnostics.push({ file, code: 'invalid-yaml', message: doc.errors[0].message.split('\n')[0] });
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    diagnostics.push({ file, code: 'invalid-yaml', message: (error as Error).message });
    return undefined;
  }
}

/** `./packages/*` and `packages/*\/` both become `packages/*`. */
export function normalisePattern(pattern: string): string {
  const negated = pattern.startsWith('!');
  const body = joinPosix(negated ? pattern.slice(1) : pattern).replace(/^\.\//, '');
  return negated ? `!${body}` : body;
}

/** Build contexts of the repository's docker-compose files: the folders compose builds. */
export function composeBuildContexts(files: string[], read: ReadText, diagnostics: Diagnostic[]): { dir: string; file: string; service: string }[] {
  const contexts: { dir: string; file: string; service: string }[] = [];
  for (const file of files.filter(isComposeFile)) {
    const text = read(file);
    if (text === undefined) continue;
    const value = parseYamlValue(file, text, diagnostics);
    const services = (value as { services?: Record<string, unknown> } | null)?.services;
    if (typeof services !== 'object' || services === null) continue;
    for (const [service, definition] of Object.entries(services)) {
      const build = (definition as { build?: unknown } | null)?.build;
      const context = typeof build === 'string' ? build : (build as { context?: unknown } | undefined)?.context;
      if (typeof context !== 'string' || /^[a-z]+:\/\//i.test(context)) continue;
      const dir = joinPosix(dirOf(file), context);
      if (dir === '..' || dir.startsWith('../') || dir.startsWith('/')) {
        diagnostics.push({ file, code: 'outside-root', message: `service "${service}" builds "${context}", outside the repository root; not analysed` });
        continue;
      }
      contexts.push({ dir, file, service });
    }
  }
  return contexts;
}

export function isComposeFile(file: string): boolean {
  return /(^|\/)(docker-)?compose(\.[\w-]+)*\.ya?ml$/.test(file);
}
