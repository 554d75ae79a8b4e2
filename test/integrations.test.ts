import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allFixtures, CLI_RUNS_TIMEOUT, fixture, REPO_ROOT, runCli } from './helpers.js';

interface ProblemMatcher {
  owner: string;
  fileLocation: unknown;
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; message: number; code: number };
}

const shipped = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'matchers/arch-lint.json'), 'utf8')) as ProblemMatcher & { name: string };
/** The same matcher in the shape GitHub Actions' `::add-matcher::` reads: a list of patterns per matcher. */
const shippedForActions = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'matchers/arch-lint-github.json'), 'utf8')) as {
  problemMatcher: { owner: string; pattern: ProblemMatcher['pattern'][] }[];
};
const integrationsDoc = fs.readFileSync(path.join(REPO_ROOT, 'docs/integrations.md'), 'utf8');

/** What VS Code does with one output line: the regex without flags, then the numbered groups. */
function applyMatcher(matcher: ProblemMatcher, line: string) {
  const match = new RegExp(matcher.pattern.regexp).exec(line);
  if (!match) return undefined;
  const p = matcher.pattern;
  return { file: match[p.file], line: Number(match[p.line]), column: Number(match[p.column]), severity: match[p.severity], message: match[p.message], code: match[p.code] };
}

/** Compact output next to the JSON report of the same run, run in the folder as a task of its workspace is. */
async function compactAndJson(dir: string) {
  const compact = await runCli(['-f', 'compact', '--no-cache'], { cwd: dir });
  const json = JSON.parse((await runCli(['-f', 'json', '--no-cache', dir])).stdout) as {
    findings: { ruleId: string; severity: string; message: string; location: { file: string; line: number; column: number } }[];
  };
  return { lines: compact.stdout.split('\n').filter(Boolean), findings: json.findings };
}

describe('VS Code problem matcher (matchers/arch-lint.json)', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it.each(allFixtures())('parses every compact line of fixture %s into the right fields', async (name) => {
    const { lines, findings } = await compactAndJson(fixture(name));
    expect(lines).toHaveLength(findings.length);
    // The suppressions fixture has warnings (unused directives) as well as errors.
    if (name === 'suppressions') expect(new Set(findings.map((f) => f.severity))).toEqual(new Set(['error', 'warning']));
    const [actions] = shippedForActions.problemMatcher;
    lines.forEach((line, i) => {
      const f = findings[i];
      const fields = {
        file: f.location.file,
        line: f.location.line,
        column: f.location.column,
        severity: f.severity,
        message: f.message.replace(/\s*\n\s*/g, ' '),
        code: f.ruleId,
      };
      expect(applyMatcher(shipped, line)).toEqual(fields);
      expect(applyMatcher({ ...actions, fileLocation: undefined, pattern: actions.pattern[0] }, line)).toEqual(fields);
    });
  });

  it('ships a GitHub Actions matcher for ::add-matcher::, one owner with one pattern', () => {
    expect(shippedForActions.problemMatcher).toHaveLength(1);
    expect(shippedForActions.problemMatcher[0].owner).toBe('arch-lint');
    expect(shippedForActions.problemMatcher[0].pattern).toHaveLength(1);
    expect(Object.keys(shippedForActions.problemMatcher[0])).toEqual(['owner', 'pattern']);
  });

  it('is the matcher of the documented tasks.json, with a fileLocation VS Code accepts', () => {
    const block = /```json\n(\{\n {2}"version": "2\.0\.0",[^]*?)```/.exec(integrationsDoc);
    const tasks = JSON.parse(block![1]) as { tasks: { command: string; problemMatcher: ProblemMatcher }[] };
    const { name, ...definition } = shipped;
    expect(name).toBe('arch-lint');
    expect(tasks.tasks[0].problemMatcher).toEqual(definition);
    expect(tasks.tasks[0].command).toContain('--format compact --no-color');
    expect(shipped.fileLocation).toEqual(['autoDetect', '${workspaceFolder}']);
  });
});

describe('pre-commit and packaging', () => {
  const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

  it('declares node hooks that run the bin once for the whole repository', () => {
    const binName = Object.keys(manifest.bin)[0];
    for (const hook of hooks) {
      expect(hook).toMatchObject({ language: 'node', pass_filenames: false, require_serial: true, minimum_pre_commit_version: '3.2.0' });
      expect(String(hook.entry).split(' ')[0]).toBe(binName);
      for (const file of ['apps/a/src/x.ts', 'docker-compose.yml', 'k8s/db.yaml', 'package.json', 'apps/a/.env']) {
        expect(new RegExp(String(hook.files)).test(file)).toBe(true);
      }
      expect(new RegExp(String(hook.files)).test('README.md')).toBe(false);
    }
    expect(hooks.find((h) => h.id === 'arch-lint')).toMatchObject({ entry: 'arch-lint --staged', stages: ['pre-commit', 'pre-merge-commit', 'manual'] });
  });

  it('builds on install from git (prepare) and packs the bin, the build, the docs, the matcher and the hooks', () => {
    expect(manifest.scripts.prepare).toBe('node scripts/prepare.mjs');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[];
    const files = packed.files.map((f) => f.path);
    for (const required of ['bin/arch-lint.js', 'dist/cli.js', '.pre-commit-hooks.yaml', 'matchers/arch-lint.json', 'docs/integrations.md', 'package.json']) {
      expect(files).toContain(required);
    }
    expect(files).toContain('LICENSE');
    expect(files).toContain('matchers/arch-lint-github.json');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
    // maps would point at src/, which is not shipped
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('ships a GitHub Actions workflow that uploads SARIF even when arch-lint fails the step', () => {
    const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/examples/github-actions.yml'), 'utf8'));
    const job = Object.values(workflow.jobs)[0] as { permissions: Record<string, string>; steps: Record<string, unknown>[] };
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    const install = job.steps.findIndex((s) => /^npm install .*git\+https:\/\/github\.com\/arch-lint\/arch-lint\.git/.test(String(s.run ?? '')));
    expect(install).toBeGreaterThanOrEqual(0);
    const lint = job.steps.findIndex((s) => String(s.run ?? '').includes('arch-lint --format sarif --output-file arch-lint.sarif'));
    const upload = job.steps.findIndex((s) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
    expect(lint).toBeGreaterThan(install);
    expect(String(job.steps[lint].run)).toContain("${{ github.event.pull_request.head.repo.fork && '--no-config-code' || '' }}");
    expect(upload).toBeGreaterThan(lint);
    expect(job.steps[upload]).toMatchObject({ if: '${{ !cancelled() }}', with: { sarif_file: 'arch-lint.sarif' } });
  });

  it('ships a pull-request workflow that fetches the base branch for the contract comparison', () => {
    const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/examples/github-actions-contracts.yml'), 'utf8'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    const job = Object.values(workflow.jobs)[0] as { permissions: Record<string, string>; steps: Record<string, unknown>[] };
    expect(job.permissions).toEqual({ contents: 'read', actions: 'read', 'security-events': 'write' });
    const checkout = job.steps.findIndex((s) => String(s.uses ?? '').startsWith('actions/checkout@'));
    expect(job.steps[checkout]).toMatchObject({ with: { 'fetch-depth': 0 } });
    const lint = job.steps.findIndex((s) => String(s.run ?? '').startsWith('npx arch-lint --changed origin/${{ github.base_ref }} --format sarif --output-file arch-lint.sarif'));
    const upload = job.steps.findIndex((s) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
    expect(lint).toBeGreaterThan(checkout);
    expect(upload).toBeGreaterThan(lint);
    expect(job.steps[upload]).toMatchObject({ if: '${{ !cancelled() }}', with: { sarif_file: 'arch-lint.sarif' } });
  });
});
