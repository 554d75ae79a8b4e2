import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, fixture, runCli } from './helpers.js';

const ESC = String.fromCharCode(27);

describe('arch-lint CLI (built, as a process)', () => {
  it('exits 1 with findings and prints them grouped by file', async () => {
    const run = await runCli([fixture('shop-npm')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('apps/orders/src/checkout.ts\n');
    expect(run.stdout).toMatch(/3:24\s+error\s+Service "@shop\/orders" imports "apps\/payments\/src\/internal\/fees.ts"/);
    expect(run.stdout).toContain('✖ 5 problems (5 errors, 0 warnings)');
    expect(run.stdout).not.toContain(`${ESC}[`);
  });

  it('colours stylish output with FORCE_COLOR and not with --no-color', async () => {
    const forced = await runCli([fixture('shop-npm')], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(`${ESC}[31m`);
    const off = await runCli([fixture('shop-npm'), '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(off.stdout).not.toContain(`${ESC}[`);
  });

  it('prints one compact line per finding', async () => {
    const run = await runCli(['-f', 'compact'], { cwd: fixture('shop-npm') });
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^apps\/orders\/package\.json:8:5: error .* \[lockstep-dependency\]$/),
      expect.stringMatching(/^apps\/orders\/src\/checkout\.ts:3:24: error .* \[content-coupling\]$/),
      expect.stringMatching(/^apps\/orders\/src\/checkout\.ts:3:24: error .* \[distributed-monolith\]$/),
      expect.stringMatching(/^apps\/orders\/src\/checkout\.ts:4:29: error .* \[content-coupling\]$/),
      expect.stringMatching(/^apps\/orders\/src\/checkout\.ts:5:34: error .* \[content-coupling\]$/),
    ]);
  });

  it('writes a versioned JSON report to --output-file', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-')), 'report.json');
    const run = await runCli(['--format', 'json', '-o', out, fixture('shop-npm')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.summary).toMatchObject({ errors: 5, warnings: 0 });
    expect(report.findings[1]).toMatchObject({
      ruleId: 'content-coupling',
      severity: 'error',
      location: { file: 'apps/orders/src/checkout.ts', line: 3, column: 24 },
      related: [{ location: { file: 'apps/payments/src/internal/fees.ts' } }],
      services: ['@shop/orders', '@shop/payments'],
    });
    expect(report.findings[1].fingerprint).toMatch(/^v1:[0-9a-f]{32}:0$/);
  });

  it('exits 2 on an unknown format or option', async () => {
    expect((await runCli(['-f', 'nope', fixture('shop-npm')])).code).toBe(2);
    expect((await runCli(['--bogus', fixture('shop-npm')])).code).toBe(2);
  });

  it('exits 2 with a message naming the key and the file for bad configuration', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-config-'));
    fs.cpSync(fixture('shop-npm'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  content-coupling: error\nservise: [apps/*]\n');
    const unknownKey = await runCli([dir]);
    expect(unknownKey.code).toBe(2);
    expect(unknownKey.stderr).toContain('.archlintrc.yml: unknown key "servise"');

    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  no-such-rule: error\n');
    const unknownRule = await runCli([dir]);
    expect(unknownRule.code).toBe(2);
    expect(unknownRule.stderr).toContain('unknown rule "rules.no-such-rule"');

    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  content-coupling: [error, { typeOnlyImports: maybe }]\n');
    const badValue = await runCli([dir]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain('rules.content-coupling options: "typeOnlyImports" must be one of');
    expect(badValue.stderr).not.toMatch(/\n\s+at /);
  });

  it('finds configuration named after the command too (.arch-lintrc*, arch-lint.config.*), and warns of a file only named like one', async () => {
    const dir = copyFixture('shop-npm');
    const contentCouplingOff = 'rules:\n  content-coupling: off\n';
    const findings = async () => (await runCli(['--no-cache', '-f', 'compact', dir])).stdout.split('\n').filter((line) => line.includes('[content-coupling]')).length;
    expect(await findings()).toBe(3);
    fs.writeFileSync(path.join(dir, '.arch-lintrc.yml'), contentCouplingOff);
    expect(await findings()).toBe(0);
    fs.rmSync(path.join(dir, '.arch-lintrc.yml'));
    fs.writeFileSync(path.join(dir, 'arch-lint.config.mjs'), "export default { rules: { 'content-coupling': 'off' } };\n");
    expect(await findings()).toBe(0);
    fs.rmSync(path.join(dir, 'arch-lint.config.mjs'));

    fs.writeFileSync(path.join(dir, 'arch-lint.yml'), contentCouplingOff);
    const lookAlike = await runCli(['--no-cache', '-f', 'compact', dir]);
    expect(lookAlike.stdout).toContain('[content-coupling]');
    expect(lookAlike.stderr).toContain('arch-lint.yml: not read: named like an arch-lint configuration, but arch-lint reads .archlintrc*, .arch-lintrc*, archlint.config.* and arch-lint.config.*');
    // arch-lint's own files are not taken for configuration
    fs.rmSync(path.join(dir, 'arch-lint.yml'));
    await runCli(['--no-cache', '--update-baseline', '-f', 'sarif', '-o', path.join(dir, 'arch-lint.sarif'), dir]);
    expect((await runCli(['--no-cache', dir])).stderr).toBe('');
  });

  it('lets configuration lower the rule to warnings, gated by --max-warnings and hidden by --quiet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-warn-'));
    fs.cpSync(fixture('shop-npm'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.archlintrc.yml'), 'rules:\n  content-coupling: [warn]\n  lockstep-dependency: off\n  distributed-monolith: off\n');
    expect((await runCli([dir])).code).toBe(0);
    const over = await runCli([dir, '--max-warnings', '2']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('arch-lint: 3 warnings, more than --max-warnings 2\n');
    const atMost = await runCli([dir, '--max-warnings', '3']);
    expect([atMost.code, atMost.stderr]).toEqual([0, '']);
    for (const notACount of ['', ' ', '-1', '1.5']) {
      const bad = await runCli([dir, '--max-warnings', notACount]);
      expect([bad.code, bad.stderr], `--max-warnings '${notACount}'`).toEqual([2, expect.stringContaining('expected a whole number ≥ 0')]);
    }
    const quiet = await runCli([dir, '--quiet', '-f', 'compact']);
    expect(quiet.stdout).toBe('');
  });

  it('lists components with their kind and evidence', async () => {
    const run = await runCli(['services', fixture('shop-npm'), '--format', 'json']);
    expect(run.code).toBe(0);
    const { components } = JSON.parse(run.stdout);
    const kinds = Object.fromEntries(components.map((c: { id: string; kind: string }) => [c.id, c.kind]));
    expect(kinds).toEqual({
      '@shop/logger': 'library',
      '@shop/orders': 'service',
      '@shop/payments': 'service',
      '@shop/payments-contracts': 'contract',
    });
    const orders = components.find((c: { id: string }) => c.id === '@shop/orders');
    expect(orders.reasons).toContain('has a Dockerfile');
  });

  it('prints services readably: counts and sources, reasons, public surface, uses and used by', async () => {
    const run = await runCli(['services', fixture('groups-tests')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^3 components \(3 services, 0 contracts, 0 libraries\) from package.json#workspaces; \d+ files\n/);
    expect(run.stdout).toContain('  @co/reports-web  apps/reports-web  part of service "reports"\n');
    expect(run.stdout).toContain('    why      grouped into service "reports" by configuration\n');
    expect(run.stdout).toContain('    public   1 entry (src/index.ts); globs src/api/**\n');
    expect(run.stdout).toContain('    uses     @co/billing (2 imports), @co/reports-web (1 import)\n');
    expect(run.stdout).toContain('    used by  @co/billing, @co/reports-worker\n');
  });
});
