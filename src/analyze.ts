import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, type LoadConfigOptions } from './config/load.js';
import { UsageError, type ResolvedConfig } from './config/types.js';
import { discover } from './discover/index.js';
import { runRules } from './engine.js';
import { extractFacts } from './facts/index.js';
import { buildGraph } from './graph/build.js';
import type { Diagnostic, Finding, Graph } from './model.js';
import { compareStrings } from './util/text.js';

export interface AnalyzeOptions extends LoadConfigOptions {
  /** The repository root to analyse (default: the current directory). */
  root?: string;
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
}

/** The whole pipeline: discover → extract facts → build graph → run rules. Throws UsageError for bad config. */
export async function analyze(options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const root = path.resolve(options.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${options.root ?? root}: not a folder`);
  const config = await loadConfig(root, options);
  const discovery = discover(root, config);
  const facts = extractFacts(root, discovery.files, config.maxFileSize);
  const diagnostics = [...(config.diagnostics ?? []), ...discovery.diagnostics, ...facts.flatMap((f) => f.diagnostics)];
  const graph = buildGraph({ discovery, facts, testFileGlobs: config.testFiles, diagnostics, maxFileSize: config.maxFileSize });
  const findings = runRules(graph, config);
  return { root, config, graph, findings, diagnostics: sortDiagnostics(diagnostics), fileCount: facts.length, workspaceSources: discovery.workspaceSources };
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const unique = new Map(diagnostics.map((d) => [`${d.file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`, d]));
  return [...unique.values()].sort(
    (a, b) => compareStrings(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compareStrings(a.code, b.code) || compareStrings(a.message, b.message),
  );
}
