import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { foldersRunBy, onlyIdles } from '../src/discover/deployments.js';
import { exportTargetsFor } from '../src/resolve/exports.js';
import { copyFixture, fixture } from './helpers.js';

/** A throw-away repository made of the given files. */
function writeRepo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-discovery-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function kinds(root: string): Promise<Record<string, string>> {
  const result = await analyze({ root });
  return Object.fromEntries(result.graph.components.map((c) => [c.id, c.kind]));
}

const pkg = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, ...extra });

describe('zero-config discovery of the fixtures (kinds checked by hand)', () => {
  it.each([
    ['yarn-commonjs', { '@depot/format': 'library', '@depot/inventory': 'service', '@depot/shipping': 'service' }],
    ['pnpm-exports', { '@pm/cart': 'service', '@pm/catalog': 'service', '@pm/search': 'service' }],
    ['lerna-relative', { '@notify/billing': 'service', '@notify/mailer': 'service' }],
    ['nx-paths', { catalog: 'service', checkout: 'service', money: 'library' }],
    ['compose-only', { billing: 'service', 'orders-api': 'service' }],
  ])('%s', async (name, expected) => {
    expect(await kinds(fixture(name))).toEqual(expected);
  });

  it('groups deployables into one service by configuration', async () => {
    const result = await analyze({ root: fixture('groups-tests') });
    const services = Object.fromEntries(result.graph.components.map((c) => [c.id, c.service]));
    expect(services).toEqual({ '@co/billing': '@co/billing', '@co/reports-web': 'reports', '@co/reports-worker': 'reports' });
  });
});

describe('discovery on repository shapes', () => {
  it('analyses loose fixture files but never a sample project inside fixtures/, examples/, templates/ or playground/', async () => {
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['apps/*', 'playground/*'] }),
      'apps/api/package.json': pkg('api'),
      'apps/api/src/index.ts': "import { order } from './fixtures/order';\nexport const o = order;\n",
      'apps/api/src/fixtures/order.ts': 'export const order = { id: 1 };\n',
      'apps/api/test/fixtures/monorepo/package.json': pkg('fake'),
      'apps/api/test/fixtures/monorepo/index.ts': "import '../../../src/index';\n",
      'apps/api/src/pages/templates/list.ts': 'export const list = [];\n',
      'playground/nextjs/package.json': pkg('nextjs-playground', { scripts: { start: 'next start' } }),
      'playground/nextjs/app.ts': 'export {};\n',
    });
    const result = await analyze({ root });
    expect(result.graph.components.map((c) => c.id)).toEqual(['api']);
    expect(result.graph.unresolved).toEqual([]);
    const files = result.graph.moduleEdges.map((e) => e.to);
    expect(files).toContain('apps/api/src/fixtures/order.ts');
    expect(result.diagnostics).toEqual([]);
  });

  it('skips build output next to a package.json, not a build/ folder of sources or a package named build', async () => {
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['packages/*'] }),
      'packages/cli/package.json': pkg('cli'),
      'packages/cli/src/index.ts': "import { bundle } from './build/bundle';\nexport default bundle;\n",
      'packages/cli/src/build/bundle.ts': 'export const bundle = 1;\n',
      'packages/cli/build/index.js': "require('../../core/src/secret');\n",
      'packages/build/package.json': pkg('build-tools'),
      'packages/build/src/index.ts': 'export const tools = 1;\n',
    });
    const result = await analyze({ root });
    expect(result.graph.components.map((c) => c.id)).toEqual(['build-tools', 'cli']);
    expect(result.graph.moduleEdges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['packages/cli/src/index.ts -> packages/cli/src/build/bundle.ts']);
  });

  it('does not read lockfiles or data files named project.json as deployment or project evidence', async () => {
    const root = writeRepo({
      'package.json': pkg('repo'),
      'pnpm-workspace.yaml': "packages: ['packages/*']\n",
      // A lockfile can mention any text; reading it for Kubernetes workloads would be wrong and slow.
      'pnpm-lock.yaml': 'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: registry/ledger:1\n',
      'packages/ledger/package.json': pkg('ledger'),
      'packages/ledger/src/index.ts': 'export const balance = 0;\n',
      'packages/ledger/src/data/project.json': '{ "title": "not an Nx project" }\n',
    });
    expect(await kinds(root)).toEqual({ ledger: 'library' });
  });

  it('treats a start script as weak evidence: a CLI (bin) or a package published packages depend on is no service', async () => {
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['packages/*', 'apps/*'] }),
      'packages/create-app/package.json': pkg('create-app', { bin: 'dist/index.js', scripts: { start: 'node dist/index.js' } }),
      'packages/telemetry/package.json': pkg('telemetry', { scripts: { start: 'nodemon --exec node src/index.js' } }),
      'packages/framework/package.json': pkg('framework', { dependencies: { telemetry: '1.0.0' } }),
      'apps/api/package.json': pkg('api', { private: true }),
      'apps/web/package.json': pkg('web', { private: true, dependencies: { api: '*' } }),
    });
    const result = await analyze({ root });
    const byId = new Map(result.graph.components.map((c) => [c.id, c]));
    expect(Object.fromEntries([...byId].map(([id, c]) => [id, c.kind]))).toEqual({
      api: 'service',
      'create-app': 'library',
      framework: 'library',
      telemetry: 'library',
      web: 'service',
    });
    expect(byId.get('telemetry')!.reasons[0]).toContain('published package "framework" depends on it');
    expect(byId.get('create-app')!.reasons[0]).toContain('declares `bin`');
  });
});

describe('container files that run no JavaScript', () => {
  it('are no deployment evidence for the package, even when compose builds them, unless what compose builds runs once', async () => {
    const goose = 'FROM golang:1.22\nRUN go install github.com/pressly/goose/v3/cmd/goose@latest\nCOPY ./schema ./schema\n';
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['packages/*'] }),
      'docker-compose.yml': 'services:\n  warehouse:\n    build:\n      context: ./packages/clickhouse\n    ports: ["9000:9000"]\n  schema:\n    build: ./packages/events\n    restart: "no"\n  api:\n    build: ./packages/api\n',
      'packages/clickhouse/package.json': pkg('clickhouse'),
      'packages/clickhouse/Dockerfile': 'FROM clickhouse/clickhouse-server:24\nCOPY ./config.xml /etc/clickhouse-server/config.d/\n',
      'packages/clickhouse/src/index.ts': 'export const query = 1;\n',
      'packages/events/package.json': pkg('events'),
      'packages/events/Dockerfile': goose,
      'packages/events/src/index.ts': 'export const events = 1;\n',
      'packages/api/package.json': pkg('api'),
      'packages/api/Dockerfile': 'FROM node:20-alpine\nCMD ["node", "dist/index.js"]\n',
      'packages/api/src/index.ts': 'export const api = 1;\n',
    });
    const result = await analyze({ root });
    const byId = new Map(result.graph.components.map((c) => [c.id, c]));
    expect(byId.get('api')!.kind).toBe('service');
    expect(byId.get('clickhouse')!.kind).toBe('library');
    expect(byId.get('clickhouse')!.reasons).toEqual(['its Dockerfile runs no Node.js (an image of something else, such as a migrator): not evidence']);
    expect(byId.get('events')!.kind).toBe('job');
    expect(byId.get('events')!.reasons).toEqual(['built by docker-compose service "schema" (docker-compose.yml), a job: restart: no and no published port']);
  });
});

describe('resolution outcomes', () => {
  it('tells external packages from unresolved references, and resolves assets and bundler queries', async () => {
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['apps/*'] }),
      'apps/web/package.json': pkg('web'),
      'apps/web/tsconfig.json': JSON.stringify({ compilerOptions: { paths: { '~/*': ['./src/*'] } } }),
      'apps/web/src/index.ts': [
        "import React from 'react';",
        "import fs from 'node:fs';",
        "import path from 'path';",
        "import './styles.css';",
        "import logo from '~/logo.svg';",
        "import url from './styles.css?url';",
        "import { gone } from './missing';",
        "import { alias } from '~/nowhere';",
        "import { generated } from '../styled-system/css';",
        'export default [React, fs, path, logo, url, gone, alias, generated];',
      ].join('\n'),
      'apps/web/src/styles.css': 'body {}\n',
      'apps/web/src/logo.svg': '<svg/>\n',
    });
    const result = await analyze({ root });
    expect(result.graph.moduleEdges.map((e) => `${e.reference.specifier} -> ${e.to}`)).toEqual([
      './styles.css -> apps/web/src/styles.css',
      '~/logo.svg -> apps/web/src/logo.svg',
      './styles.css?url -> apps/web/src/styles.css',
    ]);
    expect(result.graph.unresolved.map((u) => u.reference.specifier)).toEqual(['./missing', '~/nowhere', '../styled-system/css']);
  });
});

describe('tsconfig and node_modules through workspace packages', () => {
  it('follows `extends` into a workspace package by name, without an install', async () => {
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['apps/*', 'tooling/*'] }),
      'tooling/tsconfig/package.json': pkg('@acme/tsconfig'),
      'tooling/tsconfig/base.json': JSON.stringify({ compilerOptions: { baseUrl: '../..', paths: { '@acme/orders/*': ['apps/orders/src/*'] } } }),
      'apps/orders/package.json': pkg('@acme/orders'),
      'apps/orders/src/index.ts': 'export const orders = 1;\n',
      'apps/orders/src/repo.ts': 'export const repo = 1;\n',
      'apps/web/package.json': pkg('@acme/web'),
      'apps/web/tsconfig.json': JSON.stringify({ extends: '@acme/tsconfig/base.json' }),
      'apps/web/src/index.ts': "export { repo } from '@acme/orders/repo';\n",
    });
    const result = await analyze({ root });
    expect(result.diagnostics).toEqual([]);
    expect(result.graph.moduleEdges.map((e) => e.to)).toEqual(['apps/orders/src/repo.ts']);
  });

  it('never reads through a node_modules link that leaves the root', async () => {
    const outside = writeRepo({ 'package.json': pkg('evil', { main: 'index.ts' }), 'index.ts': 'export const secret = 1;\n' });
    const root = writeRepo({
      'package.json': pkg('repo', { workspaces: ['apps/*'] }),
      'apps/web/package.json': pkg('web'),
      'apps/web/src/index.ts': "export { secret } from 'evil';\n",
    });
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(outside, path.join(root, 'node_modules/evil'), 'dir');
    const result = await analyze({ root });
    expect(result.graph.moduleEdges).toEqual([]);
    expect(result.graph.unresolved).toEqual([]);
  });
});

describe('package.json exports', () => {
  const exports = {
    '.': { import: { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
    './client': './dist/client.js',
    './internal/*': null,
    './*': './src/*.ts',
    './utils/*': './src/utilities/*.ts',
  };

  it('returns every target of the matching entry, in order', () => {
    expect(exportTargetsFor(exports, '')).toEqual(['./src/index.ts', './dist/index.d.ts', './dist/index.js']);
    expect(exportTargetsFor(exports, 'client')).toEqual(['./dist/client.js']);
  });

  it('picks the wildcard with the longest prefix, and null hides a subpath', () => {
    expect(exportTargetsFor(exports, 'utils/dates')).toEqual(['./src/utilities/dates.ts']);
    expect(exportTargetsFor(exports, 'orders/repo')).toEqual(['./src/orders/repo.ts']);
    expect(exportTargetsFor(exports, 'internal/secret')).toBeUndefined();
  });

  it('treats a string or condition object as the root export only', () => {
    expect(exportTargetsFor('./index.js', '')).toEqual(['./index.js']);
    expect(exportTargetsFor({ import: './a.mjs', require: './a.cjs' }, 'sub')).toBeUndefined();
    expect(exportTargetsFor(undefined, '')).toBeUndefined();
  });
});

describe('node_modules symlinks to workspace packages (made here, never committed)', () => {
  it('gives the same graph with and without them, and resolves a package reachable only through its link', async () => {
    const plain = await analyze({ root: fixture('pnpm-exports') });
    const root = copyFixture('pnpm-exports');
    const link = (from: string, target: string) => {
      fs.mkdirSync(path.dirname(path.join(root, from)), { recursive: true });
      fs.symlinkSync(target, path.join(root, from), 'dir');
    };
    link('node_modules/@pm/catalog', '../../apps/catalog');
    link('node_modules/@pm/search', '../../apps/search');
    link('apps/cart/node_modules/@pm/catalog', '../../../catalog');
    // legacy-pricing is excluded from the workspace: only the link makes its name resolvable.
    link('node_modules/@pm/legacy-pricing', '../../packages/legacy-pricing');

    const linked = await analyze({ root });
    const edges = (r: typeof plain) => r.graph.moduleEdges.map((e) => `${e.from}:${e.reference.location.line} -> ${e.to}`);
    expect(edges(linked)).toEqual(edges(plain));
    expect(linked.findings.map((f) => f.fingerprint)).toEqual(plain.findings.map((f) => f.fingerprint));
    expect(linked.diagnostics).toEqual([]);

    fs.writeFileSync(path.join(root, 'apps/cart/src/legacy.ts'), "export { legacyPrice } from '@pm/legacy-pricing';\n");
    const withLegacy = await analyze({ root });
    expect(withLegacy.graph.moduleEdges.filter((e) => e.from === 'apps/cart/src/legacy.ts').map((e) => e.to)).toEqual(['packages/legacy-pricing/src/price.ts']);
  });
});

describe('deployments that bind to no component', () => {
  it('lists builds of folders that hold no component and images of the repository named like none, never third-party images', async () => {
    const root = copyFixture('deploy-nest-monorepo');
    fs.writeFileSync(
      path.join(root, 'k8s', 'more.yaml'),
      ['frontline:acme/frontline:dev', 'envoy:quay.io/cilium/cilium-envoy:v1.35', 'cache:redis:7']
        .map((entry) => {
          const [name, ...image] = entry.split(':');
          return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: ${name}\n          image: ${image.join(':')}\n`;
        })
        .join('---\n'),
    );
    const result = await analyze({ root });
    expect(result.unboundDeployments.map((d) => `${d.source} ${d.name} (${d.file}): ${d.reason}`)).toEqual([
      'compose api (docker-compose.yml): builds the repository root, which is never a component',
      'compose clickhouse (docker-compose.yml): builds the repository root, which is never a component',
      'kubernetes frontline (k8s/more.yaml): runs image "acme/frontline:dev", named like no component',
    ]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('the folders a one-shot command runs', () => {
  const folders = [{ dir: 'packages/db', name: '@acme/db' }, { dir: 'packages/db/tools' }, { dir: 'app' }, { dir: 'apps/api', name: '@acme/api' }];
  const run = (command: string) => Object.fromEntries(foldersRunBy(command, folders));

  it('reads paths into a folder, relative or absolute, and workspace options naming it or its package', () => {
    expect(run('sh -c "node ./packages/db/dist/migrate.js && echo done"')).toEqual({ 'packages/db': './packages/db/dist/migrate.js' });
    expect(run('node /usr/src/repo/packages/db/tools/seed.js')).toEqual({ 'packages/db/tools': '/usr/src/repo/packages/db/tools/seed.js' });
    expect(run('pnpm --filter @acme/db db:migrate')).toEqual({ 'packages/db': '--filter @acme/db' });
    expect(run('npm run migrate --workspace=apps/api')).toEqual({ 'apps/api': 'apps/api' });
    expect(run('yarn workspace @acme/api seed')).toEqual({ 'apps/api': 'workspace @acme/api' });
  });

  it('names a folder of one segment only from the start of a path, and nothing by a bare word', () => {
    expect(run('node /usr/src/app/dist/migrate.js')).toEqual({});
    expect(run('node app/migrate.js')).toEqual({ app: 'app/migrate.js' });
    expect(run('npm run db:migrate')).toEqual({});
    expect(run('tsc -w packages')).toEqual({});
  });
});

describe('commands that only idle', () => {
  it('keep a container alive for an operator to exec into: tail -f /dev/null, sleep infinity, sleep loops, in a shell or a list', () => {
    for (const command of ['tail -f /dev/null', 'sleep infinity', 'exec sleep 86400', '/bin/sh -c while true; do sleep 86400; done', 'sh -c "while :; do sleep 1h; done"', 'bash -c "trap : TERM INT; sleep infinity & wait"', '["tail", "-F", "/dev/null"]']) {
      expect(onlyIdles(command), command).toBe(true);
    }
  });

  it('never a program, nor a delay or a wait before one', () => {
    for (const command of ['node dist/main.js', 'sh -c "sleep 5 && node dist/worker.js"', 'until nc -z db 5432; do sleep 2; done', 'tail -f /var/log/app.log', 'true', 'npm start; sleep infinity']) {
      expect(onlyIdles(command), command).toBe(false);
    }
  });
});

describe('configuration declares deployables discovery cannot see', () => {
  const repo = (config?: string) =>
    writeRepo({
      'package.json': pkg('repo', { private: true, workspaces: ['apps/*'] }),
      'apps/api/package.json': pkg('api', { dependencies: { express: '^4.0.0' } }),
      'apps/api/src/server.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
      'apps/router/config.yaml': 'supergraph:\n  listen: 0.0.0.0:4000\n',
      'apps/router/scripts/publish.sh': 'echo publish\n',
      'tools/seed/seed.sql': 'insert into orders values (1);\n',
      ...(config ? { '.archlintrc.yml': config } : {}),
    });

  it('makes a declared folder without a manifest a component of the declared kind', async () => {
    const result = await analyze({ root: repo('services: [apps/**]\njobs: [tools/seed]\n') });
    const declared = result.graph.components.map((c) => [c.dir, c.kind, c.reasons.join('; ')]);
    expect(declared).toEqual([
      ['apps/api', 'service', 'configured: services includes "apps/**"'],
      ['apps/router', 'service', 'configured: services includes "apps/**"'],
      ['tools/seed', 'job', 'configured: jobs includes "tools/seed"'],
    ]);
    expect(result.workspaceSources).toContain('configuration (services, jobs, frontends)');
  });

  it('adds nothing without such configuration', async () => {
    expect(await kinds(repo())).toEqual({ api: 'service' });
  });
});

describe('frontends: user interfaces that call services and that nobody calls', () => {
  const html = '<!doctype html><script type="module" src="/src/main.ts"></script>';
  const root = (apps: Record<string, string>) => writeRepo({ 'package.json': pkg('repo', { private: true, workspaces: ['apps/*', 'packages/*'] }), ...apps });

  it('tells a web app by its scripts, config files and index.html, never by a test runner named like its bundler', async () => {
    const repo = root({
      'apps/spa/package.json': pkg('spa', { scripts: { dev: 'vite --port 5173', build: 'vite build' } }),
      'apps/spa/index.html': html,
      'apps/cra/package.json': pkg('cra', { scripts: { start: 'react-scripts start' } }),
      'apps/cra/public/index.html': html,
      'apps/mobile/package.json': pkg('mobile', { dependencies: { expo: '^51.0.0', 'react-native': '0.74.0' } }),
      'apps/next/package.json': pkg('next-site', { scripts: { dev: 'next dev' } }),
      'apps/next/next.config.mjs': 'export default {};',
      'packages/tested/package.json': pkg('tested', { scripts: { test: 'vitest run' } }),
      'packages/tested/vite.config.ts': 'export default {};',
      'packages/bundle/package.json': pkg('bundle', { scripts: { build: 'vite build' } }),
    });
    expect(await kinds(repo)).toEqual({ spa: 'frontend', cra: 'frontend', mobile: 'frontend', 'next-site': 'frontend', tested: 'library', bundle: 'library' });
  });

  it('keeps a web app with server code of its own a service, and a published web app that nothing deploys a library', async () => {
    const repo = root({
      'apps/ssr/package.json': pkg('ssr', { scripts: { dev: 'vite' } }),
      'apps/ssr/index.html': html,
      'apps/ssr/server.ts': "import express from 'express';\nconst app = express();\napp.get('/api/orders', (_req, res) => res.json([]));\napp.listen(3000);\n",
      'packages/widget/package.json': pkg('@acme/widget', { scripts: { dev: 'vite' }, publishConfig: { access: 'public' } }),
      'packages/widget/index.html': html,
      'packages/admin/package.json': pkg('@acme/admin', { scripts: { dev: 'vite' }, publishConfig: { access: 'public' } }),
      'packages/admin/index.html': html,
      'packages/admin/vercel.json': '{}',
    });
    const result = await analyze({ root: repo });
    const byId = Object.fromEntries(result.graph.components.map((c) => [c.id, c]));
    expect(byId.ssr.kind).toBe('service');
    expect(byId.ssr.reasons[0]).toBe('is a Vite app (script "dev" runs "vite", index.html) with server code of its own: it registers HTTP routes (express route GET /api/orders in apps/ssr/server.ts)');
    expect(byId['@acme/widget'].kind).toBe('library');
    expect(byId['@acme/widget'].reasons).toContain('is a Vite app (script "dev" runs "vite", index.html), but it is published as a package (publishConfig or files), installed rather than deployed: not a frontend');
    expect(byId['@acme/admin'].kind).toBe('frontend');
  });

  it('gives configured hosts to services only', async () => {
    const repo = root({
      'apps/web/package.json': pkg('web', { scripts: { dev: 'vite' } }),
      'apps/web/index.html': html,
      '.archlintrc.yml': 'hosts:\n  web: [web.example.com]\n',
    });
    await expect(analyze({ root: repo })).rejects.toThrow('.archlintrc.yml: hosts.web names no service (a service id, folder or group)');
  });
});
