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
const integrationsDoc = fs.readFileSync(path.join(REPO_ROOT, 'docs/integrations.md'), 'utf8');

/** What VS Code does with one output line: the regex without flags, then the numbered groups. */
function applyMatcher(matcher: ProblemMatcher, line: string) {
  const match = new RegExp(matcher.pattern.regexp).exec(line);
  if (!match) return undefined;
  const p = matcher.pattern;
  return { file: match[p.file], line: Number(match[p.line]), column: Number(match[p.column]), severity: match[p.severity], message: match[p.message], code: match[p.code] };
}

/** Compact output next to the JSON report of the same run. */
async function compactAndJson(dir: string) {
  const compact = await runCli(['-f', 'compact', '--no-cache', dir]);
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
    lines.forEach((line, i) => {
      const f = findings[i];
      expect(applyMatcher(shipped, line)).toEqual({
        file: f.location.file,
        line: f.location.line,
        column: f.location.column,
        severity: f.severity,
        message: f.message.replace(/\s*\n\s*/g, ' '),
        code: f.ruleId,
      });
    });
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
    expect(manifest.scripts.prepare).toBe('npm run build');
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' })) as { files: { path: string }[] }[];
    const files = packed.files.map((f) => f.path);
    for (const required of ['bin/arch-lint.js', 'dist/cli.js', '.pre-commit-hooks.yaml', 'matchers/arch-lint.json', 'docs/integrations.md', 'package.json']) {
      expect(files).toContain(required);
    }
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });

  it('ships a GitHub Actions workflow that uploads SARIF even when arch-lint fails the step', () => {
    const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, 'docs/examples/github-actions.yml'), 'utf8'));
    const job = Object.values(workflow.jobs)[0] as { permissions: Record<string, string>; steps: Record<string, unknown>[] };
    expect(job.permissions['security-events']).toBe('write');
    const lint = job.steps.findIndex((s) => String(s.run ?? '').includes('arch-lint --format sarif --output-file arch-lint.sarif'));
    const upload = job.steps.findIndex((s) => String(s.uses ?? '').startsWith('github/codeql-action/upload-sarif@'));
    expect(lint).toBeGreaterThanOrEqual(0);
    expect(upload).toBeGreaterThan(lint);
    expect(job.steps[upload]).toMatchObject({ if: '${{ !cancelled() }}', with: { sarif_file: 'arch-lint.sarif' } });
  });
});
