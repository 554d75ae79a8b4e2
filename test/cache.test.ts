import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chalk } from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze, lintRepository } from '../src/analyze.js';
import { extractors, type FileExtractor } from '../src/facts/index.js';
import { SCRIPT_FILE } from '../src/facts/typescript.js';
import { formatters } from '../src/report/index.js';
import { allFixtures, CLI_RUNS_TIMEOUT, copyFixture, copyFixtureTo, expectedFindingLines, git, REPO_ROOT, runCli } from './helpers.js';

const CACHE_FILE = 'node_modules/.cache/arch-lint/facts.json';
const CHANGES_FILE = 'node_modules/.cache/arch-lint/facts-changes.json';

/** Counts every extraction of a script file: a parse that the cache did not save. */
const counter: FileExtractor & { calls: string[] } = {
  name: 'test-counter',
  calls: [],
  matches: (file) => SCRIPT_FILE.test(file),
  extract({ file }) {
    counter.calls.push(file);
  },
};

/** Dates every file an hour back, as for a checkout made before the run (stat-based reuse needs settled mtimes). */
function settle(dir: string): void {
  const past = new Date(Date.now() - 3600_000);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), past, past);
  }
}

describe('facts cache', { timeout: CLI_RUNS_TIMEOUT }, () => {
  beforeEach(() => {
    counter.calls = [];
    extractors.push(counter);
  });
  afterEach(() => {
    extractors.splice(extractors.indexOf(counter), 1);
  });

  it('re-parses nothing on a warm run, only what changed after an edit, and gives the same findings', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    const cold = await analyze({ root: dir, cache: true });
    const scripts = counter.calls.length;
    expect(scripts).toBeGreaterThan(5);
    expect(cold.cache).toMatchObject({ unchanged: 0, sameContent: 0 });
    expect(fs.existsSync(path.join(dir, CACHE_FILE))).toBe(true);

    counter.calls = [];
    const warm = await analyze({ root: dir, cache: true });
    expect(counter.calls).toEqual([]);
    expect(warm.cache).toEqual({ unchanged: cold.fileCount, sameContent: 0, extracted: 0 });
    expect(warm.findings).toEqual(cold.findings);
    // The imports keep what they take (names, type names, re-exported names): contract consumers and library users read them.
    expect(warm.graph.moduleEdges).toEqual(cold.graph.moduleEdges);
    expect(cold.graph.moduleEdges.some((edge) => edge.reference.names?.length)).toBe(true);

    // Same content, new mtime: read and hashed, not parsed.
    const checkout = path.join(dir, 'apps/orders/src/checkout.ts');
    fs.utimesSync(checkout, new Date(), new Date());
    counter.calls = [];
    expect((await analyze({ root: dir, cache: true })).cache).toMatchObject({ sameContent: 1, extracted: 0 });
    expect(counter.calls).toEqual([]);

    // A real edit: that one file is parsed again, and its new facts are used.
    fs.appendFileSync(checkout, "\nimport '../../payments/src/internal/fees.js';\n");
    counter.calls = [];
    const edited = await analyze({ root: dir, cache: true });
    expect(counter.calls).toEqual(['apps/orders/src/checkout.ts']);
    expect(edited.findings).toHaveLength(expectedFindingLines('shop-npm').length + 1);
  });

  it('keeps the exports that run each table access: a warm run attributes library queries as a cold one does', async () => {
    const dir = copyFixture('data-library-functions');
    settle(dir);
    const cold = await analyze({ root: dir, cache: true });
    const warm = await analyze({ root: dir, cache: true });
    expect(warm.cache).toMatchObject({ extracted: 0 });
    expect(warm.graph.edges).toEqual(cold.graph.edges);
    expect(warm.findings).toEqual(cold.findings);
    expect(cold.graph.edges.some((e) => e.from === '@shop/tracking' && e.access === 'read')).toBe(true);
  });

  it('keeps the engine of the client each statement goes through and of each table: a warm run gives each database its access as a cold one does', async () => {
    const dir = copyFixture('data-client-engines');
    settle(dir);
    const cold = await analyze({ root: dir, cache: true });
    const warm = await analyze({ root: dir, cache: true });
    expect(warm.cache).toMatchObject({ extracted: 0 });
    expect(warm.graph.edges).toEqual(cold.graph.edges);
    expect(warm.graph.resources).toEqual(cold.graph.resources);
    expect(warm.findings).toEqual(cold.findings);
    expect(cold.graph.edges.some((e) => e.from === '@engines/api' && e.to === 'database:clickhouse://clickhouse:8123/' && e.access === 'read')).toBe(true);
  });

  it('keeps what functions do with their parameters: a warm run follows a payload or response into them as a cold one does', async () => {
    const dir = copyFixtureTo('contract-changes/handlers-base', fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-handlers-')));
    settle(dir);
    const cold = await analyze({ root: dir, cache: true });
    const warm = await analyze({ root: dir, cache: true });
    expect(warm.cache).toMatchObject({ extracted: 0 });
    expect(warm.graph.interactions).toEqual(cold.graph.interactions);
    const billing = cold.graph.interactions!.messages.find((m) => m.role === 'subscribe' && m.location.file.startsWith('services/billing/'));
    expect(billing?.reads?.map((r) => `${r.path} ${r.location.file}:${r.location.line}`)).toEqual(['orderId services/billing/src/invoices.ts:4', 'total services/billing/src/invoices.ts:5']);
    const summary = cold.graph.interactions!.httpCalls.find((c) => c.location.file === 'services/web/src/orders.ts' && c.location.line === 7);
    expect(summary?.passedReads?.map((r) => `${r.path} ${r.location.file}:${r.location.line}`)).toEqual(['id services/web/src/summary.ts:4', 'total services/web/src/summary.ts:4']);
  });

  it('writes edits to a changes file beside facts.json, and folds them in when files come or go', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    await analyze({ root: dir, cache: true });
    const base = fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8');
    const changesFile = path.join(dir, CHANGES_FILE);
    expect(fs.existsSync(changesFile)).toBe(false);

    fs.appendFileSync(path.join(dir, 'apps/orders/src/checkout.ts'), "\nimport '../../payments/src/internal/fees.js';\n");
    counter.calls = [];
    const edited = await analyze({ root: dir, cache: true });
    expect(counter.calls).toEqual(['apps/orders/src/checkout.ts']);
    expect(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8')).toBe(base);
    expect(Object.keys(JSON.parse(fs.readFileSync(changesFile, 'utf8')).entries)).toEqual(['apps/orders/src/checkout.ts']);

    counter.calls = [];
    const again = await analyze({ root: dir, cache: true });
    expect(counter.calls).toEqual([]);
    expect(again.findings).toEqual(edited.findings);

    fs.rmSync(path.join(dir, 'apps/orders/src/checkout.ts'));
    await analyze({ root: dir, cache: true });
    expect(fs.existsSync(changesFile)).toBe(false);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8')).entries)).not.toContain('apps/orders/src/checkout.ts');
  });

  it('is invalidated by a relevant configuration change (maxFileSize)', async () => {
    const dir = copyFixture('shop-npm');
    await analyze({ root: dir, cache: true });
    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'maxFileSize: 100000\n');
    counter.calls = [];
    const run = await analyze({ root: dir, cache: true });
    expect(run.cache!.extracted).toBe(run.fileCount);
  });

  it.each([
    ['garbage', 'not json at all {'],
    ['a foreign file', JSON.stringify({ format: 'something-else', entries: {} })],
    ['an older salt', JSON.stringify({ format: 'arch-lint-facts-cache', salt: 'old', entries: {} })],
    ['truncated', '{"format":"arch-lint-facts-cache","salt":"x","entr'],
  ])('ignores a cache file that is %s and replaces it', async (_, content) => {
    const dir = copyFixture('shop-npm');
    const expected = (await analyze({ root: dir })).findings;
    fs.mkdirSync(path.dirname(path.join(dir, CACHE_FILE)), { recursive: true });
    fs.writeFileSync(path.join(dir, CACHE_FILE), content);
    const run = await analyze({ root: dir, cache: true });
    expect(run.findings).toEqual(expected);
    expect(run.cache!.extracted).toBe(run.fileCount);
    expect(JSON.parse(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8')).format).toBe('arch-lint-facts-cache');
  });

  it('skips entries of the right format whose facts do not have the expected shape', async () => {
    const dir = copyFixture('shop-npm');
    await analyze({ root: dir, cache: true });
    const file = path.join(dir, CACHE_FILE);
    const cache = JSON.parse(fs.readFileSync(file, 'utf8'));
    cache.entries['apps/orders/src/checkout.ts'].facts = { file: 'apps/orders/src/checkout.ts', imports: 'oops' };
    fs.writeFileSync(file, JSON.stringify(cache));
    counter.calls = [];
    const run = await analyze({ root: dir, cache: true });
    expect(counter.calls).toEqual(['apps/orders/src/checkout.ts']);
    expect(run.findings).toHaveLength(expectedFindingLines('shop-npm').length);
  });

  it('is on by default in the CLI, moves with --cache-location, and is neither read nor written with --no-cache', async () => {
    const dir = copyFixture('shop-npm');
    expect((await runCli(['--no-cache', dir])).code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    expect((await runCli([dir])).code).toBe(1);
    expect(fs.existsSync(path.join(dir, CACHE_FILE))).toBe(true);
    const elsewhere = path.join(dir, 'tmp-cache');
    expect((await runCli(['--cache-location', elsewhere, dir])).code).toBe(1);
    expect(fs.existsSync(path.join(elsewhere, 'facts.json'))).toBe(true);
    // A cache folder that cannot be written is skipped, not fatal.
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const unwritable = await runCli(['--cache-location', path.join(dir, 'a-file', 'cache'), dir]);
    expect([unwritable.code, unwritable.stderr]).toEqual([1, '']);
  });
});

const RESOLUTIONS_FILE = 'node_modules/.cache/arch-lint/resolutions.json';

/** What resolution decides: module edges (with their components) and unresolved imports. */
function resolved(run: Awaited<ReturnType<typeof analyze>>) {
  return { edges: run.graph.moduleEdges.map((e) => `${e.from} -> ${e.to}`), unresolved: run.graph.unresolved.map((u) => `${u.file}: ${u.reference.specifier}`) };
}

/** A workspace whose imports depend on a tsconfig alias, an `exports` map and what node_modules holds. */
function linkedRepository(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-resolutions-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('package.json', JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@alias/*': ['packages/b/src/one/*'] } } }));
  write('packages/a/package.json', JSON.stringify({ name: '@r/a' }));
  write('packages/a/src/index.ts', "import { x } from '@alias/x';\nimport { s } from '@r/b/sub';\nimport { v } from 'vendored';\nexport const all = [x, s, v];\n");
  write('packages/b/package.json', JSON.stringify({ name: '@r/b', exports: { './sub': './src/one/x.ts' } }));
  write('packages/b/src/one/x.ts', 'export const x = 1;\nexport const s = 1;\n');
  write('packages/b/src/two/x.ts', 'export const x = 2;\nexport const s = 2;\n');
  write('vendor/vendored/index.ts', 'export const v = 3;\n');
  return dir;
}

describe('resolution cache', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('resolves nothing again on a warm run, and only the new pair after an edit adds an import', async () => {
    const dir = copyFixture('shop-npm');
    const cold = await analyze({ root: dir, cache: true });
    expect(cold.resolutionCache!.cached).toBe(0);
    expect(cold.resolutionCache!.resolved).toBeGreaterThan(10);
    expect(fs.existsSync(path.join(dir, RESOLUTIONS_FILE))).toBe(true);

    const warm = await analyze({ root: dir, cache: true });
    expect(warm.resolutionCache).toEqual({ cached: cold.resolutionCache!.resolved, resolved: 0 });
    expect(resolved(warm)).toEqual(resolved(cold));

    fs.appendFileSync(path.join(dir, 'apps/orders/src/checkout.ts'), "\nimport 'left-pad';\n");
    const edited = await analyze({ root: dir, cache: true });
    expect(edited.resolutionCache!.resolved).toBe(1);
    expect(resolved(edited)).toEqual(resolved(await analyze({ root: dir })));
  });

  it('resolves again when a tsconfig, an exports map or node_modules changes what an import leads to', async () => {
    const dir = linkedRepository();
    const expectSameAsUncached = async () => {
      const cached = await analyze({ root: dir, cache: true });
      expect(resolved(cached)).toEqual(resolved(await analyze({ root: dir })));
      return resolved(cached).edges;
    };
    expect(await expectSameAsUncached()).toEqual(['packages/a/src/index.ts -> packages/b/src/one/x.ts', 'packages/a/src/index.ts -> packages/b/src/one/x.ts']);

    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@alias/*': ['packages/b/src/two/*'] } } }));
    expect(await expectSameAsUncached()).toContain('packages/a/src/index.ts -> packages/b/src/two/x.ts');

    fs.writeFileSync(path.join(dir, 'packages/b/package.json'), JSON.stringify({ name: '@r/b', exports: { './sub': './src/two/x.ts' } }));
    expect(await expectSameAsUncached()).toEqual(['packages/a/src/index.ts -> packages/b/src/two/x.ts', 'packages/a/src/index.ts -> packages/b/src/two/x.ts']);

    // An install links a folder of the repository into node_modules: `vendored` is no longer external.
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'vendor/vendored'), path.join(dir, 'node_modules/vendored'));
    expect(await expectSameAsUncached()).toContain('packages/a/src/index.ts -> vendor/vendored/index.ts');

    fs.writeFileSync(path.join(dir, 'packages/b/src/one/y.ts'), 'export {};\n');
    expect((await analyze({ root: dir, cache: true })).resolutionCache!.cached).toBe(0);
  });

  it.each([
    ['garbage', () => 'not json {'],
    [
      'of this build but holds a malformed entry',
      (cache: { folders: Record<string, { to: Record<string, unknown> }> }) => {
        const [folder] = Object.keys(cache.folders);
        const [specifier] = Object.keys(cache.folders[folder].to);
        cache.folders[folder].to[specifier] = { file: 42 };
        return JSON.stringify(cache);
      },
    ],
  ])('ignores a resolutions file that is %s', async (_, spoil) => {
    const dir = copyFixture('shop-npm');
    const cold = await analyze({ root: dir, cache: true });
    const file = path.join(dir, RESOLUTIONS_FILE);
    fs.writeFileSync(file, spoil(JSON.parse(fs.readFileSync(file, 'utf8'))));
    const run = await analyze({ root: dir, cache: true });
    expect(run.resolutionCache!.cached).toBe(0);
    expect(resolved(run)).toEqual(resolved(cold));
  });

  it('lets a warm run finish without loading TypeScript', async () => {
    const dir = copyFixture('shop-npm');
    const script = [
      `const { analyze } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/analyze.js')).href)});`,
      `await analyze({ root: ${JSON.stringify(dir)}, cache: true });`,
      "const loaded = Object.keys((await import('node:module')).createRequire(import.meta.url).cache);",
      "console.log(JSON.stringify(loaded.filter((f) => /[\\\\/]typescript\\.js$/.test(f)).length));",
    ].join('\n');
    const run = (code: string) => execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
    expect(run(script)).toBe('1'); // cold: the compiler parses and resolves
    expect(run(script)).toBe('0');
  });
});

const RESULT_FILE = 'node_modules/.cache/arch-lint/result.json';

describe('lint result cache', { timeout: CLI_RUNS_TIMEOUT }, () => {
  const lint = (dir: string) => lintRepository({ root: dir, cache: true });
  const formatted = (result: Awaited<ReturnType<typeof lintRepository>>) =>
    Object.fromEntries(Object.entries(formatters).map(([name, format]) => [name, format(result, { chalk: new Chalk({ level: 1 }) })]));

  it.each(allFixtures())('reports %s again when nothing changed, the same in every format', async (name) => {
    const dir = copyFixture(name);
    const first = await lint(dir);
    expect(first.reused).toBeUndefined();
    const again = await lint(dir);
    expect(again.reused).toBe(true);
    expect(formatted(again)).toEqual(formatted(first));
  });

  it('analyses again, as an uncached run would, when a file changes, comes or goes, the configuration changes or the result file is spoilt', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    const changes: [string, () => void][] = [
      ['an edit', () => fs.appendFileSync(path.join(dir, 'apps/orders/src/checkout.ts'), "\nimport '@shop/payments/src/internal/ledger';\n")],
      ['a new file', () => fs.writeFileSync(path.join(dir, 'apps/orders/src/extra.ts'), "import '@shop/payments/src/internal/ledger';\n")],
      ['a deleted file', () => fs.rmSync(path.join(dir, 'apps/orders/src/extra.ts'))],
      ['a configuration file', () => fs.writeFileSync(path.join(dir, '.archlintrc.json'), JSON.stringify({ rules: { 'content-coupling': 'warn' } }))],
      ['garbage for a result file', () => fs.writeFileSync(path.join(dir, RESULT_FILE), 'not json {')],
      [
        'a result file of this build with a malformed finding',
        () => {
          const stored = JSON.parse(fs.readFileSync(path.join(dir, RESULT_FILE), 'utf8'));
          stored.result.findings[0].location = 'apps/orders/src/checkout.ts';
          fs.writeFileSync(path.join(dir, RESULT_FILE), JSON.stringify(stored));
        },
      ],
    ];
    await lint(dir);
    expect((await lint(dir)).reused).toBe(true);
    const severities = new Set<string>();
    for (const [change, make] of changes) {
      make();
      const run = await lint(dir);
      expect(run.reused, change).toBeUndefined();
      const uncached = await lintRepository({ root: dir });
      expect(formatted(run), change).toEqual(formatted(uncached));
      expect((await lint(dir)).reused, `${change}, then nothing`).toBe(true);
      for (const finding of run.findings) severities.add(`${change}: ${finding.severity}`);
    }
    expect(severities).toContain('a configuration file: warning');
  });

  it('rewrites a facts or resolutions cache file that fails to parse on the next run, without waiting for a source file to change', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    await lint(dir);
    for (const name of ['facts.json', 'resolutions.json']) {
      const file = path.join(dir, 'node_modules/.cache/arch-lint', name);
      fs.writeFileSync(file, '{"format":"arch-lint');
      await lint(dir);
      expect(() => JSON.parse(fs.readFileSync(file, 'utf8')), name).not.toThrow();
      expect((await lint(dir)).reused, name).toBe(true);
    }
  });

  it('never reads or writes a cache folder that git tracks: committed facts cannot hide findings', async () => {
    const dir = copyFixture('shop-npm');
    git(dir, 'init', '-q');
    await lint(dir);
    // A pull request commits a facts cache that says the violating file imports nothing.
    const factsFile = path.join(dir, CACHE_FILE);
    const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8'));
    facts.entries['apps/orders/src/checkout.ts'].facts.imports = [];
    fs.writeFileSync(factsFile, JSON.stringify(facts));
    fs.rmSync(path.join(dir, RESULT_FILE));
    git(dir, 'add', '-A');
    git(dir, 'add', '-f', 'node_modules/.cache/arch-lint');
    git(dir, 'commit', '-q', '-m', 'planted cache');

    const run = await runCli(['-f', 'compact', dir]);
    expect(run.stdout.trim().split('\n')).toHaveLength(expectedFindingLines('shop-npm').length);
    expect(run.stderr).toContain('node_modules/.cache/arch-lint: git tracks files in the cache folder; it is not read');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('analyses again when the configuration changes outside the repository (--config)', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-config-')), 'archlint.config.json');
    const lintWith = (severity: string) => {
      fs.writeFileSync(config, JSON.stringify({ rules: { 'content-coupling': severity } }));
      return lintRepository({ root: dir, cache: true, configFile: config });
    };
    await lintWith('error');
    expect((await lintWith('error')).reused).toBe(true);
    const lowered = await lintWith('warn');
    expect(lowered.reused).toBeUndefined();
    expect(lowered.findings.filter((f) => f.ruleId === 'content-coupling').map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
  });

  it('compares the content of files written just before the run that stored the result', async () => {
    const dir = copyFixture('shop-npm'); // every file was just written: the result keeps their hashes
    await lint(dir);
    expect((await lint(dir)).reused).toBe(true);
    const file = path.join(dir, 'apps/orders/src/checkout.ts');
    const { atime, mtime } = fs.statSync(file);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/.$/s, ' ')); // same size, and the same mtime below
    fs.utimesSync(file, atime, mtime);
    expect((await lint(dir)).reused).toBeUndefined();
  });

  it('stores no result when a file just written is over maxFileSize, too large to hash', async () => {
    const dir = copyFixture('shop-npm');
    settle(dir);
    fs.writeFileSync(path.join(dir, '.archlintrc.json'), JSON.stringify({ maxFileSize: 4096 }));
    fs.writeFileSync(path.join(dir, 'apps/orders/src/generated.ts'), `export const table = ${JSON.stringify('x'.repeat(5000))};\n`);
    const first = await lint(dir);
    expect(first.diagnostics.map((d) => d.code)).toContain('file-too-large');
    expect(fs.existsSync(path.join(dir, RESULT_FILE))).toBe(false);
    settle(dir);
    await lint(dir);
    expect((await lint(dir)).reused).toBe(true);
  });

  it('stores no result when too many files were just written to hash them all, and takes none with more hashes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-fresh-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fresh' }));
    fs.mkdirSync(path.join(dir, 'src'));
    for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(dir, 'src', `m${i}.ts`), `export const m${i} = ${i};\n`);
    await lint(dir);
    expect(fs.existsSync(path.join(dir, RESULT_FILE))).toBe(false);
    settle(dir);
    await lint(dir);
    expect((await lint(dir)).reused).toBe(true);

    // Nor takes one that holds more hashes than it ever writes: a result file committed to the repository
    // could only match a fresh checkout by content.
    const stored = JSON.parse(fs.readFileSync(path.join(dir, RESULT_FILE), 'utf8'));
    const walked = fs.readdirSync(path.join(dir, 'src')).map((name) => `src/${name}`).concat('package.json').sort();
    stored.states = walked.map((file) => {
      const bytes = fs.readFileSync(path.join(dir, file));
      return [bytes.length, createHash('sha256').update(bytes).digest('hex')];
    });
    stored.result.findings = [];
    fs.writeFileSync(path.join(dir, RESULT_FILE), JSON.stringify(stored));
    expect((await lint(dir)).reused).toBeUndefined();
  });

  it('analyses again when module resolution would get another answer from the disk (a new node_modules link)', async () => {
    const dir = linkedRepository();
    settle(dir);
    await lint(dir);
    expect((await lint(dir)).reused).toBe(true);
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'vendor/vendored'), path.join(dir, 'node_modules/vendored'));
    expect((await lint(dir)).reused).toBeUndefined();
    expect((await lint(dir)).reused).toBe(true);
  });

  it('never analyses its own report or a cache folder inside the tree, so they do not change the next run', async () => {
    const dir = copyFixture('interactions-openapi'); // its diagnostics quote $refs: a JSON report of it looks like a schema fragment
    settle(dir);
    const uncached = await runCli(['--format', 'json', dir]);
    const files = JSON.parse(uncached.stdout).summary.files;
    for (let run = 0; run < 3; run++) {
      const cli = await runCli(['lint', '.', '--format', 'json', '-o', 'report.json', '--cache-location', 'tmp/arch-lint'], { cwd: dir });
      expect(cli.code).toBe(uncached.code);
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
      expect(report.summary.files).toBe(files);
      expect(report.diagnostics).toEqual(JSON.parse(uncached.stdout).diagnostics);
    }
    const options = { root: dir, cache: path.join(dir, 'tmp/arch-lint'), outputFiles: [path.join(dir, 'report.json')] };
    await lintRepository(options);
    fs.writeFileSync(path.join(dir, 'report.json'), 'rewritten by another run');
    expect((await lintRepository(options)).reused).toBe(true);
  });

  it('gives the CLI the same report, diagnostics and exit code when lint reuses its result', async () => {
    const dir = copyFixture('hostile');
    const first = await runCli(['--format', 'compact', dir]);
    expect(fs.existsSync(path.join(dir, RESULT_FILE))).toBe(true);
    expect(await runCli(['--format', 'compact', dir])).toEqual(first);
  });
});
