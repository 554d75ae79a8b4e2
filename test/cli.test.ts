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

  it('links each finding of the stylish report to its rule page', async () => {
    const page = 'https://github.com/arch-lint/arch-lint/blob/main/docs/rules/content-coupling.md';
    const forced = await runCli([fixture('shop-npm')], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    // a terminal hyperlink (OSC 8) on the rule id of every finding
    expect(forced.stdout.split(`${ESC}]8;;${page}\u0007`)).toHaveLength(3 + 1);
    const plain = await runCli([fixture('shop-npm')]);
    expect(plain.stdout).toContain(`Rule pages:\n  content-coupling  ${page}\n`);
    expect(plain.stdout).not.toContain(`${ESC}]8`);
  });

  it('shows the options of lint, the default command, in the top-level help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const option of ['--format', '--max-warnings', '--staged', '--update-baseline', '--no-cache']) expect(help.stdout).toContain(option);
    expect(help.stdout).toMatch(/init \[options\] \[dir\]/);
    expect(help.stdout).toMatch(/print-config \[options\] \[dir\]/);
  });

  it('lets services and graph use or skip the cache, a config file, code config and colour like lint', async () => {
    const dir = copyFixture('shop-npm');
    fs.writeFileSync(path.join(dir, 'other.yml'), 'libraries: [apps/payments]\n');
    const cache = path.join(dir, 'node_modules/.cache/arch-lint/facts.json');
    for (const command of ['services', 'graph']) {
      const run = await runCli([command, '--no-cache', '--no-color', '--no-config-code', '-c', path.join(dir, 'other.yml'), dir]);
      expect([command, run.code, run.stderr]).toEqual([command, 0, '']);
      expect(fs.existsSync(cache)).toBe(false);
    }
    expect((await runCli(['services', '-f', 'json', '-c', path.join(dir, 'other.yml'), dir])).stdout).toContain('"kind": "library"');
    expect(fs.existsSync(cache)).toBe(true);
  });

  it('writes a commented configuration of the discovered components with init, and prints the effective one with print-config', async () => {
    const dir = copyFixture('shop-npm');
    const before = await runCli(['-f', 'compact', '--no-cache', dir]);
    const init = await runCli(['init', dir]);
    expect(init.code).toBe(0);
    const written = fs.readFileSync(path.join(dir, '.archlintrc.yml'), 'utf8');
    expect(written).toMatch(/^# arch-lint configuration, written by `arch-lint init`/);
    expect(written).toContain('services:\n  - "apps/orders"  # has a Dockerfile');
    expect(written).toContain('contracts:\n  - "packages/payments-contracts"  # named as a contract package');
    expect(written).toContain('jobs: []\n');
    expect(written).toContain('frontends: []\n');
    // The written file is read, and describes the repository as discovery saw it.
    const after = await runCli(['-f', 'compact', '--no-cache', dir]);
    expect(after.stdout).toBe(before.stdout);
    const printed = JSON.parse((await runCli(['print-config', dir])).stdout);
    expect(printed).toMatchObject({ file: '.archlintrc.yml', services: ['apps/orders', 'apps/payments'], libraries: ['packages/logger'], maxFileSize: 2097152 });
    expect(printed.rules['content-coupling']).toMatchObject({ severity: 'error' });
    const again = await runCli(['init', dir]);
    expect([again.code, again.stderr]).toEqual([2, 'arch-lint: .archlintrc.yml: a configuration exists already; arch-lint init writes none\n']);
    expect(fs.readFileSync(path.join(dir, '.archlintrc.yml'), 'utf8')).toBe(written);
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

  it('shows the system of each component when the repository holds several, and the deployments bound to no component', async () => {
    const run = await runCli(['services', fixture('deploy-systems')]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/; 2 systems, each deployed from its own subtree \(blog, shop\)$/);
    expect(run.stdout).toContain('  shop-api  shop/api  system shop\n');
    expect(run.stdout).toContain('  blog-admin  blog/admin  system blog\n');
    expect(run.stdout).toContain('deployments bound to no component (2)\n');
    expect(run.stdout).toContain('  compose newsletter  blog/docker-compose.yml: runs the language runtime image "node:22-alpine" on code of the repository, but its name is no component\'s\n');
    expect(run.stdout).toContain('  kubernetes search  shop/k8s/search.yaml: runs image "registry.example.com/shop/search:1.0", named like no component\n');
    const { components, unboundDeployments } = JSON.parse((await runCli(['services', fixture('deploy-systems'), '-f', 'json'])).stdout);
    expect(Object.fromEntries(components.map((c: { dir: string; system?: string }) => [c.dir, c.system]))).toEqual({
      'blog/admin': 'blog',
      'blog/api': 'blog',
      'shop/api': 'shop',
      'shop/reports': 'shop',
      'shop/web': 'shop',
    });
    expect(unboundDeployments.map((d: { name: string }) => d.name)).toEqual(['newsletter', 'search']);
    // One system: no system is shown.
    const single = await runCli(['services', fixture('shop-npm')]);
    expect(single.stdout).not.toMatch(/ system |systems, each/);
  });

  it('prints services readably: counts and sources, reasons, public surface, uses and used by', async () => {
    const run = await runCli(['services', fixture('groups-tests')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^3 components \(3 services, 0 jobs, 0 frontends, 0 contracts, 0 libraries\) from package.json#workspaces; \d+ files\n/);
    expect(run.stdout).toContain('  @co/reports-web  apps/reports-web  part of service "reports"\n');
    expect(run.stdout).toContain('    why      grouped into service "reports" by configuration\n');
    expect(run.stdout).toContain('    public   1 entry (src/index.ts); globs src/api/**\n');
    expect(run.stdout).toContain('    uses     @co/billing (2 imports), @co/reports-web (1 import)\n');
    expect(run.stdout).toContain('    used by  @co/billing, @co/reports-worker\n');
  });
});
