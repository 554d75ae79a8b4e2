import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { runRules } from '../src/engine.js';
import { loadConfig } from '../src/config/load.js';
import { discover } from '../src/discover/index.js';
import { walkRepository } from '../src/discover/walk.js';
import { resolveImports } from '../src/resolve/index.js';
import { buildGraph } from '../src/graph/build.js';
import { componentLocator } from '../src/discover/component-locator.js';
import { resolveInteractions } from '../src/graph/interactions.js';
import { LibraryUsers } from '../src/graph/library-users.js';
import { pathMatches, splitUrl, stripBasePath } from '../src/graph/urls.js';
import type { EnvironmentBinding, Graph } from '../src/model.js';
import { extractFacts } from '../src/facts/index.js';
import { fixture, runCli } from './helpers.js';

describe('URL helpers', () => {
  it('matches called paths against templates segment by segment', () => {
    expect(pathMatches('/products/{…}/variants', '/products/{id}/variants')).toBe(true);
    expect(pathMatches('/products/{…}/variants', '/products/{id}')).toBe(false);
    expect(pathMatches('/products/42', '/products/{id}')).toBe(true);
    expect(pathMatches('/products/${ID}', '/products/{id}')).toBe(true);
    expect(pathMatches('/files/a.json', '/files/{name}.json')).toBe(true);
    expect(pathMatches('/orders', '/products')).toBe(false);
  });

  it('splits hosts and strips base paths', () => {
    expect(splitUrl('http://Catalog.shop.svc.cluster.local:8080/v1/x?y=1')).toEqual({ host: 'catalog.shop.svc.cluster.local', path: '/v1/x' });
    expect(splitUrl('${ORDERS_URL}/orders')).toBeUndefined();
    expect(splitUrl('http://${HOST}:7000/x')).toBeUndefined();
    expect(stripBasePath('/v1/products/1', '/v1')).toBe('/products/1');
    expect(stripBasePath('/products/1', '/v1')).toBeUndefined();
  });
});

describe('interaction edges', () => {
  it('makes subscribers depend on publishers, requesters on responders, and never the reverse', async () => {
    const { graph } = await analyze({ root: fixture('interactions-nest-events') });
    const messaging = graph.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}`);
    expect(messaging).toEqual([
      '@market/notifications → @market/orders async',
      '@market/notifications → @market/shipping async',
      '@market/orders → @market/inventory sync',
    ]);
    const http = graph.edges.filter((e) => e.kind === 'http').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}`);
    expect(http).toEqual(['@market/orders → @market/shipping sync', '@market/web → @market/orders sync']);
    expect(graph.resources.filter((r) => r.kind === 'topic').map((r) => `${r.name} owned by ${r.owner}`)).toEqual([
      'shipment.dispatched owned by @market/shipping',
      'order.created owned by @market/orders',
      '{"cmd":"reserve-stock"} owned by @market/inventory',
    ]);
  });

  it('makes producers of jobs and tasks depend on their consumers, whoever holds the queue', async () => {
    const { graph } = await analyze({ root: fixture('interactions-queues') });
    const messaging = graph.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}`);
    expect(messaging).toEqual(['api → billing async', 'api → mailer async', 'api → reports async']);
    expect(graph.resources.filter((r) => r.kind === 'topic').map((r) => `${r.name} owned by ${r.owner}`)).toEqual([
      'http://billing:3000/charge owned by billing',
      'emails owned by mailer',
      'generate-report owned by reports',
    ]);
    const redisUsers = graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:redis')).map((e) => e.from);
    expect(redisUsers.sort()).toEqual(['billing', 'search', 'sessions']);
  });

  it('follows queue names through wrapper classes and Redis channels, and keeps a Redis used only as their broker out of the databases', async () => {
    const { graph } = await analyze({ root: fixture('interactions-queue-classes') });
    const messaging = graph.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to}: ${e.evidence.map((x) => x.detail).join('; ')}`);
    expect(messaging).toEqual([
      'api → worker: produces "exports" consumed at apps/worker/src/exports.processor.ts:4; produces "reports" consumed at apps/worker/src/main.ts:10; produces "emails" consumed at packages/jobs/src/workers.ts:7',
      'api → ws: subscribes to "presence" published at apps/ws/src/main.ts:14',
      'notifier → ws: subscribes to "presence*" matching "presence" published at apps/ws/src/main.ts:14',
      'worker → ws: produces "socket-events" consumed at packages/jobs/src/workers.ts:13',
    ]);
    const made = graph.interactions!.messages.map((m) => `${m.component} ${m.role} ${m.topic} (${m.location.file}:${m.location.line})`);
    expect(made).toEqual(expect.arrayContaining([
      'api produce emails (packages/jobs/src/queues.ts:7)',
      'worker consume emails (packages/jobs/src/workers.ts:7)',
      'worker produce socket-events (packages/jobs/src/queues.ts:13)',
      'ws consume socket-events (packages/jobs/src/workers.ts:13)',
      'api produce reports (apps/api/src/main.ts:6)',
      'worker publish audit (apps/worker/src/main.ts:15)',
    ]));
    // Only the services that import a queue class make its queue; test helpers make none.
    expect(made.filter((m) => / (emails|socket-events) /.test(m)).length).toBe(4);
    expect(graph.edges.filter((e) => e.kind === 'database')).toEqual([]);
  });

  it('makes a request through a service broker an edge only to the deployable of that name registering the method', async () => {
    const { graph } = await analyze({ root: fixture('interactions-broker') });
    const requests = graph.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}: ${e.evidence.map((x) => x.detail).join('; ')}`);
    expect(requests).toEqual([
      '@relay/mailer → @relay/users sync: requests "users.{…}.{…}" answered at services/users/src/methods.ts:9',
      '@relay/orders → @relay/users sync: requests "users.{…}.{…}" answered at services/users/src/methods.ts:9',
      '@relay/users → @relay/mailer sync: requests "mailer.email.send" answered at services/mailer/src/main.ts:8',
    ]);
    const brokered = graph.interactions!.messages.filter((m) => m.role === 'request').map((m) => `${m.location.file}:${m.location.line}`);
    expect(brokered).toEqual(['services/mailer/src/digest.ts:6', 'services/orders/src/main.ts:19', 'services/users/src/confirm.ts:4']);
  });

  it('makes a tRPC client of a router another deployable serves a synchronous edge to it', async () => {
    const { graph } = await analyze({ root: fixture('interactions-trpc') });
    const calls = graph.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}: ${e.evidence.map((x) => x.detail).join('; ')}`);
    expect(calls).toEqual(['@acme/worker → @acme/server sync: requests "packages/api/src/root.ts#AppRouter" answered at packages/api/src/root.ts:7']);
  });

  it('resolves every client style of the http fixture to its service', async () => {
    const { graph } = await analyze({ root: fixture('interactions-http') });
    const resolved = graph.interactions!.httpCalls.filter((c) => c.to).map((c) => `${c.client} ${c.method ?? '-'} → ${c.to} (${c.location.file}:${c.location.line})`);
    expect(resolved).toEqual([
      'axios GET → @shop/catalog (apps/storefront/src/categories.ts:6)',
      'axios POST → @shop/payments (apps/storefront/src/categories.ts:7)',
      'client-factory - → @shop/catalog (apps/storefront/src/generated-client.ts:3)',
      'client-factory - → @shop/catalog (apps/storefront/src/generated-client.ts:6)',
      'got POST → @shop/payments (apps/storefront/src/payments.ts:9)',
      'axios GET → @shop/catalog (apps/storefront/src/product-page.ts:7)',
      'fetch GET → @shop/catalog (apps/storefront/src/product-page.ts:8)',
      'fetch GET → @shop/catalog (apps/storefront/src/product-page.ts:9)',
      'axios GET → @shop/catalog (apps/storefront/src/product-page.ts:10)',
      'client-factory - → @shop/shipping (apps/storefront/src/wrapper.ts:3)',
      'client-factory GET → @shop/shipping (apps/storefront/src/wrapper.ts:6)',
      'fetch GET → @shop/catalog (packages/http-kit/src/index.ts:10)',
    ]);
    expect(graph.interactions!.httpCalls.find((c) => c.location.file === 'packages/http-kit/src/index.ts')).toMatchObject({
      from: '@shop/storefront',
      via: { file: 'apps/storefront/src/categories.ts', line: 1 },
    });
  });
});

describe('RPC and GraphQL edges', () => {
  const rpcEdges = (graph: Graph) => graph.edges.filter((e) => e.kind === 'rpc').map((e) => `${e.from} → ${e.to} ${e.sync ? 'sync' : 'async'}`);

  it('joins gRPC clients to the deployables serving their service or package, never from tests, to itself or through an unused library class', async () => {
    const { graph } = await analyze({ root: fixture('interactions-grpc') });
    expect(rpcEdges(graph)).toEqual(['gateway → catalog sync', 'gateway → orders sync', 'orders → catalog sync']);
    expect(graph.interactions!.rpcCalls.map((c) => `${c.from} → ${c.to} ${c.target} (${c.how}) ${c.location.file}:${c.location.line}`)).toEqual([
      'gateway → catalog package catalog (env CATALOG_URL=catalog:50051 (compose, docker-compose.yml:6)) apps/gateway/src/app.module.ts:11',
      'gateway → catalog CatalogService (served at apps/catalog/src/catalog.controller.ts:8) apps/gateway/src/catalog.controller.ts:12',
      'orders → catalog CatalogService (env CATALOG_ADDR=catalog:50051 (compose, docker-compose.yml:12)) apps/orders/src/catalog-client.ts:7',
      'gateway → orders OrdersService (served at apps/orders/src/server.ts:9) packages/rpc-kit/src/orders.client.ts:14',
    ]);
  });

  it('takes GraphQL over HTTP as HTTP: Apollo federation subgraph URLs and Apollo client links', async () => {
    const { graph } = await analyze({ root: fixture('interactions-graphql') });
    expect(graph.edges.filter((e) => e.kind === 'http').map((e) => `${e.from} → ${e.to} ${e.evidence.map((v) => `${v.location.file}:${v.location.line}`).join(' ')}`)).toEqual([
      'gateway → accounts apps/gateway/src/index.ts:6',
      'gateway → reviews apps/gateway/src/index.ts:7',
      'storefront → gateway apps/storefront/src/client.ts:4',
    ]);
  });

  it('joins NestJS TCP clients to the deployable their host names; Redis transports and clients without a host join none', async () => {
    const { graph } = await analyze({ root: fixture('interactions-nest-tcp') });
    expect(rpcEdges(graph)).toEqual(['billing → ledger sync', 'ledger → billing sync']);
  });
});

describe('base URLs from environment bindings (compose and Kubernetes)', () => {
  /** The bindings the environment enricher gives the gateway for fixtures/interactions-env. */
  const bindings: EnvironmentBinding[] = [
    // Development values: a .env file's localhost loses to compose; a compose localhost value leaves the Kubernetes one to win.
    { component: 'gateway', name: 'ORDERS_URL', value: 'http://localhost:3000', source: 'dotenv', location: { file: 'services/gateway/.env', line: 1, column: 1 } },
    { component: 'gateway', name: 'CATALOG_URL', value: 'http://localhost:8080', source: 'compose', location: { file: 'docker-compose.dev.yml', line: 5, column: 7 } },
    { component: 'gateway', name: 'ORDERS_URL', value: 'http://orders:3000', source: 'compose', location: { file: 'docker-compose.yml', line: 6, column: 19 } },
    { component: 'gateway', name: 'BILLING_HOST', value: 'billing-api', source: 'compose', location: { file: 'docker-compose.yml', line: 7, column: 21 } },
    {
      component: 'gateway',
      name: 'CATALOG_URL',
      value: 'http://catalog-svc.shop.svc.cluster.local:8080',
      source: 'kubernetes',
      location: { file: 'k8s/gateway.yaml', line: 19, column: 22 },
    },
  ];

  it('maps compose service names, compose build contexts and Kubernetes Service DNS names to components', async () => {
    const root = fixture('interactions-env');
    const config = await loadConfig(root, {});
    const walk = walkRepository(root, config.ignore);
    const facts = await extractFacts(root, walk.files, config.maxFileSize);
    const discovery = discover(root, config, { walk, facts });
    const { resolve } = await resolveImports({ root, files: discovery.files, components: discovery.components, facts, maxFileSize: config.maxFileSize });
    const graph = buildGraph({ discovery, facts, resolve, testFileGlobs: config.testFiles, diagnostics: [] });
    graph.environment = bindings;
    const ownerOf = componentLocator(graph.components);
    const libraryUsers = new LibraryUsers(graph, ownerOf, () => false);
    graph.interactions = resolveInteractions({ graph, facts, files: discovery.files, ownerOf, libraryUsers, deployments: discovery.deployments, isTest: () => false, diagnostics: [] });
    expect(graph.interactions.httpCalls.map((c) => `${c.method} ${c.url} → ${c.to} [${c.how}]`)).toEqual([
      'GET http://orders:3000/orders/{…} → orders [env ORDERS_URL=http://orders:3000 (compose, docker-compose.yml:6)]',
      'GET http://orders:3000/orders/{…}/items → orders [env ORDERS_URL=http://orders:3000 (compose, docker-compose.yml:6)]',
      'GET http://catalog-svc.shop.svc.cluster.local:8080/products → catalog [env CATALOG_URL=http://catalog-svc.shop.svc.cluster.local:8080 (kubernetes, k8s/gateway.yaml:19)]',
      'GET http://billing-api:7000/invoices?customer={…} → billing [env BILLING_HOST=billing-api (compose, docker-compose.yml:7)]',
    ]);

    const findings = runRules(graph, config).map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`);
    expect(findings).toEqual(['undeclared-api-call services/gateway/src/index.ts:5', 'undeclared-api-call services/gateway/src/index.ts:15']);
  });
});

describe('OpenAPI $refs are never fetched or read outside the repository', () => {
  it('reports a $ref to a local HTTP server and one outside the root without touching either', async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('type: object\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-refs-'));
      const root = path.join(outer, 'repo');
      fs.cpSync(fixture('interactions-openapi'), root, { recursive: true });
      fs.writeFileSync(path.join(outer, 'secret.yaml'), 'Secret:\n  $ref: "http://127.0.0.1:' + port + '/from-outside.yaml"\n');
      fs.writeFileSync(
        path.join(root, 'services/orders/api/remote.yaml'),
        `openapi: 3.0.3\ninfo: { title: Remote, version: 1.0.0 }\npaths: {}\ncomponents:\n  schemas:\n    A: { $ref: 'http://127.0.0.1:${port}/a.yaml#/A' }\n    B: { $ref: '../../../../secret.yaml#/Secret' }\n`,
      );
      const run = await runCli(['-f', 'json', root]);
      expect(requests).toEqual([]);
      expect(run.stderr).toContain(`services/orders/api/remote.yaml:6:10: $ref "http://127.0.0.1:${port}/a.yaml#/A" points to a URL; arch-lint never fetches remote references (openapi-remote-ref)`);
      expect(run.stderr).toContain('services/orders/api/remote.yaml:7:10: $ref "../../../../secret.yaml#/Secret" points outside the repository; not read (openapi-ref-outside-root)');
      expect(run.stderr).not.toContain('from-outside');
      expect(run.code).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('arch-lint services', () => {
  it('lists each service’s calls and topics', async () => {
    const run = await runCli(['services', fixture('interactions-nest-events')]);
    expect(run.stdout).toContain('calls    POST http://shipping:4000/api/shipments → @market/shipping  apps/orders/src/orders.controller.ts:23');
    expect(run.stdout).toContain('topic    subscribe shipment.dispatched (kafka)  apps/notifications/src/shipments.ts:9');
    const json = JSON.parse((await runCli(['services', '-f', 'json', fixture('interactions-nest-events')])).stdout) as {
      components: { id: string; calls: unknown[]; topics: { role: string; topic: string }[] }[];
    };
    expect(json.components.find((c) => c.id === '@market/orders')?.topics.map((t) => `${t.role} ${t.topic}`)).toEqual(['request {"cmd":"reserve-stock"}', 'publish order.created']);
  });
});
