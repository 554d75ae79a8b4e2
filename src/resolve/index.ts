import { createHash } from 'node:crypto';
import type { Component, Diagnostic, FileFacts } from '../model.js';
import { dirOf } from '../util/paths.js';
import type { FolderResolutions, ResolutionCache, ResolutionTable } from './cache.js';
import { ObservedDisk } from './disk.js';
import type { Resolution } from './resolver.js';

/** `node:fs`, `bun:test`, `virtual:pwa`: provided by the runtime or the bundler, never by the repository. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export interface ImportResolutionInput {
  root: string;
  /** Every walked file (sorted). */
  files: string[];
  components: Component[];
  facts: FileFacts[];
  /** Files read during module resolution (tsconfig.json, package.json) obey the same size limit. */
  maxFileSize: number;
  cache?: ResolutionCache;
}

export interface ImportResolutions {
  /** Where an import recorded in the facts leads. */
  resolve(fromFile: string, specifier: string): Resolution;
  /** What the tsconfigs these resolutions used reported. */
  diagnostics: Diagnostic[];
  /** Distinct (folder, specifier) pairs taken from the cache, and resolved by this run. */
  stats: { cached: number; resolved: number };
  /** The disk's answers beyond the walked files that these resolutions depend on (ObservedDisk). */
  diskAnswers: Map<string, string>;
}

/**
 * Resolves every import of the facts, once per importing folder and specifier (all resolution depends
 * on). With a cache, pairs resolved by an earlier run over the same files are reused, and the resolver,
 * TypeScript's compiler with it, is loaded only when some pair is new.
 */
export async function resolveImports(input: ImportResolutionInput): Promise<ImportResolutions> {
  const { root, files, components, facts, maxFileSize, cache } = input;
  const disk = new ObservedDisk(root, maxFileSize);
  const fingerprint = cache ? resolutionFingerprint(files, components) : '';
  const stored = cache?.load(fingerprint, disk, files);
  const table: ResolutionTable = { folders: new Map(), tsconfigDiagnostics: new Map(), answers: new Map(stored?.answers) };
  const missing: { folder: FolderResolutions; fromFile: string; specifier: string }[] = [];
  let cached = 0;
  for (const { file, imports } of facts) {
    if (imports.length === 0) continue;
    const dir = dirOf(file);
    let folder = table.folders.get(dir);
    if (!folder) {
      const previous = stored?.folders.get(dir);
      folder = { ...(previous?.tsconfig !== undefined ? { tsconfig: previous.tsconfig } : {}), specifiers: new Map() };
      table.folders.set(dir, folder);
    }
    for (const { specifier } of imports) {
      if (URL_SCHEME.test(specifier) || folder.specifiers.has(specifier)) continue;
      const previous = stored?.folders.get(dir)?.specifiers.get(specifier);
      if (previous) cached++;
      else missing.push({ folder, fromFile: file, specifier });
      folder.specifiers.set(specifier, previous ?? {});
    }
  }
  if (missing.length > 0) {
    const { ModuleResolver } = await import('./resolver.js');
    const resolver = new ModuleResolver(root, new Set(files), components, disk);
    for (const { folder, fromFile, specifier } of missing) {
      folder.specifiers.set(specifier, resolver.resolve(fromFile, specifier));
      const tsconfig = resolver.tsconfigOf(fromFile);
      if (tsconfig !== undefined) folder.tsconfig = tsconfig;
    }
    for (const [tsconfig, diagnostics] of resolver.tsconfigDiagnostics) table.tsconfigDiagnostics.set(tsconfig, diagnostics);
    for (const [question, answer] of disk.answers) table.answers.set(question, answer);
  }
  for (const [dir, folder] of table.folders) if (folder.specifiers.size === 0) table.folders.delete(dir);
  const usedTsconfigs = new Set([...table.folders.values()].flatMap((folder) => (folder.tsconfig === undefined ? [] : [folder.tsconfig])));
  for (const tsconfig of usedTsconfigs) {
    if (!table.tsconfigDiagnostics.has(tsconfig)) table.tsconfigDiagnostics.set(tsconfig, stored?.tsconfigDiagnostics.get(tsconfig) ?? []);
  }
  for (const tsconfig of table.tsconfigDiagnostics.keys()) if (!usedTsconfigs.has(tsconfig)) table.tsconfigDiagnostics.delete(tsconfig);
  const unchanged = stored !== undefined && missing.length === 0 && pairCount(stored) === cached;
  if (cache && !unchanged) cache.save(fingerprint, table, files);

  // the graph asks file by file: the folder of the last file is kept
  let lastFile: string | undefined;
  let lastFolder: FolderResolutions | undefined;
  return {
    resolve: (fromFile, specifier) => {
      if (URL_SCHEME.test(specifier)) return { external: specifier };
      if (fromFile !== lastFile) [lastFile, lastFolder] = [fromFile, table.folders.get(dirOf(fromFile))];
      return lastFolder?.specifiers.get(specifier) ?? {};
    },
    diagnostics: [...table.tsconfigDiagnostics.values()].flat(),
    stats: { cached, resolved: missing.length },
    diskAnswers: table.answers,
  };
}

function pairCount(table: ResolutionTable): number {
  let count = 0;
  for (const folder of table.folders.values()) count += folder.specifiers.size;
  return count;
}

/** What every resolution depends on besides the disk's answers: the walked files and what the components declare. */
function resolutionFingerprint(files: string[], components: Component[]): string {
  const hash = createHash('sha256').update(files.join('\0')).update('\0\0');
  const declared = components.map((c) => [c.dir, c.packageName, c.manifest?.exports, c.manifest?.types, c.manifest?.main]);
  return hash.update(JSON.stringify(declared)).digest('hex');
}
