import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { extractFileFacts } from '../src/facts/index.js';
import { goPrograms, stageBuiltPaths } from '../src/discover/programs.js';
import type { FileFacts } from '../src/model.js';
import { fixture } from './helpers.js';

const MULTI_TARGET = `# syntax=docker/dockerfile:1.7
FROM golang:1.22 AS builder
WORKDIR /src
COPY go.mod go.sum ./
COPY build ./build
COPY svc ./svc
RUN --mount=type=cache,target=/go/pkg/mod \\
    go build -o /out/ \\
      ./build/api \\
      ./build/worker

FROM builder AS tools
WORKDIR /src/tools/migrate
RUN go build -o /out/migrate .

FROM busybox AS api
COPY --from=builder /out/api /app
ENTRYPOINT ["/app"]
CMD ["--port", "8080"]
`;

describe('Dockerfile facts', () => {
  it('records each stage: name, base, copies, the folders go build compiles (against WORKDIR), ENTRYPOINT and CMD', () => {
    const [builder, tools, api] = extractFileFacts('dev/Dockerfile', MULTI_TARGET).dockerfileStages!;
    expect(builder).toMatchObject({ name: 'builder', from: 'golang:1.22', location: { line: 2 } });
    expect(builder.goBuilds).toEqual([
      { package: '/src/build/api', output: '/out/api' },
      { package: '/src/build/worker', output: '/out/worker' },
    ]);
    expect(builder.copies).toEqual([
      { sources: ['go.mod', 'go.sum'], destination: '/src' },
      { sources: ['build'], destination: '/src/build' },
      { sources: ['svc'], destination: '/src/svc' },
    ]);
    expect(tools).toMatchObject({ name: 'tools', from: 'builder', goBuilds: [{ package: '/src/tools/migrate', output: '/out/migrate' }] });
    expect(api).toMatchObject({ name: 'api', from: 'busybox', goBuilds: [], entrypoint: '["/app"]', command: '["--port", "8080"]' });
    expect(api.copies).toEqual([{ sources: ['/out/api'], destination: '/app', fromStage: 'builder' }]);
  });

  it('traces what a target compiles back to the build context, through the stages it is built from or copies from', () => {
    const stages = extractFileFacts('Dockerfile', MULTI_TARGET).dockerfileStages!;
    // api copies only /out/api from builder, which compiles two programs: the one whose binary it copies.
    expect(stageBuiltPaths(stages, stages[2])).toEqual(['build/api']);
    // tools inherits builder's WORKDIR and COPYs, but tools/ was never copied into the image (go.mod go.sum are files): only builder's folders.
    expect(stageBuiltPaths(stages, stages[1])).toEqual(['build/api', 'build/worker']);
  });

  it('names the binary as go does: -o file, -o folder/, the package name in WORKDIR, /go/bin for go install', () => {
    const [stage] = extractFileFacts('Dockerfile', 'FROM golang\nWORKDIR /src\nRUN go build -o bin/ ./cmd/a && go build ./cmd/b && go build github.com/acme/tool && go build --ldflags "-s" -o=/app ./cmd/c; go install ./cmd/d/...\n').dockerfileStages!;
    expect(stage.goBuilds).toEqual([
      { package: '/src/cmd/a', output: '/src/bin/a' },
      { package: '/src/cmd/b', output: '/src/b' },
      { package: '/src/cmd/c', output: '/app' },
      { package: '/src/cmd/d', output: '/go/bin/d' },
    ]);
  });

  it('reads a Containerfile and ignores a RUN that builds no Go', () => {
    const [stage] = extractFileFacts('web/Containerfile', 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD node dist/main.js\n').dockerfileStages!;
    expect(stage).toMatchObject({ goBuilds: [], command: 'node dist/main.js', copies: [{ sources: ['.'], destination: '/app' }] });
  });
});

describe('Go programs', () => {
  const facts = (files: Record<string, string>): FileFacts[] => Object.entries(files).map(([file, text]) => extractFileFacts(file, text));
  const MODULE = { 'go.mod': 'module example.com/acme\n\ngo 1.22\n' };

  it('a thin main runs the one package of its module it hands over to, besides helpers beside it', () => {
    const programs = goPrograms(
      facts({
        ...MODULE,
        'build/api/main.go': 'package main\n\nimport (\n\t"example.com/acme/build/util"\n\t"example.com/acme/svc/api"\n)\n\nfunc main() { util.Run(api.Run) }\n',
        'build/util/util.go': 'package util\n',
        'svc/api/run.go': '// Package api serves the API.\npackage api\n\nimport "net/http"\n',
      }),
    );
    expect(programs.get('build/api')).toEqual({ main: 'build/api', dir: 'svc/api' });
  });

  it('a main with packages of its own, or several packages of its module, is the program itself', () => {
    const programs = goPrograms(
      facts({
        ...MODULE,
        'svc/orders/main.go': 'package main\n\nimport (\n\t"example.com/acme/pkg/log"\n\t"example.com/acme/svc/orders/store"\n)\n',
        'svc/orders/store/store.go': 'package store\n',
        'cmd/billing/main.go': 'package main\n\nimport (\n\t"example.com/acme/pkg/log"\n\t"example.com/acme/internal/billing"\n)\n',
        'internal/billing/billing.go': 'package billing\n',
        'pkg/log/log.go': 'package log\n',
        'svc/orders/main_test.go': 'package main\n\nimport "example.com/acme/internal/billing"\n',
      }),
    );
    expect([...programs.values()]).toEqual([
      { main: 'svc/orders', dir: 'svc/orders' },
      { main: 'cmd/billing', dir: 'cmd/billing' },
    ]);
  });
});

describe('Go services a root Dockerfile builds by target', () => {
  it('are Go services with the compose build and the compiling stage as reasons, and nothing is left unbound', async () => {
    const result = await analyze({ root: fixture('deploy-dockerfile-targets') });
    const go = result.graph.components.filter((c) => c.language === 'go');
    expect(go.map((c) => [c.dir, c.kind])).toEqual([
      ['services/inventory', 'service'],
      ['services/pricing', 'service'],
    ]);
    expect(go[1].reasons).toEqual([
      'built by docker-compose service "pricing" (docker-compose.yml)',
      'compiled by stage "builder" of Dockerfile (cmd/pricing)',
    ]);
    expect(result.unboundDeployments).toEqual([]);
  });
});
