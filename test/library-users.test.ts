import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { componentLocator } from '../src/discover/component-locator.js';
import { LibraryUsers } from '../src/graph/library-users.js';
import { fixture } from './helpers.js';

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
