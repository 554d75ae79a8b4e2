import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { fixture } from './helpers.js';

const at = (location: { file: string; line: number } | undefined) => (location ? `${location.file}:${location.line}` : undefined);

describe('graph.environment', () => {
  it('binds compose environment (anchors, ${VAR} from the .env beside it) and env_file values to the built component', async () => {
    const { graph } = await analyze({ root: fixture('data-compose') });
    const binding = (component: string, name: string, source: string) => graph.environment.filter((b) => b.component === component && b.name === name && b.source === source);
    const [orders] = binding('@market/orders', 'DATABASE_URL', 'compose');
    expect({ value: orders.value, location: at(orders.location), origin: at(orders.origin) }).toEqual({
      value: 'postgres://shop:orders-s3cret-pw@postgres:5432/shop',
      location: 'docker-compose.yml:2',
      origin: '.env:2',
    });
    const [billing] = binding('@market/billing', 'DATABASE_URL', 'compose');
    expect({ value: billing.value, location: at(billing.location) }).toEqual({
      value: 'postgresql://billing:billing-s3cret-pw@postgres:5432/shop',
      location: 'apps/billing/.env.docker:3',
    });
    const [catalog] = binding('@market/catalog', 'DATABASE_URL', 'compose');
    expect(catalog.value).toBe('postgres://catalog:catalog-fallback-pw@postgres:5432/catalog');
    expect(binding('@market/orders', 'DATABASE_URL', 'dotenv').map((b) => at(b.location))).toEqual(['apps/orders/.env:2']);
  });

  it('binds Kubernetes env through secretKeyRef (base64 data) and envFrom (stringData, configMap) to the workload image', async () => {
    const { graph } = await analyze({ root: fixture('data-k8s') });
    const shown = graph.environment.map((b) => `${b.component} ${b.name} ${b.source} ${at(b.location)} ${at(b.origin)}`);
    expect(shown).toEqual([
      // envFrom: located at the reference (the `name:` under configMapRef), the value at the ConfigMap key
      '@fleet/analytics DB_HOST kubernetes k8s/workloads.yaml:50 k8s/secrets.yaml:25',
      '@fleet/analytics DB_NAME kubernetes k8s/workloads.yaml:50 k8s/secrets.yaml:27',
      '@fleet/analytics DB_PORT kubernetes k8s/workloads.yaml:50 k8s/secrets.yaml:26',
      '@fleet/analytics DB_TYPE kubernetes k8s/workloads.yaml:50 k8s/secrets.yaml:24',
      '@fleet/orders DATABASE_URL kubernetes k8s/workloads.yaml:16 k8s/secrets.yaml:8',
      '@fleet/shipping DATABASE_URL kubernetes k8s/workloads.yaml:32 k8s/secrets.yaml:16',
    ]);
    expect(graph.environment.find((b) => b.component === '@fleet/orders')!.value).toBe('postgres://orders:k8s-0rders-pw@postgres.shop.svc.cluster.local:5432/orders');
  });

  it('gives the connection strings of configuration files mounted from ConfigMaps and Secrets, named by file, table and key', async () => {
    const { graph } = await analyze({ root: fixture('deploy-k8s-config-files') });
    const shown = graph.environment.map((b) => `${b.component} ${b.name} ${at(b.location)} ${at(b.origin)}`);
    expect(shown).toEqual([
      // located at the volumeMounts entry, the value at its line inside the file (a TOML block, a YAML block in stringData)
      'services/accounts accounts.toml:database.primary k8s/accounts.yaml:36 k8s/accounts.yaml:12',
      'services/accounts accounts.toml:peers.payouts_url k8s/accounts.yaml:36 k8s/accounts.yaml:15',
      'services/payouts config.yaml:dsn k8s/payouts.yaml:36 k8s/payouts.yaml:11',
      'services/reports settings.ini:warehouse.url k8s/reports.yaml:36 k8s/reports.yaml:9',
    ]);
    const databases = graph.resources.filter((r) => r.kind === 'database').map((r) => r.name);
    expect(databases).toEqual(['mysql://mysql:3306/ledger', 'postgres://warehouse:5432/reports']);
    // payouts' pod starts with a busybox init container waiting for MySQL: it is not what the workload deploys.
    expect(graph.components.find((c) => c.id === 'services/payouts')!.reasons).toContain('deployed by Kubernetes as image "ledger/payouts:dev" (k8s/payouts.yaml)');
    // A sibling's address in a mounted file is a call its deployment declares (the Go code is not read).
    const calls = graph.edges.filter((e) => e.kind === 'http').map((e) => `${e.from} -> ${e.to} ${e.evidence.map((x) => x.detail).join('; ')}`);
    expect(calls).toEqual(['services/accounts -> services/payouts call http://payouts:8080 (env accounts.toml:peers.payouts_url=http://payouts:8080 (kubernetes, k8s/accounts.yaml:36))']);
  });

  it('gives the connection strings of configuration files docker-compose bind-mounts, not of the files in a mounted folder', async () => {
    const { graph } = await analyze({ root: fixture('deploy-compose-config-files') });
    const shown = graph.environment.map((b) => `${b.component} ${b.name} ${at(b.location)} ${at(b.origin)}`);
    expect(shown).toEqual(['billing billing.ini:database.dsn docker-compose.yml:18 billing/billing.ini:5', 'inventory inventory.toml:store.url docker-compose.yml:12 config/inventory.toml:6']);
  });
});

describe('databases and tables', () => {
  it('normalises hosts: published compose ports, Kubernetes service forms, default ports; other database names stay apart', async () => {
    const compose = await analyze({ root: fixture('data-compose') });
    const k8s = await analyze({ root: fixture('data-k8s') });
    const databases = (graph: typeof compose.graph) => graph.resources.filter((r) => r.kind === 'database').map((r) => r.name);
    expect(databases(compose.graph)).toEqual(['postgres://postgres:5432/catalog', 'postgres://postgres:5432/shop', 'redis://redis:6379/0']);
    expect(databases(k8s.graph)).toEqual(['postgres://postgres:5432/analytics', 'postgres://postgres:5432/orders']);
  });

  it('gives tables their owner and database, and records read/write access on edges', async () => {
    const { graph } = await analyze({ root: fixture('data-compose') });
    const orders = graph.resources.find((r) => r.id === 'table:@market/orders/orders')!;
    expect({ owner: orders.owner, database: orders.database, defined: at(orders.evidence[0].location) }).toEqual({
      owner: '@market/orders',
      database: 'database:postgres://postgres:5432/shop',
      defined: 'apps/orders/migrations/001_orders.sql:1',
    });
    const edge = graph.edges.find((e) => e.from === '@market/billing' && e.to === orders.id)!;
    expect(edge.access).toBe('write');
    expect(edge.evidence.map((e) => `${e.location.line} ${e.access} ${e.detail}`)).toEqual(['6 read FROM orders', '9 write UPDATE orders']);
    expect(graph.edges.find((e) => e.from === '@market/catalog' && e.to === orders.id)).toBeUndefined();
  });
});

describe('shared-database evidence', () => {
  it('reports a library database once, however its code spells the URL, with each connection listed once for every service', async () => {
    const { findings } = await analyze({ root: fixture('data-library-urls') });
    const shared = findings.filter((f) => f.ruleId === 'shared-database');
    expect(shared).toHaveLength(1);
    expect(shared[0].message).toMatch(/share the database postgres of library @ledger\/db, and more than one may write; let one of "@ledger\/billing", "@ledger\/orders" own it/);
    expect(shared[0].related.map((r) => `${at(r.location)} ${r.message}`)).toEqual([
      'packages/db/src/index.ts:3 services "@ledger/billing" writes, "@ledger/orders" writes: pg connection to ${DATABASE_URL}',
      'packages/db/src/replica.ts:3 services "@ledger/billing" writes, "@ledger/orders" writes: pg connection to ${DB_URL:-${POSTGRES_URL}}',
      'apps/orders/src/index.ts:1 service "@ledger/orders" writes: import "@ledger/db": library "@ledger/db" opens a pg connection to ${DATABASE_URL} (packages/db/src/index.ts:3)',
    ]);
  });
});

describe('shared-database and content-coupling table options', () => {
  const withConfig = async (rules: Record<string, unknown>, rule = 'shared-database') => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-')), 'archlintrc.json');
    fs.writeFileSync(file, JSON.stringify({ rules }));
    const result = await analyze({ root: fixture('data-compose'), configFile: file });
    return result.findings.filter((f) => f.ruleId === rule).map((f) => `${f.severity} ${f.message.slice(0, 60)}`);
  };

  it('reports a shared Redis as an error or not at all, and lets a database be declared shared', async () => {
    expect(await withConfig({ 'shared-database': ['error', { redis: 'error' }] })).toEqual([
      'error Services "@market/billing" (writes), "@market/orders" (write',
      'error Services "@market/billing", "@market/orders" share the Redis',
    ]);
    expect(await withConfig({ 'shared-database': ['error', { redis: 'off', allow: [{ database: 'postgres://postgres:5432/sh*', access: 'read-write' }] }] })).toEqual([]);
    expect(await withConfig({ 'shared-database': ['error', { redis: 'off', allow: [{ database: 'shop', access: 'read', writers: ['@market/orders'] }] }] })).toEqual([
      'error Database postgres://postgres:5432/shop is declared shared fo',
    ]);
  });

  it('reports reads of a table another service owns as errors or not at all (tableReads); writes stay errors', async () => {
    const tableFindings = async (tableReads: string) =>
      (await withConfig({ 'content-coupling': ['error', { tableReads }] }, 'content-coupling')).map((f) => f.split(' (')[0]);
    expect(await tableFindings('error')).toEqual(['error Service "@market/billing" reads table "orders"', 'error Service "@market/billing" writes table "orders"']);
    expect(await tableFindings('off')).toEqual(['error Service "@market/billing" writes table "orders"']);
  });
});

describe('database client factories', () => {
  it("resolves a factory's connection from the argument each caller passes, at the line the URL is read", async () => {
    const { graph, findings } = await analyze({ root: fixture('data-library-factory') });
    const uses = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:')).map((e) => `${e.from} → ${e.to} (${e.access})`);
    expect(uses.sort()).toEqual([
      '@helpdesk/assistant → database:library:@helpdesk/chat-db:postgres (write)',
      '@helpdesk/billing → database:postgres://billing-db:5432/billing (write)',
      '@helpdesk/invoicing → database:postgres://billing-db:5432/billing (write)',
      '@helpdesk/web-api → database:library:@helpdesk/chat-db:postgres (write)',
    ]);
    const chat = findings.find((f) => f.ruleId === 'shared-database' && f.services.includes('@helpdesk/web-api'))!;
    expect(chat.related.map((r) => `${at(r.location)} ${r.message}`)).toEqual([
      'apps/web-api/src/chat-store.ts:4 service "@helpdesk/web-api" writes: createChatDb(${CHAT_DATABASE_URL:-${DATABASE_URL}}) opens a postgres connection of "@helpdesk/chat-db" (packages/chat-db/src/client.ts:13)',
    ]);
  });
});

describe('factories given options objects, classes and Prisma URLs in code', () => {
  it("joins each caller's host and database name into one identity, and a server alone does not stand beside it", async () => {
    const { graph } = await analyze({ root: fixture('data-factory-options') });
    const uses = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:')).map((e) => `${e.from.replace('@factories/', '')} → ${e.to.replace('database:', '')}`);
    expect(uses.sort()).toEqual([
      'audit → mysql://mysql:3306/audit',
      'catalog → postgres://postgres:5432/catalog',
      'fulfilment → postgres://postgres:5432/orders',
      'indexer → postgres://postgres:5432/search',
      'ledger → mysql://mysql:3306/accounts',
      'orders → postgres://postgres:5432/orders',
      'payroll → mysql://mysql:3306/accounts',
      'pricing → postgres://postgres:5432/catalog',
      'search → postgres://postgres:5432/search',
    ]);
  });
});

describe('ClickHouse', () => {
  it('joins split CLICKHOUSE_HOST/CLICKHOUSE_PORT settings into one identity, and reads the URL a ClickHouse client is given', async () => {
    const { graph } = await analyze({ root: fixture('data-clickhouse') });
    const uses = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:')).map((e) => `${e.from.replace('@ch/', '')} → ${e.to.replace('database:', '')}`);
    expect(uses.sort()).toEqual([
      'audit → clickhouse://events-store:8123/',
      'collector → clickhouse://clickhouse:8123/',
      'events → clickhouse://events-store:8123/',
      'insights → clickhouse://clickhouse:8123/',
      'metrics → clickhouse://clickhouse-metrics:8123/',
      'reports → clickhouse://clickhouse-reports:8123/',
    ]);
  });
});

describe('reads and writes by the database they go to', () => {
  it('count for the database of the client they go through, else of the table they name, else for every database of the kind', async () => {
    const { graph } = await analyze({ root: fixture('data-client-engines') });
    const uses = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:')).map((e) => `${e.from.replace('@engines/', '')} → ${e.to.replace('database:', '')} (${e.access})`);
    expect(uses.sort()).toEqual([
      'api → clickhouse://clickhouse:8123/ (read)',
      'api → postgres://postgres:5432/shop (write)',
      'billing → clickhouse://clickhouse-billing:8123/ (write)',
      'billing → postgres://postgres:5432/billing (write)',
      'events → clickhouse://clickhouse-events:8123/ (read)',
      'events → postgres://postgres:5432/events (write)',
      'ingest → clickhouse://clickhouse:8123/ (write)',
      'ingest → postgres://postgres:5432/shop (read)',
      'notes → clickhouse://clickhouse-notes:8123/ (read)',
      'notes → libsql://notes-engines.turso.io/ (write)',
      'notes → libsql://notes-replica-engines.turso.io/ (write)',
      'statements → clickhouse://clickhouse-billing:8123/ (read)',
      'statements → postgres://postgres:5432/billing (read)',
    ]);
    const tables = graph.resources.filter((r) => r.kind === 'table').map((t) => `${t.name} ${t.database}`);
    expect(tables.sort()).toEqual([
      'event_log database:clickhouse://clickhouse-events:8123/',
      'notes undefined',
      'subscriptions database:postgres://postgres:5432/events',
    ]);
  });
});

describe('DynamoDB tables', () => {
  it('are databases named by their table, each use with what its operations do', async () => {
    const { graph } = await analyze({ root: fixture('data-dynamodb') });
    const uses = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:dynamodb:')).map((e) => `${e.from.replace('@tables/', '')} → ${e.to.replace('database:', '')} (${e.access})`);
    expect(uses.sort()).toEqual([
      'carts → dynamodb:Cart (unknown)',
      'orders → dynamodb:orders-audit (write)',
      'orders → dynamodb:shop-orders (write)',
      'reports → dynamodb:shop-orders (read)',
      'returns → dynamodb:shop-orders (write)',
      'sessions → dynamodb:sessions (unknown)',
    ]);
  });
});

describe("a library's database and the service's environment", () => {
  it('counts only for services whose environment defines the variable the library reads, or is unknown', async () => {
    const { graph } = await analyze({ root: fixture('data-library-env') });
    const users = graph.edges.filter((e) => e.kind === 'database' && e.to === 'database:library:@shop/orders-db:postgres').map((e) => e.from);
    expect(users.sort()).toEqual(['@shop/orders', '@shop/shipping']);
  });
});
