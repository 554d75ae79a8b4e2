import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';
import { parseDotenv } from '../src/facts/dotenv.js';
import { sqlTableReferences } from '../src/facts/sql.js';
import { parseConnectionUrl } from '../src/util/databases.js';
import { redactCredentials } from '../src/util/redact.js';
import { expandVariables } from '../src/util/variables.js';

describe('dotenv', () => {
  it('reads bare, quoted, exported and multi-line values with their lines, skipping comments', () => {
    const text = ['# comment', 'A=plain # trailing', 'export B="two words"', "C='${A}'", 'D="line1', 'line2"', '', 'E=', 'F=`x`'].join('\n');
    const parsed = parseDotenv('.env', text).map((a) => [a.name, a.value, a.location.line]);
    expect(parsed).toEqual([
      ['A', 'plain', 2],
      ['B', 'two words', 3],
      ['C', '${A}', 4],
      ['D', 'line1\nline2', 5],
      ['E', '', 8],
      ['F', 'x', 9],
    ]);
  });
});

describe('variables', () => {
  const lookup = (name: string) => ({ A: 'a', EMPTY: '' })[name];
  it('expands ${VAR}, $VAR, ${VAR:-default} and ${VAR-default} as docker-compose does', () => {
    expect(expandVariables('${A}/$A', lookup)).toBe('a/a');
    expect(expandVariables('${MISSING:-d}|${EMPTY:-d}|${EMPTY-d}|${MISSING-d}', lookup)).toBe('d|d||d');
    expect(expandVariables('${MISSING:-${A}}', lookup)).toBe('a');
  });
  it('keeps a reference nothing resolves', () => {
    expect(expandVariables('postgres://${HOST}/db', lookup)).toBe('postgres://${HOST}/db');
  });
});

describe('connection URLs', () => {
  it('parses engine, host, port and database name', () => {
    expect(parseConnectionUrl('postgresql://u:p@db.internal:6543/orders?schema=public')).toEqual({ engine: 'postgres', host: 'db.internal', port: 6543, database: 'orders' });
    expect(parseConnectionUrl('mongodb+srv://u:p@cluster0.example.net/shop?retryWrites=true')).toEqual({ engine: 'mongodb', host: 'cluster0.example.net', port: undefined, database: 'shop' });
    expect(parseConnectionUrl('mongodb://a:27017,b:27017/shop')).toMatchObject({ host: 'a', port: 27017, database: 'shop' });
    expect(parseConnectionUrl('redis://:pw@cache:6380/2')).toEqual({ engine: 'redis', host: 'cache', port: 6380, database: '2' });
    expect(parseConnectionUrl('sqlserver://sql:1433;database=billing;user=sa;password=x')).toEqual({ engine: 'sqlserver', host: 'sql', port: 1433, database: 'billing' });
    expect(parseConnectionUrl('file:./dev.db')).toEqual({ engine: 'sqlite', database: './dev.db' });
    expect(parseConnectionUrl('postgres://u:p@ss@db:5432/x')).toMatchObject({ host: 'db', port: 5432, database: 'x' });
  });
  it('ignores what is not a database URL', () => {
    expect(parseConnectionUrl('https://api.example.com/v1')).toBeUndefined();
    expect(parseConnectionUrl('orders')).toBeUndefined();
    expect(parseConnectionUrl('file:///home/node/shared/worker_token')).toBeUndefined();
  });
});

describe('redaction', () => {
  it('hides user and password of connection strings and password parameters', () => {
    expect(redactCredentials('DATABASE_URL=postgres://shop:s3cret@db:5432/shop')).toBe('DATABASE_URL=postgres://***:***@db:5432/shop');
    expect(redactCredentials('mongodb+srv://admin@cluster/x')).toBe('mongodb+srv://***@cluster/x');
    expect(redactCredentials('sqlserver://sql:1433;database=b;password=hunter2')).toBe('sqlserver://sql:1433;database=b;password=***');
    expect(redactCredentials('redis://cache:6379/0')).toBe('redis://cache:6379/0');
    expect(redactCredentials('postgres://u:p@ss@db/x and mysql://a:b@h/y')).toBe('postgres://***:***@db/x and mysql://***:***@h/y');
  });
});

describe('SQL in literals', () => {
  const refs = (sql: string) => sqlTableReferences(sql).map((r) => `${r.access} ${r.table}`);
  it('finds reads and writes', () => {
    expect(refs('SELECT o.id FROM orders o JOIN "public"."Customer" c ON c.id = o.customer_id')).toEqual(['read orders', 'read Customer']);
    expect(refs('INSERT INTO audit.events (x) VALUES (1)')).toEqual(['write events']);
    expect(refs('UPDATE orders o SET status = 1')).toEqual(['write orders']);
    expect(refs('DELETE FROM `orders` WHERE id = 1')).toEqual(['write orders']);
    expect(refs('WITH t AS (SELECT * FROM a) SELECT * FROM t')).toEqual(['read a', 'read t']);
  });
  it('does not take functions, sub-queries or prose for tables', () => {
    expect(refs('SELECT EXTRACT(YEAR FROM created_at) FROM orders')).toEqual(['read orders']);
    expect(refs('SELECT * FROM (SELECT 1) x')).toEqual([]);
    expect(refs("SELECT TRIM(BOTH ' ' FROM name) FROM customers WHERE a IS DISTINCT FROM b")).toEqual(['read customers']);
    expect(refs('Please select an item from the list')).toEqual([]);
  });
});

describe('docker-compose facts', () => {
  it('applies anchors and merge keys, reads map and list environments, env_file and ports', () => {
    const text = [
      'x-env: &env',
      '  A: from-anchor',
      '  B: overridden',
      'services:',
      '  api:',
      '    build: { context: ./apps/api, dockerfile: Dockerfile }',
      '    env_file: [.env.api]',
      '    ports: ["8080:3000", "127.0.0.1:5433:5432/tcp"]',
      '    environment:',
      '      <<: *env',
      '      B: own',
      '  worker:',
      '    image: shop/worker:1',
      '    environment:',
      '      - C=${C:-x}',
      '      - FROM_SHELL',
    ].join('\n');
    const [api, worker] = extractFileFacts('docker-compose.yml', text).compose!;
    expect(api.build).toEqual({ context: './apps/api', dockerfile: 'Dockerfile' });
    expect(api.environment.map((e) => [e.name, e.value, e.location.line])).toEqual([
      ['A', 'from-anchor', 2],
      ['B', 'own', 11],
    ]);
    expect(api.envFiles.map((f) => f.path)).toEqual(['.env.api']);
    expect(api.ports).toEqual([
      { host: 8080, container: 3000 },
      { host: 5433, container: 5432 },
    ]);
    expect(worker.image).toBe('shop/worker:1');
    expect(worker.environment.map((e) => [e.name, e.value])).toEqual([['C', '${C:-x}']]);
  });
});

describe('bad YAML', () => {
  it('reports a malformed compose file as a diagnostic naming the file', () => {
    const facts = extractFileFacts('docker-compose.yml', 'services:\n  api:\n    environment: [A=1\n');
    expect(facts.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['docker-compose.yml invalid-yaml']);
    expect(facts.compose).toEqual([]);
  });
  it('stops expanding merge keys that nest aliases exponentially', () => {
    const levels = ['a0: &a0 { x: 1 }'];
    for (let i = 1; i < 12; i++) levels.push(`a${i}: &a${i} { <<: [${Array(10).fill(`*a${i - 1}`).join(', ')}] }`);
    const text = `${levels.map((l) => `x-${l}`).join('\n')}\nservices:\n  api:\n    environment: { <<: *a11, B: "2" }\n`;
    // Without a bound this is 10^11 merges: the test would never finish.
    const [api] = extractFileFacts('compose.yaml', text).compose!;
    expect(api.environment.map((e) => e.name)).toEqual(['x', 'B']);
  });
});

describe('Kubernetes facts', () => {
  it('reads container env, secret and config map references, envFrom, and decodes Secret data', () => {
    const encoded = Buffer.from('postgres://u:p@db/orders').toString('base64');
    const text = [
      'apiVersion: batch/v1',
      'kind: CronJob',
      'metadata: { name: nightly, namespace: shop }',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '            - name: job',
      '              image: shop/report:2',
      '              env:',
      '                - { name: LEVEL, value: debug }',
      '                - name: URL',
      '                  valueFrom: { secretKeyRef: { name: db, key: url } }',
      '              envFrom:',
      '                - configMapRef: { name: settings }',
      '                  prefix: APP_',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: { name: db, namespace: shop }',
      'data:',
      `  url: ${encoded}`,
    ].join('\n');
    const [cron, secret] = extractFileFacts('k8s/all.yaml', text).kubernetes!;
    expect(cron.kind === 'workload' && cron.containers[0]).toMatchObject({
      image: 'shop/report:2',
      env: [
        { name: 'LEVEL', value: 'debug' },
        { name: 'URL', from: { kind: 'secret', name: 'db', key: 'url' } },
      ],
      envFrom: [{ kind: 'configMap', name: 'settings', prefix: 'APP_' }],
    });
    expect(secret.kind === 'secret' && secret.entries).toMatchObject([{ name: 'url', value: 'postgres://u:p@db/orders', location: { file: 'k8s/all.yaml', line: 24, column: 3, endLine: 24, endColumn: 6 } }]);
  });
});

describe('data facts from code', () => {
  const facts = (code: string) => extractFileFacts('src/db.ts', code);
  it('records clients with process.env, fallbacks, config.get and same-file constants', () => {
    const code = [
      "import { Pool } from 'pg';",
      "import mongoose from 'mongoose';",
      "import { DataSource } from 'typeorm';",
      "import { TypeOrmModule } from '@nestjs/typeorm';",
      "const url = process.env.DATABASE_URL ?? 'postgres://localhost/dev';",
      'export const pool = new Pool({ connectionString: url });',
      "mongoose.connect(`mongodb://${process.env.MONGO_HOST}:27017/shop`);",
      "export const ds = new DataSource({ type: 'mysql', host: config.get('DB_HOST'), port: Number(process.env.DB_PORT), database: 'billing' });",
      "const unrelated = new Pool2({ connectionString: 'postgres://x/y' });",
      "TypeOrmModule.forRootAsync({ inject: [ConfigService], useFactory: (config: ConfigService) => ({ type: 'postgres', url: config.get<string>('ORDERS_DB_URL') }) });",
    ].join('\n');
    expect(facts(code).connections!.map(({ client, engine, url, host, port, database }) => ({ client, engine, url, host, port, database }))).toEqual([
      { client: 'pg', engine: 'postgres', url: '${DATABASE_URL:-postgres://localhost/dev}', host: undefined, port: undefined, database: undefined },
      { client: 'mongoose', engine: 'mongodb', url: 'mongodb://${MONGO_HOST}:27017/shop', host: undefined, port: undefined, database: undefined },
      { client: 'typeorm', engine: 'mysql', url: undefined, host: '${DB_HOST}', port: '${DB_PORT}', database: 'billing' },
      { client: 'typeorm', engine: 'postgres', url: '${ORDERS_DB_URL}', host: undefined, port: undefined, database: undefined },
    ]);
  });
  it('records schema definitions: TypeORM entities, Mongoose and Sequelize models, Drizzle tables', () => {
    const code = [
      "import { Entity } from 'typeorm';",
      "import mongoose from 'mongoose';",
      "import { pgTable } from 'drizzle-orm/pg-core';",
      '@Entity() export class OrderItem {}',
      "@Entity({ name: 'customers' }) export class Customer {}",
      "export const Category = mongoose.model('Category', schema);",
      "export const Invoice = sequelize.define('Invoice', {}, { tableName: 'invoice' });",
      "export const shipments = pgTable('shipments', {});",
    ].join('\n');
    expect(facts(code).tables!.map((t) => `${t.orm} ${t.model} ${t.name}`)).toEqual([
      'typeorm OrderItem order_item',
      'typeorm Customer customers',
      'mongoose Category categories',
      'sequelize Invoice invoice',
      'drizzle shipments shipments',
    ]);
  });
  it('records reads and writes: Prisma calls, repositories, models, collections, SQL', () => {
    const code = [
      'class S {',
      '  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}',
      '  async run() {',
      '    await this.prisma.order.update({});',
      '    await tx.customer.findMany();',
      '    await this.orders.save({});',
      "    await db.collection('events').insertOne({});",
      '    await Category.find();',
      "    await sql`SELECT * FROM invoices WHERE id = ${1}`;",
      '    await Object.create(null);',
      '    await this.prisma.$transaction([]);',
      '  }',
      '}',
    ].join('\n');
    expect(facts(code).tableAccess!.map((a) => `${a.location.line} ${a.orm} ${a.access} ${a.table ?? a.model}`)).toEqual([
      '4 prisma write order',
      '5 prisma read customer',
      '6 typeorm write Order',
      '7 mongodb write events',
      '8 mongoose read Category',
      '9 sql read invoices',
    ]);
  });
});

describe('database clients and schemes', () => {
  const connections = (code: string) => extractFileFacts('src/db.ts', code).connections?.map(({ client, engine, url, host, database }) => ({ client, engine, url, host, database }));

  it('records libSQL, Neon, PlanetScale, SQL Server and Supabase clients', () => {
    const code = [
      "import { createClient } from '@libsql/client/web';",
      "import { neon } from '@neondatabase/serverless';",
      "import { connect } from '@planetscale/database';",
      "import sql from 'mssql';",
      "import { createClient as supabaseClient } from '@supabase/supabase-js';",
      "import { drizzle } from 'drizzle-orm/libsql';",
      'createClient({ url: process.env.TURSO_DATABASE_URL, authToken: process.env.TURSO_AUTH_TOKEN });',
      'neon(process.env.NEON_DATABASE_URL);',
      "connect({ host: process.env.DATABASE_HOST, username: 'u' });",
      "sql.connect({ server: 'sql.internal', database: 'billing' });",
      'supabaseClient(process.env.SUPABASE_URL, process.env.SUPABASE_ANON_KEY);',
      'drizzle({ connection: { url: process.env.LEDGER_URL } });',
    ].join('\n');
    expect(connections(code)).toEqual([
      { client: 'libsql', engine: 'libsql', url: '${TURSO_DATABASE_URL}', host: undefined, database: undefined },
      { client: 'neon', engine: 'postgres', url: '${NEON_DATABASE_URL}', host: undefined, database: undefined },
      { client: 'planetscale', engine: 'mysql', url: undefined, host: '${DATABASE_HOST}', database: undefined },
      { client: 'mssql', engine: 'sqlserver', url: undefined, host: 'sql.internal', database: 'billing' },
      { client: 'supabase', engine: 'postgres', url: '${SUPABASE_URL}', host: undefined, database: undefined },
      { client: 'drizzle', engine: 'libsql', url: '${LEDGER_URL}', host: undefined, database: undefined },
    ]);
  });

  it('is not an HTTP client: a database client factory given a URL records no call', () => {
    const facts = extractFileFacts('src/db.ts', "import { createClient } from '@libsql/client';\nconst db = createClient({ url: 'https://orders-acme.turso.io' });\ndb.execute('SELECT 1');");
    expect(facts.httpCalls ?? []).toEqual([]);
  });

  it('parses libsql://, sqlite: and file: URLs, and http(s)/ws(s) only when the client or key says database', () => {
    expect(parseConnectionUrl('libsql://ledger-acme.turso.io?authToken=x')).toEqual({ engine: 'libsql', host: 'ledger-acme.turso.io', port: undefined, database: undefined });
    expect(parseConnectionUrl('https://ledger-acme.turso.io')).toBeUndefined();
    expect(parseConnectionUrl('wss://ledger-acme.turso.io', 'libsql')).toMatchObject({ engine: 'libsql', host: 'ledger-acme.turso.io' });
    expect(parseConnectionUrl('https://ledger-acme.turso.io/v2/pipeline', 'sqlite')).toMatchObject({ engine: 'libsql', database: undefined });
    expect(parseConnectionUrl('https://abcd.supabase.co', 'postgres')).toMatchObject({ engine: 'postgres', host: 'abcd.supabase.co' });
    expect(parseConnectionUrl('sqlite:./data/app.sqlite')).toEqual({ engine: 'sqlite', database: './data/app.sqlite' });
    expect(parseConnectionUrl('file:local-replica', 'libsql')).toEqual({ engine: 'sqlite', database: 'local-replica' });
    expect(parseConnectionUrl('file:local-replica')).toBeUndefined();
    expect(parseConnectionUrl('cockroachdb://root@crdb:26257/bank')).toMatchObject({ engine: 'postgres', host: 'crdb', port: 26257, database: 'bank' });
    expect(parseConnectionUrl('mariadb://db/shop')).toMatchObject({ engine: 'mysql', database: 'shop' });
  });
});
