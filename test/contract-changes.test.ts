import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, FIXTURES, git, runCli } from './helpers.js';

const CASES = path.join(FIXTURES, 'contract-changes');

interface ContractCase {
  description: string;
  /** The folder (under fixtures/contract-changes) holding the base tree. */
  base: string;
  exitCode: number;
  findings: { rule: string; file: string; line: number; severity: string; related?: string[] }[];
}

function contractCases(): string[] {
  return fs
    .readdirSync(CASES)
    .filter((name) => fs.existsSync(path.join(CASES, name, 'expected.json')))
    .sort();
}

function readCase(name: string): ContractCase {
  return JSON.parse(fs.readFileSync(path.join(CASES, name, 'expected.json'), 'utf8')) as ContractCase;
}

/**
 * A git repository of a case: its base tree committed on `main`, then its head tree (the files it changes, adds
 * or, listed in `removed.txt`, deletes) committed on a branch, as a pull request has it.
 */
export function contractRepository(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `arch-lint-contract-${name}-`));
  fs.cpSync(path.join(CASES, readCase(name).base), dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'change');
  const head = path.join(CASES, name, 'head');
  if (fs.existsSync(head)) fs.cpSync(head, dir, { recursive: true });
  const removed = path.join(CASES, name, 'removed.txt');
  if (fs.existsSync(removed)) for (const file of fs.readFileSync(removed, 'utf8').split('\n').filter(Boolean)) fs.rmSync(path.join(dir, file));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', 'change');
  return dir;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  location: { file: string; line: number };
  related: { location: { file: string; line: number }; message: string }[];
}

describe('breaking-contract-change on a base and a head tree', () => {
  it.each(contractCases())(
    'case %s',
    async (name) => {
      const expected = readCase(name);
      const dir = contractRepository(name);
      const run = await runCli(['--changed', 'main', '-f', 'json', '--no-cache'], { cwd: dir });
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
      const found = report.findings.map((f) => ({
        rule: f.ruleId,
        file: f.location.file,
        line: f.location.line,
        severity: f.severity,
        ...(f.ruleId === 'breaking-contract-change' ? { related: f.related.map((r) => `${r.location.file}:${r.location.line}`) } : {}),
      }));
      expect(found).toEqual(expected.findings.map(({ rule, file, line, severity, related }) => ({ rule, file, line, severity, ...(related ? { related } : {}) })));
      expect(run.code).toBe(expected.exitCode);
    },
    CLI_RUNS_TIMEOUT,
  );
});
