import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';
import { parseDotenv } from '../src/facts/dotenv.js';
import { sqlTableReferences } from '../src/facts/sql.js';
import { keyEngine, parseConnectionUrl } from '../src/util/databases.js';
import { redactCredentials } from '../src/util/redact.js';
import { expandVariables, withoutDefaults } from '../src/util/variables.js';

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
  it('expands defaults that are references with defaults of their own, and drops only the written value', () => {
    expect(expandVariables('${X:-${Y:-${A:-z}}}', lookup)).toBe('a');
    expect(expandVariables('${X:-${Y:-${Z:-postgres://localhost/dev}}}', lookup)).toBe('postgres://localhost/dev');
    expect(withoutDefaults('${X:-${Y:-${Z:-postgres://localhost/dev}}}/${W:-w}')).toBe('${X:-${Y:-${Z}}}/${W}');
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
  it("parses Go's MySQL DSN, which has no scheme", () => {
    expect(parseConnectionUrl('unkey:pw@tcp(mysql:3306)/unkey?parseTime=true')).toEqual({ engine: 'mysql', host: 'mysql', port: 3306, database: 'unkey' });
    expect(parseConnectionUrl('tcp([::1]:3307)/app')).toEqual({ engine: 'mysql', host: '[::1]', port: 3307, database: 'app' });
    expect(parseConnectionUrl('u:pw@tcp(db)/')).toEqual({ engine: 'mysql', host: 'db', port: undefined, database: undefined });
    expect(parseConnectionUrl('u:pw@tcp(db:3306)/app', 'postgres')).toBeUndefined();
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
    expect(redactCredentials('primary=api:p@=ss@tcp(mysql:3306)/app and root@unix(/run/mysqld.sock)/app')).toBe('primary=***:***@tcp(mysql:3306)/app and ***@unix(/run/mysqld.sock)/app');
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
      '    LIMITS.find((limit) => limit.id === 1);',
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
  it('records Drizzle queries by the table variable and the module it is imported from, never a Map or Array call', () => {
    const code = [
      "import { orders, customers as people } from '@acme/db/schema';",
      "import * as schema from './schema';",
      'export async function run(map: Map<unknown, unknown>, cache: Cache) {',
      '  await db.insert(orders).values({});',
      '  await tx.update(people).set({ name: 1 }).where(x);',
      '  await db.delete(schema.carts).where(x);',
      '  await db.select({ id: orders.id }).from(orders).innerJoin(people, x);',
      '  await db.query.invoices.findMany();',
      '  map.delete(orders); cache.delete(key); Array.from(orders); db.delete(orders); thing.constructor(orders).where(x);',
      '}',
    ].join('\n');
    expect(facts(code).tableAccess!.map((a) => `${a.location.line} ${a.orm} ${a.access} ${a.model} ${a.from ?? '-'}`)).toEqual([
      '4 drizzle write orders @acme/db/schema',
      '5 drizzle write customers @acme/db/schema',
      '6 drizzle write carts ./schema',
      '7 drizzle read customers @acme/db/schema',
      '7 drizzle read orders @acme/db/schema',
      '8 drizzle read invoices -',
    ]);
  });
  it('records Knex and Kysely tables by string: the query is a write only when a write method follows', () => {
    const code = [
      "import knex from 'knex';",
      "const pg = knex({ client: 'pg', connection: process.env.PG_URL });",
      'export async function run() {',
      "  await pg('shipments').where({ id: 1 }).update({ sent: true });",
      "  await this.knex('parcels as p').select('*').leftJoin('labels', 'labels.parcel', 'p.id');",
      "  await pg.select('id').from('returns');",
      "  await trx.insert({}).into('refunds');",
      "  await kysely.selectFrom('person as p').innerJoin('pet', 'pet.owner', 'p.id').selectAll().execute();",
      "  await kysely.deleteFrom('sessions').execute();",
      "  translate('orders'); path.join('a', 'b'); Buffer.from('orders'); repo.createQueryBuilder('u').leftJoin('u.photos', 'p');",
      '}',
    ].join('\n');
    expect(facts(code).tableAccess!.map((a) => `${a.location.line} ${a.access} ${a.table} | ${a.detail}`)).toEqual([
      "4 write shipments | pg('shipments').update",
      "5 read labels | leftJoin('labels')",
      "5 read parcels | knex('parcels as p')",
      "6 read returns | from('returns')",
      "7 write refunds | into('refunds')",
      "8 read pet | innerJoin('pet')",
      "8 read person | selectFrom('person as p')",
      "9 write sessions | deleteFrom('sessions')",
    ]);
  });
  it('records MikroORM entities and entity manager calls, MongoDB collections held in variables, and raw SQL of Prisma', () => {
    const code = [
      "import { Entity } from '@mikro-orm/core';",
      "import { Stock } from './stock.entity';",
      "@Entity({ tableName: 'stock_items' }) export class Warehouse {}",
      '@Entity() export class StockMovement {}',
      'class Service {',
      "  private readonly audit = this.client.db('ops').collection('audit');",
      '  async run() {',
      '    const stock = new Stock();',
      '    this.em.persist(stock);',
      '    await this.em.find(Warehouse, {});',
      "    const events = client.db('ops').collection<Event>('events');",
      '    await events.insertOne({});',
      '    await this.audit.find({});',
      '    await this.prisma.$queryRaw`SELECT * FROM "User" WHERE id = ${1}`;',
      "    await this.prisma.$executeRawUnsafe('UPDATE \"Session\" SET expired = true');",
      '  }',
      '}',
    ].join('\n');
    const result = facts(code);
    expect(result.tables!.map((t) => `${t.orm} ${t.model} ${t.name}`)).toEqual(['mikro-orm Warehouse stock_items', 'mikro-orm StockMovement stock_movement']);
    expect(result.tableAccess!.map((a) => `${a.location.line} ${a.orm} ${a.access} ${a.table ?? a.model} ${a.from ?? '-'}`)).toEqual([
      '9 mikro-orm write Stock ./stock.entity',
      '10 mikro-orm read Warehouse -',
      '12 mongodb write events -',
      '13 mongodb read audit -',
      '14 sql read User -',
      '15 sql write Session -',
    ]);
  });
  it('records tables that Knex and Kysely migrations create', () => {
    const code = ["export async function up(knex) { await knex.schema.createTable('orders', (t) => t.increments()); }", "export async function up2(db) { await db.schema.createTable('payments').addColumn('id', 'serial').execute(); }"].join('\n');
    expect(facts(code).tables!.map((t) => `${t.location.line} ${t.orm} ${t.name}`)).toEqual(['1 sql orders', '2 sql payments']);
  });
  it('records connections that options classes, typed option objects and MikroORM give, and a driver client wrapped by drizzle', () => {
    const code = [
      "import { drizzle } from 'drizzle-orm/neon-http';",
      "import { neon } from '@neondatabase/serverless';",
      "import { TypeOrmModuleOptions } from '@nestjs/typeorm';",
      "import { DataSourceOptions } from 'typeorm';",
      "import { MikroORM } from '@mikro-orm/postgresql';",
      'const sql = neon(process.env.DATABASE_URL!);',
      'export const db = drizzle(sql);',
      "export const options: DataSourceOptions = { type: 'mysql', url: process.env.ORDERS_URL };",
      'export class MongoConfig { createMongooseOptions() { return { uri: process.env.MONGO_URI }; } }',
      "export const typeorm = (): Promise<TypeOrmModuleOptions> => ({ type: 'postgres', host: process.env.DB_HOST, database: 'billing' });",
      "MikroORM.init({ clientUrl: process.env.STOCK_URL });",
      'export const plain = { url: process.env.NOT_A_DATABASE };',
      'export class Link { toString() { return { url: process.env.NOT_A_DATABASE }; } }',
      "import Database from 'better-sqlite3';",
      "import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';",
      'const file = new Database(process.env.SQLITE_FILE!);',
      'export const local = drizzleSqlite(file);',
    ].join('\n');
    expect(facts(code).connections!.map(({ client, engine, url, host, database, location }) => [location.line, client, engine, url ?? host, database])).toEqual([
      // neon() is a client of its own; drizzle wraps a driver no other entry reads (better-sqlite3) and reads its arguments.
      [6, 'neon', 'postgres', '${DATABASE_URL}', undefined],
      [8, 'typeorm', 'mysql', '${ORDERS_URL}', undefined],
      [9, 'mongoose', 'mongodb', '${MONGO_URI}', undefined],
      [10, 'typeorm', 'postgres', '${DB_HOST}', 'billing'],
      [11, 'mikro-orm', 'postgres', '${STOCK_URL}', undefined],
      [17, 'drizzle', 'sqlite', '${SQLITE_FILE}', undefined],
    ]);
  });
});

describe('the engine of the client a statement is sent through', () => {
  const engines = (code: string) => extractFileFacts('src/store.ts', code).tableAccess!.map((a) => `${a.location.line} ${a.access} ${a.table} ${a.engine ?? '-'}`);
  it('is the engine of a tag, a receiver built or typed by a client module, or an address named for an engine', () => {
    const code = [
      "import { Pool } from 'pg';",
      "import postgres from 'postgres';",
      "import { sql, type DatabasePool } from 'slonik';",
      "import { createClient } from '@clickhouse/client';",
      'const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
      'const pg = postgres(process.env.DATABASE_URL);',
      "await pool.query('INSERT INTO accounts (email) VALUES ($1)', ['a']);",
      'await pg`UPDATE accounts SET email = ${1}`;',
      'await run(sql`DELETE FROM sessions`);',
      'export class Events {',
      '  private readonly clickhouse = createClient({ url: process.env.EVENTS_URL });',
      '  constructor(private readonly pool: DatabasePool) {}',
      "  list() { return this.clickhouse.query({ query: 'SELECT * FROM events', format: 'JSON' }); }",
      '  owners() { return this.pool.any(sql.unsafe`SELECT * FROM owners`); }',
      '}',
      "await fetch(`http://${process.env.CLICKHOUSE_HOST}:8123`, { method: 'POST', body: 'INSERT INTO page_views FORMAT JSONEachRow' });",
      'export async function count(client: Pool) { return client.query(`SELECT count(*) FROM accounts`); }',
    ].join('\n');
    expect(engines(code)).toEqual([
      '7 write accounts postgres',
      '8 write accounts postgres',
      '9 write sessions postgres',
      '13 read events clickhouse',
      '14 read owners postgres',
      '16 write page_views clickhouse',
      '17 read accounts postgres',
    ]);
  });
  it('is not known through a client of a local module, a helper, or an address no setting names', () => {
    const code = [
      "import { db, sql } from './db';",
      "import { ClickHouse } from './clickhouse';",
      "await db.query('INSERT INTO accounts (email) VALUES ($1)', ['a']);",
      'await db.one(sql`SELECT * FROM accounts`);',
      "export class Reader { constructor(private readonly warehouse: ClickHouse) {} read() { return this.warehouse.query({ query: 'SELECT * FROM events' }); } }",
      "await run('DELETE FROM sessions');",
      "await fetch(process.env.STORE_URL, { method: 'POST', body: 'INSERT INTO page_views FORMAT JSONEachRow' });",
      "const statement = 'UPDATE accounts SET email = 1';",
    ].join('\n');
    expect(engines(code)).toEqual(['3 write accounts -', '4 read accounts -', '5 read events -', '6 write sessions -', '7 write page_views -', '8 write accounts -']);
  });
});

describe('the engine a table is defined for', () => {
  it('is read off a ClickHouse or MySQL table engine clause, a Drizzle table builder and a Prisma datasource', () => {
    const migration = [
      'CREATE TABLE accounts (id SERIAL PRIMARY KEY);',
      'CREATE TABLE IF NOT EXISTS events (name String, at DateTime) ENGINE = ReplicatedMergeTree ORDER BY at;',
      'CREATE TABLE audit (id INT) ENGINE=InnoDB;',
    ].join('\n');
    expect(extractFileFacts('migrations/001.sql', migration).tables!.map((t) => `${t.name} ${t.engine ?? '-'}`)).toEqual(['accounts -', 'events clickhouse', 'audit mysql']);
    const drizzle = ["import { pgTable, serial } from 'drizzle-orm/pg-core';", "export const orders = pgTable('orders', { id: serial('id') });"].join('\n');
    expect(extractFileFacts('src/schema.ts', drizzle).tables!.map((t) => `${t.name} ${t.engine ?? '-'}`)).toEqual(['orders postgres']);
    const prisma = ['datasource db {', '  provider = "mysql"', '  url = env("DATABASE_URL")', '}', 'model Order {', '  id Int @id', '}'].join('\n');
    expect(extractFileFacts('prisma/schema.prisma', prisma).tables!.map((t) => `${t.name} ${t.engine ?? '-'}`)).toEqual(['Order mysql']);
  });
});

describe('the exports that run a table access', () => {
  const within = (code: string) => extractFileFacts('src/orders.ts', code).tableAccess!.map((a) => `${a.location.line} ${a.access} ${a.within?.join(',') ?? 'module'}`);
  it('names the exported function or class enclosing the query, and the exports calling a private one within the module', () => {
    const code = [
      "import { pool } from './client';",
      "export async function getOrder(id: string) { return pool.query('SELECT * FROM orders WHERE id = $1', [id]); }",
      "async function setStatus(id: string) { await pool.query('UPDATE orders SET status = 1 WHERE id = $1', [id]); }",
      'export const cancelOrder = async (id: string) => setStatus(id);',
      'const archive = (id: string) => setStatus(id);',
      'export { archive as archiveOrder };',
      "export default function purge() { return pool.query('DELETE FROM orders'); }",
      "export class OrderReports { count() { return pool.query('SELECT count(*) FROM orders'); } }",
      "export const queries = { remove: (id: string) => pool.query('DELETE FROM orders WHERE id = $1', [id]) };",
      "export async function createOrder(id: string) { await pool.query('INSERT INTO orders VALUES ($1)', [id]); }",
      'export const ensureOrder = createOrder;',
    ].join('\n');
    expect(within(code)).toEqual(['2 read getOrder', '3 write archiveOrder,cancelOrder', '7 write default', '8 read OrderReports', '9 write queries', '10 write createOrder,ensureOrder']);
  });
  it('leaves the module as the grain when loading it may run the query, or no export is seen to reach it', () => {
    const code = [
      "import { pool } from './client';",
      "await pool.query('DELETE FROM sessions');",
      "function reset() { return pool.query('UPDATE orders SET status = 0'); }",
      'reset();',
      "function unused() { return pool.query('INSERT INTO audit VALUES (1)'); }",
      "const save = (id: string) => pool.query('INSERT INTO orders VALUES ($1)', [id]);",
      'module.exports = { save };',
    ].join('\n');
    expect(within(code)).toEqual(['2 write module', '3 write module', '5 write module', '6 write module']);
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

  it("records @clickhouse/client with its URL given as `url` or as the older `host`, and reads a ClickHouse key's http URL as ClickHouse", () => {
    const code = [
      "import { createClient } from '@clickhouse/client';",
      "createClient({ url: process.env.EVENTS_URL, database: 'events' });",
      "createClient({ host: 'http://clickhouse:8123' });",
    ].join('\n');
    expect(connections(code)).toEqual([
      { client: 'clickhouse', engine: 'clickhouse', url: '${EVENTS_URL}', host: undefined, database: 'events' },
      { client: 'clickhouse', engine: 'clickhouse', url: 'http://clickhouse:8123', host: undefined, database: undefined },
    ]);
    expect(keyEngine('RUN_CLICKHOUSE_URL')).toBe('clickhouse');
    expect(keyEngine('CLICKHOUSE_HOST')).toBe('clickhouse');
    expect(keyEngine('HOUSE_URL')).toBeUndefined();
    expect(parseConnectionUrl('http://default:pw@clickhouse:8123/?database=events', 'clickhouse')).toEqual({ engine: 'clickhouse', host: 'clickhouse', port: 8123, database: 'events' });
    expect(parseConnectionUrl('clickhouse://ch:9000/events')).toEqual({ engine: 'clickhouse', host: 'ch', port: 9000, database: 'events' });
  });
});

describe('connections given in code', () => {
  const connections = (code: string) => (extractFileFacts('src/db.ts', code).connections ?? []).map(({ client, engine, url, host, database, access }) => ({ client, engine, url, host, database, access }));

  it('keeps every variable of a `??` chain, and its literal as the last fallback', () => {
    const code = [
      "import { Pool } from 'pg';",
      "export const pool = new Pool({ connectionString: process.env.A_URL ?? process.env.B_URL || process.env.C_URL ?? 'postgres://localhost/dev' });",
      "export const other = new Pool({ connectionString: process.env.D_URL ?? 'postgres://localhost/d' ?? process.env.E_URL });",
    ].join('\n');
    expect(connections(code).map((c) => c.url)).toEqual(['${A_URL:-${B_URL:-${C_URL:-postgres://localhost/dev}}}', '${D_URL:-postgres://localhost/d}']);
  });

  it("reads a Prisma client's URL given in code, and no connection for a client given none", () => {
    const code = [
      "import { PrismaClient } from '@prisma/client';",
      'export const a = new PrismaClient({ datasourceUrl: process.env.ORDERS_DATABASE_URL });',
      'export const b = new PrismaClient({ datasources: { db: { url: process.env.REPLICA_URL } }, log: ["query"] });',
      'export const c = new PrismaClient();',
    ].join('\n');
    expect(connections(code).map((c) => `${c.client} ${c.url}`)).toEqual(['prisma ${ORDERS_DATABASE_URL}', 'prisma ${REPLICA_URL}']);
  });

  it('reads DynamoDB tables with what each operation does, and nothing from calls that name no table', () => {
    const code = [
      "import { DynamoDBClient, PutItemCommand, CreateTableCommand } from '@aws-sdk/client-dynamodb';",
      "import { GetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';",
      "import { Entity } from 'electrodb';",
      "import dynamoose from 'dynamoose';",
      'const client = new DynamoDBClient({});',
      'const get = { TableName: process.env.ORDERS_TABLE, Key: { id: 1 } };',
      'client.send(new PutItemCommand({ TableName: `orders-${process.env.STAGE}`, Item: {} }));',
      'client.send(new GetCommand(get));',
      "client.send(new BatchWriteCommand({ RequestItems: { [process.env.AUDIT_TABLE!]: [], 'events': [] } }));",
      "client.send(new CreateTableCommand({ TableName: 'orders' }));",
      "declare const legacy: any; legacy.scan({ TableName: 'legacy-orders' }).promise();",
      "new Map().delete('x'); legacy.get('key');",
      "export const Session = new Entity({ model: {} }, { table: 'sessions', client });",
      "export const Cart = dynamoose.model('Cart', new dynamoose.Schema({}));",
    ].join('\n');
    expect(connections(code).map((c) => `${c.client} ${c.engine} ${c.database} ${c.access}`)).toEqual([
      'dynamodb dynamodb orders-${STAGE} write',
      'dynamodb dynamodb ${ORDERS_TABLE} read',
      'dynamodb dynamodb ${AUDIT_TABLE} write',
      'dynamodb dynamodb events write',
      'dynamodb dynamodb legacy-orders read',
      'electrodb dynamodb sessions undefined',
      'dynamoose dynamodb Cart undefined',
    ]);
  });
});

describe('database client factories', () => {
  const facts = (code: string) => extractFileFacts('src/client.ts', code);

  it('records an exported function whose parameter gives the client its URL, host or database, and no connection for it', () => {
    const code = [
      "import postgres from 'postgres';",
      "import { Pool } from 'pg';",
      "import { MongoClient } from 'mongodb';",
      "import mysql from 'mysql2/promise';",
      'const normalise = (url: string) => url.trim();',
      'export function createStore(connectionString: string, size = 5) { return postgres(normalise(connectionString), { max: size }); }',
      'export const createPool = (connectionString: string) => new Pool({ connectionString });',
      'export default function connect(options: { uri: string }) { return new MongoClient(options.uri); }',
      "export const openMysql = (settings: { host: string }) => { const { host } = settings; return mysql.createPool({ host, port: 3306, database: 'billing' }); };",
      'export function openShop(options: { host: string; name: string }) { return mysql.createPool({ host: options.host, database: options.name }); }',
      'export const fromConfig = (config: object) => new Pool(config);',
      'export class Store { private readonly pool: Pool; constructor(private readonly url: string) { this.pool = new Pool({ connectionString: this.url }); } }',
      'export const openReplica = ({ replicaUrl: url, size }: { replicaUrl: string; size: number }) => postgres(url, { max: size });',
    ].join('\n');
    const found = facts(code);
    expect(found.connections).toBeUndefined();
    expect(found.databaseFactories!.map(({ name, inputs, connection }) => ({ name, inputs, client: connection.client, port: connection.port, database: connection.database }))).toEqual([
      { name: 'createStore', inputs: [{ parameter: 0, field: 'url' }], client: 'postgres', port: undefined, database: undefined },
      { name: 'createPool', inputs: [{ parameter: 0, field: 'url' }], client: 'pg', port: undefined, database: undefined },
      { name: 'default', inputs: [{ parameter: 0, property: 'uri', field: 'url' }], client: 'mongodb', port: undefined, database: undefined },
      { name: 'openMysql', inputs: [{ parameter: 0, property: 'host', field: 'host' }], client: 'mysql2', port: '3306', database: 'billing' },
      { name: 'openShop', inputs: [{ parameter: 0, property: 'host', field: 'host' }, { parameter: 0, property: 'name', field: 'database' }], client: 'mysql2', port: undefined, database: undefined },
      { name: 'fromConfig', inputs: [{ parameter: 0, field: 'url' }], client: 'pg', port: undefined, database: undefined },
      { name: 'Store', inputs: [{ parameter: 0, field: 'url' }], client: 'pg', port: undefined, database: undefined },
      { name: 'openReplica', inputs: [{ parameter: 0, property: 'replicaUrl', field: 'url' }], client: 'postgres', port: undefined, database: undefined },
    ]);
  });

  it('is no factory when the function is not exported or the URL does not come from a parameter', () => {
    const code = [
      "import postgres from 'postgres';",
      'function local(url: string) { return postgres(url); }',
      'export function fromEnv() { return postgres(process.env.DATABASE_URL!); }',
      'export function fromCall() { return postgres(readSecret()); }',
    ].join('\n');
    const found = facts(code);
    expect(found.databaseFactories).toBeUndefined();
    expect(found.connections!.map((c) => c.url)).toEqual(['${DATABASE_URL}']);
  });

  it('records calls of imported functions given an env read or a connection URL, where the value is written', () => {
    const code = [
      "import { createStore } from '@acme/store';",
      "import * as kit from '@acme/kit';",
      "import { log } from './log';",
      'const url = process.env.STORE_URL ?? process.env.DATABASE_URL;',
      'export const store = createStore(url, 10);',
      "kit.open({ uri: 'mongodb://mongo:27017/audit', retries: 3 });",
      "log('starting', 42);",
      "export const pool = kit.createPool({ host: process.env.DB_HOST, database: 'orders', label: 'main' });",
      'export const db = new kit.Store(process.env.ORDERS_URL);',
    ].join('\n');
    expect(facts(code).databaseFactoryCalls!.map((c) => ({ via: c.via, arguments: c.arguments.map((a) => ({ index: a.index, property: a.property, value: a.value, line: a.location.line })) }))).toEqual([
      { via: { name: 'createStore', from: '@acme/store' }, arguments: [{ index: 0, property: undefined, value: '${STORE_URL:-${DATABASE_URL}}', line: 4 }] },
      { via: { name: 'open', from: '@acme/kit' }, arguments: [{ index: 0, property: 'uri', value: 'mongodb://mongo:27017/audit', line: 6 }] },
      { via: { name: 'createPool', from: '@acme/kit' }, arguments: [{ index: 0, property: 'host', value: '${DB_HOST}', line: 8 }, { index: 0, property: 'database', value: 'orders', line: 8 }] },
      { via: { name: 'Store', from: '@acme/kit' }, arguments: [{ index: 0, property: undefined, value: '${ORDERS_URL}', line: 9 }] },
    ]);
  });
});
