import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { extractors, type FileExtractor } from '../src/facts/index.js';
import { SCRIPT_FILE } from '../src/facts/typescript.js';
import { CLI_RUNS_TIMEOUT, copyFixture, expectedFindingLines, runCli } from './helpers.js';

const CACHE_FILE = 'node_modules/.cache/arch-lint/facts.json';

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
