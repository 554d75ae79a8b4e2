import { describe, expect, it } from 'vitest';
import { parseLabels } from '../scripts/corpus/labels.mjs';
import { componentNames, diffResults, findingKey, matchesLabel, scoreRepository, tallyRules } from '../scripts/corpus/match.mjs';
import { fixture, runCli } from './helpers.js';

const components = [
  { id: '@shop/orders', dir: 'apps/orders', kind: 'service' },
  { id: '@shop/payments', dir: 'apps/payments', kind: 'service' },
  { id: '@shop/logger', dir: 'packages/logger', kind: 'library' },
  { id: 'migrator', dir: 'jobs/migrator', kind: 'library' },
  { id: 'web', dir: 'apps/web', kind: 'service' },
  { id: 'admin', dir: 'apps/admin', kind: 'frontend' },
];
const names = componentNames(components);

function finding(ruleId: string, file: string, line: number, services: string[], related: Array<[string, number]> = []) {
  return {
    ruleId,
    message: `${ruleId} at ${file}:${line}`,
    location: { file, line, column: 1 },
    related: related.map(([relatedFile, relatedLine]) => ({ location: { file: relatedFile, line: relatedLine, column: 1 }, message: '' })),
    services,
  };
}

const LABELS = `
repo: acme/shop
commit: ${'a'.repeat(40)}
shape: two services and a logger
deployables:
  - { dir: apps/orders, kind: service }
  - { dir: apps/payments/, kind: service }
  - { dir: jobs/migrator, kind: job }
  - { dir: apps/web, kind: frontend }
  - { dir: apps/admin, kind: frontend }
expect:
  - rule: content-coupling
    file: apps/orders/src/checkout.ts
    line: 3
    why: relative import into payments internals
  - rule: shared-database
    services: [apps/orders, apps/payments]
    why: both use the orders database
  - rule: service-cycle
    includes: [apps/orders]
    why: orders and payments call each other
debatable:
  - rule: service-fan-out
    includes: [apps/orders]
    why: orders calls many services
forbid:
  - includes: [packages/logger]
    why: a logging library
  - rule: hard-coded-service-url
    file: 'apps/*/src/config.ts'
    why: localhost fallback
`;

describe('corpus label files', () => {
  it('reads a well-formed label file, with absent lists as empty ones', () => {
    const labels = parseLabels(`repo: a/b\ncommit: ${'0'.repeat(40)}\nshape: one service\n`, 'b.yaml');
    expect(labels.expect).toEqual([]);
    expect(labels.forbid).toEqual([]);
    expect(labels.deployables).toEqual([]);
  });

  it('rejects unknown keys, a short commit, a line without a file and an entry that matches everything', () => {
    expect(() => parseLabels(`repo: a/b\ncommit: abc\nshape: x\n`, 'b.yaml')).toThrow(/b\.yaml: \/commit must match pattern/);
    expect(() => parseLabels(`repo: a/b\ncommit: ${'0'.repeat(40)}\nshape: x\nexpect:\n  - { rule: x, why: y, servcies: [a] }\n`, 'b.yaml')).toThrow(/must NOT have additional properties/);
    expect(() => parseLabels(`repo: a/b\ncommit: ${'0'.repeat(40)}\nshape: x\nexpect:\n  - { rule: x, line: 3, why: y }\n`, 'b.yaml')).toThrow(/must have property file when property line is present/);
    expect(() => parseLabels(`repo: a/b\ncommit: ${'0'.repeat(40)}\nshape: x\nforbid:\n  - { why: everything }\n`, 'b.yaml')).toThrow(/must match a schema in anyOf/);
    expect(() => parseLabels(`repo: a/b\nrepo: c/d\ncommit: ${'0'.repeat(40)}\nshape: x\n`, 'b.yaml')).toThrow(/b\.yaml: Map keys must be unique/);
  });
});

describe('matching findings to labels', () => {
  const labels = parseLabels(LABELS, 'shop.yaml');

  it('matches a file and line on the finding itself or on a related location', () => {
    const [importLabel] = labels.expect;
    expect(matchesLabel(finding('content-coupling', 'apps/orders/src/checkout.ts', 3, ['@shop/orders', '@shop/payments']), importLabel, names)).toBe(true);
    expect(matchesLabel(finding('content-coupling', 'apps/payments/src/fees.ts', 1, [], [['apps/orders/src/checkout.ts', 3]]), importLabel, names)).toBe(true);
    expect(matchesLabel(finding('content-coupling', 'apps/orders/src/checkout.ts', 4, []), importLabel, names)).toBe(false);
    expect(matchesLabel(finding('lockstep-dependency', 'apps/orders/src/checkout.ts', 3, []), importLabel, names)).toBe(false);
  });

  it('compares services as an exact set by folder or package name, and includes as a subset', () => {
    const [, database, cycle] = labels.expect;
    expect(matchesLabel(finding('shared-database', 'x.ts', 1, ['@shop/payments', '@shop/orders']), database, names)).toBe(true);
    expect(matchesLabel(finding('shared-database', 'x.ts', 1, ['@shop/orders']), database, names)).toBe(false);
    expect(matchesLabel(finding('shared-database', 'x.ts', 1, ['@shop/orders', '@shop/payments', 'migrator']), database, names)).toBe(false);
    expect(matchesLabel(finding('service-cycle', 'x.ts', 1, ['@shop/payments', '@shop/orders']), cycle, names)).toBe(true);
    expect(matchesLabel(finding('service-cycle', 'x.ts', 1, ['@shop/payments']), cycle, names)).toBe(false);
  });

  it('tells apart findings on two databases the same services share by a database the finding names', () => {
    const [postgres] = parseLabels(`${LABELS.split('expect:')[0]}expect:
  - rule: shared-database
    includes: [apps/orders]
    database: postgres://
    why: both write the orders tables
`, 'shop.yaml').expect;
    const on = (message: string, related: string[] = []) => ({
      ...finding('shared-database', 'x.ts', 1, ['@shop/orders', '@shop/payments']),
      message,
      related: related.map((text) => ({ location: { file: 'y.ts', line: 2, column: 1 }, message: text })),
    });
    expect(matchesLabel(on('Services share the database postgres://db:5432/shop, and more than one may write'), postgres, names)).toBe(true);
    expect(matchesLabel(on('Services share the Redis redis://cache:6379/0; give each service its own instance'), postgres, names)).toBe(false);
    expect(matchesLabel(on('Services share the Redis redis://cache:6379/0; give each service its own instance'), { ...postgres, database: 'redis://' }, names)).toBe(true);
    expect(matchesLabel(on('cannot be deployed independently', ['orders ↔ payments: all write database "postgres://db:5432/shop" (DATABASE_URL)']), postgres, names)).toBe(true);
    expect(matchesLabel(on('cannot be deployed independently'), postgres, names)).toBe(false);
  });

  it('gives forbid precedence, matches file globs and a forbid without a rule for every rule', () => {
    const score = scoreRepository(
      labels,
      {
        findings: [
          finding('content-coupling', 'apps/orders/src/checkout.ts', 3, ['@shop/orders', '@shop/payments']),
          finding('shared-domain-library', 'packages/logger/src/index.ts', 1, ['@shop/orders', '@shop/logger']),
          finding('hard-coded-service-url', 'apps/payments/src/config.ts', 9, ['@shop/payments', '@shop/orders']),
          finding('service-fan-out', 'apps/orders/src/index.ts', 1, ['@shop/orders']),
          finding('lockstep-dependency', 'apps/orders/package.json', 8, ['@shop/orders', '@shop/payments']),
          finding('unused-suppression', 'apps/orders/src/a.ts', 1, []),
        ],
      },
      components,
    );
    expect(score.findings.map((f: { verdict: string }) => f.verdict)).toEqual(['expect', 'forbid', 'forbid', 'debatable', 'unlabelled']);
    expect(score.expected.map((e: { found: boolean }) => e.found)).toEqual([true, false, false]);
    expect(score.deployables).toEqual([
      { dir: 'apps/orders', kind: 'service', foundAs: 'service', found: true, sameKind: true },
      { dir: 'apps/payments/', kind: 'service', foundAs: 'service', found: true, sameKind: true },
      { dir: 'jobs/migrator', kind: 'job', foundAs: 'library', found: false, sameKind: false },
      { dir: 'apps/web', kind: 'frontend', foundAs: 'service', found: true, sameKind: false },
      { dir: 'apps/admin', kind: 'frontend', foundAs: 'frontend', found: true, sameKind: true },
    ]);
  });

  it('tallies precision over every finding and recall over expect labels, per rule', () => {
    const rules = tallyRules([
      {
        findings: [
          { rule: 'content-coupling', verdict: 'expect' },
          { rule: 'content-coupling', verdict: 'debatable' },
          { rule: 'content-coupling', verdict: 'forbid' },
          { rule: 'content-coupling', verdict: 'unlabelled' },
        ],
        expected: [
          { rule: 'content-coupling', found: true },
          { rule: 'shared-database', found: false },
        ],
      },
      { findings: [{ rule: 'shared-database', verdict: 'expect' }], expected: [{ rule: 'shared-database', found: true }] },
    ]);
    expect(rules).toEqual([
      { rule: 'content-coupling', findings: 4, expect: 1, debatable: 1, forbid: 1, unlabelled: 1, expected: 1, found: 1, recall: 1, precision: 0.5 },
      { rule: 'shared-database', findings: 1, expect: 1, debatable: 0, forbid: 0, unlabelled: 0, expected: 2, found: 1, recall: 0.5, precision: 1 },
    ]);
  });

  it('diffs two results by finding key, per repository', () => {
    const a = { key: findingKey(finding('service-cycle', 'a.ts', 1, ['x', 'y'])), verdict: 'expect' };
    const b = { key: findingKey(finding('service-cycle', 'b.ts', 2, ['x', 'y'])), verdict: 'unlabelled' };
    expect(a.key).toBe('service-cycle a.ts:1 [x, y]');
    const changes = diffResults(
      { repositories: { one: { findings: [a] }, gone: { findings: [b] } } },
      { repositories: { one: { findings: [a, b] }, same: { findings: [] } } },
    );
    expect(changes).toEqual([
      { name: 'gone', gained: [], lost: [b] },
      { name: 'one', gained: [b], lost: [] },
    ]);
  });

  it('scores a real report of the shop fixture', async () => {
    const lint = await runCli(['lint', fixture('shop-npm'), '-f', 'json', '--no-cache']);
    const listing = await runCli(['services', fixture('shop-npm'), '-f', 'json']);
    const shopLabels = parseLabels(
      `repo: acme/shop
commit: ${'b'.repeat(40)}
shape: the bundled example
deployables: [{ dir: apps/orders, kind: service }, { dir: apps/payments, kind: service }]
expect:
  - { rule: content-coupling, file: apps/orders/src/checkout.ts, line: 4, why: package subpath into internals }
  - { rule: lockstep-dependency, services: [apps/orders, apps/payments], why: depends on the payments package }
  - { rule: service-cycle, includes: [apps/orders], why: not there }
forbid:
  - { includes: [packages/logger], why: logging library }
`,
      'shop.yaml',
    );
    const score = scoreRepository(shopLabels, JSON.parse(lint.stdout), JSON.parse(listing.stdout).components);
    expect(score.expected.map((e: { found: boolean }) => e.found)).toEqual([true, true, false]);
    expect(score.deployables.every((d: { found: boolean }) => d.found)).toBe(true);
    const verdicts = score.findings.map((f: { verdict: string }) => f.verdict).sort();
    expect(verdicts).toEqual(['expect', 'expect', 'unlabelled', 'unlabelled', 'unlabelled']);
  });
});
