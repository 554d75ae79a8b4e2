import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRepoFile, readWalkedFile } from '../src/discover/read.js';
import { walkRepository } from '../src/discover/walk.js';
import { extractFileFacts } from '../src/facts/index.js';
import { analyze } from '../src/analyze.js';
import { resolveConfig } from '../src/config/load.js';
import { UsageError } from '../src/config/types.js';
import { deploymentEvidence } from '../src/discover/deployments.js';
import { normalisePattern, readWorkspaceDeclarations } from '../src/discover/workspaces.js';
import type { Diagnostic } from '../src/model.js';
import { exportTargetsFor } from '../src/resolve/exports.js';
import { packageNameOf } from '../src/resolve/resolver.js';
import { readCompilerOptions } from '../src/resolve/tsconfig.js';
import { parseJsonWithLocations } from '../src/util/json.js';
import { isInside } from '../src/util/paths.js';
import { fixture } from './helpers.js';

const MAX = 1024 * 1024;

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-prop-'));
}

/** Text that is valid UTF-8 with any code point (lone surrogates excluded: they cannot be encoded). */
const unicodeText = fc.string({ unit: 'grapheme', maxLength: 200 });
/** Text mixing JSON/YAML syntax characters, so that many inputs are almost valid. */
const syntaxSoup = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ', '\n', '-', '&', '*', '#', '/', 'a', '1', '\\', "'", '|', '>', '!'), maxLength: 300 });
const anyText = fc.oneof(unicodeText, syntaxSoup, fc.string({ unit: 'binary', maxLength: 200 }));
/** Globs as the config schema accepts them (non-empty), with every glob metacharacter. */
const globText = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('*', '?', '[', ']', '{', '}', ',', '!', '(', ')', '|', '+', '@', '/', '.', '\\', 'a', 'src'), minLength: 1, maxLength: 20 }),
);

describe('readRepoFile', () => {
  const root = tempRoot();

  it('never throws: any bytes give text or one diagnostic naming the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        fs.writeFileSync(path.join(root, 'file.ts'), bytes);
        const result = readRepoFile(root, 'file.ts', MAX);
        if ('diagnostic' in result) expect(result.diagnostic.file).toBe('file.ts');
        else expect(typeof result.text).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('gives back any UTF-8 text without NUL exactly (a leading BOM removed)', () => {
    fc.assert(
      fc.property(unicodeText.filter((t) => !t.includes('\0')), fc.boolean(), (text, bom) => {
        fs.writeFileSync(path.join(root, 'text.ts'), `${bom ? '\uFEFF' : ''}${text}`);
        expect(readRepoFile(root, 'text.ts', MAX)).toEqual({ text: bom || !text.startsWith('\uFEFF') ? text : text.slice(1) });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any path that leaves the root', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('..', '.', 'a', 'file.ts', '/', ''), { maxLength: 8 }), (parts) => {
        const file = parts.join('/');
        const result = readRepoFile(path.join(root, 'a'), file, MAX);
        if ('text' in result) expect(isInside(path.join(root, 'a'), path.resolve(root, 'a', file))).toBe(true);
      }),
    );
  });
});

describe('readWalkedFile', () => {
  it('reads what readRepoFile reads, for any bytes', () => {
    const root = tempRoot();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), unicodeText.map((t) => Buffer.from(t))), fc.constantFrom(10, 1000, MAX), (bytes, limit) => {
        fs.writeFileSync(path.join(root, 'file.ts'), bytes);
        expect(readWalkedFile(root, 'file.ts', limit)).toEqual(readRepoFile(root, 'file.ts', limit));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a file replaced by a link after the walk, and a FIFO, without blocking', () => {
    const root = tempRoot();
    fs.writeFileSync(path.join(os.tmpdir(), 'arch-lint-outside.ts'), 'export const secret = 1;\n');
    fs.symlinkSync(path.join(os.tmpdir(), 'arch-lint-outside.ts'), path.join(root, 'swapped.ts'));
    expect(readWalkedFile(root, 'swapped.ts', MAX)).toMatchObject({ diagnostic: { file: 'swapped.ts', code: 'unreadable' } });
    execFileSync('mkfifo', [path.join(root, 'pipe.ts')]);
    expect(readWalkedFile(root, 'pipe.ts', MAX)).toEqual({ diagnostic: { file: 'pipe.ts', code: 'unreadable', message: 'not a regular file' } });
    expect(readRepoFile(root, 'pipe.ts', MAX)).toEqual({ diagnostic: { file: 'pipe.ts', code: 'unreadable', message: 'not a regular file' } });
  });
});

/** Whether a folder on the way from root to root/parts is a symbolic link. */
function passesThroughLink(root: string, parts: string[]): boolean {
  return parts.slice(0, -1).some((_, i) => {
    try {
      return fs.lstatSync(path.join(root, ...parts.slice(0, i + 1))).isSymbolicLink();
    } catch {
      return false; // not there yet, or under a file: the write fails inside the root
    }
  });
}

describe('walkRepository', () => {
  const entry = fc.record({
    path: fc.array(fc.constantFrom('a', 'b', 'src', 'node_modules', 'dist', '.git', 'x y', 'ü', '.hidden', '-', '#c', '[x]'), { minLength: 1, maxLength: 4 }),
    kind: fc.constantFrom('file', 'file', 'gitignore', 'link-up', 'link-out', 'link-loop'),
    text: anyText,
  });

  it('never throws, lists sorted unique repo-relative files, and never lists what a link points to', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.array(globText, { maxLength: 3 }), (entries, ignoreGlobs) => {
        const root = tempRoot();
        for (const { path: parts, kind, text } of entries) {
          const target = path.join(root, ...parts);
          // Writing through a link made by an earlier entry would write outside the root (a `.git` file in
          // the shared temporary folder breaks every git command the other tests run there).
          if (passesThroughLink(root, parts)) continue;
          try {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            if (kind === 'file') fs.writeFileSync(target, text);
            else if (kind === 'gitignore') fs.writeFileSync(path.join(path.dirname(target), '.gitignore'), text);
            else fs.symlinkSync(kind === 'link-up' ? '..' : kind === 'link-out' ? os.tmpdir() : path.basename(target), target);
          } catch {
            // a path that is already taken by another kind of entry
          }
        }
        const { files, diagnostics } = walkRepository(root, ignoreGlobs);
        expect(files).toEqual([...new Set(files)].sort());
        for (const file of files) {
          expect(file.startsWith('/') || file.split('/').includes('..')).toBe(false);
          expect(fs.lstatSync(path.join(root, file)).isFile()).toBe(true);
          expect(isInside(fs.realpathSync(root), fs.realpathSync(path.join(root, file)))).toBe(true);
        }
        for (const d of diagnostics) expect(d.file).toBeTypeOf('string');
        fs.rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  });
});

describe('parseJsonWithLocations', () => {
  it('never throws on any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const doc = parseJsonWithLocations('x.json', text);
        expect(Array.isArray(doc.errors)).toBe(true);
        expect(doc.locate(['a', 0, 'b']).line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('reads any JSON value back as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const doc = parseJsonWithLocations('x.json', text);
        expect(doc.errors).toEqual([]);
        expect(doc.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('locates every key of an object at its quoted name in the text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }), (object) => {
        const text = JSON.stringify(object, null, 2);
        const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
        const doc = parseJsonWithLocations('x.json', text);
        for (const key of Object.keys(object)) {
          const { line, column } = doc.locate([key]);
          expect(text.startsWith(JSON.stringify(key), lineStarts[line - 1] + column - 1)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('readCompilerOptions', () => {
  it('never throws on any tsconfig text or extends chain, and never follows one out of the root', () => {
    const tmp = tempRoot();
    const root = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(root, 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'outside.json'), '{ "compilerOptions": { "baseUrl": "OUTSIDE" } }');
    fs.writeFileSync(path.join(root, 'base.json'), '{ "compilerOptions": { "strict": true } }');
    const extendsValue = fc.oneof(
      fc.constantFrom('../base.json', '../../outside.json', '../../outside', `${tmp}/outside.json`, 'http://127.0.0.1:9/x.json', '@scope/missing/tsconfig.json', './tsconfig.json', ''),
      fc.array(fc.constantFrom('..', '.', 'base.json', 'outside.json', 'pkg'), { maxLength: 5 }).map((parts) => parts.join('/')),
    );
    const tsconfig = fc.oneof(
      anyText,
      fc.tuple(extendsValue, fc.jsonValue({ maxDepth: 2 })).map(([ext, options]) => JSON.stringify({ extends: ext, compilerOptions: options })),
      fc.array(extendsValue, { maxLength: 3 }).map((list) => JSON.stringify({ extends: list })),
    );
    fc.assert(
      fc.property(tsconfig, (text) => {
        fs.writeFileSync(path.join(root, 'pkg', 'tsconfig.json'), text);
        const diagnostics: Diagnostic[] = [];
        const options = readCompilerOptions(root, 'pkg/tsconfig.json', diagnostics, { read: (file) => readRepoFile(root, file, MAX) });
        expect(options.baseUrl ?? '').not.toContain('OUTSIDE');
        for (const d of diagnostics) expect(d.file).toBe('pkg/tsconfig.json');
      }),
      { numRuns: 300 },
    );
  });
});

describe('workspace declarations', () => {
  const yamlOrJson = fc.oneof(anyText, fc.jsonValue().map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => JSON.stringify({ workspaces: v, packages: v })));

  it('never throw, whatever package.json, pnpm-workspace.yaml, lerna.json and compose files say', () => {
    fc.assert(
      fc.property(yamlOrJson, yamlOrJson, yamlOrJson, yamlOrJson, (manifest, pnpm, lerna, compose) => {
        const texts: Record<string, string> = { 'package.json': manifest, 'pnpm-workspace.yaml': pnpm, 'lerna.json': lerna, 'docker-compose.yml': compose };
        const diagnostics: Diagnostic[] = [];
        const declaration = readWorkspaceDeclarations(new Set(Object.keys(texts)), (file) => texts[file], diagnostics);
        for (const pattern of declaration.patterns) expect(typeof pattern).toBe('string');
        const { builds } = deploymentEvidence([extractFileFacts('docker-compose.yml', compose)], [], () => false, () => false, diagnostics);
        for (const build of builds) expect(build.dir.split('/')).not.toContain('..');
      }),
      { numRuns: 300 },
    );
  });

  it('never take a compose build context outside the root', () => {
    const context = fc.array(fc.constantFrom('..', '.', 'apps', 'orders', '', '/'), { maxLength: 6 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.constantFrom('docker-compose.yml', 'deploy/compose.yaml'), context, fc.boolean(), (file, dir, long) => {
        const text = `services:\n  orders:\n    build: ${long ? `{ context: ${JSON.stringify(dir)} }` : JSON.stringify(dir)}\n`;
        const diagnostics: Diagnostic[] = [];
        const files = [file, 'apps/orders/Dockerfile', 'orders/Dockerfile', 'deploy/apps/orders/Dockerfile', 'deploy/orders/Dockerfile'];
        const found = deploymentEvidence([extractFileFacts(file, text)], files, () => false, () => false, diagnostics).builds;
        for (const { dir: inside } of found) expect(inside === '..' || inside.startsWith('../') || inside.startsWith('/')).toBe(false);
        // every context is either taken or refused with a diagnostic: outside the root, or not in the repository
        expect(found.length + diagnostics.filter((d) => d.code === 'outside-root' || d.code === 'missing-build-context').length).toBe(1);
      }),
    );
  });

  it('normalise patterns idempotently', () => {
    fc.assert(
      fc.property(fc.string(), (pattern) => {
        expect(normalisePattern(normalisePattern(pattern))).toBe(normalisePattern(pattern));
      }),
    );
  });
});

describe('package exports', () => {
  const subpath = fc.array(fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('/') && !s.includes('*')), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

  it('resolution never throws on any exports value', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.string(), (exports, sub) => {
      const targets = exportTargetsFor(exports, sub);
      expect(targets === undefined || targets.every((target) => typeof target === 'string')).toBe(true);
    }), { numRuns: 500 });
  });

  it('a wildcard maps any subpath into its target verbatim', () => {
    fc.assert(
      fc.property(subpath, (sub) => {
        expect(exportTargetsFor({ './*': './src/*.ts' }, sub)).toEqual([`./src/${sub}.ts`]);
        expect(exportTargetsFor({ '.': './index.ts', './features/*': { import: './lib/*.js' } }, `features/${sub}`)).toEqual([`./lib/${sub}.js`]);
      }),
    );
  });

  it('an exact subpath wins, its conditions kept in order', () => {
    fc.assert(
      fc.property(subpath, fc.string(), (sub, target) => {
        expect(exportTargetsFor({ [`./${sub}`]: { types: target, default: 'other' }, './*': './wild/*' }, sub)).toEqual([target, 'other']);
      }),
    );
  });

  it('package names are recovered from any specifier built from a name and a subpath', () => {
    const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/);
    fc.assert(
      fc.property(fc.option(segment, { nil: undefined }), segment, fc.option(subpath, { nil: undefined }), (scope, name, sub) => {
        const packageName = scope === undefined ? name : `@${scope}/${name}`;
        expect(packageNameOf(sub === undefined ? packageName : `${packageName}/${sub}`)).toBe(packageName);
      }),
    );
  });
});

describe('configuration', () => {
  it('any value is either a valid configuration or a UsageError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ ignore: fc.jsonValue(), rules: fc.jsonValue(), services: fc.jsonValue(), maxFileSize: fc.jsonValue() }, { requiredKeys: [] })), (raw) => {
        try {
          resolveConfig(raw, '.archlintrc.yml');
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.startsWith('.archlintrc.yml: ')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('any accepted globs analyse the repository or stop with a UsageError, never anything else', async () => {
    const root = fixture('shop-npm');
    const globs = fc.array(globText, { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.record({ services: globs, libraries: globs, contracts: globs, ignore: globs, testFiles: globs, public: fc.dictionary(globText, globs, { maxKeys: 2 }) }, { requiredKeys: [] }), async (raw) => {
        const file = path.join(tempRoot(), 'archlint.yml');
        fs.writeFileSync(file, JSON.stringify(raw));
        try {
          await analyze({ root, configFile: file });
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 40 },
    );
  });
});
