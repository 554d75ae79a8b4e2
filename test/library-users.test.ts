import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { componentLocator } from '../src/discover/component-locator.js';
import { LibraryUsers } from '../src/graph/library-users.js';
import { copyFixture, fixture } from './helpers.js';

/** Fixture data-library-modules: @acme/db's index re-exports the client, the brand and the invoice-creating query. */
describe('library users at the grain of modules', () => {
  it('counts a library module only for the services that load it, following a barrel only for the names imported', async () => {
    const { graph } = await analyze({ root: fixture('data-library-modules') });
    const users = new LibraryUsers(graph, componentLocator(graph.components), () => false);
    const of = (file: string) => users.ofModule(file).map((u) => u.service.id);
    expect(of('packages/db/src/queries/create-invoice.ts')).toEqual(['@acme/billing']);
    expect(of('packages/db/src/queries/list-invoices.ts')).toEqual(['@acme/reporting']);
    expect(of('packages/db/src/brand.ts')).toEqual(['@acme/site']);
    expect(of('packages/db/src/client.ts')).toEqual(['@acme/billing', '@acme/reporting']);
    expect(of('packages/db/scripts/seed.ts')).toEqual([]);
    // Configuration nobody imports describes the package as a whole: every service using it.
    expect(users.ofConfiguration('packages/db/prisma/schema.prisma').map((u) => u.service.id)).toEqual(['@acme/billing', '@acme/reporting', '@acme/site']);
  });
});

/** Fixture data-library-functions: @shop/orders-db's orders module reads in getOrder and writes in saveOrder and cancelOrder. */
describe('library users at the grain of functions', () => {
  const accessOf = (graph: Awaited<ReturnType<typeof analyze>>['graph']) =>
    Object.fromEntries(graph.edges.filter((e) => e.kind === 'database' && e.to.startsWith('database:')).map((e) => [e.from, e.access]));

  it('counts a query in a library function for the services that import that function, or an export calling it', async () => {
    const { graph } = await analyze({ root: fixture('data-library-functions') });
    expect(accessOf(graph)).toEqual({ '@shop/checkout': 'write', '@shop/tracking': 'read', '@shop/reports': 'read', '@shop/returns': 'write', '@shop/refunds': 'write' });
  });

  it('keeps the grain of the module when the service takes the whole module (a namespace import)', async () => {
    const dir = copyFixture('data-library-functions');
    const main = path.join(dir, 'apps/tracking/src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("import { getOrder } from '@shop/orders-db';", "import * as orders from '@shop/orders-db';").replace('await getOrder(', 'await orders.getOrder('));
    const { graph } = await analyze({ root: dir });
    expect(accessOf(graph)['@shop/tracking']).toBe('write');
  });
});
