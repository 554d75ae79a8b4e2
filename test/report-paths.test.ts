import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, copyFixtureTo, expectedFindingLines, git, runCli } from './helpers.js';

/** A git repository whose services live below `platform/`, not at its root. */
function repositoryWithPlatform(): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-subfolder-'));
  copyFixtureTo('shop-npm', path.join(repo, 'platform'));
  git(repo, 'init', '-q');
  return repo;
}

function sarifUris(sarif: string): string[] {
  const uris = new Set<string>();
  JSON.stringify(JSON.parse(sarif), (key, value) => (key === 'uri' && uris.add(value), value));
  return [...uris];
}

describe('paths when the analysed folder is not the git root', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('gives SARIF uris relative to the git root, from the root or from the analysed folder', async () => {
    const repo = repositoryWithPlatform();
    for (const [cwd, dir] of [
      [repo, 'platform'],
      [path.join(repo, 'platform'), '.'],
    ]) {
      const run = await runCli(['--no-cache', '-f', 'sarif', dir], { cwd });
      const uris = sarifUris(run.stdout);
      expect(uris.length).toBeGreaterThan(2);
      for (const uri of uris) expect(fs.existsSync(path.join(repo, decodeURIComponent(uri))), `${uri} from ${cwd}`).toBe(true);
    }
  });

  it('gives compact, github and stylish paths relative to the working directory', async () => {
    const repo = repositoryWithPlatform();
    const compact = await runCli(['--no-cache', '-f', 'compact', 'platform'], { cwd: repo });
    const files = compact.stdout.trim().split('\n').map((line) => line.split(':')[0]);
    expect(files.map((file) => `${file.replace(/^platform\//, '')}`)).toEqual(expectedFindingLines('shop-npm').map((line) => line.split(':')[0]));
    for (const file of files) expect(fs.existsSync(path.join(repo, file)), file).toBe(true);

    const github = await runCli(['--no-cache', '-f', 'github', 'platform'], { cwd: repo });
    expect(github.stdout).toContain('::error file=platform/apps/orders/src/checkout.ts,line=3,col=24');
    expect((await runCli(['--no-cache', 'platform'], { cwd: repo })).stdout).toMatch(/^platform\/apps\/orders\/src\/checkout\.ts$/m);
    // JSON names the root it analysed, and paths relative to it.
    const json = JSON.parse((await runCli(['--no-cache', '-f', 'json', 'platform'], { cwd: repo })).stdout);
    expect(json.findings.map((f: { location: { file: string } }) => f.location.file)).toContain('apps/orders/src/checkout.ts');
  });
});
