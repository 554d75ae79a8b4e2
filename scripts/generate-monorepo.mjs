#!/usr/bin/env node
/**
 * Generates a synthetic TypeScript monorepo for the benchmark (scripts/bench.mjs): services and
 * libraries in npm workspaces, realistic import fan-out (relative, workspace packages, `exports`
 * wildcards, tsconfig `paths`, externals), docker-compose, Kubernetes and OpenAPI files, and
 * planted violations whose findings the generator knows exactly.
 *
 *   node scripts/generate-monorepo.mjs --files 10000 [--out bench-out/mono-10000] [--seed 1]
 *
 * The tree is deterministic for a given size and seed. Planting is a list of planters (see `planters`):
 * each one edits the tree and returns the findings arch-lint must report for what it planted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCOPE = '@bench';
const EXTERNAL_PACKAGES = ['zod', 'pino', 'express'];
const FILES_PER_MODULE = 12;
const UTILS_PER_LIBRARY = 20;
const LIBRARIES_PER_SERVICE = 4;

/** A small deterministic PRNG (mulberry32), so a size and seed always give the same tree. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    sample: (list, count) => {
      const copy = [...list];
      const picked = [];
      while (picked.length < count && copy.length > 0) picked.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return picked;
    },
  };
}

const pad = (n) => String(n).padStart(2, '0');
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The shape of the tree for a target file count: how many services, libraries and modules. */
function layout(targetFiles) {
  const serviceCount = Math.max(3, Math.round(targetFiles / 250));
  const libraryCount = Math.max(2, Math.round(targetFiles / 500));
  const libraryFiles = libraryCount * (UTILS_PER_LIBRARY + 3);
  const fixedPerService = 9; // package.json, tsconfig, Dockerfile, openapi, .env.example, index, client, main, k8s manifest
  const rootFiles = 5;
  const moduleFiles = Math.max(serviceCount, targetFiles - rootFiles - libraryFiles - serviceCount * fixedPerService);
  // every module has FILES_PER_MODULE sources and one test file
  const modulesPerService = Math.max(1, Math.round(moduleFiles / serviceCount / (FILES_PER_MODULE + 1)));
  return { serviceCount, libraryCount, modulesPerService };
}

/** The in-memory tree that planters edit before it is written. */
class Tree {
  constructor() {
    this.files = new Map();
  }

  write(file, content) {
    this.files.set(file, content);
  }

  /** Puts lines at the top of a TypeScript file and returns the 1-based line of the first one. */
  prepend(file, lines) {
    const text = this.files.get(file);
    if (text === undefined) throw new Error(`no such generated file: ${file}`);
    this.files.set(file, `${lines.join('\n')}\n${text}`);
    return 1;
  }
}

function libraryName(j) {
  return `lib-${pad(j)}`;
}

function serviceName(i) {
  return `svc-${pad(i)}`;
}

function utilSource(rng, lib, u, libraries) {
  const lines = [];
  if (u > 0) lines.push(`import { util${u - 1} } from './u-${pad(u - 1)}';`);
  if (u > 1 && rng.next() < 0.5) lines.push(`import type { Options${u - 2} } from './u-${pad(u - 2)}';`);
  const lower = libraries.filter((other) => other < lib);
  if (lower.length > 0 && rng.next() < 0.4) lines.push(`import { describe${rng.int(0, UTILS_PER_LIBRARY - 1)} as describeLower } from '${SCOPE}/${libraryName(rng.pick(lower))}';`);
  if (rng.next() < 0.3) lines.push(`import { createHash } from 'node:crypto';`);
  lines.push(
    '',
    `/** Options of util${u} in ${libraryName(lib)}. */`,
    `export interface Options${u} {`,
    '  prefix: string;',
    '  limit?: number;',
    '  tags: readonly string[];',
    '}',
    '',
    `export function util${u}(input: string, options: Options${u} = { prefix: '${u}', tags: [] }): string {`,
    '  const parts = input.split(/[,;]/).map((part) => part.trim()).filter((part) => part.length > 0);',
    '  const limited = options.limit === undefined ? parts : parts.slice(0, options.limit);',
    `  return [options.prefix, ...limited, ...options.tags].join(':');`,
    '}',
    '',
    `export function describe${u}(value: unknown): string {`,
    "  if (value === null || value === undefined) return 'nothing';",
    "  if (Array.isArray(value)) return `a list of ${value.length}`;",
    "  if (typeof value === 'object') return `an object with ${Object.keys(value).length} keys`;",
    '  return String(value);',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

function moduleSource(rng, service, m, f, modules, libraries, filesPerModule) {
  const lines = [];
  const siblings = rng.sample(
    Array.from({ length: filesPerModule }, (_, k) => k).filter((k) => k !== f),
    rng.int(1, 3),
  );
  for (const s of siblings) {
    const typeOnly = rng.next() < 0.25;
    lines.push(typeOnly ? `import type { Record${s} } from './file-${pad(s)}';` : `import { handle${s} } from './file-${pad(s)}';`);
  }
  if (modules > 1) {
    const other = rng.pick(Array.from({ length: modules }, (_, k) => k).filter((k) => k !== m));
    const k = rng.int(0, filesPerModule - 1);
    lines.push(`import { handle${k} as other${k} } from '../mod-${pad(other)}/file-${pad(k)}';`);
  }
  const lib = rng.pick(libraries);
  const u = rng.int(0, UTILS_PER_LIBRARY - 1);
  const style = rng.int(0, 2);
  if (style === 0) lines.push(`import { util${u} } from '${SCOPE}/${libraryName(lib)}';`);
  else if (style === 1) lines.push(`import { util${u} } from '${SCOPE}/${libraryName(lib)}/utils/u-${pad(u)}';`);
  else lines.push(`import { util${u} } from '@libs/${libraryName(lib)}/utils/u-${pad(u)}';`);
  if (rng.next() < 0.5) lines.push(`import { describe${u} } from '@libs/${libraryName(rng.pick(libraries))}';`);
  for (const external of rng.sample(EXTERNAL_PACKAGES, rng.int(0, 2))) lines.push(`import * as ${external}Module from '${external}';`);
  if (rng.next() < 0.3) lines.push(`import { randomUUID } from 'node:crypto';`);
  if (rng.next() < 0.1) lines.push(`const lazy = () => import('./file-${pad(rng.int(0, filesPerModule - 1))}');`);

  lines.push(
    '',
    `/** A record handled by ${serviceName(service)} module ${m}, file ${f}. */`,
    `export interface Record${f} {`,
    '  id: string;',
    '  createdAt: Date;',
    '  amount: number;',
    "  status: 'open' | 'settled' | 'cancelled';",
    '  lines: { sku: string; quantity: number }[];',
    '}',
    '',
    `export function handle${f}(record: Record${f}): Record${f} {`,
    '  const total = record.lines.reduce((sum, line) => sum + line.quantity, 0);',
    "  if (total === 0) return { ...record, status: 'cancelled' };",
    '  const amount = Math.round(record.amount * 100) / 100;',
    "  return { ...record, amount, status: amount > 0 ? 'open' : 'settled' };",
    '}',
    '',
    `export function summarise${f}(records: readonly Record${f}[]): Map<string, number> {`,
    '  const byStatus = new Map<string, number>();',
    '  for (const record of records) {',
    '    byStatus.set(record.status, (byStatus.get(record.status) ?? 0) + record.amount);',
    '  }',
    '  return byStatus;',
    '}',
    '',
    `export const validate${f} = (input: unknown): input is Record${f} =>`,
    "  typeof input === 'object' && input !== null && 'id' in input && 'lines' in input;",
  );
  return `${lines.join('\n')}\n`;
}

function testSource(m) {
  return [
    `import { handle0 } from './file-00';`,
    '',
    `export function checkModule${m}(): boolean {`,
    "  const record = handle0({ id: 'a', createdAt: new Date(0), amount: 1, status: 'open', lines: [] });",
    "  return record.status === 'cancelled';",
    '}',
    '',
  ].join('\n');
}

function openApi(service) {
  return [
    'openapi: 3.0.3',
    'info:',
    `  title: ${serviceName(service)}`,
    "  version: '1.0.0'",
    'paths:',
    '  /records/{id}:',
    '    get:',
    `      operationId: getRecord${service}`,
    '      parameters:',
    '        - { name: id, in: path, required: true, schema: { type: string } }',
    '      responses:',
    "        '200':",
    '          description: the record',
    '          content:',
    '            application/json:',
    "              schema: { $ref: '#/components/schemas/Record' }",
    'components:',
    '  schemas:',
    '    Record:',
    '      type: object',
    '      required: [id, amount]',
    '      properties:',
    '        id: { type: string }',
    '        amount: { type: number }',
    '',
  ].join('\n');
}

function kubernetesManifest(service) {
  const name = serviceName(service);
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  replicas: 2',
    `  selector: { matchLabels: { app: ${name} } }`,
    '  template:',
    `    metadata: { labels: { app: ${name} } }`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: registry.example.com/bench/${name}:1.0.0`,
    '          ports: [{ containerPort: 3000 }]',
    '          env:',
    '            - { name: LOG_LEVEL, value: info }',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  selector: { app: ${name} }`,
    '  ports: [{ port: 80, targetPort: 3000 }]',
    '',
  ].join('\n');
}

/** The clean tree: no violation of any rule. Returns the tree and what planters need to know. */
function cleanTree(targetFiles, seed) {
  const rng = random(seed);
  const { serviceCount, libraryCount, modulesPerService } = layout(targetFiles);
  const tree = new Tree();
  const libraries = Array.from({ length: libraryCount }, (_, j) => j);
  const services = Array.from({ length: serviceCount }, (_, i) => i);

  const paths = {};
  for (const j of libraries) {
    paths[`@libs/${libraryName(j)}`] = [`./libs/${libraryName(j)}/src/index.ts`];
    paths[`@libs/${libraryName(j)}/*`] = [`./libs/${libraryName(j)}/src/*`];
  }
  tree.write('package.json', json({ name: 'bench-monorepo', private: true, workspaces: ['services/*', 'libs/*'] }));
  tree.write('.gitignore', 'node_modules\ndist\n');
  tree.write(
    'tsconfig.base.json',
    json({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, paths } }),
  );
  tree.write('tsconfig.json', json({ extends: './tsconfig.base.json', include: ['services', 'libs'] }));
  tree.write(
    'docker-compose.yml',
    [
      'services:',
      ...services.flatMap((i) => [
        `  ${serviceName(i)}:`,
        `    build: ./services/${serviceName(i)}`,
        `    ports: ['${3000 + i}:3000']`,
        '    environment:',
        '      LOG_LEVEL: info',
      ]),
      '',
    ].join('\n'),
  );

  for (const j of libraries) {
    const dir = `libs/${libraryName(j)}`;
    const uses = libraries.filter((other) => other < j);
    tree.write(
      `${dir}/package.json`,
      json({
        name: `${SCOPE}/${libraryName(j)}`,
        version: '1.0.0',
        exports: { '.': './src/index.ts', './utils/*': './src/utils/*.ts' },
        dependencies: Object.fromEntries(uses.map((other) => [`${SCOPE}/${libraryName(other)}`, '*'])),
      }),
    );
    tree.write(`${dir}/tsconfig.json`, json({ extends: '../../tsconfig.base.json', include: ['src'] }));
    tree.write(`${dir}/src/index.ts`, Array.from({ length: UTILS_PER_LIBRARY }, (_, u) => `export * from './utils/u-${pad(u)}';`).join('\n') + '\n');
    for (let u = 0; u < UTILS_PER_LIBRARY; u++) tree.write(`${dir}/src/utils/u-${pad(u)}.ts`, utilSource(rng, j, u, uses));
  }

  for (const i of services) {
    const name = serviceName(i);
    const dir = `services/${name}`;
    const used = rng.sample(libraries, Math.min(LIBRARIES_PER_SERVICE, libraries.length)).sort((a, b) => a - b);
    tree.write(
      `${dir}/package.json`,
      json({
        name: `${SCOPE}/${name}`,
        version: '1.0.0',
        private: true,
        exports: { '.': './src/index.ts', './client': './src/client.ts' },
        scripts: { start: 'node dist/main.js' },
        dependencies: Object.fromEntries([...used.map((j) => [`${SCOPE}/${libraryName(j)}`, '*']), ...EXTERNAL_PACKAGES.map((p) => [p, '^1.0.0'])]),
      }),
    );
    tree.write(`${dir}/tsconfig.json`, json({ extends: '../../tsconfig.base.json', include: ['src'] }));
    tree.write(`${dir}/Dockerfile`, 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "dist/main.js"]\n');
    tree.write(`${dir}/openapi.yaml`, openApi(i));
    tree.write(`${dir}/.env.example`, 'PORT=3000\nLOG_LEVEL=info\n');
    tree.write(`k8s/${name}.yaml`, kubernetesManifest(i));
    tree.write(`${dir}/src/index.ts`, `export type { Record0 as PublicRecord } from './modules/mod-00/file-00';\nexport * from './client';\n`);
    tree.write(
      `${dir}/src/client.ts`,
      [`export interface ${name.replace('-', '')}Client {`, '  getRecord(id: string): Promise<{ id: string; amount: number }>;', '}', ''].join('\n'),
    );
    tree.write(
      `${dir}/src/main.ts`,
      [
        ...Array.from({ length: modulesPerService }, (_, m) => `import { handle0 as start${m} } from './modules/mod-${pad(m)}/file-00';`),
        '',
        `export const handlers = [${Array.from({ length: modulesPerService }, (_, m) => `start${m}`).join(', ')}];`,
        '',
      ].join('\n'),
    );
    for (let m = 0; m < modulesPerService; m++) {
      const moduleDir = `${dir}/src/modules/mod-${pad(m)}`;
      for (let f = 0; f < FILES_PER_MODULE; f++) {
        tree.write(`${moduleDir}/file-${pad(f)}.ts`, moduleSource(rng, i, m, f, modulesPerService, used, FILES_PER_MODULE));
      }
      tree.write(`${moduleDir}/module.test.ts`, testSource(m));
    }
  }
  return { tree, rng, services, libraries, modulesPerService };
}

/**
 * Planters add violations to the clean tree and return the findings they cause ({ rule, file, line }).
 * Add one per rule as rules land; keep each plant free of side effects on other rules.
 */
export const planters = [
  {
    rule: 'content-coupling',
    /**
     * Every other service reaches into the next one's internals (never back: no cycles), three ways.
     * Each such pair is also a distributed monolith (content coupling joins them), reported at the first
     * import; the imports are internal, so lockstep-dependency leaves them to content-coupling.
     */
    plant({ tree, services }) {
      const planted = [];
      for (let i = 0; i + 1 < services.length; i += 2) {
        const from = `services/${serviceName(i)}/src/modules/mod-00`;
        const target = serviceName(i + 1);
        const ways = [
          [`${from}/file-01.ts`, `import { handle1 as foreign1 } from '../../../../${target}/src/modules/mod-00/file-01';`],
          [`${from}/file-02.ts`, `import { handle2 as foreign2 } from '${SCOPE}/${target}/src/modules/mod-00/file-02';`],
          [`${from}/file-03.ts`, `import type { Record3 as Foreign3 } from '../../../../${target}/src/modules/mod-00/file-03';`],
        ];
        for (const [file, line] of ways) planted.push({ rule: 'content-coupling', file, line: tree.prepend(file, [line]) });
        const [first] = ways[0];
        planted.push({ rule: 'distributed-monolith', file: first, line: 1 });
      }
      return planted;
    },
  },
  {
    rule: 'hard-coded-service-url',
    /**
     * In every group of four services, the last calls the second by a literal compose host name instead
     * of configuration: a call its OpenAPI spec declares, making no cycle and no long synchronous chain.
     */
    plant({ tree, services }) {
      const planted = [];
      for (let i = 3; i < services.length; i += 4) {
        const file = `services/${serviceName(i)}/src/modules/mod-00/file-05.ts`;
        const call = `export const fetchRemoteRecord = (id: string) => fetch(\`http://${serviceName(i - 2)}:3000/records/\${id}\`);`;
        planted.push({ rule: 'hard-coded-service-url', file, line: tree.prepend(file, [call]) });
      }
      return planted;
    },
  },
];

/** Fake installed externals and npm's workspace links, so peers resolve packages as in a real install. */
function writeNodeModules(outDir, services, libraries) {
  for (const external of EXTERNAL_PACKAGES) {
    const dir = path.join(outDir, 'node_modules', external);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), json({ name: external, version: '1.0.0', main: 'index.js', types: 'index.d.ts' }));
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
    fs.writeFileSync(path.join(dir, 'index.d.ts'), 'declare const value: unknown;\nexport default value;\n');
  }
  fs.mkdirSync(path.join(outDir, 'node_modules', SCOPE), { recursive: true });
  const links = [...services.map((i) => ['services', serviceName(i)]), ...libraries.map((j) => ['libs', libraryName(j)])];
  for (const [folder, name] of links) fs.symlinkSync(path.join('..', '..', folder, name), path.join(outDir, 'node_modules', SCOPE, name));
}

/**
 * Writes a monorepo of about `targetFiles` files into `outDir` (replacing it) and returns
 * { outDir, fileCount, services, libraries, planted: [{ rule, file, line }] } sorted by file and line.
 */
export function generateMonorepo({ targetFiles, outDir, seed = 1 }) {
  const context = cleanTree(targetFiles, seed);
  const planted = planters.flatMap((planter) => planter.plant(context));
  fs.rmSync(outDir, { recursive: true, force: true });
  const madeDirs = new Set();
  for (const [file, content] of context.tree.files) {
    const absolute = path.join(outDir, file);
    const dir = path.dirname(absolute);
    if (!madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    fs.writeFileSync(absolute, content);
  }
  writeNodeModules(outDir, context.services, context.libraries);
  planted.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.rule < b.rule ? -1 : 1)));
  return { outDir, fileCount: context.tree.files.size, services: context.services.length, libraries: context.libraries.length, planted };
}

function main(argv) {
  const option = (name, fallback) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] !== undefined ? argv[index + 1] : fallback;
  };
  const targetFiles = Number(option('files', '1000'));
  if (!Number.isInteger(targetFiles) || targetFiles < 100) {
    console.error('usage: generate-monorepo.mjs --files N (≥ 100) [--out dir] [--seed n]');
    return 2;
  }
  const outDir = path.resolve(option('out', `bench-out/mono-${targetFiles}`));
  const result = generateMonorepo({ targetFiles, outDir, seed: Number(option('seed', '1')) });
  fs.writeFileSync(`${outDir}.expected.json`, json(result.planted));
  console.log(`${result.outDir}: ${result.fileCount} files, ${result.services} services, ${result.libraries} libraries, ${result.planted.length} planted findings`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
