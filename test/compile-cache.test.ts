import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from './helpers.js';

const COMPILE_CACHE = path.join(REPO_ROOT, 'dist', 'util', 'compile-cache.cjs');

let dir: string;
let cacheFolder: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-compile-'));
  cacheFolder = path.join(dir, 'cache');
  fs.mkdirSync(path.join(dir, 'node_modules', 'greeter'), { recursive: true });
  writeGreeter('hello');
  fs.writeFileSync(path.join(dir, 'node_modules', 'greeter', 'suffix.js'), "module.exports = '!';\n");
});

function writeGreeter(word: string): void {
  fs.writeFileSync(
    path.join(dir, 'node_modules', 'greeter', 'index.js'),
    `const suffix = require('./suffix');\nexports.greet = (name) => '${word} ' + name + suffix;\nexports.where = [__filename, __dirname, module.id];\n`,
  );
}

/** A fresh process preloads the module, then requires it the ordinary way: what the preload did, and what the module does. */
function preloadInFreshProcess(): { outcome: string; same: boolean; greeting: string; where: string[] } {
  const script = [
    `const { preloadWithCodeCache } = require(${JSON.stringify(COMPILE_CACHE)});`,
    `const from = ${JSON.stringify(path.join(dir, 'main.js'))};`,
    `const outcome = preloadWithCodeCache('greeter', from, ${JSON.stringify(cacheFolder)});`,
    "const required = require('node:module').createRequire(from)('greeter');",
    `const again = require('node:module').createRequire(from)('greeter');`,
    "console.log(JSON.stringify({ outcome, same: required === again, greeting: required.greet('you'), where: required.where }));",
  ].join('\n');
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const cacheFiles = () => (fs.existsSync(cacheFolder) ? fs.readdirSync(cacheFolder) : []);

describe('preloadWithCodeCache', () => {
  it('writes V8 cached data on the first run and uses it on the next, the module working as require() runs it', () => {
    const first = preloadInFreshProcess();
    expect(first).toEqual({
      outcome: 'written',
      same: true,
      greeting: 'hello you!',
      where: [path.join(dir, 'node_modules', 'greeter', 'index.js'), path.join(dir, 'node_modules', 'greeter'), path.join(dir, 'node_modules', 'greeter', 'index.js')],
    });
    expect(cacheFiles()).toEqual([expect.stringMatching(/^index-[0-9a-f]{16}\.v8$/)]);
    expect(preloadInFreshProcess()).toEqual({ ...first, outcome: 'used' });
  });

  it('never runs cached data made from another source: a changed module gets its own cache file', () => {
    preloadInFreshProcess();
    writeGreeter('hallo'); // same length: V8 alone would take the old data for it
    const changed = preloadInFreshProcess();
    expect(changed.outcome).toBe('written');
    expect(changed.greeting).toBe('hallo you!');
    expect(cacheFiles()).toHaveLength(2);
  });

  it('compiles from source when the cached data is garbage, and writes it anew', () => {
    preloadInFreshProcess();
    const [file] = cacheFiles();
    fs.writeFileSync(path.join(cacheFolder, file!), Buffer.alloc(4096, 7));
    const rejected = preloadInFreshProcess();
    expect(rejected.outcome).toBe('rejected and written');
    expect(rejected.greeting).toBe('hello you!');
    expect(preloadInFreshProcess().outcome).toBe('used');
  });

  it('loads the module when the cache cannot be written', () => {
    fs.writeFileSync(cacheFolder, 'a file where the folder should be');
    expect(preloadInFreshProcess()).toMatchObject({ outcome: 'written', greeting: 'hello you!' });
    expect(preloadInFreshProcess().outcome).toBe('written');
  });
});

describe('TypeScript through the code cache', () => {
  it('is what a run that parses loads, with its cached data in arch-lint’s own folder', async () => {
    const run = await runCli(['--no-cache', '--format', 'json', path.join(REPO_ROOT, 'fixtures', 'shop-npm')]);
    expect(run.code).toBe(1);
    const folder = path.join(REPO_ROOT, 'node_modules', '.cache', 'arch-lint-compile');
    expect(fs.readdirSync(folder)).toContainEqual(expect.stringMatching(/^typescript-[0-9a-f]{16}\.v8$/));
    const script = [
      `const { ts } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'util', 'typescript.cjs'))});`,
      "console.log(ts === require('typescript'), typeof ts.createSourceFile);",
    ].join('\n');
    expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()).toBe('true function');
  });
});
