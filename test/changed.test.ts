import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, copyFixture, expectedFindingLines, git, runCli } from './helpers.js';

/** shop-npm committed in a fresh repository: its three findings are in apps/orders/src/checkout.ts. */
function repository(): string {
  const dir = copyFixture('shop-npm');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

async function reported(dir: string, ...args: string[]): Promise<string[]> {
  const run = await runCli(['-f', 'compact', ...args], { cwd: dir });
  expect(run.stderr).toBe('');
  return run.stdout.trim().split('\n').filter(Boolean).map((line) => line.replace(/: (error|warning) .*\[/, ' ['));
}

const NEW_VIOLATION = "import { feeFor } from '../../payments/src/internal/fees.js';\nexport const f = feeFor;\n";

describe('--changed and --staged', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('reports nothing when nothing changed, and only findings touching the changed files', async () => {
    const dir = repository();
    expect(await reported(dir, '--changed')).toEqual([]);

    // An untracked file with a violation: its finding, and those whose evidence now includes its import
    // (orders' lockstep dependency on payments and their co-deployment group).
    fs.writeFileSync(path.join(dir, 'apps/orders/src/extra.ts'), NEW_VIOLATION);
    const touchingExtra = [
      'apps/orders/package.json:8:5 [lockstep-dependency]',
      'apps/orders/src/checkout.ts:3:24 [distributed-monolith]',
      'apps/orders/src/extra.ts:1:24 [content-coupling]',
    ];
    expect(await reported(dir, '--changed')).toEqual(touchingExtra);
    expect(await reported(dir, '--staged')).toEqual([]);

    // A change at the other end of the evidence (the related location) counts too.
    fs.appendFileSync(path.join(dir, 'apps/payments/src/internal/fees.ts'), '\n// touched\n');
    expect(await reported(dir, '--changed')).toEqual([...touchingExtra, 'apps/orders/src/checkout.ts:3:24 [content-coupling]'].sort());

    // Staged: only what is in the index.
    git(dir, 'add', 'apps/orders/src/extra.ts');
    expect(await reported(dir, '--staged')).toEqual(touchingExtra);

    // Against a ref: everything since that commit, committed or not.
    git(dir, 'commit', '-q', '-m', 'extra');
    git(dir, 'checkout', '-q', '--', '.');
    expect(await reported(dir, '--changed')).toEqual([]);
    expect(await reported(dir, '--changed', 'HEAD~1')).toEqual(touchingExtra);
    // The whole repository is still analysed: without the filter every finding is there, the new one too.
    expect(await reported(dir)).toHaveLength(expectedFindingLines('shop-npm').length + 1);
  });

  it('compares a branch with the commit it left the ref at (the merge base), not with what the ref gained since', async () => {
    const dir = repository();
    git(dir, 'branch', '-M', 'trunk');
    git(dir, 'checkout', '-q', '-b', 'feature');
    fs.writeFileSync(path.join(dir, 'apps/orders/src/extra.ts'), NEW_VIOLATION);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'extra');
    // trunk moves on: a file at the other end of the branch's new import, which the branch never touched.
    git(dir, 'checkout', '-q', 'trunk');
    fs.appendFileSync(path.join(dir, 'apps/payments/src/internal/fees.ts'), '\n// touched on trunk\n');
    git(dir, 'commit', '-q', '-am', 'trunk moves on');
    git(dir, 'checkout', '-q', 'feature');
    expect(await reported(dir, '--changed', 'trunk')).toEqual([
      'apps/orders/package.json:8:5 [lockstep-dependency]',
      'apps/orders/src/checkout.ts:3:24 [distributed-monolith]',
      'apps/orders/src/extra.ts:1:24 [content-coupling]',
    ]);
  });

  it('works from a subfolder root and in a repository without commits', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-mono-'));
    const dir = path.join(parent, 'shop');
    fs.cpSync(copyFixture('shop-npm'), dir, { recursive: true });
    git(parent, 'init', '-q');
    fs.writeFileSync(path.join(parent, '.gitignore'), 'node_modules/\n'); // the cache folder: a tracked one is not read
    expect(await reported(dir, '--changed')).toHaveLength(expectedFindingLines('shop-npm').length);
    git(parent, 'add', '-A');
    git(parent, 'commit', '-q', '-m', 'initial');
    fs.writeFileSync(path.join(dir, 'apps/orders/src/extra.ts'), NEW_VIOLATION);
    expect(await reported(dir, '--changed')).toEqual([
      'apps/orders/package.json:8:5 [lockstep-dependency]',
      'apps/orders/src/checkout.ts:3:24 [distributed-monolith]',
      'apps/orders/src/extra.ts:1:24 [content-coupling]',
    ]);
  });

  it('exits 2 outside a git repository, for a bad ref, and when both modes are asked for', async () => {
    const dir = copyFixture('shop-npm');
    for (const option of ['--changed', '--staged']) {
      const outside = await runCli([option], { cwd: dir });
      expect(outside.code).toBe(2);
      expect(outside.stderr).toBe(`arch-lint: ${option}: ${dir} is not in a git repository\n`);
    }
    const repo = repository();
    const badRef = await runCli(['--changed', 'no-such-ref'], { cwd: repo });
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toMatch(/^arch-lint: --changed: "no-such-ref" is not a git revision of this clone; .*`fetch-depth: 0`.*`git fetch origin main --depth=1`/);
    // commander takes the folder after --changed for its ref
    const folder = await runCli(['--changed', 'apps'], { cwd: repo });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('--changed: "apps" is a folder, not a git revision; name the folder first (arch-lint apps --changed)');
    expect((await runCli(['--changed=--output=x'], { cwd: repo })).code).toBe(2);
    expect((await runCli(['--changed', '--staged'], { cwd: repo })).code).toBe(2);
  });
});
