import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { resolveConfig } from '../src/config/load.js';
import { directiveExtractor, parseDirective } from '../src/facts/directives.js';
import { extractFileFacts } from '../src/facts/index.js';
import type { Finding } from '../src/model.js';
import { applySuppressions } from '../src/suppress.js';
import { CLI_RUNS_TIMEOUT, copyFixture, runCli } from './helpers.js';

const CHECKOUT = 'apps/orders/src/checkout.ts';

/** shop-npm with only the rules these tests suppress (its co-deployment and lockstep findings are not about suppressions). */
function shopWithContentCouplingOnly(extraRules = ''): string {
  const dir = copyFixture('shop-npm');
  fs.writeFileSync(path.join(dir, '.archlintrc.yml'), `rules:\n  distributed-monolith: off\n  lockstep-dependency: off\n${extraRules}`);
  return dir;
}

/** shop-npm's checkout.ts (three content-coupling findings, lines 3-5) with lines inserted before the given 1-based line. */
function withLines(dir: string, file: string, inserts: Record<number, string>): void {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  const out = lines.flatMap((line, i) => (inserts[i + 1] !== undefined ? [inserts[i + 1], line] : [line]));
  fs.writeFileSync(path.join(dir, file), out.join('\n'));
}

function finding(file: string, line: number, ruleId = 'content-coupling'): Finding {
  return { ruleId, severity: 'error', message: 'm', location: { file, line, column: 1 }, related: [], services: ['a', 'b'], fingerprint: `v1:x:${line}` };
}

describe('inline suppressions', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('parses the ESLint-shaped directive: kind, rules, reason', () => {
    expect(parseDirective(' arch-lint-disable-next-line rule-b, rule-a -- legacy, see #12')).toEqual({ kind: 'disable-next-line', rules: ['rule-a', 'rule-b'], reason: 'legacy, see #12' });
    expect(parseDirective('arch-lint-disable-line')).toEqual({ kind: 'disable-line', rules: [] });
    expect(parseDirective(' arch-lint-disable-file content-coupling')).toEqual({ kind: 'disable-file', rules: ['content-coupling'] });
    expect(parseDirective(' arch-lint-disable-lines foo')).toBeUndefined();
    expect(parseDirective(' see arch-lint-disable-line')).toBeUndefined();
  });

  it('suppresses TypeScript findings by next-line, same-line and block comments, and reports what suppressed nothing', async () => {
    const dir = shopWithContentCouplingOnly();
    withLines(dir, CHECKOUT, {
      1: 'const note = "// arch-lint-disable-file"; // a string, not a directive',
      3: '// arch-lint-disable-next-line content-coupling -- payments will publish fees in its contract (#42)',
      5: '/* arch-lint-disable-next-line other-rule, content-coupling */',
    });
    const source = fs.readFileSync(path.join(dir, CHECKOUT), 'utf8').split('\n');
    const ledger = source.findIndex((l) => l.includes("'@shop/payments/src/internal/ledger'"));
    source[ledger] += ' // arch-lint-disable-line';
    source.push('// arch-lint-disable-next-line content-coupling -- nothing below');
    fs.writeFileSync(path.join(dir, CHECKOUT), source.join('\n'));

    const result = await analyze({ root: dir });
    expect(result.suppressed).toHaveLength(3);
    expect(result.findings.map((f) => `${f.location.line} ${f.ruleId} ${f.severity}`)).toEqual([
      '7 unused-suppression warning',
      `${source.length} unused-suppression warning`,
    ]);
    expect(result.findings[0].message).toBe(
      'Unused arch-lint-disable-next-line comment: "other-rule" is not an arch-lint rule. Remove it (or the rule name) so that it cannot hide a future finding.',
    );
    expect(result.findings[1].message).toMatch(/no "content-coupling" finding on line \d+/);
    expect(result.findings.every((f) => /^v1:[0-9a-f]{32}:0$/.test(f.fingerprint))).toBe(true);
  });

  it('honours a file-level directive for the named rule only', async () => {
    const dir = shopWithContentCouplingOnly();
    withLines(dir, CHECKOUT, { 1: '// arch-lint-disable-file content-coupling -- being split out of orders' });
    const result = await analyze({ root: dir });
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(3);
  });

  it('reports a directive in a file type directives are not read from, such as a Prisma schema', () => {
    const prisma = extractFileFacts('prisma/schema.prisma', 'model Order {\n  id Int @id\n  // arch-lint-disable-next-line shared-database\n}\n');
    expect(prisma.directives).toEqual([]);
    expect(prisma.diagnostics).toEqual([
      expect.objectContaining({ file: 'prisma/schema.prisma', line: 3, column: 6, code: 'directive-not-read', message: expect.stringContaining('suppresses nothing') }),
    ]);
    expect(extractFileFacts('prisma/schema.prisma', 'model Order {\n  id Int @id\n}\n').diagnostics).toEqual([]);
  });

  it('reads # directives in YAML and .env files and applies them to findings there', () => {
    const compose = extractFileFacts('docker-compose.yml', 'services:\n  # arch-lint-disable-next-line shared-database -- reporting replica\n  orders:\n    image: x # arch-lint-disable-line\n');
    const env = extractFileFacts('apps/orders/.env', '# arch-lint-disable-file shared-database\nDATABASE_URL=postgres://db/payments\n');
    expect(compose.directives.map((d) => [d.kind, d.rules, d.reason, d.location.line, d.location.column])).toEqual([
      ['disable-next-line', ['shared-database'], 'reporting replica', 2, 3],
      ['disable-line', [], undefined, 4, 14],
    ]);
    expect(directiveExtractor.matches('pnpm-lock.yaml')).toBe(false);
    const config = resolveConfig({});
    const outcome = applySuppressions(
      [finding('docker-compose.yml', 3, 'shared-database'), finding('docker-compose.yml', 5, 'shared-database'), finding('apps/orders/.env', 2, 'shared-database')],
      [compose, env],
      config,
    );
    expect(outcome.suppressed).toHaveLength(2);
    expect(outcome.findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId}`)).toEqual([
      'docker-compose.yml:4 unused-suppression',
      'docker-compose.yml:5 shared-database',
    ]);
  });

  it('shows unused suppressions in every format, and lets configuration turn them off or into errors', async () => {
    const dir = shopWithContentCouplingOnly();
    fs.appendFileSync(path.join(dir, 'docker-compose.yml'), '# arch-lint-disable-next-line\n');
    const compact = await runCli(['-f', 'compact', '--no-cache', dir]);
    expect(compact.stdout).toContain('docker-compose.yml:9:1: warning Unused arch-lint-disable-next-line comment: no finding on line 10 to suppress.');
    for (const format of ['stylish', 'json', 'sarif', 'github']) {
      expect((await runCli(['-f', format, '--no-cache', dir])).stdout).toContain('unused-suppression');
    }
    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  unused-suppression: off\n');
    expect((await runCli(['-f', 'compact', '--no-cache', dir])).stdout).toContain('[content-coupling]');
    expect((await runCli(['-f', 'compact', '--no-cache', dir])).stdout).not.toContain('unused-suppression');
    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  content-coupling: off\n  distributed-monolith: off\n  lockstep-dependency: off\n  unused-suppression: error\n');
    const strict = await runCli(['-f', 'compact', '--no-cache', dir]);
    expect(strict.stdout.trim()).toMatch(/^docker-compose\.yml:9:1: error .* \[unused-suppression\]$/);
    expect(strict.code).toBe(1);
  });
});

describe('directive comments in scripts', () => {
  it('are found only in comments: not in strings, templates or regular expressions', () => {
    const text = [
      'const a = "// arch-lint-disable-file";',
      'const b = `${a} // arch-lint-disable-file ${`// arch-lint-disable-file`}`;',
      'const c = /\\/\\/ arch-lint-disable-file/.test(b) ? 1 / 2 : 3; // arch-lint-disable-line',
      'const d = { e: `x${ { f: 1 }.f }// arch-lint-disable-file` };',
      '/**',
      ' * arch-lint-disable-next-line content-coupling -- in a block',
      ' */',
    ].join('\n');
    const facts = extractFileFacts('src/x.ts', text);
    expect(facts.directives.map((d) => [d.kind, d.location.line, d.location.endLine, d.rules, d.reason])).toEqual([
      ['disable-line', 3, 3, [], undefined],
      ['disable-next-line', 5, 7, ['content-coupling'], 'in a block'],
    ]);
    expect(extractFileFacts('src/y.tsx', 'const el = <a href="//x">{/* arch-lint-disable-file */}</a>;').directives.map((d) => d.kind)).toEqual(['disable-file']);
  });
});
