import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './helpers.js';

interface Planted {
  rule: string;
  file: string;
  line: number;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-bench-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function generate(name: string, files: number): { tree: string; planted: Planted[]; fileCount: number } {
  const tree = path.join(work, name);
  const output = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'generate-monorepo.mjs'), '--files', String(files), '--out', tree], { encoding: 'utf8' });
  const planted = JSON.parse(fs.readFileSync(`${tree}.expected.json`, 'utf8')) as Planted[];
  return { tree, planted, fileCount: Number(/: (\d+) files/.exec(output)?.[1]) };
}

describe('benchmark monorepo generator (scripts/generate-monorepo.mjs)', () => {
  it('plants violations that arch-lint reports exactly, and nothing else', async () => {
    const { tree, planted } = generate('small', 1000);
    expect(planted.length).toBeGreaterThan(0);
    const run = await runCli([tree, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; location: { file: string; line: number } }[] };
    const key = (f: Planted) => `${f.rule} ${f.file}:${f.line}`;
    const found = report.findings.map((f) => key({ rule: f.ruleId, file: f.location.file, line: f.location.line }));
    expect(found.sort()).toEqual(planted.map(key).sort());
    expect(new Set(planted.map((p) => p.rule))).toEqual(new Set(['content-coupling', 'distributed-monolith', 'hard-coded-service-url']));
    expect(run.code).toBe(1);
  });

  it('is deterministic and sized as asked', () => {
    const first = generate('a', 1000);
    const second = generate('b', 1000);
    expect(first.fileCount).toBeGreaterThan(900);
    expect(first.fileCount).toBeLessThan(1100);
    expect(second.planted).toEqual(first.planted);
    const sample = 'services/svc-00/src/modules/mod-00/file-02.ts';
    expect(fs.readFileSync(path.join(second.tree, sample), 'utf8')).toBe(fs.readFileSync(path.join(first.tree, sample), 'utf8'));
  });
});
