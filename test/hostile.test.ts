import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, MAX_DIAGNOSTICS_PER_FILE_AND_CODE } from '../src/analyze.js';
import { isInside } from '../src/util/paths.js';
import { REPO_ROOT, copyFixtureTo, expectedFindingLines, fixture, runCli } from './helpers.js';

const CANARY = 'CANARY-5e1f0c2a-never-read';
const TRACER = path.join(REPO_ROOT, 'test', 'support', 'trace-fs.mjs');

interface ExpectedDiagnostic {
  file: string;
  code: string;
}

/**
 * fixtures/hostile copied into <tmp>/repo, next to <tmp>/outside (canary files), plus what is not
 * committed: a 5 MB file, a 1.5 MB line, 3000 files in one folder, and symbolic links.
 */
function createHostileRepository(): { tmp: string; root: string; outside: string } {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-hostile-')));
  const root = path.join(tmp, 'repo');
  const outside = path.join(tmp, 'outside');
  copyFixtureTo('hostile', root);
  fs.rmSync(path.join(root, 'expected.json'));
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'tsconfig.base.json'), `{ "compilerOptions": { "baseUrl": "${CANARY}" } }\n`);
  fs.writeFileSync(path.join(outside, 'secret.ts'), `// ${CANARY}\nimport { feeFor } from '../repo/apps/payments/src/internal/fees';\nexport const secret = feeFor(1);\n`);

  const at = (...parts: string[]) => path.join(root, ...parts);
  fs.symlinkSync('../../../../outside/secret.ts', at('apps/orders/src/secret.ts'));
  fs.symlinkSync('.', at('apps/orders/src/again'));
  fs.mkdirSync(at('packages/loop'));
  fs.symlinkSync('b', at('packages/loop/a'));
  fs.symlinkSync('a', at('packages/loop/b'));
  fs.symlinkSync('../../../outside', at('packages/sneaky/shared'));
  fs.mkdirSync(path.join(outside, 'cache'));
  fs.mkdirSync(at('node_modules/.cache'), { recursive: true });
  fs.symlinkSync('../../../outside/cache', at('node_modules/.cache/arch-lint'));

  const fiveMegabytes = `export const bundle = [\n${'  "0123456789abcdef0123456789abcdef",\n'.repeat(5 * 1024 * 1024 / 38)}];\n`;
  fs.writeFileSync(at('apps/orders/src/bundle.ts'), fiveMegabytes);
  const hugeLine = `export const table = [${Array.from({ length: 250_000 }, (_, i) => i).join(', ')}];\n`;
  fs.writeFileSync(at('apps/orders/src/table.ts'), hugeLine);
  fs.mkdirSync(at('packages/many/src'), { recursive: true });
  fs.writeFileSync(at('packages/many/package.json'), '{ "name": "@hostile/many", "version": "1.0.0" }\n');
  for (let i = 0; i < 3000; i++) {
    const name = `m${String(i).padStart(4, '0')}`;
    fs.writeFileSync(at('packages/many/src', `${name}.ts`), `export const ${name} = ${i};\n`);
  }
  return { tmp, root, outside };
}

describe('hostile input (built CLI, as a process)', () => {
  let repo: ReturnType<typeof createHostileRepository>;
  let expected: { findings: { rule: string; file: string; line: number }[]; diagnostics: ExpectedDiagnostic[] };
  beforeAll(() => {
    repo = createHostileRepository();
    expected = JSON.parse(fs.readFileSync(fixture('hostile/expected.json'), 'utf8'));
  });

  it('reports each bad file once, still finds the violation, exits 1, and reads or writes nothing outside the root', async () => {
    const traceLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-trace-')), 'reads.log');
    fs.writeFileSync(traceLog, '');
    const run = await runCli(['--format', 'json', repo.root], {
      env: {
        NODE_OPTIONS: `--import=${pathToFileURL(TRACER).href}`,
        ARCH_LINT_TRACE_DIR: repo.tmp,
        ARCH_LINT_TRACE_LOG: traceLog,
      },
    });

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const findings = report.findings.map((f: { ruleId: string; location: { file: string; line: number } }) => ({ rule: f.ruleId, file: f.location.file, line: f.location.line }));
    expect(findings).toEqual(expected.findings.map(({ rule, file, line }) => ({ rule, file, line })));
    const diagnostics = report.diagnostics.map((d: ExpectedDiagnostic) => ({ file: d.file, code: d.code }));
    expect(diagnostics).toEqual(expected.diagnostics.map(({ file, code }) => ({ file, code })));

    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr).not.toContain('internal error');
    expect(`${run.stdout}${run.stderr}`).not.toContain(CANARY);

    const accesses = fs.readFileSync(traceLog, 'utf8').split('\n').filter(Boolean);
    expect(accesses, 'the tracer saw the analysed files').toContain(path.join(repo.root, 'apps/orders/src/checkout.ts'));
    expect(accesses.filter((file) => !isInside(repo.root, file))).toEqual([]);
    expect(fs.readdirSync(path.join(repo.outside, 'cache')), 'no cache written through the link').toEqual([]);
  });
});

/** Nine levels of nine aliases: 387,420,489 strings once expanded. */
function billionLaughs(lastKey: string): string {
  const levels = 'abcdefghi'.split('');
  const lines = levels.map((name, i) => `${name}: &${name} [${Array(9).fill(i === 0 ? '"lol"' : `*${levels[i - 1]}`).join(', ')}]`);
  return `${lines.join('\n')}\n${lastKey}: *i\n`;
}

const DEPTH = 20_000;

const bombs: { name: string; plant(root: string): void; diagnostic?: ExpectedDiagnostic }[] = [
  {
    name: 'billion laughs in pnpm-workspace.yaml',
    plant: (root) => fs.writeFileSync(path.join(root, 'pnpm-workspace.yaml'), billionLaughs('packages')),
    diagnostic: { file: 'pnpm-workspace.yaml', code: 'invalid-yaml' },
  },
  {
    name: 'billion laughs in a compose file',
    plant: (root) => fs.writeFileSync(path.join(root, 'compose.bomb.yml'), billionLaughs('services')),
    diagnostic: { file: 'compose.bomb.yml', code: 'invalid-yaml' },
  },
  {
    name: 'billion laughs in a Kubernetes manifest',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/orders/deployment.yaml'), `kind: Deployment\n${billionLaughs('spec')}`),
  },
  {
    name: 'deeply nested JSON in a package.json',
    plant: (root) => fs.writeFileSync(path.join(root, 'packages/logger/package.json'), `{"name":"@shop/logger","config":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`),
    diagnostic: { file: 'packages/logger/package.json', code: 'invalid-json' },
  },
  {
    name: 'deeply nested JSON in a tsconfig.json',
    plant: (root) => fs.writeFileSync(path.join(root, 'tsconfig.json'), `{"compilerOptions":{"types":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}`),
    diagnostic: { file: 'tsconfig.json', code: 'invalid-tsconfig' },
  },
  {
    name: 'deeply nested TypeScript',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/orders/src/nested.ts'), `export const x = ${'('.repeat(DEPTH)}1${')'.repeat(DEPTH)};\n`),
    diagnostic: { file: 'apps/orders/src/nested.ts', code: 'extract-failed' },
  },
  {
    name: 'deeply nested YAML',
    plant: (root) => fs.writeFileSync(path.join(root, 'docker-compose.override.yml'), `services: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`),
  },
  {
    name: 'a deeply nested OpenAPI document',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/payments/openapi.yaml'), `openapi: 3.0.3\ninfo: { title: payments, version: '1' }\nx-deep: ${'['.repeat(DEPTH)}{ $ref: 'schemas.yaml#/Fee' }${']'.repeat(DEPTH)}\n`),
  },
  {
    name: 'an OpenAPI document of 60,000 $refs',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/payments/openapi.yaml'), `openapi: 3.0.3\ninfo: { title: payments, version: '1' }\nx-refs:\n${"  - $ref: 'schemas.yaml#/Fee'\n".repeat(60_000)}`),
  },
  {
    name: 'environment variables that double at every line',
    plant: (root) => {
      const doubling = (prefix: string) => Array.from({ length: 40 }, (_, i) => (i === 0 ? `${prefix}0=${'x'.repeat(64)}` : `${prefix}${i}=\${${prefix}${i - 1}}\${${prefix}${i - 1}}`)).join('\n');
      fs.writeFileSync(path.join(root, 'apps/orders/.env'), `${doubling('A')}\nDATABASE_URL=postgres://db/\${A39}\n`);
      fs.writeFileSync(path.join(root, '.env'), `${doubling('B')}\n`);
      fs.writeFileSync(path.join(root, 'docker-compose.override.yml'), 'services:\n  orders:\n    environment:\n      DOUBLED: ${B39}${B39}\n');
    },
  },
  {
    name: 'a 1.9 MB line',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/orders/src/table.ts'), `export const t = "${'x'.repeat(1_900_000)}";\n`),
  },
  {
    name: 'a 50 MB file',
    plant: (root) => fs.writeFileSync(path.join(root, 'apps/orders/src/bundle.ts'), Buffer.alloc(50 * 1024 * 1024, 'a')),
    diagnostic: { file: 'apps/orders/src/bundle.ts', code: 'file-too-large' },
  },
  {
    name: '5000 files in one folder',
    plant: (root) => {
      for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(root, 'packages/logger/src', `f${i}.ts`), `export const f${i} = ${i};\n`);
    },
  },
  {
    name: 'a symbolic link loop',
    plant: (root) => {
      fs.symlinkSync('loop-b', path.join(root, 'apps/orders/src/loop-a'));
      fs.symlinkSync('loop-a', path.join(root, 'apps/orders/src/loop-b'));
    },
    diagnostic: { file: 'apps/orders/src/loop-a', code: 'symlink' },
  },
];

describe.each(bombs)('resource bomb: $name', ({ plant, diagnostic }) => {
  it('is refused or analysed within a few seconds, and the findings elsewhere remain', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-bomb-'));
    copyFixtureTo('shop-npm', root);
    plant(root);
    // CPU time of this process, not wall-clock time: the bound holds however loaded the machine is.
    const started = process.cpuUsage();
    const result = await analyze({ root });
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(5000);
    expect(result.findings.map((f) => `${f.location.file}:${f.location.line}`)).toEqual(expectedFindingLines('shop-npm'));
    if (diagnostic) expect(result.diagnostics.map((d) => ({ file: d.file, code: d.code }))).toContainEqual(diagnostic);
    expect(result.diagnostics.length, 'a bomb cannot flood the output with diagnostics').toBeLessThanOrEqual(2 * (MAX_DIAGNOSTICS_PER_FILE_AND_CODE + 1));
  });
});
