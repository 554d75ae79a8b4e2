import { describe, expect, it } from 'vitest';
import { deploymentEvidence } from '../src/discover/deployments.js';
import { extractFileFacts } from '../src/facts/index.js';
import type { Diagnostic } from '../src/model.js';

/** The platform deployables one file declares, without locations. */
function declared(file: string, text: string) {
  const facts = extractFileFacts(file, text);
  return {
    deployables: (facts.platformDeployables ?? []).map(({ location: _, ...rest }) => rest),
    diagnostics: facts.diagnostics.map((d) => `${d.code}${d.line ? `@${d.line}` : ''}`),
  };
}

describe('PaaS and serverless files', () => {
  it('fly.toml: the app, its three hosts, and the Dockerfile its [build] names', () => {
    expect(declared('apps/api/fly.toml', 'app = "orders"\n[http_service]\ninternal_port = 8080\n')).toEqual({
      deployables: [{ platform: 'fly', name: 'orders', folder: '', hosts: ['orders.fly.dev', 'orders.internal', 'orders.flycast'] }],
      diagnostics: [],
    });
    const built = declared('fly.staging.toml', "app = 'orders-staging'\n\n[build]\n  dockerfile = 'apps/orders/docker/Dockerfile'\n");
    expect(built.deployables).toEqual([
      { platform: 'fly', name: 'orders-staging', folder: '', entry: 'apps/orders/docker/Dockerfile', hosts: ['orders-staging.fly.dev', 'orders-staging.internal', 'orders-staging.flycast'] },
    ]);
    expect(extractFileFacts('fly.toml', 'x = 1\napp = "a"').platformDeployables?.[0].location.line).toBe(2);
  });

  it('render.yaml: web, worker and cron services from their rootDir, with the command they start (dockerCommand, else startCommand); datastores and prebuilt images are no deployables of the repository', () => {
    const blueprint = [
      'services:',
      '  - { type: web, name: api, rootDir: apps/api, startCommand: node dist/main.js }',
      '  - { type: worker, name: shell, runtime: docker, dockerfilePath: ./apps/admin/Dockerfile, dockerCommand: "tail -f /dev/null", startCommand: node dist/cli.js }',
      '  - { type: worker, name: mailer, rootDir: /apps/mailer, dockerfilePath: ./docker/Dockerfile }',
      '  - { type: cron, name: digest, rootDir: apps/digest, schedule: "0 3 * * *" }',
      '  - { type: keyvalue, name: cache }',
      '  - { type: pserv, name: search, runtime: image, image: { url: docker.io/getmeili/meilisearch } }',
      '',
    ].join('\n');
    expect(declared('render.yaml', blueprint).deployables).toEqual([
      { platform: 'render', name: 'api', type: 'web', folder: 'apps/api', entry: 'dist/main.js', command: 'node dist/main.js' },
      { platform: 'render', name: 'shell', type: 'worker', folder: '', entry: './apps/admin/Dockerfile', command: 'tail -f /dev/null' },
      { platform: 'render', name: 'mailer', type: 'worker', folder: 'apps/mailer', entry: './docker/Dockerfile' },
      { platform: 'render', name: 'digest', type: 'cron', folder: 'apps/digest' },
    ]);
  });

  it('railway.json and railway.toml: the folder, its Dockerfile from the service root, and a cron schedule', () => {
    expect(declared('apps/web/railway.json', '{ "build": { "dockerfilePath": "/docker/Dockerfile" }, "deploy": { "cronSchedule": "*/5 * * * *" } }').deployables).toEqual([
      { platform: 'railway', name: 'web', type: 'cron', folder: '', entry: 'docker/Dockerfile' },
    ]);
    expect(declared('railway.toml', '[deploy]\nstartCommand = "node server/index.js"\n').deployables).toEqual([{ platform: 'railway', name: 'root', folder: '', entry: 'server/index.js', command: 'node server/index.js' }]);
  });

  it('Procfile: one process per line, with the script its command runs', () => {
    expect(declared('Procfile', 'web: node --enable-source-maps apps/api/dist/main.js\nworker: npm run worker\n# a comment\nrelease: npx prisma migrate deploy\n').deployables).toEqual([
      { platform: 'procfile', name: 'web', type: 'web', folder: '', entry: 'apps/api/dist/main.js', command: 'node --enable-source-maps apps/api/dist/main.js' },
      { platform: 'procfile', name: 'worker', type: 'worker', folder: '', command: 'npm run worker' },
      { platform: 'procfile', name: 'release', type: 'release', folder: '', command: 'npx prisma migrate deploy' },
    ]);
  });

  it('serverless.yml: each function in the module of its handler; CloudFormation tags do not stop the reading', () => {
    const text = 'service: orders\nfunctions:\n  create:\n    handler: ./dist/handlers/create.handler\n    events:\n      - sqs: { arn: !GetAtt Queue.Arn }\n  list:\n    handler: src/list.main\n';
    expect(declared('services/orders/serverless.yml', text).deployables).toEqual([
      { platform: 'serverless', name: 'orders', folder: '', entry: 'dist/handlers/create' },
      { platform: 'serverless', name: 'orders', folder: '', entry: 'src/list' },
    ]);
  });

  it('reports a malformed fly.toml, railway.toml or vercel.json by file and line, and declares nothing from it', () => {
    expect(declared('fly.toml', 'app = "orders\n')).toEqual({ deployables: [], diagnostics: ['invalid-toml@1'] });
    expect(declared('railway.toml', '[build\n').diagnostics).toEqual(['invalid-toml@1']);
    expect(declared('apps/web/vercel.json', '{ "framework": ').diagnostics).toEqual(['invalid-json']);
  });
});

describe('platform deployables in the deployment evidence', () => {
  const program = new Set(['apps/api', 'apps/digest', 'services/orders', 'apps/site']);
  const evidence = (files: Record<string, string>) => {
    const diagnostics: Diagnostic[] = [];
    const facts = Object.entries(files).map(([file, text]) => extractFileFacts(file, text));
    const { builds } = deploymentEvidence(facts, Object.keys(files), (dir) => program.has(dir), () => false, diagnostics);
    return { builds: builds.map((b) => `${b.source} ${b.dir || '.'}${b.runsToCompletion ? ' (job)' : ''}`), diagnostics: diagnostics.map((d) => d.code) };
  };

  it('binds each to the program holding what it runs, a cron job as a job, and Serverless functions of one program once', () => {
    expect(
      evidence({
        Procfile: 'web: node apps/api/dist/main.js\nrelease: node apps/digest/migrate.js\n',
        'render.yaml': 'services:\n  - { type: cron, name: digest, rootDir: apps/digest }\n',
        'apps/digest/package.json': '{ "name": "digest" }\n',
        'services/orders/serverless.yml': 'service: orders\nfunctions:\n  a: { handler: dist/a.handler }\n  b: { handler: dist/b.handler }\n',
        'apps/site/next.config.mjs': 'export default {};\n',
        'next.config.js': 'module.exports = {};\n',
      }).builds,
    ).toEqual(['procfile apps/api', 'procfile apps/digest (job)', 'render apps/digest (job)', 'serverless services/orders', 'nextjs apps/site']);
  });

  it('refuses a rootDir outside the repository, and reports one that is not in it', () => {
    expect(evidence({ 'render.yaml': 'services:\n  - { type: web, name: api, rootDir: ../elsewhere }\n' })).toEqual({ builds: [], diagnostics: ['outside-root'] });
    expect(evidence({ 'render.yaml': 'services:\n  - { type: web, name: api, rootDir: apps/gone }\n' })).toEqual({ builds: [], diagnostics: ['missing-build-context'] });
  });
});

describe('function entries of CDK, CDKTF and SST code', () => {
  it('reads code paths from __dirname, from the app root, through wrappers and SST handlers; not in comments, CDK handler exports or other libraries', () => {
    const stack = [
      "import * as path from 'path';",
      "import { aws_lambda as lambda } from 'aws-cdk-lib';",
      "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
      "// new NodejsFunction(this, 'Old', { entry: '../old/handler.ts' })",
      "new NodejsFunction(this, 'Orders', { entry: path.join(__dirname, '../../orders/src/handler.ts') });",
      "new lambda.Function(this, 'Pay', { handler: 'index.handler', code: lambda.Code.fromAsset('../payments/dist') });",
      'new Function(this, `Mail${id}`, { codePath: `${__dirname}/../../dist/handlers/mail` });',
      "new lambda.DockerImageFunction(this, 'Img', { code: lambda.DockerImageCode.fromImageAsset(path.resolve(__dirname, '..', 'image')) });",
    ].join('\n');
    expect(declared('infra/lib/stack.ts', stack).deployables).toEqual([
      { platform: 'cdk', name: 'Orders', type: 'NodejsFunction', folder: '', entry: '../../orders/src/handler.ts' },
      { platform: 'cdk', name: 'Pay', type: 'Function', folder: '', entry: '../payments/dist', fromAppRoot: true },
      { platform: 'cdk', name: 'mail', type: 'Function', folder: '', entry: '../../dist/handlers/mail' },
      { platform: 'cdk', name: 'Img', type: 'DockerImageFunction', folder: '', entry: '../image' },
    ]);
    const sst = "import { Api } from 'sst/constructs';\nnew Api(stack, 'api', { routes: { 'GET /': 'packages/functions/src/list.handler', 'POST /': { function: { handler: './packages/functions/src/create.main' } } } });\n";
    expect(declared('stacks/Api.ts', sst).deployables.map((d) => `${d.name} ${d.entry}`)).toEqual(['GET / packages/functions/src/list', 'api packages/functions/src/create']);
    expect(declared('src/upload.ts', "import { join } from 'path';\nconst options = { entry: join(__dirname, 'x.ts') };\n").deployables).toEqual([]);
  });

  it('binds a function to the program its code lies in, never to the stack folder it ships itself, and a migrating construct as a job', () => {
    const program = new Set(['infra', 'services/orders', 'services/orders/migrations', 'web']);
    const stack = [
      "import { TerraformStack } from 'cdktf';",
      "new Lambda(this, 'api', { entryFile: '../services/orders/src/main.ts' });",
      "new MigrationStack(this, 'schema', { codePath: join(__dirname, '../../services/orders/migrations') });",
      "new Lambda(this, 'self', { codePath: __dirname });",
      "new Lambda(this, 'far', { codePath: join(__dirname, '../../../elsewhere') });",
    ].join('\n');
    const files = { 'infra/cdktf.json': '{}', 'infra/src/main.ts': stack };
    const diagnostics: Diagnostic[] = [];
    const facts = Object.entries(files).map(([file, text]) => extractFileFacts(file, text));
    const builds = deploymentEvidence(facts, Object.keys(files), (dir) => program.has(dir), () => false, diagnostics).builds;
    expect(builds.map((b) => `${b.source} ${b.dir}${b.runsToCompletion ? ' (job)' : ''}`)).toEqual(['cdk services/orders', 'cdk services/orders/migrations (job)']);
    expect(diagnostics.map((d) => d.code)).toEqual(['outside-root']);
    const tested = deploymentEvidence(facts, Object.keys(files), (dir) => program.has(dir), (file) => file.startsWith('infra/'), []).builds;
    expect(tested).toEqual([]);
  });
});

describe('Pulumi programs', () => {
  it('reads the code of resources (asset paths, files read as their content) and the strings that may name images; not files read otherwise, nor modules without Pulumi', () => {
    const program = [
      "import * as pulumi from '@pulumi/pulumi';",
      "import * as cf from '@pulumi/cloudflare';",
      "import { readFileSync } from 'fs';",
      "import { join, resolve } from 'path';",
      "const version = JSON.parse(readFileSync(join(__dirname, '../../libs/schema/package.json'), 'utf8')).version;",
      "new cf.WorkerScript('edge', { content: readFileSync(process.env.BUNDLE || resolve(__dirname, '../../workers/edge/dist/index.mjs'), 'utf8') });",
      "new aws.lambda.Function('thumbs', { code: new pulumi.asset.AssetArchive({ '.': new pulumi.asset.FileArchive('../services/thumbs/dist') }) });",
      "new k8s.apps.v1.Deployment('api', { spec: { containers: [{ image: images.get('api', version) }, { image: 'redis:7' }, { image: `${registry}/x` }] } });",
    ].join('\n');
    const facts = extractFileFacts('infra/src/index.ts', program);
    expect((facts.platformDeployables ?? []).map(({ location: _, ...rest }) => rest)).toEqual([
      { platform: 'pulumi', name: 'edge', type: 'WorkerScript', folder: '', entry: '../../workers/edge/dist/index.mjs' },
      { platform: 'pulumi', name: 'thumbs', type: 'Function', folder: '', entry: '../services/thumbs/dist', fromAppRoot: true },
    ]);
    expect(facts.imageNames).toEqual(['utf8', 'api', 'redis:7']);
    expect(extractFileFacts('scripts/publish.ts', "import { readFileSync } from 'fs';\npublish('api');\nnew Thing('x', { content: readFileSync('../app/dist/index.js') });\n")).not.toHaveProperty('imageNames');
  });

  it('deploys the program a resource runs, never a folder holding none or the Pulumi program itself; an image built by Bake and named in a Pulumi module is deployed', () => {
    const program = new Set(['infra', 'services/api', 'services/thumbs', 'services/cli', 'services/migrate', 'workers/edge']);
    const files: Record<string, string> = {
      'infra/Pulumi.yaml': 'name: shop\nruntime: nodejs\n',
      'infra/src/index.ts': [
        "import * as pulumi from '@pulumi/pulumi';",
        "new aws.lambda.Function('thumbs', { code: new pulumi.asset.FileArchive('../services/thumbs/dist') });",
        "new cf.WorkerScript('edge', { content: readFileSync(resolve(__dirname, '../../workers/edge/dist/index.mjs')) });",
        "new aws.s3.BucketObject('dashboards', { source: new pulumi.asset.FileAsset('../config/dashboards/api.json') });",
        "new aws.s3.BucketObject('alerts', { source: new pulumi.asset.FileAsset('config/alerts.yaml') });",
        "deployService({ image: images.get('api'), migrations: images.get('migrate') });",
        "new k8s.apps.v1.Deployment('cache', { spec: { containers: [{ image: 'redis:7' }] } });",
      ].join('\n'),
      'scripts/publish.ts': "publish('cli');\n",
      'docker-bake.hcl': ['api', 'cli', 'migrate', 'redis'].map((name) => `target "${name}" {\n  context = "services/${name}"\n  tags = ["acme/${name}:latest"]\n}\n`).join(''),
      'docker-compose.yml': 'services:\n  migrate:\n    image: acme/migrate\n    restart: "no"\n',
    };
    const facts = Object.entries(files).map(([file, text]) => extractFileFacts(file, text));
    const builds = deploymentEvidence(facts, Object.keys(files), (dir) => program.has(dir), () => false, []).builds;
    expect(builds.map((b) => `${b.source} ${b.dir}${b.runsToCompletion ? ' (job)' : ''}`).sort()).toEqual(['bake services/api', 'bake services/migrate (job)', 'pulumi services/thumbs', 'pulumi workers/edge']);
    expect(builds.find((b) => b.dir === 'services/api')?.reason).toBe('built by Bake target "api" (docker-bake.hcl), whose image a Pulumi program deploys (infra/src/index.ts)');
    expect(builds.find((b) => b.dir === 'workers/edge')?.reason).toBe('runs the code of the resource WorkerScript "edge" of a Pulumi program (infra/src/index.ts)');
  });
});
