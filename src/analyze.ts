import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, type LoadConfigOptions } from './config/load.js';
import { UsageError, type ResolvedConfig } from './config/types.js';
import { discover } from './discover/index.js';
import { walkRepository } from './discover/walk.js';
import { runRules } from './engine.js';
import { cacheSalt, defaultCacheLocation, FactsCache, staysInside } from './facts/cache.js';
import { extractFacts, extractors } from './facts/index.js';
import { buildGraph } from './graph/build.js';
import { resolveImports, type ImportResolutions } from './resolve/index.js';
import { ResolutionCache } from './resolve/cache.js';
import type { Diagnostic, Finding, Graph } from './model.js';
import { applySuppressions } from './suppress.js';
import { relativePosix } from './util/paths.js';
import { compareStrings } from './util/text.js';

export interface AnalyzeOptions extends LoadConfigOptions {
  /** The repository root to analyse (default: the current directory). */
  root?: string;
  /** Cache facts between runs: true for node_modules/.cache/arch-lint under the root, or a folder. Off by default. */
  cache?: boolean | string;
}

export interface AnalysisResult {
  root: string;
  config: ResolvedConfig;
  graph: Graph;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** How many files were analysed. */
  fileCount: number;
  /** Where the components came from (`pnpm-workspace.yaml`, `Nx project.json files`, …). */
  workspaceSources: string[];
  /** How many findings inline `arch-lint-disable…` comments suppressed. */
  suppressed: number;
  /** How the facts were obtained when the cache was on. */
  cache?: FactsCache['stats'];
  /** How many (folder, specifier) pairs came from the cache and how many were resolved, when the cache was on. */
  resolutionCache?: ImportResolutions['stats'];
}

/** The whole pipeline: discover → extract facts → build graph → run rules → suppressions. Throws UsageError for bad config. */
export async function analyze(options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const root = path.resolve(options.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${options.root ?? root}: not a folder`);
  const config = await loadConfig(root, options);
  const walk = walkRepository(root, config.ignore);
  const cacheLocation = options.cache === true ? defaultCacheLocation(root) : options.cache ? path.resolve(options.cache) : undefined;
  const cacheEscapes = options.cache === true && !staysInside(root, cacheLocation!);
  const salt = cacheLocation && !cacheEscapes ? cacheSalt(extractors.map((e) => e.name), config.maxFileSize) : undefined;
  const cache = salt ? new FactsCache(root, cacheLocation!, salt) : undefined;
  const facts = await extractFacts(root, walk.files, config.maxFileSize, cache);
  // Facts first: the Kubernetes workloads among them are evidence of which components are services.
  const discovery = discover(root, config, { walk, facts });
  const resolutions = await resolveImports({
    root,
    files: discovery.files,
    components: discovery.components,
    facts,
    maxFileSize: config.maxFileSize,
    cache: salt ? new ResolutionCache(cacheLocation!, salt) : undefined,
  });
  const cacheRefused: Diagnostic[] = cacheEscapes
    ? [{ file: relativePosix(root, cacheLocation!), code: 'outside-root', message: 'the cache folder resolves outside the repository root; no cache for this run' }]
    : [];
  const diagnostics = [...(config.diagnostics ?? []), ...cacheRefused, ...discovery.diagnostics, ...facts.flatMap((f) => f.diagnostics), ...resolutions.diagnostics];
  const graph = buildGraph({ discovery, facts, resolve: resolutions.resolve, testFileGlobs: config.testFiles, diagnostics });
  const { findings, suppressed } = applySuppressions(runRules(graph, config), facts, config);
  return {
    root,
    config,
    graph,
    findings,
    diagnostics: sortDiagnostics(diagnostics),
    fileCount: facts.length,
    workspaceSources: discovery.workspaceSources,
    suppressed,
    cache: cache?.stats,
    ...(cache ? { resolutionCache: resolutions.stats } : {}),
  };
}

/** How many diagnostics of one code one file may give; a generated file can otherwise flood the output. */
export const MAX_DIAGNOSTICS_PER_FILE_AND_CODE = 20;

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const unique = new Map(diagnostics.map((d) => [`${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`, d]));
  const sorted = [...unique.values()].sort(
    (a, b) => compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message),
  );
  const counts = new Map<string, number>();
  for (const d of sorted) counts.set(`${d.file}\0${d.code}`, (counts.get(`${d.file}\0${d.code}`) ?? 0) + 1);
  const kept: Diagnostic[] = [];
  const shown = new Map<string, number>();
  for (const d of sorted) {
    const key = `${d.file}\0${d.code}`;
    const seen = (shown.get(key) ?? 0) + 1;
    shown.set(key, seen);
    if (seen <= MAX_DIAGNOSTICS_PER_FILE_AND_CODE) kept.push(d);
    if (seen === MAX_DIAGNOSTICS_PER_FILE_AND_CODE && counts.get(key)! > seen) {
      kept.push({ ...(d.file !== undefined ? { file: d.file } : {}), code: d.code, message: `and ${counts.get(key)! - seen} more ${d.code} diagnostics in this file` });
    }
  }
  return kept;
}
