import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, type LoadConfigOptions } from './config/load.js';
import { UsageError, type ResolvedConfig } from './config/types.js';
import { discover } from './discover/index.js';
import { runRules } from './engine.js';
import { cacheSalt, defaultCacheLocation, FactsCache } from './facts/cache.js';
import { extractFacts, extractors } from './facts/index.js';
import { buildGraph } from './graph/build.js';
import type { Diagnostic, Finding, Graph } from './model.js';
import { applySuppressions } from './suppress.js';
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
}

/** The whole pipeline: discover → extract facts → build graph → run rules → suppressions. Throws UsageError for bad config. */
export async function analyze(options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const root = path.resolve(options.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${options.root ?? root}: not a folder`);
  const config = await loadConfig(root, options);
  const discovery = discover(root, config);
  const cache = options.cache
    ? new FactsCache(root, options.cache === true ? defaultCacheLocation(root) : path.resolve(options.cache), cacheSalt(extractors.map((e) => e.name), config.maxFileSize))
    : undefined;
  const facts = extractFacts(root, discovery.files, config.maxFileSize, cache);
  const diagnostics = [...(config.diagnostics ?? []), ...discovery.diagnostics, ...facts.flatMap((f) => f.diagnostics)];
  const graph = buildGraph({ discovery, facts, testFileGlobs: config.testFiles, diagnostics, maxFileSize: config.maxFileSize });
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
  };
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const unique = new Map(diagnostics.map((d) => [`${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`, d]));
  return [...unique.values()].sort(
    (a, b) => compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message),
  );
}
