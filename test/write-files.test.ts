import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, copyFixture, REPO_ROOT, runCli } from './helpers.js';

const FULL_DISK = pathToFileURL(path.join(REPO_ROOT, 'test', 'support', 'full-disk.mjs')).href;

/** Runs the CLI on a disk that is full below `dir`: every file written there is cut in half, with ENOSPC. */
function runOnFullDisk(args: string[], dir: string) {
  return runCli(args, { env: { NODE_OPTIONS: `--import=${FULL_DISK}`, ARCH_LINT_FULL_DISK_DIR: dir } });
}

describe('files arch-lint writes on a full disk', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('leaves the previous report whole and says why the new one could not be written', async () => {
    const dir = copyFixture('shop-npm');
    const report = path.join(dir, 'arch-lint.sarif');
    expect((await runCli(['--no-cache', '-f', 'sarif', '-o', report, dir])).code).toBe(1);
    const previous = fs.readFileSync(report, 'utf8');

    const run = await runOnFullDisk(['--no-cache', '-f', 'sarif', '-o', report, dir], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`arch-lint: could not write ${report}: no space left on device\n`);
    expect(fs.readFileSync(report, 'utf8')).toBe(previous);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the previous baseline whole on --update-baseline and --prune-baseline', async () => {
    const dir = copyFixture('shop-npm');
    const baseline = path.join(dir, '.arch-lint-baseline.json');
    expect((await runCli(['--no-cache', '--update-baseline', dir])).code).toBe(0);
    const previous = fs.readFileSync(baseline, 'utf8');

    for (const option of ['--update-baseline', '--prune-baseline']) {
      const run = await runOnFullDisk(['--no-cache', option, dir], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`arch-lint: could not write ${baseline}: no space left on device\n`);
      expect(fs.readFileSync(baseline, 'utf8')).toBe(previous);
      // still a baseline that accepts every finding
      expect((await runCli(['--no-cache', dir])).code).toBe(0);
    }
  });
});
