import fs from 'node:fs';
import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyze, lintRepository, type AnalyzeOptions, type LintResult } from './analyze.js';
import { loadConfig } from './config/load.js';
import { INIT_CONFIG_FILE, initialConfig } from './config/init.js';
import { applyBaseline, baselineEntry, DEFAULT_BASELINE_FILE, readBaseline, writeBaseline, type BaselineEntry } from './baseline.js';
import { changesOf, gitPrefix, hasCommits, touchingFiles } from './changed.js';
import { UsageError } from './config/types.js';
import type { Diagnostic, Finding, RelatedLocation, SuppressedFinding } from './model.js';
import { formatters } from './report/index.js';
import { formatGraph, GRAPH_FORMATS } from './report/graph/index.js';
import { MAP_DETAILS, type MapDetail } from './report/graph/model.js';
import { formatServices } from './report/services.js';
import { breaksConsumers, formatContractChanges, listChanges } from './report/contracts.js';
import { countBySeverity } from './report/types.js';
import { isInside, relativePosix } from './util/paths.js';
import { escapeControlCharacters } from './util/text.js';
import { writeUserFile } from './util/user-file.js';
import { TOOL_VERSION } from './version.js';
import { ProgressLine, type ProgressReport } from './progress.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

interface CommonOptions {
  config?: string;
  color: boolean;
  configCode: boolean;
  cache: boolean;
  cacheLocation?: string;
  progress: boolean;
}

interface LintOptions extends CommonOptions {
  format: string;
  outputFile?: string;
  maxWarnings?: number;
  quiet?: boolean;
  /** A file, or false for `--no-baseline`. */
  baseline?: string | false;
  updateBaseline?: boolean;
  pruneBaseline?: boolean;
  strictBaseline?: boolean;
  /** `--changed` alone gives true (against HEAD), `--changed <ref>` the ref. */
  changed?: string | true;
  staged?: boolean;
}

/** Colour for a stream: `--no-color` and NO_COLOR turn it off, FORCE_COLOR turns it on, else only on a TTY. */
export function chalkFor(stream: NodeJS.WriteStream | undefined, colorFlag: boolean, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const disabled = !colorFlag || env.NO_COLOR !== undefined;
  const enabled = !disabled && (forced || !!stream?.isTTY);
  return new Chalk({ level: enabled ? 1 : 0 });
}

function parseCount(value: string): number {
  // digits only: Number('') and Number(' ') are 0
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return Number(value);
}

function printDiagnostics(diagnostics: Diagnostic[], chalk: ChalkInstance): void {
  for (const d of diagnostics) {
    const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
    process.stderr.write(`${chalk.yellow('arch-lint:')} ${escapeControlCharacters(`${where}${d.message}`)} ${chalk.dim(`(${d.code})`)}\n`);
  }
}

function writeOutput(text: string, outputFile: string | undefined): void {
  if (!outputFile) {
    process.stdout.write(text);
    return;
  }
  writeUserFile(outputFile, text);
}

export function exitCodeFor(result: LintResult, maxWarnings: number | undefined): number {
  const { errors, warnings } = countBySeverity(result);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function lint(dir: string | undefined, options: LintOptions): Promise<number> {
  const formatter = formatters[options.format];
  if (!formatter) throw new UsageError(`unknown format "${options.format}" (known: ${Object.keys(formatters).join(', ')})`);
  if (options.changed && options.staged) throw new UsageError('--changed and --staged exclude each other');
  // Asked of git before the analysis, so that a wrong ref or a folder outside git fails at once.
  const changes =
    options.changed || options.staged
      ? changesOf(path.resolve(dir ?? '.'), options.staged ? { staged: true } : { ref: options.changed === true ? undefined : options.changed })
      : undefined;
  const changed = changes?.files;
  // A base ref makes the run compare contracts with it (breaking-contract-change); `--changed` alone compares the working tree with HEAD, when there is one.
  const base = typeof options.changed === 'string' ? options.changed : options.changed && hasCommits(path.resolve(dir ?? '.')) ? 'HEAD' : undefined;
  const analysis = await withProgress(options, (progress) =>
    lintRepository({ ...analyzeOptions(dir, options, options.outputFile), progress, base, ...(base && changes ? { baseChanges: changes } : {}) }),
  );
  const stderrChalk = chalkFor(process.stderr, options.color);
  const baseline = applyBaselineOptions(analysis, options, stderrChalk);
  const selected = <T extends Finding>(findings: T[]) => (changed ? touchingFiles(findings, changed) : findings);
  const result: LintResult = { ...analysis, findings: selected(baseline.findings), suppressed: selected([...analysis.suppressed, ...baseline.accepted]) };
  const errorsOnly = <T extends Finding>(findings: T[]) => findings.filter((f) => f.severity === 'error');
  const reported = options.quiet ? { ...result, findings: errorsOnly(result.findings), suppressed: errorsOnly(result.suppressed) } : result;
  const stream = options.outputFile ? undefined : process.stdout;
  const located = withPathPrefix(reported, readerPathPrefix(analysis.root, options.format));
  writeOutput(formatter(located, { chalk: chalkFor(stream, options.color) }), options.outputFile);
  printDiagnostics(analysis.diagnostics, stderrChalk);
  const maxWarnings = options.quiet ? undefined : options.maxWarnings;
  const { warnings } = countBySeverity(result);
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`${stderrChalk.red('arch-lint:')} ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}\n`);
  }
  const code = exitCodeFor(result, maxWarnings);
  if (!options.strictBaseline || baseline.stale.length === 0) return code;
  const stale = baseline.stale.length;
  process.stderr.write(`${stderrChalk.red('arch-lint:')} --strict-baseline fails the run: ${stale} baseline entr${stale === 1 ? 'y is' : 'ies are'} stale (listed above)\n`);
  return Math.max(code, EXIT_FINDINGS);
}

/**
 * What the report's reader resolves paths against, as a prefix for root-relative paths: code scanning
 * resolves SARIF against the repository checkout, so the analysed folder's path below the git root;
 * problem matchers and terminals resolve against the working directory, so the folder's path from it
 * when it lies below. JSON stays relative to the root it names.
 */
function readerPathPrefix(root: string, format: string): string {
  if (format === 'sarif') return gitPrefix(root);
  const cwd = process.cwd();
  if (format === 'json' || root === cwd || !isInside(cwd, root)) return '';
  return `${relativePosix(cwd, root)}/`;
}

function withPathPrefix(result: LintResult, prefix: string): LintResult {
  if (prefix === '') return result;
  const moved = <T extends { file: string }>(location: T): T => ({ ...location, file: prefix + location.file });
  const movedAll = (steps: RelatedLocation[]) => steps.map((step) => ({ ...step, location: moved(step.location) }));
  const movedFinding = <T extends Finding>(finding: T): T => ({
    ...finding,
    location: moved(finding.location),
    related: movedAll(finding.related),
    ...(finding.flow ? { flow: movedAll(finding.flow) } : {}),
  });
  return {
    ...result,
    findings: result.findings.map(movedFinding),
    suppressed: result.suppressed.map(movedFinding),
    diagnostics: result.diagnostics.map((diagnostic) => (diagnostic.file === undefined ? diagnostic : { ...diagnostic, file: prefix + diagnostic.file })),
  };
}

/**
 * The baseline stage: `--update-baseline` records every current finding, `--prune-baseline` drops the
 * fixed ones; otherwise the listed findings are accepted and fixed entries are reported as stale.
 */
function applyBaselineOptions(
  analysis: LintResult,
  options: LintOptions,
  chalk: ChalkInstance,
): { findings: Finding[]; accepted: SuppressedFinding[]; stale: BaselineEntry[] } {
  if (options.baseline === false) {
    if (options.updateBaseline || options.pruneBaseline) throw new UsageError('--no-baseline cannot be combined with --update-baseline or --prune-baseline');
    return { findings: analysis.findings, accepted: [], stale: [] };
  }
  const file = options.baseline ? path.resolve(options.baseline) : path.join(analysis.root, DEFAULT_BASELINE_FILE);
  const shown = isInside(process.cwd(), file) ? relativePosix(process.cwd(), file) : file;
  const external = (findings: Finding[]): SuppressedFinding[] =>
    findings.map((finding) => ({ ...finding, suppression: { kind: 'external', justification: `accepted in the baseline ${shown}` } }));
  if (options.updateBaseline) {
    writeBaseline(file, analysis.findings.map(baselineEntry), shown);
    process.stderr.write(`arch-lint: wrote ${analysis.findings.length} finding${analysis.findings.length === 1 ? '' : 's'} to the baseline ${shown}\n`);
    return { findings: [], accepted: external(analysis.findings), stale: [] };
  }
  if (!fs.existsSync(file)) {
    if (options.baseline || options.pruneBaseline) throw new UsageError(`${shown}: no such baseline (create it with --update-baseline)`);
    return { findings: analysis.findings, accepted: [], stale: [] };
  }
  const entries = readBaseline(file);
  const outcome = applyBaseline(analysis.findings, entries);
  if (options.pruneBaseline) {
    const stale = new Set(outcome.stale);
    writeBaseline(file, entries.filter((entry) => !stale.has(entry)), shown);
    process.stderr.write(`arch-lint: removed ${stale.size} fixed finding${stale.size === 1 ? '' : 's'} from the baseline ${shown}\n`);
    return { findings: outcome.findings, accepted: external(outcome.accepted), stale: [] };
  }
  if (outcome.stale.length > 0) {
    const count = outcome.stale.length;
    process.stderr.write(
      `${chalk.yellow('arch-lint:')} ${count} baseline entr${count === 1 ? 'y is' : 'ies are'} fixed and stale in ${shown}: remove ${count === 1 ? 'it' : 'them'} with --prune-baseline\n`,
    );
    for (const entry of outcome.stale) process.stderr.write(`  ${escapeControlCharacters(`${entry.file}  ${entry.message}`)}  ${chalk.dim(escapeControlCharacters(entry.ruleId))}\n`);
  }
  return { findings: outcome.findings, accepted: external(outcome.accepted), stale: outcome.stale };
}

/** What the common options ask of the analysis; `outputFile` is the command's own report, never analysed. */
function analyzeOptions(dir: string | undefined, options: CommonOptions, outputFile?: string): AnalyzeOptions {
  return {
    root: dir,
    configFile: options.config,
    allowConfigCode: options.configCode,
    cache: options.cache ? (options.cacheLocation ?? true) : false,
    outputFiles: outputFile ? [outputFile] : [],
  };
}

/** Runs an analysis with the progress line on stderr (a terminal only, unless --no-progress), cleared before anything else is written. */
async function withProgress<T>(options: Pick<CommonOptions, 'progress'>, run: (progress?: ProgressReport) => Promise<T>): Promise<T> {
  if (!options.progress) return run();
  const line = new ProgressLine(process.stderr);
  try {
    return await run(line.report);
  } finally {
    line.clear();
  }
}

async function services(dir: string | undefined, options: CommonOptions & { format: 'text' | 'json' }): Promise<number> {
  const result = await withProgress(options, (progress) => analyze({ ...analyzeOptions(dir, options), progress }));
  process.stdout.write(formatServices(result, options.format, chalkFor(process.stdout, options.color)));
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return EXIT_CLEAN;
}

type GraphOptions = CommonOptions & { format: (typeof GRAPH_FORMATS)[number]; detail: MapDetail; outputFile?: string };

async function graph(dir: string | undefined, options: GraphOptions): Promise<number> {
  const result = await withProgress(options, (progress) => analyze({ ...analyzeOptions(dir, options, options.outputFile), progress }));
  writeOutput(formatGraph(result, options.format, options.detail), options.outputFile);
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return EXIT_CLEAN;
}

/** `arch-lint contracts`: every contract change against the base, breaking or expansion, with its consumers; exit 1 when a breaking change has consumers not updated. */
async function contracts(dir: string | undefined, options: CommonOptions & { format: 'text' | 'json'; base: string; outputFile?: string }): Promise<number> {
  const result = await withProgress(options, (progress) => analyze({ ...analyzeOptions(dir, options, options.outputFile), progress, base: options.base }));
  const changes = listChanges(result.graph);
  writeOutput(formatContractChanges(result.graph.contracts!, changes, options.format, chalkFor(options.outputFile ? undefined : process.stdout, options.color)), options.outputFile);
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return breaksConsumers(changes) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** `arch-lint init`: a commented .archlintrc.yml listing what discovery found, for the user to correct. */
async function init(dir: string | undefined, options: Pick<CommonOptions, 'color' | 'configCode'>): Promise<number> {
  const result = await analyze({ root: dir, allowConfigCode: options.configCode });
  if (result.config.file) throw new UsageError(`${result.config.file}: a configuration exists already; arch-lint init writes none`);
  const file = path.join(result.root, INIT_CONFIG_FILE);
  const shown = isInside(process.cwd(), file) ? relativePosix(process.cwd(), file) : file;
  writeUserFile(file, initialConfig(result.graph.components), shown);
  process.stderr.write(`arch-lint: wrote ${shown} with ${result.graph.components.length} components: check each kind, then commit it\n`);
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return EXIT_CLEAN;
}

/** `arch-lint print-config`: the configuration a run would use, defaults included, as JSON. */
async function printConfig(dir: string | undefined, options: CommonOptions): Promise<number> {
  const { diagnostics, ...config } = await loadConfig(path.resolve(dir ?? '.'), { configFile: options.config, allowConfigCode: options.configCode });
  process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
  printDiagnostics(diagnostics ?? [], chalkFor(process.stderr, options.color));
  return EXIT_CLEAN;
}

function commonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'use this configuration file instead of searching the root')
    .option('--no-color', 'never colour the output (also: NO_COLOR)')
    .option('--no-config-code', 'refuse JavaScript/TypeScript config files (for untrusted repositories)')
    .option('--no-cache', 'do not read or write the facts cache')
    .option('--cache-location <dir>', 'folder of the facts cache (default: node_modules/.cache/arch-lint under the root)')
    .option('--no-progress', 'no progress line on stderr (shown on a terminal when a run takes over 2 s)');
}

export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('arch-lint')
    .description('Finds the coupling that turns the services of a TypeScript monorepo into a distributed monolith.')
    .version(TOOL_VERSION, '-v, --version')
    .showHelpAfterError('(run arch-lint --help for usage)')
    .exitOverride();

  const lintCommand = commonOptions(
    program
      .command('lint [dir]', { isDefault: true })
      .description('analyse the repository at dir (default: the current folder) and report findings'),
  )
    .addOption(new Option('-f, --format <name>', 'output format').choices(Object.keys(formatters)).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('--quiet', 'report errors only')
    .option('--changed [ref]', 'report only findings whose evidence touches files changed against ref (default: uncommitted changes against HEAD, and untracked files)')
    .option('--staged', 'report only findings whose evidence touches staged files (for pre-commit hooks)')
    .option('--baseline <file>', `accept the findings listed in this baseline (default: ${DEFAULT_BASELINE_FILE} at the root, when present)`)
    .option('--no-baseline', 'report every finding, ignoring any baseline')
    .option('--update-baseline', 'write every current finding to the baseline and report none')
    .option('--prune-baseline', 'remove fixed (stale) findings from the baseline, never adding any')
    .option('--strict-baseline', 'exit 1 when the baseline lists findings that are fixed')
    .action(async (dir: string | undefined, options: LintOptions) => setExitCode(await lint(dir, options)));

  commonOptions(program.command('services [dir]').description('list the discovered services, libraries and contracts, with the evidence for each'))
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dir: string | undefined, options: CommonOptions & { format: 'text' | 'json' }) => setExitCode(await services(dir, options)));

  commonOptions(program.command('graph [dir]').description('draw the service map: services, jobs, frontends, databases and topics (or every component), edges by kind, violations and co-deployment groups'))
    .addOption(new Option('-f, --format <name>', 'picture format').choices(GRAPH_FORMATS).default('mermaid'))
    .addOption(new Option('--detail <level>', 'services: the container view, libraries folded into the edges they carry; components: every library, contract and table').choices(MAP_DETAILS).default('services'))
    .option('-o, --output-file <file>', 'write the picture to a file instead of stdout')
    .action(async (dir: string | undefined, options: GraphOptions) => setExitCode(await graph(dir, options)));

  commonOptions(
    program
      .command('contracts [dir]')
      .description('compare every contract (OpenAPI documents, contract packages) with a base ref and list each change, breaking or expansion, with its consumers'),
  )
    .option('--base <ref>', 'the git ref to compare with, read from git objects (in CI, the target branch: origin/main)', 'HEAD')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output-file <file>', 'write the list to a file instead of stdout')
    .action(async (dir: string | undefined, options: CommonOptions & { format: 'text' | 'json'; base: string; outputFile?: string }) => setExitCode(await contracts(dir, options)));

  program
    .command('init [dir]')
    .description(`write a commented ${INIT_CONFIG_FILE} listing the discovered services, libraries and contracts, for you to correct`)
    .option('--no-color', 'never colour the output (also: NO_COLOR)')
    .option('--no-config-code', 'refuse JavaScript/TypeScript config files (for untrusted repositories)')
    .action(async (dir: string | undefined, options: Pick<CommonOptions, 'color' | 'configCode'>) => setExitCode(await init(dir, options)));

  commonOptions(program.command('print-config [dir]').description('print the configuration a run would use, defaults included, as JSON')).action(
    async (dir: string | undefined, options: CommonOptions) => setExitCode(await printConfig(dir, options)),
  );

  // lint is the default command: `arch-lint --help` shows its options too.
  program.addHelpText('after', () => `\nlint, the default command (arch-lint [options] [dir]):\n${lintCommand.helpInformation().split('\n').slice(1).join('\n')}`);

  return program;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const program = createProgram((code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      // Multi-line messages (a YAML error with its context) stay readable; every line is indented, so none can pose as a CI command.
      process.stderr.write(`arch-lint: ${error.message.split('\n').map(escapeControlCharacters).join('\n  ')}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`arch-lint: internal error: ${escapeControlCharacters((error as Error).message)}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_USAGE;
  }
}
