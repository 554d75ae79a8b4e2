import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtureTo, expectedFindingLines, git, REPO_ROOT } from './helpers.js';

/** Installs take minutes on a busy two-core machine (npm's cache is used, not required). */
const INSTALL_TIMEOUT = 600_000;
const NPM_QUIET = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

function npm(cwd: string, ...args: string[]): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** Runs an installed bin on a copy of shop-npm; its five findings and exit 1 show the install works. */
function expectShopFindings(bin: string, cwd: string): void {
  const shop = copyFixtureTo('shop-npm', path.join(cwd, 'shop'));
  const run = spawnSync(bin, ['-f', 'compact', '--no-color'], { cwd: shop, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  expect(run.stdout.trim().split('\n').map((line) => line.split(':').slice(0, 2).join(':'))).toEqual(expectedFindingLines('shop-npm'));
}

/** A clean clone of the committed arch-lint: what pre-commit and `npm install git+…` start from. */
function cleanClone(): string {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-clone-'));
  execFileSync('git', ['clone', '-q', '--no-hardlinks', REPO_ROOT, clone]);
  return clone;
}

describe('installing arch-lint', { timeout: INSTALL_TIMEOUT }, () => {
  it('installs from the packed tarball into an empty project, and npx arch-lint runs there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-pack-'));
    const [packed] = JSON.parse(npm(REPO_ROOT, 'pack', '--json', '--ignore-scripts', '--pack-destination', dir)) as { filename: string }[];
    const project = path.join(dir, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "project", "private": true }\n');
    npm(project, 'install', ...NPM_QUIET, path.join(dir, packed.filename));
    expectShopFindings(path.join(project, 'node_modules', '.bin', 'arch-lint'), project);
    // The page inlines the layout engine from the installed dependency.
    const page = spawnSync(path.join(project, 'node_modules', '.bin', 'arch-lint'), ['graph', 'shop', '-f', 'html'], { cwd: project, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(page.status).toBe(0);
    expect(page.stdout).toContain('g.dagre=f()');
  });

  it('installs from git into a project, building on install (prepare)', () => {
    const clone = cleanClone();
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-from-git-'));
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "project", "private": true }\n');
    npm(project, 'install', ...NPM_QUIET, `git+file://${clone}`);
    expectShopFindings(path.join(project, 'node_modules', '.bin', 'arch-lint'), project);
  });

  it('installs globally from git as pre-commit installs node hooks (--install-links -g, the prefix in the environment)', () => {
    const clone = cleanClone();
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-global-'));
    execFileSync('npm', ['install', '--install-links', '-g', ...NPM_QUIET, `git+file://${clone}`], { cwd: prefix, stdio: 'ignore', env: { ...process.env, NPM_CONFIG_PREFIX: prefix } });
    expectShopFindings(path.join(prefix, 'bin', 'arch-lint'), prefix);
  });
});

/** The pre-commit framework on PATH, when it is one the hooks support (3.2.0 or later). */
function supportedPreCommit(): boolean {
  const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  const [major, minor] = (/(\d+)\.(\d+)/.exec(version.stdout ?? '') ?? []).slice(1).map(Number);
  return version.status === 0 && (major > 3 || (major === 3 && minor >= 2));
}

describe.skipIf(!supportedPreCommit())('the pre-commit framework (3.2.0 or later on PATH)', { timeout: INSTALL_TIMEOUT }, () => {
  it('blocks a commit that stages a violation and lets a clean one through (pre-commit try-repo)', () => {
    const clone = cleanClone();
    const repo = copyFixtureTo('shop-npm', fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-hooked-')));
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'the shop, with its known findings');
    const tryRepo = () => spawnSync('pre-commit', ['try-repo', clone, 'arch-lint'], { cwd: repo, encoding: 'utf8', env: { ...process.env, PRE_COMMIT_HOME: path.join(repo, '..', 'pre-commit-home') } });

    fs.writeFileSync(path.join(repo, 'apps/orders/src/extra.ts'), "import { feeFor } from '../../payments/src/internal/fees.js';\nexport const f = feeFor;\n");
    git(repo, 'add', 'apps/orders/src/extra.ts');
    const blocked = tryRepo();
    expect(blocked.status, blocked.stdout + blocked.stderr).toBe(1);
    expect(blocked.stdout).toContain('apps/orders/src/extra.ts');

    git(repo, 'rm', '-q', '--cached', 'apps/orders/src/extra.ts');
    fs.rmSync(path.join(repo, 'apps/orders/src/extra.ts'));
    fs.writeFileSync(path.join(repo, 'apps/orders/src/clean.ts'), 'export const clean = true;\n');
    git(repo, 'add', 'apps/orders/src/clean.ts');
    const passed = tryRepo();
    expect(passed.status, passed.stdout + passed.stderr).toBe(0);
  });
});
