import fs from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { formatters } from '../src/report/index.js';
import { formatServices } from '../src/report/services.js';
import { fixture, runCli } from './helpers.js';

/** Every password written into the data fixtures (in URLs, .env files, compose, Secrets, ConfigMaps). */
const PASSWORDS: Record<string, string[]> = {
  'data-compose': ['orders-s3cret-pw', 'billing-s3cret-pw', 'catalog-fallback-pw'],
  'data-k8s': ['k8s-0rders-pw', 'k8s-sh1pping-pw', 'k8s-p0stgres-admin-pw'],
  'deploy-k8s-config-files': ['acc0unts-pw', 'pay0uts-pw', 'rep0rts-pw'],
  'deploy-compose-config-files': ['inv3ntory-pw', 'b1lling-pw'],
  'data-prisma-library': ['prisma-pa55word', 'reports-pa55word'],
  'data-reporting': ['etl-wr1ter-pw', 'dash-r3ader-pw', 'fin-r3ader-pw', 'mkt-wr1ter-pw'],
};

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesBelow(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe.each(Object.entries(PASSWORDS))('no credential of %s reaches any output', (name, passwords) => {
  it('the fixture does hold the passwords, and the analysis reads the values that contain them', async () => {
    const text = filesBelow(fixture(name)).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const result = await analyze({ root: fixture(name) });
    const values = result.graph.environment.map((b) => b.value).join('\n');
    for (const password of passwords) {
      // k8s Secret data is base64: the plain password is only in the decoded value.
      expect(text.includes(password) || values.includes(password), password).toBe(true);
    }
    expect(passwords.some((p) => values.includes(p))).toBe(true);
  });

  it.each(Object.keys(formatters))('format %s', async (format) => {
    const result = await analyze({ root: fixture(name) });
    expect(result.findings.length).toBeGreaterThan(0);
    const output = formatters[format](result, { chalk: new Chalk({ level: 0 }) });
    for (const password of passwords) expect(output).not.toContain(password);
  });

  it('services, text and JSON, and stderr of the CLI', async () => {
    const result = await analyze({ root: fixture(name) });
    const chalk = new Chalk({ level: 0 });
    const outputs = [formatServices(result, 'text', chalk), formatServices(result, 'json', chalk)];
    const run = await runCli([fixture(name), '-f', 'json']);
    outputs.push(run.stdout, run.stderr);
    for (const output of outputs) for (const password of passwords) expect(output).not.toContain(password);
  });
});
