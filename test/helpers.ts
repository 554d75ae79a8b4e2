import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');
export const CLI = path.join(REPO_ROOT, 'bin', 'arch-lint.js');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a separate process, with colour off unless the test sets it. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ExpectedFinding {
  rule: string;
  file: string;
  line: number;
  severity?: 'error' | 'warning';
  /** When given, exactly the services (component ids) the finding names. */
  services?: string[];
}

export interface FixtureExpectation {
  exitCode: number;
  findings: ExpectedFinding[];
  /** `file:line reason`: an import that resolves and must not be reported. */
  notFlagged?: string[];
  /** Folder → the kind discovery must give it (`absent`: not a component). */
  components?: Record<string, string>;
  /** Every diagnostic of the run, as `file: code`. */
  diagnosticCodes?: string[];
}

export function fixturesWithExpectations(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'expected.json')))
    .sort();
}

export function readExpectation(name: string): FixtureExpectation {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8')) as FixtureExpectation;
}

/** Copies a fixture into `dir` as git has it: without the facts cache that runs on the fixture leave in its node_modules. */
export function copyFixtureTo(name: string, dir: string): string {
  fs.cpSync(fixture(name), dir, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  return dir;
}

/** A fresh copy of a fixture in a temporary folder, for tests that change files or write caches and baselines. */
export function copyFixture(name: string): string {
  return copyFixtureTo(name, fs.mkdtempSync(path.join(os.tmpdir(), `arch-lint-${name}-`)));
}

/** Every fixture folder, with or without expected findings (so formats are checked on fixtures added later too). */
export function allFixtures(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    // contract-changes holds base and head trees, which test/contract-changes.test.ts makes git repositories of
    .filter((entry) => entry.isDirectory() && entry.name !== 'contract-changes')
    .map((entry) => entry.name)
    .sort();
}

/** For tests that run the CLI many times in a row: enough for a loaded two-core machine. */
export const CLI_RUNS_TIMEOUT = 120_000;

/** `file:line` of a fixture's expected findings, in report order: for tests that reuse a fixture for other mechanics. */
export function expectedFindingLines(name: string): string[] {
  return readExpectation(name)
    .findings.map((f) => ({ file: f.file, line: f.line }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .map((f) => `${f.file}:${f.line}`);
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** Runs git in `dir` with a test identity, whatever the machine's git configuration. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
}
