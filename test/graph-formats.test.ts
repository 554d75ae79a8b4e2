import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { formatDot } from '../src/report/graph/dot.js';
import { formatHtml } from '../src/report/graph/html.js';
import { formatMermaid } from '../src/report/graph/mermaid.js';
import { serviceMap, type ServiceMap } from '../src/report/graph/model.js';
import type { AnalysisResult } from '../src/analyze.js';
import { edge, graph, library, service } from './graph-builders.js';
import { copyFixture, fixture, runCli } from './helpers.js';

describe('the service map', () => {
  it('draws the co-deployment groups the configured rule reports: none when distributed-monolith is off, only the configured couplings', async () => {
    const root = copyFixture('shop-npm');
    const groupsWith = async (rule: string) => {
      fs.writeFileSync(path.join(root, '.archlintrc.yml'), `rules:\n  distributed-monolith: ${rule}\n`);
      const run = await runCli(['graph', root, '-f', 'json', '--no-config-code']);
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as ServiceMap).groups.map((g) => `${g.services.join(' + ')}: ${g.couplings.map((c) => c.kind).join(', ')}`);
    };
    expect(await groupsWith('error')).toEqual(['@shop/orders + @shop/payments: content-coupling, lockstep']);
    expect(await groupsWith('off')).toEqual([]);
    expect(await groupsWith('[error, { couplings: [lockstep] }]')).toEqual(['@shop/orders + @shop/payments: lockstep']);
    expect(await groupsWith('[error, { couplings: [sync-cycle] }]')).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('collapses components to services, marks the edges findings point at and clusters co-deployment groups', async () => {
    const map = serviceMap(await analyze({ root: fixture('monolith-cycle') }), 'components');
    expect(map.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual([
      'service @acme/billing',
      'service @acme/orders',
      'service @acme/shipping',
      'service catalog',
      'library @acme/logger',
      'contract @acme/contracts',
    ]);
    expect(map.nodes.find((n) => n.id === 'catalog')!.members).toEqual(['@acme/catalog-api', '@acme/catalog-worker']);
    expect(map.groups.map((g) => g.services)).toEqual([['@acme/billing', '@acme/orders']]);
    const violating = map.edges.filter((e) => e.violations.length > 0).map((e) => `${e.from} → ${e.to} ${e.kind}`);
    expect(violating).toEqual(['@acme/billing → @acme/orders import', '@acme/billing → @acme/orders manifest', '@acme/orders → @acme/billing import', '@acme/orders → @acme/billing manifest']);
    expect(map.edges.some((e) => e.from === 'catalog' && e.to === 'catalog')).toBe(false);
  });

  it('draws a frontend as its own kind of node, first, with its calls as edges from it', async () => {
    const map = serviceMap(await analyze({ root: fixture('frontend-vite-spa') }), 'components');
    expect(map.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual(['frontend apps/status', 'frontend web', 'service api']);
    expect(map.edges.map((e) => `${e.from} → ${e.to} ${e.kind}`)).toEqual(['web → api http', 'web → api import']);
    expect(formatMermaid(map)).toContain('n1[\\"web"/]:::frontend');
    expect(formatDot(map)).toContain('"web" [label="web", shape=tab');
  });

  it('draws the container view by default: deployables only, the libraries and contracts nobody is warned about folded away', async () => {
    const result = await analyze({ root: fixture('monolith-cycle') });
    const map = serviceMap(result);
    expect(map.detail).toBe('services');
    expect(map.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual(['service @acme/billing', 'service @acme/orders', 'service @acme/shipping', 'service catalog']);
    expect(map.edges.map((e) => `${e.from} → ${e.to} ${e.kind} ×${e.count} ${e.level ?? ''}`)).toEqual([
      '@acme/billing → @acme/orders import ×1 error',
      '@acme/billing → @acme/orders manifest ×1 error',
      '@acme/orders → @acme/billing import ×1 error',
      '@acme/orders → @acme/billing manifest ×1 error',
      '@acme/shipping → @acme/orders import ×1 ',
      '@acme/shipping → @acme/orders manifest ×1 ',
    ]);
  });

  it('turns an edge leaving a library into edges from the deployables that run its code, labelled with the library', () => {
    const result = {
      graph: graph({
        components: [service('a'), service('b'), service('c'), service('d'), library('lib'), library('lib2'), library('contracts', 'contract')],
        edges: [
          edge('a', 'lib', 'import'),
          edge('lib', 'lib2', 'import'),
          edge('lib2', 'b', 'http'),
          edge('c', 'lib2', 'import', { typeOnly: true }),
          { ...edge('d', 'lib2', 'import'), evidence: [{ location: { file: 'apps/d/src/x.test.ts', line: 1, column: 1 }, detail: 'import "lib2"' }] },
          edge('a', 'contracts', 'import'),
          edge('b', 'a', 'http'),
          edge('b', 'a', 'http'),
        ],
        testFiles: ['apps/d/src/x.test.ts'],
      }),
      findings: [],
      config: { rules: {} },
    } as unknown as AnalysisResult;
    const map = serviceMap(result);
    expect(map.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(map.edges.map((e) => `${e.from} → ${e.to} ${e.kind} ×${e.count} via ${e.via ?? '-'}`)).toEqual(['a → b http ×1 via lib2', 'b → a http ×2 via -']);
    const via = map.edges[0];
    expect(via.evidence.map((e) => e.detail)).toEqual(['import lib', 'http b']);
    expect(formatMermaid(map)).toContain('n0 ==>|http via lib2| n1');
    expect(formatDot(map)).toContain('"a" -> "b" [label="http via lib2"');
    expect(formatDot(map)).toContain('"b" -> "a" [label="http ×2", color="#2563eb", style=solid, penwidth=1.7];');
    expect(serviceMap(result, 'components').nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd', 'lib', 'lib2', 'contracts']);
  });

  it('keeps a library as a node when a finding names it, and folds tables into their database', async () => {
    const throughLibrary = serviceMap(await analyze({ root: fixture('content-through-library') }));
    expect(throughLibrary.nodes.map((n) => `${n.kind} ${n.id}`)).toEqual(['service admin', 'service orders', 'service web', 'library @shop/reports']);
    expect(throughLibrary.edges.find((e) => e.from === 'admin' && e.kind === 'import')).toMatchObject({ to: '@shop/reports', via: ['@shop/ui'] });
    const result = await analyze({ root: fixture('data-compose') });
    expect(serviceMap(result, 'components').nodes.filter((n) => n.id.startsWith('table:')).length).toBeGreaterThan(0);
    expect(serviceMap(result).nodes.map((n) => `${n.kind} ${n.id}`)).toEqual([
      'service @market/billing',
      'service @market/catalog',
      'service @market/orders',
      'database database:postgres://postgres:5432/catalog',
      'database database:postgres://postgres:5432/shop',
      'database database:redis://redis:6379/0',
    ]);
  });

  it('draws a topic two deployables use as a node, with their messages as edges to it; a delivery to a service stays an edge', async () => {
    const map = serviceMap(await analyze({ root: fixture('interactions-queues') }));
    expect(map.nodes.filter((n) => n.kind === 'topic').map((n) => n.id)).toEqual(['topic:queue:emails', 'topic:task:generate-report']);
    expect(map.edges.filter((e) => e.kind === 'event').map((e) => `${e.from} → ${e.to} ×${e.count}`)).toEqual([
      'api → billing ×1',
      'api → topic:queue:emails ×2',
      'api → topic:task:generate-report ×1',
      'mailer → topic:queue:emails ×1',
      'reports → topic:task:generate-report ×2',
    ]);
  });
});

const hostile: ServiceMap = {
  detail: 'services',
  nodes: [
    { id: 'a"</script><script>alert(1)</script>', kind: 'service', members: ['a'], reasons: [], findings: [], group: 0 },
    { id: 'b|c', kind: 'service', members: ['b'], reasons: [], findings: [], group: 0 },
    { id: 'db', kind: 'database', members: ['db'], reasons: [], findings: [] },
  ],
  edges: [
    { from: 'a"</script><script>alert(1)</script>', to: 'b|c', kind: 'http', sync: true, count: 1, violations: ['service-cycle'], level: 'error', evidence: [] },
    { from: 'b|c', to: 'a"</script><script>alert(1)</script>', kind: 'event', sync: false, count: 1, violations: [], evidence: [] },
    { from: 'b|c', to: 'db', kind: 'database', sync: false, count: 1, violations: [], evidence: [] },
  ],
  groups: [{ services: ['a"</script><script>alert(1)</script>', 'b|c'], couplings: [] }],
};

describe('graph formats', () => {
  it('writes a Mermaid flowchart with the group as a subgraph, styled edges and escaped labels', () => {
    const text = formatMermaid(hostile);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('subgraph group1["co-deployment group 1"]');
    expect(text).toContain('n0["a#quot;#lt;/script#gt;#lt;script#gt;alert(1)#lt;/script#gt;"]:::service');
    expect(text).toContain('n2[("db")]:::database');
    expect(text).toContain('n0 ==>|http ✖ service-cycle| n1');
    expect(text).toContain('n1 -.->|event| n0');
    expect(text).toContain('linkStyle 0 stroke:#dc2626,stroke-width:3px');
  });

  it('writes a Graphviz digraph with a cluster and escaped quotes', () => {
    const text = formatDot(hostile);
    expect(text).toMatch(/^digraph services \{\n/);
    expect(text).toContain('subgraph cluster_1 {');
    expect(text).toContain('"a\\"</script><script>alert(1)</script>" -> "b|c" [label="http ✖ service-cycle", color="#dc2626", style=solid, penwidth=3];');
    expect(text).toContain('"db" [label="db", shape=cylinder');
  });

  it('writes an HTML page that loads nothing and cannot be broken out of by a name', () => {
    const page = formatHtml({ services: hostile, components: hostile }, 'services');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('\\u003c/script>');
    expect(page).not.toMatch(/\b(src|href)=["']?https?:/);
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('g.dagre=f()');
    expect(page.match(/<\/script>/g)).toHaveLength(3);
  });

  it('is deterministic and refuses an unknown format with exit code 2', async () => {
    const first = await runCli(['graph', fixture('monolith-cycle'), '--format', 'json']);
    const second = await runCli(['graph', fixture('monolith-cycle'), '--format', 'json']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(second.stdout);
    expect(JSON.parse(first.stdout)).toMatchObject({ schemaVersion: 2, detail: 'services', groups: [{ services: ['@acme/billing', '@acme/orders'] }] });
    expect((await runCli(['graph', fixture('monolith-cycle'), '--format', 'png'])).code).toBe(2);
    expect((await runCli(['graph', fixture('monolith-cycle'), '--detail', 'modules'])).code).toBe(2);
    const components = await runCli(['graph', fixture('monolith-cycle'), '--format', 'json', '--detail', 'components']);
    expect((JSON.parse(components.stdout) as ServiceMap).nodes.map((n) => n.id)).toContain('@acme/logger');
    const mermaid = await runCli(['graph', fixture('monolith-cycle')]);
    expect(mermaid.stdout.startsWith('flowchart')).toBe(true);
  });
});
