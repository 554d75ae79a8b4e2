import fs from 'node:fs';
import path from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyze, type AnalysisResult } from './analyze.js';
import { UsageError } from './config/types.js';
import type { Diagnostic } from './model.js';
import { formatters } from './report/index.js';
import { formatServices } from './report/services.js';
import { countBySeverity } from './report/types.js';
import { escapeControlCharacters } from './util/text.js';
import { TOOL_VERSION } from './version.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

interface CommonOptions {
  config?: string;
  color: boolean;
  configCode: boolean;
}

interface LintOptions extends CommonOptions {
  format: string;
  outputFile?: string;
  maxWarnings?: number;
  quiet?: boolean;
}

/** Colour for a stream: `--no-color` and NO_COLOR turn it off, FORCE_COLOR turns it on, else only on a TTY. */
export function chalkFor(stream: NodeJS.WriteStream | undefined, colorFlag: boolean, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  const disabled = !colorFlag || env.NO_COLOR !== undefined;
  const enabled = !disabled && (forced || !!stream?.isTTY);
  return new Chalk({ level: enabled ? 1 : 0 });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
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
  fs.mkdirSync(path.dirname(path.resolve(outputFile)), { recursive: true });
  fs.writeFileSync(outputFile, text);
}

export function exitCodeFor(result: AnalysisResult, maxWarnings: number | undefined): number {
  const { errors, warnings } = countBySeverity(result);
  if (errors > 0) return EXIT_FINDINGS;
  if (maxWarnings !== undefined && warnings > maxWarnings) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}

async function lint(dir: string | undefined, options: LintOptions): Promise<number> {
  const formatter = formatters[options.format];
  if (!formatter) throw new UsageError(`unknown format "${options.format}" (known: ${Object.keys(formatters).join(', ')})`);
  const result = await analyze({ root: dir, configFile: options.config, allowConfigCode: options.configCode });
  const reported = options.quiet ? { ...result, findings: result.findings.filter((f) => f.severity === 'error') } : result;
  const stream = options.outputFile ? undefined : process.stdout;
  writeOutput(formatter(reported, { chalk: chalkFor(stream, options.color) }), options.outputFile);
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return exitCodeFor(result, options.quiet ? undefined : options.maxWarnings);
}

async function services(dir: string | undefined, options: CommonOptions & { format: 'text' | 'json' }): Promise<number> {
  const result = await analyze({ root: dir, configFile: options.config, allowConfigCode: options.configCode });
  process.stdout.write(formatServices(result, options.format, chalkFor(process.stdout, options.color)));
  printDiagnostics(result.diagnostics, chalkFor(process.stderr, options.color));
  return EXIT_CLEAN;
}

function commonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'use this configuration file instead of searching the root')
    .option('--no-color', 'never colour the output (also: NO_COLOR)')
    .option('--no-config-code', 'refuse JavaScript/TypeScript config files (for untrusted repositories)');
}

export function createProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('arch-lint')
    .description('Finds the coupling that turns the services of a TypeScript monorepo into a distributed monolith.')
    .version(TOOL_VERSION, '-v, --version')
    .showHelpAfterError('(run arch-lint --help for usage)')
    .exitOverride();

  commonOptions(
    program
      .command('lint [dir]', { isDefault: true })
      .description('analyse the repository at dir (default: the current folder) and report findings'),
  )
    .addOption(new Option('-f, --format <name>', 'output format').choices(Object.keys(formatters)).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', parseCount)
    .option('--quiet', 'report errors only')
    .action(async (dir: string | undefined, options: LintOptions) => setExitCode(await lint(dir, options)));

  commonOptions(program.command('services [dir]').description('list the discovered services, libraries and contracts, with the evidence for each'))
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dir: string | undefined, options: CommonOptions & { format: 'text' | 'json' }) => setExitCode(await services(dir, options)));

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
