import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_RUNS_TIMEOUT, copyFixture, expectedFindingLines, runCli } from './helpers.js';

const CHECKOUT = 'apps/orders/src/checkout.ts';

describe('text and file names that are not UTF-8', { timeout: CLI_RUNS_TIMEOUT }, () => {
  it('analyses a file with Latin-1 bytes in a comment, with replacement characters and a warning', async () => {
    const dir = copyFixture('shop-npm');
    const original = fs.readFileSync(path.join(dir, CHECKOUT));
    // "// café ©" in Latin-1, then the file's three content-coupling imports, one line lower
    fs.writeFileSync(path.join(dir, CHECKOUT), Buffer.concat([Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x20, 0xa9, 0x0a]), original]));
    const run = await runCli(['--no-cache', '-f', 'compact', dir]);
    expect(run.stdout.trim().split('\n')).toHaveLength(expectedFindingLines('shop-npm').length);
    expect(run.stdout).toContain(`${CHECKOUT}:4:24: error`);
    expect(run.stderr).toBe(`arch-lint: ${CHECKOUT}:1:1: not valid UTF-8: analysed with the invalid bytes replaced by U+FFFD (invalid-utf8)\n`);
  });

  it('says that a file name is not valid UTF-8, rather than that it does not exist', async () => {
    const dir = copyFixture('shop-npm');
    const name = Buffer.concat([Buffer.from(path.join(dir, 'apps/orders/src/bad')), Buffer.from([0xff]), Buffer.from('.ts')]);
    fs.writeFileSync(name, "import '../../payments/src/internal/fees.js';\n");
    const run = await runCli(['--no-cache', '-f', 'compact', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('arch-lint: apps/orders/src/bad\uFFFD.ts: skipped: the file name is not valid UTF-8 (invalid-file-name)\n');
    expect(run.stderr).not.toContain('ENOENT');
  });
});
