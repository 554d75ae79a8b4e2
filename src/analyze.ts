import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, type LoadConfigOptions } from './config/load.js';
import { UsageError, type ResolvedConfig } from './config/types.js';
import { discover } from './discover/index.js';
import { walkRepository } from './discover/walk.js';
import { cacheSalt, defaultCacheLocation, FactsCache, staysInside } from './facts/cache.js';
import { extractFacts, extractors } from './facts/index.js';
import { buildGraph } from './graph/build.js';
import { resolveImports, type ImportResolutions } from './resolve/index.js';
import { ResolutionCache } from './resolve/cache.js';
import { FileSnapshot, ResultCache, resultInputs, type StoredResult } from './result-cache.js';
import type { Diagnostic, Graph, UnboundDeployment } from './model.js';
import { applySuppressions } from './suppress.js';
import type { ProgressReport } from './progress.js';
import { gitTracksFilesIn, type Changes } from './changed.js';
import { contractStage } from './contracts/index.js';
import { contractView, type ContractView } from './contracts/view.js';
import { compareFindings, runRules } from './engine.js';
import { GitBase } from './contracts/git-base.js';
import { isInside, relativePosix } from './util/paths.js';
import { compareStrings } from './util/text.js';

export interface AnalyzeOptions extends LoadConfigOptions {
  /** The repository root to analyse (default: the current directory). */
  root?: string;
  /** Cache facts, resolutions and lint results between runs: true for node_modules/.cache/arch-lint under the root, or a folder. Off by default. */
  cache?: boolean | string;
  /** Files arch-lint itself writes during the run (its report): never analysed, like the cache folder. */
  outputFiles?: string[];
  /** Told how far the analysis is (the CLI's progress line on a terminal). */
  progress?: ProgressReport;
  /** A git ref to compare contracts with (`--changed <ref>`, `arch-lint contracts --base <ref>`): its files are read from git objects. */
  base?: string;
  /** The files changed against `base`, when the caller has asked git for them already (`--changed`): git is not asked again. */
  baseChanges?: Changes;
}

/** What `lint` reports: the findings and diagnostics of an analysis (StoredResult), without the graph they came from. */
export interface LintResult extends StoredResult {
  root: string;
  config: ResolvedConfig;
  /** How the facts were obtained when the cache was on and the analysis ran. */
  cache?: FactsCache['stats'];
  /** How many (folder, specifier) pairs came from the cache and how many were resolved, when the cache was on and the analysis ran. */
  resolutionCache?: ImportResolutions['stats'];
  /** True when nothing the result depends on had changed since the cache stored it, and it was reported again. */
  reused?: true;
}

export interface AnalysisResult extends LintResult {
  graph: Graph;
  /** Deployments that bound to no component (Discovery), for `arch-lint services`. */
  unboundDeployments: UnboundDeployment[];
}

/** The analysis, always run in full: for the commands that need the graph. Throws UsageError for bad config. */
export async function analyze(options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const prepared = await prepare(options);
  const { result, view } = await runPipeline(prepared);
  return withContracts(prepared, result, view);
}

/**
 * The analysis `lint` needs: with the cache on, the stored result when the configuration, every walked
 * file and every disk answer module resolution depended on are as they were (ResultCache).
 */
export async function lintRepository(options: AnalyzeOptions = {}): Promise<LintResult> {
  const prepared = await prepare(options);
  const { root, config, walk, cache } = prepared;
  if (!cache) {
    const { result, view } = await runPipeline(prepared);
    return withContracts(prepared, result, view);
  }
  const snapshot = new FileSnapshot(root, walk.files, config.maxFileSize);
  const results = new ResultCache(root, cache.location, cache.salt, config.maxFileSize);
  const inputs = resultInputs(config, walk.files, walk.diagnostics);
  const stored = results.load(inputs, snapshot);
  // With a base, the contracts are compared from the view the result kept (the base is read from git anew).
  if (stored && (!prepared.base || stored.contractView)) {
    const { contractView, ...reused } = stored;
    return withContracts(prepared, { root, config, ...reused, reused: true }, contractView);
  }
  const { result, diskAnswers, view } = await runPipeline(prepared, snapshot);
  const { findings, diagnostics, fileCount, componentCount, workspaceSources, suppressed } = result;
  results.save(inputs, snapshot, diskAnswers, { findings, diagnostics, fileCount, componentCount, workspaceSources, suppressed, contractView: view });
  return withContracts(prepared, result, view);
}

/** The contract stage, after suppressions, in a run with a base: its findings join the run's (and the graph, when there is one, gets the comparison). */
function withContracts<T extends LintResult>(prepared: Prepared, result: T, view: ContractView | undefined): T {
  if (!prepared.base || !view) return result;
  prepared.progress?.(`comparing contracts with ${prepared.base.ref}`);
  const diagnostics: Diagnostic[] = [];
  const { root, config, walk } = prepared;
  const outcome = contractStage(view, { root, base: prepared.base, files: walk.files, maxFileSize: config.maxFileSize, diagnostics, config });
  if ('graph' in result) (result as unknown as AnalysisResult).graph.contracts = outcome.comparison;
  return {
    ...result,
    findings: [...result.findings, ...outcome.findings].sort(compareFindings),
    suppressed: [...result.suppressed, ...outcome.suppressed].sort(compareFindings),
    diagnostics: sortDiagnostics([...result.diagnostics, ...diagnostics]),
  };
}

interface Prepared {
  root: string;
  config: ResolvedConfig;
  walk: ReturnType<typeof walkRepository>;
  /** Where caches live and the salt they are kept under; absent without a cache. */
  cache?: { location: string; salt: string };
  diagnostics: Diagnostic[];
  progress?: ProgressReport;
  base?: GitBase;
}

async function prepare(options: AnalyzeOptions): Promise<Prepared> {
  const root = path.resolve(options.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${options.root ?? root}: not a folder`);
  // Asked of git first, so that a base the clone lacks stops the run at once (exit 2, saying how to fetch it).
  const base = options.base === undefined ? undefined : new GitBase(root, options.base, options.baseChanges);
  const config = await loadConfig(root, options);
  const location = options.cache === true ? defaultCacheLocation(root) : options.cache ? path.resolve(options.cache) : undefined;
  // A report or cache written into the tree would be read by the next run, and change it.
  const own = [...(location ? [location] : []), ...(options.outputFiles ?? []).map((file) => path.resolve(file))];
  const walk = walkRepository(root, config.ignore, new Set(own.filter((file) => isInside(root, file)).map((file) => relativePosix(root, file))));
  const refusal = location && cacheRefusal(root, location, options.cache === true);
  const diagnostics: Diagnostic[] = refusal ? [refusal] : [];
  const cache = location && !refusal ? { location, salt: cacheSalt(extractors.map((e) => e.name), config.maxFileSize) } : undefined;
  return { root, config, walk, cache, diagnostics, progress: options.progress, base };
}

/**
 * Why the cache folder must not be used, if it must not: the default folder reached through a symbolic
 * link outside the root, or a folder git tracks (a pull request could commit facts that hide findings).
 */
function cacheRefusal(root: string, location: string, isDefault: boolean): Diagnostic | undefined {
  const file = isInside(root, location) ? relativePosix(root, location) : location;
  if (isDefault && !staysInside(root, location)) {
    return { file, code: 'outside-root', message: 'the cache folder resolves outside the repository root; no cache for this run' };
  }
  if (fs.existsSync(location) && gitTracksFilesIn(root, location)) {
    return { file, code: 'tracked-cache', message: 'git tracks files in the cache folder; it is not read, since committed cache files could hide findings: remove it from git (git rm -r --cached) and ignore it' };
  }
  return undefined;
}

/** discover → extract facts → resolve → build graph → run rules → suppressions; the snapshot, when taken, spares the facts cache its own lstat calls. */
async function runPipeline(prepared: Prepared, snapshot?: FileSnapshot): Promise<{ result: AnalysisResult; diskAnswers: Map<string, string>; view: ContractView }> {
  const { root, config, walk, cache: caches } = prepared;
  const cache = caches ? new FactsCache(root, caches.location, caches.salt, snapshot && ((file) => snapshot.stat(file))) : undefined;
  const facts = await extractFacts(root, walk.files, config.maxFileSize, cache, prepared.progress);
  prepared.progress?.('resolving imports');
  // Facts first: the Kubernetes workloads among them are evidence of which components are services.
  const discovery = discover(root, config, { walk, facts });
  const resolutions = await resolveImports({
    root,
    files: discovery.files,
    components: discovery.components,
    facts,
    maxFileSize: config.maxFileSize,
    cache: caches ? new ResolutionCache(caches.location, caches.salt) : undefined,
  });
  const diagnostics = [...(config.diagnostics ?? []), ...prepared.diagnostics, ...discovery.diagnostics, ...facts.flatMap((f) => f.diagnostics), ...resolutions.diagnostics];
  prepared.progress?.('building the graph and running the rules');
  const graph = buildGraph({ discovery, facts, resolve: resolutions.resolve, testFileGlobs: config.testFiles, diagnostics });
  const { findings, suppressed } = applySuppressions(runRules(graph, config), facts, config);
  const result: AnalysisResult = {
    root,
    config,
    graph,
    findings,
    diagnostics: sortDiagnostics(diagnostics),
    fileCount: facts.length,
    componentCount: graph.components.length,
    workspaceSources: discovery.workspaceSources,
    unboundDeployments: discovery.unboundDeployments,
    suppressed,
    ...(cache ? { cache: cache.stats, resolutionCache: resolutions.stats } : {}),
  };
  return { result, diskAnswers: resolutions.diskAnswers, view: contractView(graph, facts) };
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
