import { describe, expect, it } from 'vitest';
import type { ComponentClass, Resource } from '../src/model.js';
import { distributedMonolith } from '../src/rules/distributed-monolith.js';
import { lockstepDependency } from '../src/rules/lockstep-dependency.js';
import { serviceCycle } from '../src/rules/service-cycle.js';
import { serviceFanOut } from '../src/rules/service-fan-out.js';
import { sharedDomainLibrary } from '../src/rules/shared-domain-library.js';
import { syncCallChain } from '../src/rules/sync-call-chain.js';
import type { Rule } from '../src/rules/types.js';
import { at, completeGraph, database, edge, graph, library, moduleEdge, service } from './graph-builders.js';

function check<O>(rule: Rule<O>, g: ReturnType<typeof graph>, options: Partial<O> = {}) {
  return rule.check(g, { ...rule.meta.defaultOptions, ...options });
}

const services = (...ids: string[]) => ids.map((id) => service(id));

describe('service-cycle', () => {
  it('reports an HTTP cycle once, with the path, every edge as evidence and a code flow', () => {
    const g = graph({ components: services('orders', 'billing'), edges: [edge('orders', 'billing', 'http'), edge('billing', 'orders', 'http'), edge('billing', 'orders', 'import')] });
    const [finding, ...rest] = check(serviceCycle, g);
    expect(rest).toEqual([]);
    expect(finding.message).toContain('billing → orders → billing');
    expect(finding.services).toEqual(['billing', 'orders']);
    expect(finding.related).toHaveLength(3);
    expect(finding.flow?.map((step) => step.message)).toEqual([expect.stringMatching(/^billing → orders: http/), expect.stringMatching(/^orders → billing: http/)]);
    expect(finding.location).toEqual(finding.flow![0].location);
  });

  it('counts request-response messaging, runtime imports and package dependencies as synchronous', () => {
    const g = graph({
      components: services('a', 'b', 'c'),
      edges: [edge('a', 'b', 'event', { sync: true }), edge('b', 'c', 'import'), edge('c', 'a', 'manifest')],
    });
    expect(check(serviceCycle, g).map((f) => f.key)).toEqual(['a → b → c → a']);
  });

  it('ignores event-only links unless asked, type-only imports and dev-only dependencies', () => {
    const events = graph({ components: services('a', 'b'), edges: [edge('a', 'b', 'event'), edge('b', 'a', 'event')] });
    expect(check(serviceCycle, events)).toEqual([]);
    expect(check(serviceCycle, events, { includeEvents: true })).toHaveLength(1);
    const weak = graph({ components: services('a', 'b'), edges: [edge('a', 'b', 'import', { sync: false, typeOnly: true }), edge('b', 'a', 'manifest', { sync: false })] });
    expect(check(serviceCycle, weak)).toEqual([]);
  });

  it('ignores edges seen only in test files, which are not deployed', () => {
    const g = graph({ components: services('a', 'b'), edges: [edge('a', 'b', 'http'), edge('b', 'a', 'import')] });
    g.testFiles = [g.edges[1].evidence[0].location.file];
    expect(check(serviceCycle, g)).toEqual([]);
  });

  it('does not see a cycle inside one service grouped from an api and a worker', () => {
    const g = graph({ components: [service('api', 'catalog'), service('worker', 'catalog')], edges: [edge('api', 'worker', 'http'), edge('worker', 'api', 'import')] });
    expect(check(serviceCycle, g)).toEqual([]);
  });

  it('reports at most maxCycles cycles of a tangle, and one finding for the rest', () => {
    const findings = check(serviceCycle, completeGraph(6), { maxCycles: 10 });
    expect(findings).toHaveLength(11);
    expect(findings[10].message).toMatch(/tangled in more than 10 dependency cycles/);
  });
});

describe('lockstep-dependency', () => {
  it('reports a runtime package dependency and runtime imports of another service once per pair, internal imports as related content coupling', () => {
    const g = graph({
      components: services('orders', 'payments'),
      edges: [edge('orders', 'payments', 'manifest')],
      moduleEdges: [moduleEdge('orders', 'payments', 'apps/payments/src/index.ts'), moduleEdge('orders', 'payments', 'apps/payments/src/internal/fees.ts')],
    });
    const findings = check(lockstepDependency, g);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      'Service "orders" cannot ship without service "payments": it depends on its package (dependencies: "payments": "*") and imports its runtime code (import "payments"); call "payments" over its API or events instead, and move code both need into a library of their own.',
    );
    expect(findings[0].location.file).toBe('apps/orders/package.json');
    expect(findings[0].related.map((r) => r.message)).toEqual(['import "payments"', 'import "payments": an internal module of "payments", reported by content-coupling']);
  });

  it('leaves a tie made only of internal imports to content-coupling', () => {
    const g = graph({ components: services('orders', 'payments'), moduleEdges: [moduleEdge('orders', 'payments', 'apps/payments/src/internal/fees.ts')] });
    expect(check(lockstepDependency, g)).toEqual([]);
  });

  it('names the contract package to depend on when the service has one', () => {
    const g = graph({ components: [...services('orders', 'payments'), library('payments-contracts', 'contract')], edges: [edge('orders', 'payments', 'manifest')] });
    expect(check(lockstepDependency, g)[0].message).toMatch(/; import its contract package "payments-contracts" instead\.$/);
  });

  it('counts a peer or dev dependency only next to a runtime import: alone it ships nothing', () => {
    const declared = (field: string) => ({ ...edge('orders', 'payments', 'manifest'), evidence: [{ location: at('apps/orders/package.json'), detail: `${field}: "payments": "*"` }] });
    for (const field of ['peerDependencies', 'devDependencies']) {
      expect(check(lockstepDependency, graph({ components: services('orders', 'payments'), edges: [declared(field)] }))).toEqual([]);
      const imported = graph({ components: services('orders', 'payments'), edges: [declared(field)], moduleEdges: [moduleEdge('orders', 'payments', 'apps/payments/src/index.ts')] });
      const [finding] = check(lockstepDependency, imported);
      expect(finding.message).toContain(`it depends on its package (${field}: "payments": "*") and imports its runtime code (import "payments")`);
    }
  });

  it('ignores dev-only dependencies, type-only imports, test files, libraries and grouped deployables', () => {
    const g = graph({
      components: [...services('orders', 'payments'), library('logger'), service('api', 'catalog'), service('worker', 'catalog')],
      edges: [
        { ...edge('orders', 'payments', 'manifest', { sync: false }), evidence: [{ location: at('apps/orders/package.json'), detail: 'devDependencies: "payments": "*"' }] },
        edge('orders', 'logger', 'manifest'),
        edge('worker', 'api', 'manifest'),
      ],
      moduleEdges: [moduleEdge('orders', 'payments', 'apps/payments/src/index.ts', true), moduleEdge('worker', 'api', 'apps/api/src/index.ts')],
      testFiles: [],
    });
    g.moduleEdges.push({ ...moduleEdge('orders', 'payments', 'apps/payments/src/index.ts'), from: 'apps/orders/src/orders.test.ts' });
    g.testFiles.push('apps/orders/src/orders.test.ts');
    expect(check(lockstepDependency, g)).toEqual([]);
  });

  it('reports release groups holding two or more services, never groups of libraries', () => {
    const location = at('.changeset/config.json');
    const g = graph({
      components: [...services('web', 'api'), library('sdk'), library('logger')],
      releaseGroups: [
        { tool: 'changesets-linked', members: ['api', 'sdk', 'web'], location },
        { tool: 'changesets-fixed', members: ['logger', 'sdk'], location: at('.changeset/config.json') },
        { tool: 'lerna-fixed', members: ['api', 'logger'], location: at('lerna.json') },
      ],
    });
    const findings = check(lockstepDependency, g);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ location, services: ['api', 'web'] });
    expect(findings[0].message).toMatch(/^A changesets "linked" group versions services "api", "web" together/);
  });
});

function cls(component: string, name: string, shape: Partial<ComponentClass> = {}): ComponentClass {
  return { component, name, location: at(`packages/${component}/src/${name}.ts`), decorators: [], properties: [], methods: [], ...shape };
}

describe('shared-domain-library', () => {
  const users = ['a', 'b', 'c'];
  const usedBy = (lib: string, ...ids: string[]) => ids.map((id) => edge(id, lib, 'import'));

  it('reports entities, aggregates and repositories of a library that two services import', () => {
    const g = graph({
      components: [...services(...users), library('domain')],
      edges: usedBy('domain', 'a', 'b'),
      classes: [
        cls('domain', 'Order', { properties: ['id', 'lines'], methods: ['pay', 'toJSON'] }),
        cls('domain', 'CustomerRecord', { decorators: ['Entity'] }),
        cls('domain', 'Invoice', { extends: 'AggregateRoot' }),
        cls('domain', 'OrderRepository', { methods: ['save'] }),
        cls('domain', 'Money', { properties: ['cents'], methods: ['add'] }),
      ],
    });
    const [finding, ...rest] = check(sharedDomainLibrary, g);
    expect(rest).toEqual([]);
    expect(finding.message).toMatch(/^Library "domain" exports domain types \(Order, CustomerRecord, Invoice, OrderRepository\) used by 2 services \(a, b\)/);
    expect(finding.related.map((r) => r.message)).toEqual(['persistence entity CustomerRecord', 'aggregate Invoice', 'repository OrderRepository', 'used by service "a": import domain', 'used by service "b": import domain']);
    expect(check(sharedDomainLibrary, g, { minServices: 3 })).toEqual([]);
  });

  it('leaves data-only contracts, generated clients and infrastructure helpers alone, however many services use them', () => {
    const g = graph({
      components: [...services(...users), library('dtos', 'contract'), library('client'), library('logger')],
      edges: [...usedBy('dtos', ...users), ...usedBy('client', ...users), ...usedBy('logger', ...users)],
      classes: [
        cls('dtos', 'CreateOrderDto', { decorators: ['IsString'], properties: ['id', 'quantity'], methods: ['validate'] }),
        cls('client', 'OrdersApi', { extends: 'BaseAPI', properties: ['basePath'], methods: ['getOrder', 'listOrders'] }),
        cls('logger', 'Logger', { properties: ['service', 'requestId'], methods: ['info', 'child'] }),
      ],
    });
    expect(check(sharedDomainLibrary, g)).toEqual([]);
  });

  it('counts ORM table definitions the library owns as persistence types, but not SQL migrations, and a class-declared table once', () => {
    const table = (name: string, orm: Resource['orm'], file: string, line: number): Resource => ({ ...database(`table:domain/${name}`, 'domain', 'table'), name, orm, model: name, evidence: [{ location: { file, line, column: 1 }, detail: `${orm} ${name}` }] });
    const g = graph({
      components: [...services(...users), library('domain'), library('migrations')],
      edges: [...usedBy('domain', 'a', 'b'), ...usedBy('migrations', 'a', 'b')],
      resources: [
        table('trips', 'drizzle', 'packages/domain/src/schema.ts', 9),
        table('vehicles', 'drizzle', 'packages/domain/src/schema.ts', 3),
        table('customers', 'typeorm', 'packages/domain/src/Customer.ts', 1),
        { ...table('ledger', 'sql', 'packages/migrations/001.sql', 1), owner: 'migrations' },
      ],
      classes: [cls('domain', 'Customer', { decorators: ['Entity'], location: { file: 'packages/domain/src/Customer.ts', line: 1, column: 1 } })],
    });
    const [finding, ...rest] = check(sharedDomainLibrary, g);
    expect(rest).toEqual([]);
    expect(finding.message).toMatch(/^Library "domain" exports domain types \(Customer, vehicles, trips\) used by 2 services/);
    expect(finding.related.slice(0, 2).map((r) => r.message)).toEqual(['drizzle table vehicles', 'drizzle table trips']);
  });

  it('treats generic and abstract base classes, and adapters whose id is a constant, as infrastructure', () => {
    const g = graph({
      components: [...services(...users), library('kit')],
      edges: usedBy('kit', ...users),
      classes: [
        cls('kit', 'AbstractRepository', { abstract: true, generic: true, methods: ['findOne', 'save'] }),
        cls('kit', 'AbstractDocument', { decorators: ['Schema'], properties: ['_id'] }),
        cls('kit', 'BaseEntity', { properties: ['id', 'createdAt'], methods: ['touch'] }),
        cls('kit', 'CrudRepository', { generic: true, methods: ['save'] }),
        cls('kit', 'XeroAdapter', { properties: ['id', 'name'], constantProperties: ['id', 'name'], methods: ['fetchInvoices'] }),
      ],
    });
    expect(check(sharedDomainLibrary, g)).toEqual([]);
    g.classes!.push(cls('kit', 'Invoice', { extends: 'BaseEntity', properties: ['total'] }));
    expect(check(sharedDomainLibrary, g).map((f) => f.message)).toEqual([expect.stringMatching(/exports domain types \(Invoice\)/)]);
  });

  it('does not count classes of a service, only of shared libraries', () => {
    const g = graph({ components: services(...users), edges: usedBy('c', 'a', 'b'), classes: [cls('c', 'Order', { properties: ['id'], methods: ['pay'] })] });
    expect(check(sharedDomainLibrary, g)).toEqual([]);
  });
});

describe('sync-call-chain', () => {
  const chain = (...ids: string[]) => ids.slice(1).map((to, i) => edge(ids[i], to, 'http'));

  it('reports a chain longer than max from the service that starts it, with the flow', () => {
    const g = graph({ components: services('gw', 'orders', 'payments', 'fraud', 'ledger'), edges: chain('gw', 'orders', 'payments', 'fraud', 'ledger') });
    const findings = check(syncCallChain, g);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('A chain of 4 synchronous calls (max 3) starts at service "gw": gw → orders → payments → fraud → ledger');
    expect(findings[0].flow).toHaveLength(4);
    expect(check(syncCallChain, g, { max: 4 })).toEqual([]);
  });

  it('counts request-response messages but not events, imports or package dependencies', () => {
    const g = graph({
      components: services('a', 'b', 'c', 'd', 'e'),
      edges: [edge('a', 'b', 'http'), edge('b', 'c', 'event', { sync: true }), edge('c', 'd', 'http'), edge('d', 'e', 'event'), edge('d', 'e', 'import'), edge('d', 'e', 'manifest')],
    });
    expect(check(syncCallChain, g)).toEqual([]);
    expect(check(syncCallChain, g, { max: 2 }).map((f) => f.key)).toEqual(['a → b → c → d']);
  });
});

describe('service-fan-out', () => {
  it('reports a service depending on more than max others, counting every kind but dev-only dependencies', () => {
    const g = graph({
      components: services('admin', 's1', 's2', 's3', 's4', 's5', 's6', 's7'),
      edges: [
        edge('admin', 's1', 'http'),
        edge('admin', 's2', 'http'),
        edge('admin', 's3', 'event'),
        edge('admin', 's4', 'import'),
        edge('admin', 's5', 'manifest'),
        edge('admin', 's6', 'http', { sync: true }),
        edge('admin', 's7', 'manifest', { sync: false }),
      ],
    });
    const findings = check(serviceFanOut, g);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe('Service "admin" depends on 6 other services (max 5): s1, s2, s3, s4, s5, s6; it may be doing too much.');
    expect(findings[0].related).toHaveLength(5);
    expect(check(serviceFanOut, g, { max: 6 })).toEqual([]);
  });
});

describe('distributed-monolith', () => {
  it('groups services that all write one database, leaves its readers out, and names the coupling with its evidence', () => {
    const g = graph({
      components: services('orders', 'billing', 'reports'),
      resources: [database('postgres://db/shop')],
      edges: [edge('orders', 'postgres://db/shop', 'database', { access: 'write' }), edge('billing', 'postgres://db/shop', 'database'), edge('reports', 'postgres://db/shop', 'database', { access: 'read' })],
    });
    const [finding, ...rest] = check(distributedMonolith, g);
    expect(rest).toEqual([]);
    expect(finding.message).toBe('Services "billing" and "orders" cannot be deployed independently: they are joined by a shared written database (see shared-database).');
    expect(finding.related.map((r) => r.message)).toEqual([
      'billing ↔ orders: all write database "postgres://db/shop" (database postgres://db/shop) [shared-database]',
      'billing ↔ orders: all write database "postgres://db/shop" (database postgres://db/shop) [shared-database]',
    ]);
    expect(finding.related.map((r) => r.location.file)).toEqual(['apps/billing/src/index.ts', 'apps/orders/src/index.ts']);
  });

  it('counts a data-access library connection for every service that imports the library', () => {
    const g = graph({
      components: [...services('orders', 'billing', 'web'), library('dal')],
      resources: [database('db')],
      edges: [edge('dal', 'db', 'database', { access: 'write' }), edge('orders', 'dal', 'import'), edge('billing', 'dal', 'import')],
    });
    const [finding, ...rest] = check(distributedMonolith, g);
    expect(rest).toEqual([]);
    expect(finding.services).toEqual(['billing', 'orders']);
    expect(finding.related.map((r) => r.location.file)).toEqual(['apps/billing/src/index.ts', 'apps/dal/src/index.ts', 'apps/orders/src/index.ts', 'apps/dal/src/index.ts']);
  });

  it('does not group services that only read a shared database, or only exchange events', () => {
    const g = graph({
      components: services('a', 'b'),
      resources: [database('warehouse')],
      edges: [edge('a', 'warehouse', 'database', { access: 'read' }), edge('b', 'warehouse', 'database', { access: 'read' }), edge('a', 'b', 'event'), edge('b', 'a', 'event')],
    });
    expect(check(distributedMonolith, g)).toEqual([]);
  });

  it('groups a service writing a table another service owns (content coupling)', () => {
    const g = graph({ components: services('orders', 'stock'), resources: [database('stock.items', 'stock', 'table')], edges: [edge('orders', 'stock.items', 'database', { access: 'write' })] });
    const [finding] = check(distributedMonolith, g);
    expect(finding.services).toEqual(['orders', 'stock']);
    expect(finding.related[0].message).toMatch(/^orders ↔ stock: orders writes table "stock.items" owned by stock/);
  });

  it('keeps the message short for a large group and lists every member in its services', () => {
    const ids = ['s1', 's2', 's3', 's4', 's5', 's6', 's7'];
    const g = graph({ components: [...services(...ids), library('lib')], releaseGroups: [{ tool: 'lerna-fixed', members: [...ids, 'lib'], location: at('lerna.json') }] });
    const [finding] = check(distributedMonolith, g);
    expect(finding.message).toBe('Services "s1", "s2", "s3", "s4", "s5" and 2 more cannot be deployed independently: they are joined by lockstep releases (see lockstep-dependency).');
    expect(finding.services).toEqual(ids);
    expect(finding.related[0].message).toBe('7 services: versioned together by Lerna in fixed mode (8 packages released with one version) [lockstep-dependency]');
  });

  it('lists its evidence strongest first (written database, content coupling, cycle, lockstep), each naming its rule', () => {
    const g = graph({
      components: services('a', 'b'),
      resources: [database('db')],
      edges: [edge('a', 'b', 'http'), edge('b', 'a', 'http'), edge('a', 'db', 'database'), edge('b', 'db', 'database'), edge('a', 'b', 'manifest')],
      moduleEdges: [moduleEdge('a', 'b', 'apps/b/src/internal/x.ts')],
    });
    const [finding] = check(distributedMonolith, g);
    expect(finding.message).toBe(
      'Services "a" and "b" cannot be deployed independently: they are joined by a shared written database (see shared-database), content coupling (see content-coupling), a synchronous cycle (see service-cycle) and lockstep releases (see lockstep-dependency).',
    );
    expect(finding.location).toEqual(finding.related[0].location);
    const rules = finding.related.map((r) => /\[([\w-]+)\]$/.exec(r.message)![1]);
    expect([...new Set(rules)]).toEqual(['shared-database', 'content-coupling', 'service-cycle', 'lockstep-dependency']);
  });

  it('does not count a shared Redis, a cache or broker more often than a store of record', () => {
    const redis = { ...database('redis://cache:6379'), engine: 'redis' as const };
    const g = graph({ components: services('a', 'b'), resources: [redis], edges: [edge('a', redis.id, 'database'), edge('b', redis.id, 'database')] });
    expect(check(distributedMonolith, g)).toEqual([]);
  });

  it('joins groups through shared members and honours the couplings option', () => {
    const g = graph({
      components: services('a', 'b', 'c'),
      resources: [database('db')],
      edges: [edge('a', 'b', 'http'), edge('b', 'a', 'http'), edge('b', 'db', 'database'), edge('c', 'db', 'database')],
    });
    expect(check(distributedMonolith, g).map((f) => f.services)).toEqual([['a', 'b', 'c']]);
    expect(check(distributedMonolith, g, { couplings: ['sync-cycle'] }).map((f) => f.services)).toEqual([['a', 'b']]);
  });
});
