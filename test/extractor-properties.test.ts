import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyze } from '../src/analyze.js';
import { extractFileFacts, extractors } from '../src/facts/index.js';
import { sqlTableReferences, tableName } from '../src/facts/sql.js';
import { formatters } from '../src/report/index.js';
import { formatServices } from '../src/report/services.js';
import { engineOf, parseConnectionUrl } from '../src/util/databases.js';
import { redactCredentials } from '../src/util/redact.js';
import { expandVariables, MAX_EXPANDED_LENGTH } from '../src/util/variables.js';
import { copyFixtureTo } from './helpers.js';

/**
 * Properties of every registered extractor and of the pipeline behind them, written against file
 * shapes rather than extractor APIs, so that extractors added later are covered as they land.
 */

const soup = (alphabet: string[], maxLength = 300) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });
const yamlSoup = soup(['{', '}', '[', ']', '"', "'", ':', ',', ' ', '  ', '\n', '- ', '&a', '*a', '<<', '#', '|', '>', '!!str', '---', '...', 'a', '1', '$', '\t']);
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), yamlSoup);
const scalar = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.boolean(), fc.constant(null), fc.webUrl(), fc.constantFrom('${DATABASE_URL}', '$HOME', '${A:-b}', '../../../../etc/passwd', '/etc/passwd', 'http://127.0.0.1:9/x'));
const loose = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 10 }), scalar, { maxKeys: 3 }));

/** A connection URL built from parts; the password is distinctive so that a leak is unambiguous. */
const password = fc.string({ minLength: 6, maxLength: 16, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!*~-_.%$&+,;=:@/?#[]'.split('')) }).map((p) => `Pw9${p}`);
const connectionUrl = fc
  .record({
    scheme: fc.constantFrom('postgres', 'postgresql', 'mysql', 'mongodb', 'mongodb+srv', 'redis', 'amqp', 'sqlserver'),
    user: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    password,
    host: fc.oneof(fc.domain(), fc.constantFrom('db', 'orders-db', '127.0.0.1')),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    database: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
  })
  .map((u) => ({ ...u, url: `${u.scheme}://${u.user}:${encodeURIComponent(u.password)}@${u.host}${u.port ? `:${u.port}` : ''}/${u.database}` }));

const envText = fc
  .array(
    fc.oneof(
      fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), fc.oneof(scalar.map(String), fc.string({ maxLength: 30 }))).map(([k, v]) => `${k}=${v}`),
      fc.tuple(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string({ maxLength: 30 })).map(([k, v]) => `export ${k}="${v}"`),
      fc.tuple(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string({ maxLength: 30 })).map(([k, v]) => `${k}='${v}'`),
      fc.string({ maxLength: 40 }),
      fc.constantFrom('# comment', '', 'KEY="multi\nline"', 'A=${B}', 'A=${A}', '=value', 'NOVALUE', 'A="unterminated'),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join('\n'));

const composeText = fc
  .dictionary(
    fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    fc.record(
      { image: scalar, build: fc.oneof(scalar, fc.record({ context: scalar, dockerfile: scalar })), environment: loose, env_file: loose, depends_on: loose, ports: loose, command: loose, links: loose, extends: loose },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  )
  .chain((services) => fc.oneof(fc.constant(stringify({ services })), fc.constant(stringify({ version: '3', services, volumes: {}, networks: null }))));

const container = fc.record(
  {
    name: scalar,
    image: scalar,
    env: fc.oneof(loose, fc.array(fc.record({ name: scalar, value: scalar, valueFrom: loose }, { requiredKeys: [] }), { maxLength: 3 })),
    envFrom: fc.oneof(loose, fc.array(fc.record({ secretRef: loose, configMapRef: loose }, { requiredKeys: [] }), { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const kubernetesText = fc
  .array(
    fc.record(
      {
        apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1'),
        kind: fc.constantFrom('Deployment', 'StatefulSet', 'CronJob', 'Job', 'ConfigMap', 'Secret', 'Service', 'Ingress'),
        metadata: fc.record({ name: scalar, namespace: scalar, labels: loose }, { requiredKeys: [] }),
        spec: fc.oneof(loose, fc.record({ template: fc.record({ spec: fc.record({ containers: fc.oneof(loose, fc.array(container, { maxLength: 2 })) }) }) })),
        data: loose,
        stringData: loose,
      },
      { requiredKeys: ['kind'] },
    ),
    { maxLength: 3 },
  )
  .map((docs) => docs.map((doc) => stringify(doc)).join('---\n'));

const reference = fc.oneof(
  fc.constantFrom('#/components/schemas/Order', '#/components/schemas/Missing', '#', '#/', '#/paths/~1orders', '../../../../etc/passwd', '/etc/passwd', 'http://127.0.0.1:9/schema.yaml', 'file:///etc/passwd', 'schemas.yaml#/Order', ''),
  fc.string({ maxLength: 20 }),
);
const openApiValue = fc.record(
  {
    openapi: fc.oneof(fc.constantFrom('3.0.3', '3.1.0', '2.0'), scalar),
    swagger: scalar,
    info: loose,
    servers: fc.oneof(loose, fc.array(fc.record({ url: scalar }), { maxLength: 2 })),
    paths: fc.oneof(loose, fc.dictionary(fc.oneof(fc.webPath(), fc.string({ maxLength: 10 })), fc.dictionary(fc.constantFrom('get', 'post', 'put', 'delete', 'parameters', '$ref'), fc.oneof(loose, fc.record({ $ref: reference }))), { maxKeys: 3 })),
    components: fc.oneof(loose, fc.record({ schemas: fc.dictionary(fc.constantFrom('Order', 'Fee', 'Loop'), fc.oneof(fc.record({ $ref: reference }), fc.record({ type: scalar, properties: fc.dictionary(fc.string({ maxLength: 5 }), fc.record({ $ref: reference })) }))) })),
  },
  { requiredKeys: [] },
);

const sqlText = soup(['SELECT ', 'INSERT INTO ', 'UPDATE ', 'DELETE FROM ', 'FROM ', 'JOIN ', 'WHERE ', 'CREATE TABLE ', 'ALTER TABLE ', 'orders', 'public.', '"', '`', "'", '(', ')', ';', ',', '*', '--', '/*', '*/', '\n', ' ', '$1', 'x'], 80);
const prismaText = soup(['model ', 'Order ', '{', '}', '\n', 'id ', 'Int ', '@id', '@@map("orders")', 'datasource db ', 'provider = "postgresql"', 'url = env("DATABASE_URL")', '@relation(', ')', '"', '//', ' '], 80);
const codeText = fc.oneof(
  soup(['fetch(', 'axios.get(', 'http.request(', 'got(', '`', '${', '}', "'", '"', 'http://', 'https://orders', '/api/', 'process.env.', 'ORDERS_URL', ')', ';', '\n', ' ', 'prisma.order.findMany(', 'db.query(', 'SELECT * FROM orders', 'knex("orders")', 'new URL(', '+', 'import ', 'from ']),
  fc.string({ maxLength: 200 }),
);

/** A Bake file's start followed by HCL tokens in any order. */
const bakeText = soup(['target "a" {', 'variable "V" {', 'function "f" {', '}', '{', '[', ']', '(', ')', '"', '${', '$${', '\\u00e9', '\\U0011ffff', '=', ':', '?', ',', '...', '<<EOT\n', 'EOT', 'for', ' in ', '#', '//', '/*', '*/', ' ', '\n', 'tags', 'contexts', 'inherits', 'a', '1', '.', '-', '!']).map((tail) => `target "app" {\n${tail}`);

/** File kinds: a path each extractor may match, and text shaped like that kind of file. */
const kinds: { file: string; text: fc.Arbitrary<string> }[] = [
  { file: 'apps/orders/src/client.ts', text: codeText },
  { file: 'apps/orders/.env', text: envText },
  { file: 'apps/orders/.env.production', text: envText },
  { file: 'docker-compose.override.yml', text: fc.oneof(composeText, yamlSoup) },
  { file: 'deploy/orders.yaml', text: fc.oneof(kubernetesText, yamlSoup) },
  { file: 'apps/orders/openapi.yaml', text: fc.oneof(openApiValue.map((v) => stringify(v)), yamlSoup) },
  { file: 'apps/orders/openapi.json', text: fc.oneof(openApiValue.map((v) => JSON.stringify(v)), anyText) },
  { file: 'apps/orders/prisma/schema.prisma', text: prismaText },
  { file: 'apps/orders/migrations/001_init.sql', text: sqlText },
  { file: 'docker-bake.hcl', text: bakeText },
];

describe.each(kinds)('extractors on $file', ({ file, text }) => {
  const matching = extractors.filter((extractor) => extractor.matches(file)).map((extractor) => extractor.name);

  it(`handle any input themselves, with JSON-serialisable facts (${matching.join(', ') || 'no extractor yet'})`, () => {
    fc.assert(
      fc.property(fc.oneof(text, anyText), (input) => {
        const facts = extractFileFacts(file, input);
        expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
        expect(facts.diagnostics.filter((d) => d.code === 'extract-failed')).toEqual([]);
        for (const d of facts.diagnostics) expect(d.file).toBe(file);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the pipeline on arbitrary files of every kind', () => {
  it('never throws, and the findings of the rest of the repository remain', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-pipeline-'));
    copyFixtureTo('shop-npm', root);
    const files = fc.tuple(...kinds.map(({ text }) => text));
    await fc.assert(
      fc.asyncProperty(files, async (texts) => {
        kinds.forEach(({ file }, i) => {
          fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
          fs.writeFileSync(path.join(root, file), texts[i]);
        });
        const result = await analyze({ root });
        const checkout = result.findings.filter((f) => f.location.file === 'apps/orders/src/checkout.ts' && f.ruleId === 'content-coupling');
        expect(checkout.map((f) => f.location.line)).toEqual([3, 4, 5]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('secrets', () => {
  it('no output format ever shows the password of a connection string found in the repository', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-secrets-'));
    copyFixtureTo('shop-npm', root);
    const chalk = new Chalk({ level: 0 });
    await fc.assert(
      fc.asyncProperty(connectionUrl, async ({ url, password: secret }) => {
        const quoted = JSON.stringify(url);
        fs.writeFileSync(path.join(root, 'apps/orders/.env'), `DATABASE_URL=${url}\nREPLICA_URL=${quoted}\n`);
        fs.writeFileSync(
          path.join(root, 'docker-compose.yml'),
          stringify({ services: { orders: { build: './apps/orders', environment: { DATABASE_URL: url } }, payments: { build: './apps/payments', environment: [`DATABASE_URL=${url}`] } } }),
        );
        fs.mkdirSync(path.join(root, 'deploy'), { recursive: true });
        fs.writeFileSync(
          path.join(root, 'deploy/orders.yaml'),
          stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders' }, spec: { template: { spec: { containers: [{ name: 'orders', image: 'orders:1', env: [{ name: 'DATABASE_URL', value: url }] }] } } } }),
        );
        fs.writeFileSync(path.join(root, 'apps/payments/src/db.ts'), `export const url = ${quoted};\n`);
        const result = await analyze({ root });
        const outputs = [
          ...Object.values(formatters).map((format) => format(result, { chalk })),
          formatServices(result, 'json', chalk),
          formatServices(result, 'text', chalk),
        ];
        for (const output of outputs) {
          expect(output).not.toContain(secret);
          expect(output).not.toContain(encodeURIComponent(secret));
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe('round trips of the data parsers', () => {
  const parts = fc.record({
    scheme: fc.constantFrom('postgres', 'postgresql', 'mysql', 'mongodb', 'redis', 'sqlserver'),
    user: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
    password,
    host: fc.oneof(fc.domain(), fc.constantFrom('db', 'orders-db', '127.0.0.1')),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    database: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
    query: fc.constantFrom('', '?sslmode=require', '?password=Pw9query&ssl=true', ';encrypt=true'),
    encoded: fc.boolean(),
  });
  const build = (p: { scheme: string; user: string; password: string; host: string; port?: number; database: string; query: string; encoded: boolean }) =>
    `${p.scheme}://${p.user}:${p.encoded ? encodeURIComponent(p.password) : p.password}@${p.host}${p.port ? `:${p.port}` : ''}/${p.database}${p.query}`;

  it('a connection URL built from parts parses back to those parts', () => {
    fc.assert(
      fc.property(parts.filter((p) => p.encoded), (p) => {
        expect(parseConnectionUrl(build(p))).toEqual({ engine: engineOf(p.scheme), host: p.host, port: p.port, database: p.database });
      }),
      { numRuns: 300 },
    );
  });

  it('redaction never leaks the password, written encoded or as typed, and is idempotent', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom('', 'DATABASE_URL=', '"', 'url: '), (p, prefix) => {
        const text = `${prefix}${build(p)}`;
        const redacted = redactCredentials(text);
        expect(redacted).not.toContain(p.password);
        expect(redacted).not.toContain(encodeURIComponent(p.password));
        expect(redacted).not.toContain('Pw9query');
        expect(redactCredentials(redacted)).toBe(redacted);
      }),
      { numRuns: 500 },
    );
  });

  it('variable expansion never throws and stays bounded', () => {
    const values = fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('${A}', '${A}${A}${A}${A}', '$A', '${A:-${B}}', '${B-x}', '${', '${A:-', '$')), { maxLength: 8 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const env = new Map([['A', a.join('')], ['B', b.join('')]]);
        for (let i = 0; i < 30; i++) {
          env.set('A', expandVariables('${A}${A}${B}', (n) => env.get(n)));
          expect(env.get('A')!.length).toBeLessThanOrEqual(MAX_EXPANDED_LENGTH + 64 * 1024);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a table named in SQL is found whatever else the statement holds', () => {
    const table = fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/);
    fc.assert(
      fc.property(table, fc.constantFrom('SELECT * FROM', 'select id from', 'DELETE FROM', 'SELECT o.id FROM orders o JOIN'), fc.string({ maxLength: 30 }), (name, verb, tail) => {
        const references = sqlTableReferences(`${verb} ${name} WHERE x = 1; -- ${tail.replace(/\n/g, ' ')}`);
        expect(references.map((r) => r.table)).toContain(tableName(name));
      }),
      { numRuns: 300 },
    );
  });
});
