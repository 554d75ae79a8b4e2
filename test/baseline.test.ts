import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, copyFixture, expectedFindingLines, runCli } from './helpers.js';

const CHECKOUT = 'apps/orders/src/checkout.ts';
const BASELINE = '.arch-lint-baseline.json';

function edit(dir: string, file: string, change: (text: string) => string): void {
  fs.writeFileSync(path.join(dir, file), change(fs.readFileSync(path.join(dir, file), 'utf8')));
}

describe('baseline', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('records current findings, then reports only new ones, and fixed entries as stale until pruned', async () => {
    const dir = copyFixture('shop-npm');
    const lint = (...args: string[]) => runCli(['-f', 'compact', '--no-cache', ...args, dir]);

    const update = await lint('--update-baseline');
    expect(update.code).toBe(0);
    expect(update.stdout).toBe('');
    expect(update.stderr).toContain(`wrote ${expectedFindingLines('shop-npm').length} findings to the baseline`);
    const written = JSON.parse(fs.readFileSync(path.join(dir, BASELINE), 'utf8'));
    expect(written.format).toBe('arch-lint-baseline');
    expect(written.findings).toHaveLength(expectedFindingLines('shop-npm').length);
    expect(Object.keys(written.findings[0])).toEqual(['fingerprint', 'ruleId', 'file', 'services', 'message']);
    const order = written.findings.map((f: { file: string; ruleId: string; fingerprint: string }) => `${f.file} ${f.ruleId} ${f.fingerprint}`);
    expect(order).toEqual([...order].sort());
    expect(JSON.stringify(written)).not.toMatch(/"line"/);

    // Read automatically from the root: legacy debt no longer fails the build.
    const accepted = await lint();
    expect([accepted.code, accepted.stdout, accepted.stderr]).toEqual([0, '', '']);

    // Moving code around does not make baselined findings new (fingerprints ignore lines).
    edit(dir, CHECKOUT, (text) => `\n\n// a comment\n${text}`);
    expect((await lint()).stdout).toBe('');

    // A new violation is reported alone.
    fs.writeFileSync(path.join(dir, 'apps/orders/src/extra.ts'), "import { feeFor } from '../../payments/src/internal/fees.js';\nexport const f = feeFor;\n");
    const fresh = await lint();
    expect(fresh.code).toBe(1);
    expect(fresh.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^apps\/orders\/src\/extra\.ts:1:24: error .* \[content-coupling\]$/)]);
    fs.rmSync(path.join(dir, 'apps/orders/src/extra.ts'));

    // Fixing a baselined finding makes its entry stale: reported, and failing with --strict-baseline.
    edit(dir, CHECKOUT, (text) => text.replace(/^import type \{ LedgerEntry \}.*$/m, "type LedgerEntry = { id: string };"));
    const stale = await lint();
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain(`1 baseline entry is fixed and stale in ${path.join(dir, BASELINE)}: remove it with --prune-baseline`);
    expect(stale.stderr).toContain('imports types from "apps/payments/src/internal/ledger.ts"');
    const strict = await lint('--strict-baseline');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('imports types from "apps/payments/src/internal/ledger.ts"');
    expect(strict.stderr).toContain('arch-lint: --strict-baseline fails the run: 1 baseline entry is stale (listed above)\n');

    // Pruning only removes; the baseline shrinks by the one fixed finding.
    const prune = await lint('--prune-baseline');
    expect(prune.code).toBe(0);
    expect(prune.stderr).toContain('removed 1 fixed finding from the baseline');
    expect(JSON.parse(fs.readFileSync(path.join(dir, BASELINE), 'utf8')).findings).toHaveLength(expectedFindingLines('shop-npm').length - 1);
    const clean = await lint('--strict-baseline');
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, '', '']);

    // --no-baseline shows everything again.
    expect((await lint('--no-baseline')).stdout.trim().split('\n')).toHaveLength(expectedFindingLines('shop-npm').length - 1);
  });

  it('uses --baseline <file> instead of the default, and refuses a file that is not a baseline (exit 2)', async () => {
    const dir = copyFixture('shop-npm');
    const other = path.join(dir, 'config', 'legacy-baseline.json');
    expect((await runCli(['--no-cache', '--update-baseline', '--baseline', other, dir])).code).toBe(0);
    expect(fs.existsSync(path.join(dir, BASELINE))).toBe(false);
    expect((await runCli(['--no-cache', '--baseline', other, dir])).code).toBe(0);
    expect((await runCli(['--no-cache', dir])).code).toBe(1);

    const missing = await runCli(['--no-cache', '--baseline', path.join(dir, 'nope.json'), dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such baseline');
    fs.writeFileSync(path.join(dir, BASELINE), '{"findings": "oops"}');
    const corrupt = await runCli(['--no-cache', dir]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toContain('not an arch-lint baseline');
  });
});
