import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';
import { releaseGroups } from '../src/graph/declarations.js';
import type { Component, FileFacts } from '../src/model.js';

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

  it('marks abstract and generic classes, and readonly properties initialised with a constant', () => {
    const facts = extractFileFacts(
      'src/kit.ts',
      "export abstract class AbstractRepository<T> { save(x: T): void {} }\nexport class XeroAdapter { readonly id = 'xero'; readonly name = `Xero`; retries = 3; readonly token = process.env.TOKEN; readonly kind = Kind.Ledger; readonly tag = ('x' as const); readonly at = this.now(); sync(): void {} }",
    );
    expect(facts.classes).toEqual([
      expect.objectContaining({ name: 'AbstractRepository', abstract: true, generic: true, methods: ['save'] }),
      expect.objectContaining({ name: 'XeroAdapter', properties: ['id', 'name', 'retries', 'token', 'kind', 'tag', 'at'], constantProperties: ['id', 'name', 'kind', 'tag'] }),
    ]);
    expect(facts.classes![1]).not.toHaveProperty('abstract');
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
    expect(extractFileFacts('lerna.json', '{ "version": "1.2.0", "packages": ["./packages/*", "libs/core/"] }').releaseGroups).toEqual([{ tool: 'lerna-fixed', members: ['packages/*', 'libs/core'], location: expect.anything() }]);
    expect(extractFileFacts('lerna.json', '{ "version": "1.2.0", "useWorkspaces": true, "packages": ["packages/*"] }').releaseGroups).toEqual([{ tool: 'lerna-fixed', members: [], location: expect.anything() }]);
  });

  it('reads Nx release: fixed by default, per group (inheriting the root relationship), skipping independent groups', () => {
    const whole = extractFileFacts('nx.json', '{ "release": { "projects": ["apps/*", "!apps/docs"] } }');
    expect(whole.releaseGroups).toEqual([{ tool: 'nx-release', members: ['apps/*', '!apps/docs'], location: expect.objectContaining({ line: 1, column: 3 }) }]);
    expect(extractFileFacts('nx.json', '{ "release": { "projectsRelationship": "independent" } }').releaseGroups).toBeUndefined();
    expect(extractFileFacts('nx.json', '{ "targetDefaults": {} }').releaseGroups).toBeUndefined();
    const groups = extractFileFacts('nx.json', '{ "release": { "projectsRelationship": "independent", "groups": { "a": { "projects": "x", "projectsRelationship": "fixed" }, "b": { "projects": ["y"] }, "c": { "projects": ["tag:z", "!tag:old"], "projectsRelationship": "fixed" } } } }');
    expect(groups.releaseGroups).toEqual([
      { tool: 'nx-release', members: ['x'], location: expect.anything() },
      { tool: 'nx-release', members: ['tag:z', '!tag:old'], location: expect.anything() },
    ]);
  });

  it('reads no group from Nx release without projects: Nx then releases public libraries only, never an application', () => {
    expect(extractFileFacts('nx.json', '{ "release": {} }').releaseGroups).toBeUndefined();
    expect(extractFileFacts('nx.json', '{ "release": { "version": { "conventionalCommits": true } } }').releaseGroups).toBeUndefined();
  });

  it('reads Rush lockStepVersion policies and the rush.json projects that name them', () => {
    const policies = extractFileFacts('common/config/rush/version-policies.json', '[{ "definitionName": "lockStepVersion", "policyName": "p", "version": "1.0.0" }, { "definitionName": "individualVersion", "policyName": "q" }]');
    expect(policies.releaseGroups).toEqual([{ tool: 'rush-lockstep', members: [], policy: 'p', location: expect.anything() }]);
    const rush = extractFileFacts('rush.json', '// comment\n{ "projects": [{ "packageName": "a", "projectFolder": "./apps/a/", "versionPolicyName": "p" }, { "packageName": "b", "projectFolder": "apps/b" }] }');
    expect(rush.releaseProjects).toEqual([{ dir: 'apps/a', versionPolicy: 'p' }]);
  });

  it('reads release-please linked-versions, naming components by their folders when `packages` gives them', () => {
    const facts = extractFileFacts('release-please-config.json', '{ "packages": { "apps/a": { "component": "a" }, ".": { "package-name": "root" } }, "plugins": ["node-workspace", { "type": "linked-versions", "groupName": "g", "components": ["a", "b", "root"] }] }');
    expect(facts.releaseGroups).toEqual([{ tool: 'release-please-linked', members: ['apps/a', 'b', 'root'], location: expect.anything() }]);
  });

  it('reads the Nx project name and @jscutlery/semver sync mode from any project.json', () => {
    const facts = extractFileFacts('apps/api/project.json', '{ "name": "api", "targets": { "version": { "executor": "@jscutlery/semver:version", "options": { "syncVersions": true } }, "build": {} } }');
    expect(facts.releaseProjects).toEqual([{ dir: 'apps/api', name: 'api' }]);
    expect(extractFileFacts('apps/web/project.json', '{ "tags": ["type:app", 3] }').releaseProjects).toEqual([{ dir: 'apps/web', tags: ['type:app'] }]);
    expect(facts.releaseGroups).toEqual([{ tool: 'jscutlery-semver-sync', members: [], location: expect.objectContaining({ file: 'apps/api/project.json' }) }]);
    const independent = extractFileFacts('project.json', '{ "targets": { "version": { "executor": "@jscutlery/semver:version", "options": {} } } }');
    expect(independent.releaseGroups).toBeUndefined();
    expect(extractFileFacts('apps/api/project.json', '{ "name": ').diagnostics).toEqual([]);
  });

  it('reports a malformed file as a diagnostic naming it', () => {
    expect(extractFileFacts('lerna.json', '{ "version": ').diagnostics).toEqual([expect.objectContaining({ file: 'lerna.json', code: 'invalid-json' })]);
  });

  it('only reads the root release files', () => {
    expect(extractFileFacts('packages/x/lerna.json', '{ "version": "1.0.0" }').releaseGroups).toBeUndefined();
  });
});

describe('release groups resolved to components', () => {
  const component = (id: string, dir: string, packageName?: string): Component => ({ id, dir, kind: 'service', reasons: [], service: id, packageName, publicFiles: [], publicGlobs: [] });
  const components = [component('@a/orders-api', 'apps/orders', '@a/orders-api'), component('billing', 'apps/billing'), component('@a/docs', 'apps/docs', '@a/docs')];
  const location = { file: 'nx.json', line: 1, column: 1 };
  const facts = (groups: FileFacts['releaseGroups'], projects: FileFacts['releaseProjects'] = []): FileFacts[] => [
    { file: 'nx.json', imports: [], directives: [], diagnostics: [], releaseGroups: groups },
    { file: 'project.json', imports: [], directives: [], diagnostics: [], releaseProjects: projects },
  ];

  it('matches members by Nx project name, package name or folder, honouring exclusions', () => {
    const nxNames = [{ dir: 'apps/orders', name: 'orders' }, { dir: 'apps/billing', name: 'billing' }];
    const [byName] = releaseGroups(facts([{ tool: 'nx-release', members: ['orders', 'billing'], location }], nxNames), components);
    expect(byName.members).toEqual(['@a/orders-api', 'billing']);
    const [byFolder] = releaseGroups(facts([{ tool: 'nx-release', members: ['apps/*', '!@a/docs'], location }], nxNames), components);
    expect(byFolder.members).toEqual(['@a/orders-api', 'billing']);
    const [every] = releaseGroups(facts([{ tool: 'jscutlery-semver-sync', members: [], location }], nxNames), components);
    expect(every.members).toEqual(['@a/docs', '@a/orders-api', 'billing']);
  });

  it('matches `tag:` members by the Nx project tags, exact or glob, honouring exclusions by tag', () => {
    const tagged = [{ dir: 'apps/orders', tags: ['type:service'] }, { dir: 'apps/billing', tags: ['type:service', 'experimental'] }, { dir: 'apps/docs', tags: ['type:site'] }];
    const [byTag] = releaseGroups(facts([{ tool: 'nx-release', members: ['tag:type:service', '!tag:experimental'], location }], tagged), components);
    expect(byTag.members).toEqual(['@a/orders-api']);
    const [byGlob] = releaseGroups(facts([{ tool: 'nx-release', members: ['tag:type:*'], location }], tagged), components);
    expect(byGlob.members).toEqual(['@a/docs', '@a/orders-api', 'billing']);
  });

  it('gives a Rush lockstep policy the projects rush.json assigns to it', () => {
    const [group] = releaseGroups(facts([{ tool: 'rush-lockstep', members: [], policy: 'p', location }], [{ dir: 'apps/docs', versionPolicy: 'p' }, { dir: 'apps/orders', versionPolicy: 'q' }]), components);
    expect(group.members).toEqual(['@a/docs']);
  });
});
