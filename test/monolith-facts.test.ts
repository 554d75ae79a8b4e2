import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';

describe('class facts (collected during the one TypeScript walk)', () => {
  it('records exported classes with decorators, base class, instance properties and methods', () => {
    const facts = extractFileFacts(
      'src/order.ts',
      [
        "import { Entity } from 'typeorm';",
        "@Entity('orders')",
        'export class Order extends AggregateRoot<OrderId> {',
        '  static create(): Order { return new Order(\'1\'); }',
        '  status = "open";',
        '  constructor(readonly id: string, plain: number) { super(); }',
        '  get total(): number { return 0; }',
        '  pay(): void {}',
        '}',
        'class Hidden { run(): void {} }',
        'class Later { id = 1; }',
        'export { Later };',
      ].join('\n'),
    );
    expect(facts.classes).toEqual([
      { name: 'Order', location: { file: 'src/order.ts', line: 3, column: 14, endLine: 3, endColumn: 19 }, decorators: ['Entity'], extends: 'AggregateRoot', properties: ['status', 'id'], methods: ['pay'] },
      { name: 'Later', location: { file: 'src/order.ts', line: 11, column: 7, endLine: 11, endColumn: 12 }, decorators: [], extends: undefined, properties: ['id'], methods: [] },
    ]);
  });

  it('records nothing for a file without exported classes', () => {
    expect(extractFileFacts('src/x.ts', 'export interface A { id: string }\nclass B {}').classes).toBeUndefined();
  });
});

describe('release configuration facts', () => {
  it('reads changesets fixed and linked groups with their locations', () => {
    const facts = extractFileFacts('.changeset/config.json', '{\n  "fixed": [["@a/sdk", "@a/types"]],\n  "linked": [\n    ["@a/web", "@a/*-api"]\n  ]\n}');
    expect(facts.releaseGroups).toEqual([
      { tool: 'changesets-fixed', members: ['@a/sdk', '@a/types'], location: expect.objectContaining({ line: 2, column: 13 }) },
      { tool: 'changesets-linked', members: ['@a/web', '@a/*-api'], location: expect.objectContaining({ line: 4, column: 5 }) },
    ]);
  });

  it('reads Lerna fixed mode and ignores independent mode', () => {
    expect(extractFileFacts('lerna.json', '{ "version": "1.2.0" }').releaseGroups).toEqual([{ tool: 'lerna-fixed', members: [], location: expect.objectContaining({ line: 1, column: 3 }) }]);
    expect(extractFileFacts('lerna.json', '{ "version": "independent" }').releaseGroups).toBeUndefined();
  });

  it('reports a malformed file as a diagnostic naming it', () => {
    expect(extractFileFacts('lerna.json', '{ "version": ').diagnostics).toEqual([expect.objectContaining({ file: 'lerna.json', code: 'invalid-json' })]);
  });

  it('only reads the root release files', () => {
    expect(extractFileFacts('packages/x/lerna.json', '{ "version": "1.0.0" }').releaseGroups).toBeUndefined();
  });
});
