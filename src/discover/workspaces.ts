import type { Diagnostic } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { yamlPackage } from '../util/yaml.js';

export type ReadText = (file: string) => string | undefined;

export interface WorkspaceDeclaration {
  /** Folder globs (picomatch), with `!` negations. */
  patterns: string[];
  /** Where they were declared, e.g. `package.json#workspaces`. */
  sources: string[];
}

/**
 * The workspace globs of one workspace root ('' for the repository root), from its package.json,
 * pnpm-workspace.yaml and lerna.json, as repo-relative folder globs.
 */
export function readWorkspaceDeclarations(files: Set<string>, read: ReadText, diagnostics: Diagnostic[], dir = ''): WorkspaceDeclaration {
  const patterns: string[] = [];
  const sources: string[] = [];
  const add = (source: string, list: unknown) => {
    if (!Array.isArray(list)) return;
    const globs = list.filter((p): p is string => typeof p === 'string').map((p) => normalisePattern(p, dir));
    if (globs.length === 0) return;
    patterns.push(...globs);
    sources.push(source);
  };

  const manifest = joinPosix(dir, 'package.json');
  if (files.has(manifest)) {
    const text = read(manifest);
    const doc = text === undefined ? undefined : parseJsonWithLocations(manifest, text);
    const value = doc && doc.errors.length === 0 ? (doc.value as Record<string, unknown> | null) : undefined;
    const workspaces = value?.workspaces;
    add(`${manifest}#workspaces`, Array.isArray(workspaces) ? workspaces : (workspaces as { packages?: unknown } | undefined)?.packages);
  }
  for (const name of PNPM_WORKSPACE_FILES) {
    const file = joinPosix(dir, name);
    if (!files.has(file)) continue;
    const text = read(file);
    if (text === undefined) continue;
    add(file, (parseYamlValue(file, text, diagnostics) as { packages?: unknown } | null | undefined)?.packages);
  }
  const lerna = joinPosix(dir, 'lerna.json');
  if (files.has(lerna)) {
    const text = read(lerna);
    const doc = text === undefined ? undefined : parseJsonWithLocations(lerna, text);
    if (doc && doc.errors.length === 0) add(`${lerna}#packages`, (doc.value as { packages?: unknown } | null)?.packages);
  }
  return { patterns, sources };
}

const PNPM_WORKSPACE_FILES = ['pnpm-workspace.yaml', 'pnpm-workspace.yml'];

/**
 * Folders below the root that are workspace roots of their own (a docs site kept as a separate
 * monorepo in `www/`): they have a pnpm-workspace.yaml or lerna.json, or a package.json with `workspaces`.
 */
export function nestedWorkspaceRoots(files: string[], read: ReadText): string[] {
  const roots = new Set<string>();
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (!file.includes('/')) continue;
    if (PNPM_WORKSPACE_FILES.includes(name) || name === 'lerna.json') roots.add(dirOf(file));
    else if (name === 'package.json' && /"workspaces"\s*:/.test(read(file) ?? '')) roots.add(dirOf(file));
  }
  return [...roots].sort();
}

/** The value of a one-document YAML file, or undefined with a diagnostic when it is malformed or an alias bomb. */
function parseYamlValue(file: string, text: string, diagnostics: Diagnostic[]): unknown {
  const doc = yamlPackage().parseDocument(text, { uniqueKeys: false });
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

/** `./packages/*` and `packages/*\/` both become `packages/*`, below `dir` when given. */
export function normalisePattern(pattern: string, dir = ''): string {
  const negated = pattern.startsWith('!');
  const body = joinPosix(dir, (negated ? pattern.slice(1) : pattern).replace(/^\.\//, ''));
  return negated ? `!${body}` : body;
}

export function isComposeFile(file: string): boolean {
  return /(^|\/)(docker-)?compose(\.[\w-]+)*\.ya?ml$/.test(file);
}
