import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_SEARCH_PLACES, loadConfig } from '../src/config/load.js';
import { copyFixtureTo, expectedFindingLines, readExpectation, runCli } from './helpers.js';

/** A copy of fixtures/shop-npm in a fresh temporary folder, and a folder beside it for markers. */
function shopCopy(): { root: string; markers: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-untrusted-'));
  const root = path.join(tmp, 'repo');
  copyFixtureTo('shop-npm', root);
  fs.mkdirSync(path.join(tmp, 'markers'));
  return { root, markers: path.join(tmp, 'markers') };
}

/** A config module that, if it ever runs, leaves a marker file and lowers shop-npm's rules to warnings. */
function markerConfig(marker: string, style: 'cjs' | 'esm'): string {
  const body = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`;
  const rules = JSON.stringify(Object.fromEntries(readExpectation('shop-npm').findings.map((f) => [f.rule, 'warn'])));
  return style === 'cjs'
    ? `${body}\nmodule.exports = { rules: ${rules} };\n`
    : `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${body}\nexport default { rules: ${rules} };\n`;
}

describe('--no-config-code: the analysed repository never runs code', () => {
  it('does not load .archlintrc.cjs with the flag, reports it, and applies the defaults', async () => {
    const { root, markers } = shopCopy();
    const marker = path.join(markers, 'config-ran');
    fs.writeFileSync(path.join(root, '.archlintrc.cjs'), markerConfig(marker, 'cjs'));

    const refused = await runCli(['--no-config-code', '-f', 'json', root]);
    expect(fs.existsSync(marker)).toBe(false);
    expect(refused.code).toBe(1);
    const report = JSON.parse(refused.stdout);
    expect(report.summary.errors).toBe(expectedFindingLines('shop-npm').length);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: '.archlintrc.cjs', code: 'config-code-refused' }));

    const trusted = await runCli(['-f', 'json', root]);
    expect(fs.existsSync(marker), 'without the flag the config module runs (the trade-off)').toBe(true);
    expect(trusted.code).toBe(0);
  });

  it('refuses an explicit code config with exit 2', async () => {
    const { root, markers } = shopCopy();
    const marker = path.join(markers, 'config-ran');
    fs.writeFileSync(path.join(root, 'arch-lint.config.cjs'), markerConfig(marker, 'cjs'));
    const run = await runCli(['--no-config-code', '-c', path.join(root, 'arch-lint.config.cjs'), root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refused with --no-config-code');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it.each(CONFIG_SEARCH_PLACES.filter((place) => /\.(js|cjs|mjs|ts)$/.test(place)))('never loads %s', async (place) => {
    const { root, markers } = shopCopy();
    const marker = path.join(markers, 'config-ran');
    fs.mkdirSync(path.dirname(path.join(root, place)), { recursive: true });
    const esm = place.endsWith('.mjs') || place.endsWith('.ts') || place.endsWith('.js');
    fs.writeFileSync(path.join(root, place), markerConfig(marker, esm ? 'esm' : 'cjs'));
    const config = await loadConfig(root, { allowConfigCode: false });
    expect(fs.existsSync(marker)).toBe(false);
    expect(config.rules['content-coupling'].severity).toBe('error');
    expect(config.diagnostics).toEqual([expect.objectContaining({ file: place, code: 'config-code-refused' })]);
  });

  it('never loads a config file that links outside the root', async () => {
    const { root, markers } = shopCopy();
    fs.writeFileSync(path.join(markers, 'elsewhere.yml'), 'rules:\n  content-coupling: off\n');
    fs.symlinkSync(path.join(markers, 'elsewhere.yml'), path.join(root, '.archlintrc.yml'));
    const config = await loadConfig(root);
    expect(config.rules['content-coupling'].severity).toBe('error');
    expect(config.diagnostics).toEqual([expect.objectContaining({ file: '.archlintrc.yml', code: 'outside-root' })]);
  });
});

describe('no network, ever', () => {
  let server: http.Server;
  let trap: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.end('{}');
    });
    server.on('connection', () => requests.push('connection'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    trap = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches no URL found in config, manifests, tsconfig, compose, Kubernetes, .env, OpenAPI or code', async () => {
    const { root } = shopCopy();
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('.archlintrc.yml', `$schema: http://${trap}/config-schema.json\nignore: ["http://${trap}/ignored/**"]\n`);
    write('apps/orders/tsconfig.json', `{ "extends": "http://${trap}/tsconfig.json" }\n`);
    write('apps/payments/tsconfig.json', `{ "extends": "//${trap}/tsconfig.json" }\n`);
    write(
      'packages/remote/package.json',
      JSON.stringify({ name: '@shop/remote', main: `http://${trap}/main.js`, exports: { '.': `http://${trap}/exports.js` }, dependencies: { left: `http://${trap}/left-pad.tgz` } }),
    );
    write('packages/remote/src/index.ts', `import pad from 'http://${trap}/pad.js';\nexport const load = () => import('https://${trap}/lazy.js');\nexport const padded = pad;\n`);
    write('apps/orders/src/remote.ts', `export const order = fetch('http://${trap}/orders/1');\nexport const remote = require('http://${trap}/remote.cjs');\n`);
    write(
      'docker-compose.override.yml',
      `services:\n  orders:\n    build: http://${trap}/orders.git\n    env_file: http://${trap}/orders.env\n    environment:\n      PAYMENTS_URL: http://${trap}/payments\n  worker:\n    build:\n      context: http://${trap}/worker.git\n    env_file: [http://${trap}/worker.env]\n`,
    );
    write('apps/orders/.env', `PAYMENTS_URL=http://${trap}/payments\nDATABASE_URL=postgres://orders:hunter2@${trap}/orders\n`);
    write(
      'deploy/orders.yaml',
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: ${trap}/orders:1.0\n          env:\n            - name: PAYMENTS_URL\n              value: http://${trap}/payments\n`,
    );
    write(
      'apps/payments/openapi.yaml',
      `openapi: 3.0.3\ninfo: { title: payments, version: '1' }\npaths:\n  /fees:\n    get:\n      responses:\n        '200':\n          description: fees\n          content:\n            application/json:\n              schema:\n                $ref: 'http://${trap}/schemas.yaml#/Fee'\n`,
    );
    write('apps/payments/openapi.json', JSON.stringify({ openapi: '3.0.3', info: { title: 'p', version: '1' }, paths: {}, components: { schemas: { Fee: { $ref: `https://${trap}/fee.json` } } } }));

    const run = await runCli(['-f', 'json', root]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).summary.errors).toBe(expectedFindingLines('shop-npm').length);
    expect(requests).toEqual([]);

    await fetch(`http://${trap}/control`).then((response) => response.text());
    expect(requests, 'the trap server was listening all along').toContain('GET /control');
  });
});

describe('names from the repository cannot drive the terminal or forge CI log lines', () => {
  const ESC = String.fromCharCode(27);
  const forged = `evil${ESC}[2J${ESC}]0;owned${String.fromCharCode(7)}\n::error file=README.md::forged\u202e`;

  it('a configuration error quoting the file indents every line it quotes', async () => {
    const { root } = shopCopy();
    fs.writeFileSync(path.join(root, '.archlintrc.yml'), `rules:\n  content-coupling: error\n::error file=README.md::forged: [${ESC}[2J\n`);
    const run = await runCli([root]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('.archlintrc.yml');
    expect(run.stderr).not.toContain(ESC);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
  });

  it.each(['stylish', 'compact'])('%s output and diagnostics show control characters as escapes', async (format) => {
    const { root } = shopCopy();
    fs.writeFileSync(path.join(root, 'apps/payments/src/internal', `${forged}.ts`), 'export const evil = 1;\n');
    fs.writeFileSync(path.join(root, 'apps/orders/src', `${forged}.ts`), Buffer.from([0, 1, 2]));
    fs.appendFileSync(path.join(root, 'apps/orders/src/checkout.ts'), `import { evil } from ${JSON.stringify(`../../payments/src/internal/${forged}`)};\nexport { evil };\n`);

    const run = await runCli(['-f', format, root]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('evil\\u001b[2J\\u001b]0;owned\\u0007');
    expect(run.stdout).toContain('::error file=README.md::forged\\u202e');
    expect(run.stderr).toContain('apps/orders/src/evil\\u001b[2J');
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(ESC);
      expect(output).not.toContain('\u202e');
      expect(output.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
    }
    if (format === 'compact') {
      for (const line of run.stdout.trimEnd().split('\n')) expect(line).toMatch(/^(.+?):(\d+):(\d+):\s+(error|warning|info|note)\s+(.*?)\s+\[([^\]\s]+)\]$/);
    }
  });

  it('`services` shows control characters in names, folders, reasons and calls as escapes', async () => {
    const { root } = shopCopy();
    const manifest = path.join(root, 'apps/payments/package.json');
    const payments = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    fs.writeFileSync(manifest, JSON.stringify({ ...payments, scripts: { ...payments.scripts, start: `node ${forged}` } }));
    fs.mkdirSync(path.join(root, 'apps', forged.replace(/[\n/]/g, '')), { recursive: true });
    fs.appendFileSync(path.join(root, 'apps/orders/src/checkout.ts'), `\nfetch(${JSON.stringify(`http://payments/${forged}`)});\n`);

    const run = await runCli(['services', root]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\\u001b[2J');
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain('\u202e');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
  });
});
