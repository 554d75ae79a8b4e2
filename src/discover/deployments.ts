import type { BakeTarget, CodePlatform, ComposeService, DeploymentSource, Diagnostic, DockerfileStage, FileFacts, HelmValuesBlock, PlatformDeployable, SkaffoldArtifact, SourceLocation } from '../model.js';
import { DEFAULT_BAKE_FILE } from '../facts/bake.js';
import { dirOf, foldersOf, isUnder, joinPosix, leavesRoot, nearestTo } from '../util/paths.js';
import { escapeRegExp } from '../util/text.js';
import { isContainerFile } from './classify.js';
import { stageBuiltPaths } from './programs.js';

/** Files that say a folder holds a program in a language other than JavaScript (package.json says that one). */
const LANGUAGE_MANIFESTS: [RegExp, string][] = [
  [/^go\.mod$/, 'go'],
  [/^(requirements\.txt|pyproject\.toml|Pipfile|setup\.py)$/, 'python'],
  [/^(pom\.xml|build\.gradle(\.kts)?)$/, 'java'],
  [/\.(csproj|fsproj|sln)$/, 'dotnet'],
  [/^Cargo\.toml$/, 'rust'],
  [/^Gemfile$/, 'ruby'],
  [/^composer\.json$/, 'php'],
  [/^mix\.exs$/, 'elixir'],
];
/** How a diagnostic about a build names what builds. */
const BUILD_NOUN: Partial<Record<DeploymentSource, string>> = { compose: 'service', skaffold: 'artifact', workflow: 'workflow image' };
/** Configuration files that make their folder a deployed app: a Next.js app, a trigger.dev project (its tasks run on the platform). */
const APP_CONFIGS: { file: RegExp; source: 'nextjs' | 'trigger.dev'; what: string }[] = [
  { file: /(^|\/)next\.config\.([cm]?js|[cm]?ts)$/, source: 'nextjs', what: 'a Next.js app' },
  { file: /(^|\/)trigger\.config\.([cm]?js|[cm]?ts)$/, source: 'trigger.dev', what: 'a trigger.dev project, whose tasks are deployed to the platform' },
];
/** The root of a CDK, CDKTF, SST or Pulumi app: where its command-line tool runs, and what its relative code paths start from. */
const FUNCTION_APP_ROOT = /(^|\/)(cdk\.json|cdktf\.json|sst\.json|sst\.config\.[cm]?[jt]s|Pulumi\.ya?ml)$/;
/** A name or command that migrates or seeds: what one-shot jobs do. */
const MIGRATES_OR_SEEDS = /(^|[^a-z])(migrat|seed)/i;
/** A statement of a command that runs nothing: waiting forever or for a while (`tail -f /dev/null`, `sleep infinity`), and the loop and signal words around it. */
const IDLE_STATEMENT = /^(tail\s+-[fF]\s+\/dev\/null|sleep\s+(infinity|inf|\d+(\.\d+)?[smhd]?)|true|:|done|wait|trap(\s.*)?)$/;

/**
 * Whether a container's command only keeps it alive (`tail -f /dev/null`, `sleep infinity`, `while true; do sleep
 * 86400; done`): it runs none of the image's program, which an operator runs by hand in it. A delay before a
 * program (`sleep 5 && node worker.js`) runs the program.
 */
export function onlyIdles(command: string): boolean {
  const script = command.replace(/^\s*(\S*\/)?(ba|da|z)?sh\s+-c\s+/, '').replace(/["'[\],]/g, ' ');
  const statements = script
    .split(/;|&&|\|\||&|\n/)
    .map((statement) => statement.trim().replace(/^((while|until|do|then|exec)\s+)+/, ''))
    .filter(Boolean);
  return statements.some((statement) => /^(sleep|tail)\s/.test(statement)) && statements.every((statement) => IDLE_STATEMENT.test(statement));
}

/** Why a deployment whose command only idles is a job-like run. */
function idles(command: string): string {
  return `its command only idles (\`${command.trim()}\`): an operator runs the program in it`;
}

/** The language a folder's own files declare, besides JavaScript: `go` for a go.mod, … */
export function declaredLanguage(fileNames: Iterable<string>): string | undefined {
  for (const name of fileNames) {
    const language = LANGUAGE_MANIFESTS.find(([pattern]) => pattern.test(name))?.[1];
    if (language) return language;
  }
  return undefined;
}

/** Whether a folder's own files hold a program: a package.json or another language's manifest. */
export function holdsProgram(fileNames: Set<string>): boolean {
  return fileNames.has('package.json') || declaredLanguage(fileNames) !== undefined;
}

/**
 * A folder the repository builds and deploys from its own source: a compose `build`, a skaffold artifact,
 * or what a platform deploys (a fly.toml app, a render.yaml service, a Railway or Vercel project, a
 * Procfile process, Serverless functions, a Next.js app).
 */
export interface ImageBuild {
  /** The folder of the program built: the Dockerfile's (or entry's) nearest folder with a manifest, else the context ('' for the root). */
  dir: string;
  source: Exclude<DeploymentSource, 'kubernetes'>;
  /** The compose service, the skaffold image, or the platform's app, service, process or project. */
  name: string;
  image?: string;
  file: string;
  location: SourceLocation;
  /** The deployment as `arch-lint services` shows it among a component's reasons. */
  reason: string;
  /** Why what it runs is a job, when it runs to completion (a migrator, a seeder, a cron job). */
  runsToCompletion?: string;
}

/** Whether it only builds an image (a CI workflow, a Dockerfile's stage), which says how the image is made but not how it runs. */
export function onlyBuildsImage(build: ImageBuild): boolean {
  return build.source === 'workflow' || build.source === 'dockerfile';
}

/** Whether a container tool builds it (compose, skaffold, Bake, a CI workflow, a Dockerfile's stage), rather than a platform deploying a folder. */
export function buildsImage(build: ImageBuild): boolean {
  return build.source === 'compose' || build.source === 'skaffold' || build.source === 'bake' || build.source === 'workflow' || build.source === 'dockerfile';
}

/** An image a deployment file runs: a compose service without `build`, a Kubernetes workload's container, a Helm chart's values block. */
export interface DeployedImage {
  image: string;
  source: 'compose' | 'kubernetes' | 'helm';
  /** The compose service, the workload, or the chart's deployable (ChartDeployable.name). */
  name: string;
  file: string;
  /** Why it is a job, when it runs to completion (a Kubernetes Job or CronJob, a one-shot compose service). */
  runsToCompletion?: string;
}

export interface DeploymentEvidence {
  builds: ImageBuild[];
  /** Images the repository builds itself (by imageKey): they run what their build builds, whatever their name says. */
  builtImages: Map<string, ImageBuild[]>;
  /** The same builds by program name: the compose service's name and the built image's last segment. */
  builtNames: Map<string, ImageBuild[]>;
  deployedImages: DeployedImage[];
  /** What the values files of Helm charts deploy. */
  charts: ChartDeployable[];
  /** The prefix the names of the repository's images share, per registry namespace (`acme/shop-orders`, `acme/shop-auth` → `shop-`). */
  imagePrefixes: Map<string, string>;
  /** Compose services (composeKey) whose `build` builds no folder of the repository: they run their image, or are found by name. */
  unbuilt: Set<string>;
  /** The commands of one-shot compose services (a migrator, a seeder), whatever image they run: the files they name run as jobs. */
  jobCommands: JobCommand[];
}

/** A one-shot compose service's command, and why it runs to completion. */
export interface JobCommand {
  name: string;
  file: string;
  command: string;
  runsToCompletion: string;
}

export function composeKey(file: string, service: string): string {
  return `${file}\0${service}`;
}


/** A values block of a Helm chart (a values file beside a Chart.yaml) that sets an image. */
export interface ChartDeployable {
  file: string;
  chart: string;
  /** Its `name` value, else its block's key, else (the root block) the chart's name. */
  name: string;
  /** The names its templates' Service and ingress reach it by: its `name`, the chart's for the root block, `service.name`, ingress hosts. */
  hosts: string[];
  values: HelmValuesBlock;
}

/** What discovery is told of one build or platform deployable before it knows the folder of its program. */
interface DeclaredBuild extends Omit<ImageBuild, 'dir'> {
  /** The build context, or the folder a platform deploys, relative to the declaring file's folder. */
  context: string;
  /** The Dockerfile, or the file a platform runs, relative to the context. */
  entry?: string;
  /** The Dockerfile stage built (compose `build.target`); the last stage when absent. */
  target?: string;
  /** The folder `context` is relative to, when not the declaring file's: a workflow's is the repository root. */
  from?: string;
}

/**
 * The deployment facts discovery needs, gathered once: which folders compose, skaffold, Bake targets a deployment runs, Dockerfile stages,
 * PaaS or serverless platforms and CDK, SST or Pulumi code build and deploy, which images they build, and which images
 * compose services and Kubernetes workloads run. A build of a program folder builds the service it runs as (`runs`: a
 * Go program's, a .NET project's solution).
 * Stacks in test files (config `testFiles`) deploy nothing.
 */
export function deploymentEvidence(
  facts: FileFacts[],
  files: string[],
  isProgram: (dir: string) => boolean,
  isTest: (file: string) => boolean,
  diagnostics: Diagnostic[],
  runs: (dir: string) => string = (dir) => dir,
): DeploymentEvidence {
  const builds = new Map<string, ImageBuild>();
  const deployedImages: DeployedImage[] = [];
  const unbuilt = new Set<string>();
  const jobCommands: JobCommand[] = [];
  const stagesOf = new Map(facts.flatMap(({ file, dockerfileStages }) => (dockerfileStages ? [[file, dockerfileStages] as const] : [])));
  const what = (build: Omit<ImageBuild, 'dir'>) => `${BUILD_NOUN[build.source] ?? `${build.source} deployable`} "${build.name}"`;
  const insideRoot = (build: Omit<ImageBuild, 'dir'>, written: string, resolved: string) => {
    if (!leavesRoot(resolved)) return true;
    diagnostics.push({ file: build.file, code: 'outside-root', message: `${what(build)} builds "${written}", outside the repository root; not analysed` });
    return false;
  };
  let folders: Set<string> | undefined;
  const isFolder = (dir: string) => dir === '' || (folders ??= foldersOf(files)).has(dir);
  const exists = (build: Omit<ImageBuild, 'dir'>, written: string, dir: string) => {
    if (isFolder(dir)) return true;
    diagnostics.push({ file: build.file, code: 'missing-build-context', message: `${what(build)} builds "${written}", which is not in the repository; matched by its image or name instead` });
    return false;
  };
  // Serverless functions of one service in one program are one deployable, and so are a stack's functions (or jobs) in one program.
  const register = (dir: string, build: Omit<ImageBuild, 'dir'>, name = build.name) => {
    const key = JSON.stringify([build.file, build.source, name, dir]);
    if (!builds.has(key)) builds.set(key, { dir, ...build });
  };
  /** Registers a build of a folder of the repository; false when it builds none (a URL, a folder outside the root or not in it). */
  const addBuild = ({ context, entry, target, from, ...build }: DeclaredBuild): boolean => {
    if (/^[a-z]+:\/\//i.test(context)) return false;
    // `${PWD}` is where compose is run: the compose file's folder, or the repository root.
    const pwd = /^\$(\{PWD\}|PWD\b)/;
    const contextDir = pwd.test(context)
      ? ([dirOf(build.file), ''].map((folder) => joinPosix(folder, context.replace(pwd, '.'))).find(isFolder) ?? joinPosix(dirOf(build.file), context.replace(pwd, '.')))
      : joinPosix(from ?? dirOf(build.file), context);
    if (!insideRoot(build, context, contextDir) || !exists(build, context, contextDir)) return false;
    register(runs(stageFolder(stagesOf.get(joinPosix(contextDir, entry ?? 'Dockerfile')), target, contextDir, isProgram) ?? builtFolder(contextDir, entry, isProgram)), build);
    return true;
  };
  /** A workflow context a matrix fills from elsewhere (`services/*`): each program folder it matches, its name in the image too. */
  const matrixFolders = ({ image, context }: SkaffoldArtifact): { image: string; context: string }[] => {
    if (!context.includes('*')) return [{ image, context }];
    const pattern = new RegExp(`^${joinPosix(context).split('*').map(escapeRegExp).join('([^/]+)')}$`);
    return [...(folders ??= foldersOf(files))].flatMap((dir) => {
      const name = isProgram(dir) ? pattern.exec(dir)?.[1] : undefined;
      return name === undefined ? [] : [{ image: image.replaceAll('*', name), context: dir }];
    });
  };
  const appRoots = new Set(files.filter((f) => FUNCTION_APP_ROOT.test(f)).map(dirOf));
  const addFunction = (file: string, deployable: PlatformDeployable) => {
    const code = joinPosix(deployable.fromAppRoot ? appRootOf(dirOf(file), appRoots, isProgram) : dirOf(file), deployable.entry ?? '');
    const build = functionBuild(file, deployable);
    // A stack that ships its own folder (`codePath: __dirname`) deploys the app, not a function's code.
    if (!insideRoot(build, deployable.entry ?? '', code) || isUnder(code, dirOf(file))) return;
    const program = programAt(code, isProgram);
    // A Pulumi program also uploads files of no program (configuration, dashboards) and of its own: only another program's code is a deployable.
    if (deployable.platform === 'pulumi' && (program === '' || program === programAt(dirOf(file), isProgram))) return;
    register(program, build, build.runsToCompletion ? 'job' : 'function');
  };
  const charts = chartDeployables(facts);
  for (const { file, name, values } of charts) deployedImages.push({ image: values.image, source: 'helm', name, file });
  const bakeRuns = bakeFileRuns(facts);
  const bakeBuilds: ImageBuild[] = [];
  for (const { file, compose, skaffoldArtifacts, bakeTargets, workflowImageBuilds, kubernetes, platformDeployables } of facts) {
    const awaited = new Set((compose ?? []).flatMap((s) => s.dependsOn.filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service)));
    for (const service of compose ?? []) {
      const job = composeJob(service, awaited);
      const { name, location, image } = service;
      const reason = `built by docker-compose service "${name}" (${file})`;
      const built = service.build && addBuild({ file, source: 'compose', name, context: service.build.context, entry: service.build.dockerfile, target: service.build.target, ...(image ? { image } : {}), location, reason, ...(job ? { runsToCompletion: job } : {}) });
      if (service.build && !built) unbuilt.add(composeKey(file, name));
      if (!built && image) deployedImages.push({ image, source: 'compose', name, file, ...(job ? { runsToCompletion: job } : {}) });
      if (job && service.command) jobCommands.push({ name, file, command: service.command, runsToCompletion: job });
    }
    for (const { image, context, dockerfile, target, location } of skaffoldArtifacts ?? []) {
      addBuild({ file, source: 'skaffold', name: image, context, entry: dockerfile, target, image, location, reason: `built by skaffold as image "${image}" (${file})` });
    }
    for (const target of bakeTargets ?? []) {
      for (const from of bakeRuns.get(file) ?? []) {
        const dir = bakeFolder(target, from, isProgram);
        const reason = `built by Bake target "${target.name}" (${file})`;
        if (dir !== undefined) for (const image of target.images) bakeBuilds.push({ dir: runs(dir), source: 'bake', name: target.name, image, file, location: target.location, reason });
      }
    }
    for (const written of workflowImageBuilds ?? []) {
      for (const { image, context } of matrixFolders(written)) {
        addBuild({ file, source: 'workflow', name: image, context, from: '', entry: written.dockerfile, image, location: written.location, reason: `built as image "${image}" by a CI workflow (${file})` });
      }
    }
    for (const object of kubernetes ?? []) {
      if (object.kind !== 'workload') continue;
      const job = object.workload === 'Job' || object.workload === 'CronJob' ? `a Kubernetes ${object.workload} runs to completion` : undefined;
      for (const container of object.containers) {
        // An init container of a public image (busybox waiting for the database) runs none of the repository's programs.
        if (container.image && !(container.init && isOfficialImage(imageKey(container.image)))) deployedImages.push({ image: container.image, source: 'kubernetes', name: object.name, file, ...(job ? { runsToCompletion: job } : {}) });
      }
    }
    for (const deployable of platformDeployables ?? []) {
      if (deploysFolder(deployable)) addBuild(platformBuild(file, deployable));
      else if (!isTest(file)) addFunction(file, deployable);
    }
  }
  const namedImages = facts.flatMap(({ file, imageNames }) => (imageNames && !isTest(file) ? imageNames.map((name) => ({ name, file })) : []));
  for (const build of bakeBuildsRun(bakeBuilds, deployedImages, namedImages)) register(build.dir, build);
  for (const [file, stages] of stagesOf) {
    for (const stage of stages.filter((s) => s.goBuilds.length > 0)) {
      for (const dir of stageBuiltPaths(stages, stage).flatMap((path) => programFolder(path, file, isProgram))) {
        const name = stage.name ?? file;
        const build: ImageBuild = { dir: runs(dir), source: 'dockerfile', name, file, location: stage.location, reason: `compiled by ${stage.name ? `stage "${stage.name}"` : 'a stage'} of ${file} (${dir})` };
        builds.set(JSON.stringify([file, 'dockerfile', name, build.dir]), build);
      }
    }
  }
  // A Dockerfile in a folder that runs as another (a .NET project of a service's solution) is that service's.
  for (const file of files.filter((f) => isContainerFile(f.slice(f.lastIndexOf('/') + 1)))) {
    const dir = dirOf(file);
    if (runs(dir) !== dir) register(runs(dir), { source: 'dockerfile', name: file, file, location: { file, line: 1, column: 1 }, reason: `has a ${file.slice(dir.length + 1)} in ${dir}` });
  }
  for (const { file: pattern, source, what } of APP_CONFIGS) {
    for (const file of files.filter((f) => pattern.test(f) && dirOf(f) !== '' && isProgram(dirOf(f)) && !isTest(f))) {
      addBuild({ file, source, name: dirOf(file), context: '', location: { file, line: 1, column: 1 }, reason: `is ${what} (${file})` });
    }
  }
  const builtImages = new Map<string, ImageBuild[]>();
  const builtNames = new Map<string, ImageBuild[]>();
  for (const build of builds.values()) {
    if (build.image) builtImages.set(imageKey(build.image), [...(builtImages.get(imageKey(build.image)) ?? []), build]);
    for (const name of [build.source === 'compose' ? build.name : undefined, build.image ? imageName(imageKey(build.image)) : undefined]) {
      if (name) builtNames.set(name.toLowerCase(), [...(builtNames.get(name.toLowerCase()) ?? []), build]);
    }
  }
  // Only the repository's own images: those it builds, and those deployed in a namespace it builds in (not confluentinc/cp-kafka).
  const built = [...builds.values()].flatMap((build) => (build.image ? [imageKey(build.image)] : []));
  const ownNamespaces = new Set(built.map(imageNamespace));
  const images = [...built, ...deployedImages.map((d) => imageKey(d.image)).filter((key) => !isOfficialImage(key) && ownNamespaces.has(imageNamespace(key)))];
  return { builds: [...builds.values()], builtImages, builtNames, deployedImages, charts, imagePrefixes: sharedPrefixes(images), unbuilt, jobCommands };
}

/** The folders each Bake file is run from: its own for a file bake finds by itself (docker-bake.hcl), the step's for one a workflow names. */
function bakeFileRuns(facts: FileFacts[]): Map<string, Set<string>> {
  const runs = new Map<string, Set<string>>();
  const add = (file: string, from: string) => runs.set(file, (runs.get(file) ?? new Set()).add(from));
  for (const { file, bakeTargets, workflowBakeFiles } of facts) {
    if (bakeTargets && DEFAULT_BAKE_FILE.test(file)) add(file, dirOf(file));
    for (const run of workflowBakeFiles ?? []) add(run.file, run.from);
  }
  return runs;
}

/**
 * The program a Bake target builds, its paths taken from the folder bake runs in: the program holding its Dockerfile's
 * folder or its context, else the one program its named contexts hold (a package's `dist` folder built with a shared
 * Dockerfile); none when no program or several are.
 */
function bakeFolder(target: BakeTarget, from: string, isProgram: (dir: string) => boolean): string | undefined {
  const programOf = (path: string) => {
    const dir = joinPosix(from, path);
    return leavesRoot(dir) ? '' : programAt(dir, isProgram);
  };
  const built = [target.dockerfile === undefined ? undefined : dirOf(target.dockerfile), target.context].flatMap((path) => (path === undefined ? [] : [programOf(path)])).find((dir) => dir !== '');
  if (built !== undefined) return built;
  const named = [...new Set(target.contexts.map(programOf).filter((dir) => dir !== ''))];
  return named.length === 1 ? named[0] : undefined;
}

/**
 * The Bake builds whose image a deployment runs (the nearest build of that image), each a job when every deployment
 * running it runs to completion; else those a Pulumi program names (the image, its name or the target's:
 * `getImageId('billing', tag)`), which says it is deployed but not how it runs. A Bake file also builds images
 * nothing here runs (a CLI's, a base image): those make nothing deployable.
 */
function bakeBuildsRun(bakeBuilds: ImageBuild[], deployedImages: DeployedImage[], namedImages: { name: string; file: string }[]): ImageBuild[] {
  const byImage = new Map<string, ImageBuild[]>();
  const byName = new Map<string, ImageBuild[]>();
  for (const build of bakeBuilds) {
    byImage.set(imageKey(build.image!), [...(byImage.get(imageKey(build.image!)) ?? []), build]);
    for (const name of new Set([build.name.toLowerCase(), imageName(imageKey(build.image!))])) byName.set(name, [...(byName.get(name) ?? []), build]);
  }
  const runBy = new Map<ImageBuild, DeployedImage[]>();
  for (const deployed of deployedImages) {
    const [build] = nearestTo(deployed.file, byImage.get(imageKey(deployed.image)) ?? [], (b) => dirOf(b.file));
    if (build) runBy.set(build, [...(runBy.get(build) ?? []), deployed]);
  }
  const namedBy = new Map<ImageBuild, string>();
  for (const { name, file } of namedImages) {
    const [build] = nearestTo(file, byImage.get(imageKey(name)) ?? byName.get(name.toLowerCase()) ?? [], (b) => dirOf(b.file));
    if (build && !runBy.has(build) && !namedBy.has(build)) namedBy.set(build, file);
  }
  return [
    ...[...runBy].map(([build, deployed]) => (deployed.every((d) => d.runsToCompletion) ? { ...build, runsToCompletion: deployed[0].runsToCompletion } : build)),
    ...[...namedBy].map(([build, file]) => ({ ...build, reason: `${build.reason}, whose image a Pulumi program deploys (${file})` })),
  ];
}

/** Per namespace of at least two image names, the prefix up to a `-` or `_` that all of them share. */
function sharedPrefixes(keys: string[]): Map<string, string> {
  const names = new Map<string, Set<string>>();
  for (const key of keys) names.set(imageNamespace(key), (names.get(imageNamespace(key)) ?? new Set()).add(imageName(key)));
  const prefixes = new Map<string, string>();
  for (const [namespace, set] of names) {
    if (set.size < 2) continue;
    const [first, ...rest] = set;
    let common = first;
    for (const name of rest) while (!name.startsWith(common)) common = common.slice(0, -1);
    const prefix = common.slice(0, Math.max(common.lastIndexOf('-'), common.lastIndexOf('_')) + 1);
    if (prefix !== '' && ![...set].some((name) => name === prefix)) prefixes.set(namespace, prefix);
  }
  return prefixes;
}

/**
 * The names an image may give the program it runs: its last path segment, and that segment without the prefix the
 * repository's images in its namespace share (`acme/shop-orders` → `shop-orders`, `orders`).
 */
export function programNames(deployments: DeploymentEvidence, key: string): string[] {
  const name = imageName(key);
  const prefix = deployments.imagePrefixes.get(imageNamespace(key));
  return prefix && name.startsWith(prefix) ? [name, name.slice(prefix.length)] : [name];
}

/**
 * The blocks of Helm values files that set an image, for the values files a Chart.yaml sits beside (a values.yaml
 * elsewhere is anybody's data), named as the chart's templates usually name what they deploy. A block named like
 * one of the chart's dependencies configures that chart (a packaged `redis`), not a program of the repository.
 */
function chartDeployables(facts: FileFacts[]): ChartDeployable[] {
  const charts = new Map(facts.flatMap(({ file, helmChart }) => (helmChart ? [[dirOf(file), helmChart] as const] : [])));
  return facts.flatMap(({ file, helmValues }) => {
    const { name: chart, dependencies = [] } = charts.get(dirOf(file)) ?? {};
    if (!helmValues || chart === undefined) return [];
    return helmValues.filter((values) => !dependencies.includes(values.block.split('.')[0])).map((values) => {
      const name = values.name ?? (values.block === '' ? chart : values.block.slice(values.block.lastIndexOf('.') + 1));
      const hosts = [...(values.name ? [values.name] : []), ...(values.block === '' ? [chart] : []), ...values.hosts];
      return { file, chart, name, hosts: [...new Set(hosts)], values };
    });
  });
}

/**
 * A platform's deployable as a build of its folder, with the words `arch-lint services` shows and, for what runs to
 * completion, why it is a job. Whatever the platform calls it (a Render worker), a process whose command only idles
 * is a container an operator runs the program in.
 */
function platformBuild(file: string, deployable: FolderDeployable): DeclaredBuild {
  const build = declaredBuild(file, deployable);
  return deployable.command !== undefined && onlyIdles(deployable.command) ? { ...build, runsToCompletion: idles(deployable.command) } : build;
}

function declaredBuild(file: string, { platform, name, type, folder, entry, location }: FolderDeployable): DeclaredBuild {
  const declared = { file, source: platform, name, context: folder, ...(entry ? { entry } : {}), location };
  switch (platform) {
    case 'fly':
      return { ...declared, reason: `deployed to fly.io as app "${name}" (${file})` };
    case 'render':
      return { ...declared, reason: `deployed to Render as ${type} service "${name}" (${file})`, ...(type === 'cron' ? { runsToCompletion: 'Render runs it as a cron job' } : {}) };
    case 'railway':
      return { ...declared, reason: `deployed to Railway (${file})`, ...(type === 'cron' ? { runsToCompletion: 'Railway runs it on a cron schedule' } : {}) };
    case 'vercel':
      return { ...declared, reason: `deployed to Vercel (${file})` };
    case 'procfile':
      return { ...declared, reason: `runs as the "${name}" process of a Procfile (${file})`, ...(type === 'release' ? { runsToCompletion: 'a release process runs once per release' } : {}) };
    case 'serverless':
      return { ...declared, reason: `runs the functions of the Serverless service "${name}" (${file})` };
  }
}

/** A platform deployable of a folder; the others are what CDK, CDKTF, SST and Pulumi code deploys, found from their code's path. */
type FolderDeployable = PlatformDeployable & { platform: Exclude<PlatformDeployable['platform'], CodePlatform> };

const CODE_PLATFORMS: ReadonlySet<string> = new Set<CodePlatform>(['cdk', 'sst', 'pulumi']);

function deploysFolder(deployable: PlatformDeployable): deployable is FolderDeployable {
  return !CODE_PLATFORMS.has(deployable.platform);
}

/** A CDK or SST function or a Pulumi resource as a build of its program; a construct named for migrating or seeding runs to completion. */
function functionBuild(file: string, { platform, name, type, location }: PlatformDeployable): Omit<ImageBuild, 'dir'> {
  const job = MIGRATES_OR_SEEDS.test(`${type ?? ''} ${name}`) ? { runsToCompletion: `its construct (${type ?? 'function'} "${name}") migrates or seeds` } : {};
  const reason = platform === 'pulumi'
    ? `runs the code of the resource ${type ? `${type} ` : ''}"${name}" of a Pulumi program (${file})`
    : `runs the code of the function "${name}" of ${platform === 'sst' ? 'an SST app' : 'an AWS CDK or CDKTF stack'} (${file})`;
  return { file, source: platform, name, location, reason, ...job };
}

/** The root of the CDK, SST or Pulumi app a file belongs to: the nearest folder with the app's configuration, else the nearest program. */
function appRootOf(dir: string, appRoots: Set<string>, isProgram: (dir: string) => boolean): string {
  for (let folder = dir; ; folder = dirOf(folder)) {
    if (appRoots.has(folder)) return folder;
    if (folder === '') return programAt(dir, isProgram);
  }
}

/** The program a path belongs to: the path itself or its nearest parent folder that holds one ('' when none does). */
function programAt(path: string, isProgram: (dir: string) => boolean): string {
  let dir = path;
  while (dir !== '' && !isProgram(dir)) dir = dirOf(dir);
  return dir;
}

/**
 * The build of the program an image runs, when the repository builds it: the same image, or an image
 * named like a program it builds (a Kubernetes `acme/clickhouse` for the compose service `clickhouse`
 * that builds it from dev/Dockerfile.clickhouse), the one declared nearest the file running the image (two
 * systems may build an image of the same name, each from its own folder).
 */
export function buildOfImage(deployments: DeploymentEvidence, image: string, runFrom: string): ImageBuild | undefined {
  const key = imageKey(image);
  return nearestTo(runFrom, deployments.builtImages.get(key) ?? deployments.builtNames.get(imageName(key)) ?? [], (build) => dirOf(build.file))[0];
}

/** A package manager's option naming the workspace package a script runs in: `pnpm --filter @acme/db migrate`, `npm run migrate -w packages/db`, `yarn workspace @acme/db migrate`. */
const WORKSPACE_OPTION = /(?:^|\s)(?:--filter|-F|--workspace|-w|workspace)(?:=|\s+)["']?([^\s"';&|)]+)/g;

/**
 * The folders whose code a command runs, each with the words that say so: a path into the folder (`node
 * packages/db/dist/migrate.js`, relative to the image's working directory or absolute and passing through it), or a
 * package manager's workspace option naming the folder or its package. Of nested folders, the deepest.
 */
export function foldersRunBy(command: string, folders: { dir: string; name?: string }[]): Map<string, string> {
  const run = new Map<string, string>();
  const deepest = (matches: (folder: { dir: string; name?: string }) => boolean) => folders.filter(matches).sort((a, b) => b.dir.length - a.dir.length)[0]?.dir;
  for (const token of command.split(/[\s"'`;&|()=]+/)) {
    const path = token.replace(/^\.\//, '');
    // A folder of one segment is named only from the start: `/usr/src/app/main.js` is no path into a folder app/.
    const through = (dir: string) => dir.includes('/') && (path.includes(`/${dir}/`) || path.endsWith(`/${dir}`));
    const dir = path.includes('/') ? deepest(({ dir }) => dir !== '' && (path === dir || path.startsWith(`${dir}/`) || through(dir))) : undefined;
    if (dir !== undefined && !run.has(dir)) run.set(dir, token);
  }
  for (const [option, named] of command.matchAll(WORKSPACE_OPTION)) {
    const dir = deepest(({ dir, name }) => dir !== '' && (named === name || named.replace(/^\.\//, '').replace(/\/$/, '') === dir));
    if (dir !== undefined && !run.has(dir)) run.set(dir, option.trim());
  }
  return run;
}

/**
 * Why a compose service is a one-shot job, if it is: other services wait for it to complete, or its command only
 * idles, or it publishes no port and its name or command migrates or seeds, or it is never restarted and publishes no port.
 */
function composeJob(service: ComposeService, awaited: Set<string>): string | undefined {
  if (awaited.has(service.name)) return 'other services wait for it to complete (service_completed_successfully)';
  if (service.command && onlyIdles(service.command)) return idles(service.command);
  if (service.ports.length > 0) return undefined;
  if (MIGRATES_OR_SEEDS.test(`${service.name} ${service.command ?? ''}`)) return 'it publishes no port and migrates or seeds';
  if (service.restart === 'no' || service.restart?.startsWith('on-failure')) return `restart: ${service.restart} and no published port`;
  return undefined;
}

/**
 * The one program folder a Dockerfile's stage (the target, else the last) compiles, if it compiles exactly one
 * (a root Dockerfile whose `api` target builds `./cmd/api`).
 */
function stageFolder(stages: DockerfileStage[] | undefined, target: string | undefined, contextDir: string, isProgram: (dir: string) => boolean): string | undefined {
  const stage = target === undefined ? stages?.at(-1) : stages?.find((s) => s.name === target);
  if (!stages || !stage) return undefined;
  const folders = stageBuiltPaths(stages, stage)
    .map((path) => joinPosix(contextDir, path))
    .filter((dir) => dir !== '' && isProgram(dir));
  return folders.length === 1 ? folders[0] : undefined;
}

/**
 * The program folder a path of an unknown build context names: the context is the Dockerfile's folder or one
 * above it, the nearest where the path is a program (a Dockerfile in dev/ built from the root).
 */
function programFolder(path: string, dockerfile: string, isProgram: (dir: string) => boolean): string[] {
  for (let context = dirOf(dockerfile); ; context = dirOf(context)) {
    const dir = joinPosix(context, path);
    if (dir !== '' && !dir.startsWith('..') && isProgram(dir)) return [dir];
    if (context === '') return [];
  }
}

/**
 * The folder a build builds: the Dockerfile's folder or its nearest parent that holds a program, as long
 * as it is inside the context (a root context with `./apps/api/Dockerfile` builds apps/api); else the
 * context itself.
 */
function builtFolder(contextDir: string, entry: string | undefined, isProgram: (dir: string) => boolean): string {
  if (!entry) return contextDir;
  let dir = dirOf(joinPosix(contextDir, entry));
  const inside = (folder: string) => contextDir === '' || folder === contextDir || folder.startsWith(`${contextDir}/`);
  if (!inside(dir)) return contextDir;
  while (dir !== contextDir && dir !== '') {
    if (isProgram(dir)) return dir;
    dir = dirOf(dir);
  }
  return contextDir;
}

/**
 * An image reference without registry, tag, digest and `${VAR}` parts: `ghcr.io/acme/orders:${TAG}` →
 * `acme/orders`, `${REGISTRY}server${TAG}` → `server`, `docker.io/library/redis:7` → `redis`.
 */
export function imageKey(image: string): string {
  const path = image
    .replace(/\$\{[^}]*\}|\$\w+/g, '')
    .replace(/@sha256:[0-9a-f]+$/i, '')
    .replace(/:([\w][\w.-]*)?$/, '')
    .split('/')
    .filter(Boolean);
  if (path.length > 1 && (/[.:]/.test(path[0]) || path[0] === 'localhost')) path.shift();
  if (path[0] === 'library' && path.length > 1) path.shift();
  return path.join('/').toLowerCase();
}

/** An official image (`mongo`, `redis:7`, `postgres`): one path segment, the name of a product, never a folder of the repository. */
export function isOfficialImage(key: string): boolean {
  return !key.includes('/');
}

/** A registry host leading an image reference (`ghcr.io/`, `us-central1-docker.pkg.dev/`); a local registry (`localhost:5000/`) is the repository's own. */
const REGISTRY_HOST = /^[\w-]+(\.[\w-]+)+(:\d+)?\//;

/**
 * An image pulled from a registry into a namespace the repository builds no image in: someone else's release (the
 * upstream app a fork deploys for comparison), not a build of this repository's code, whatever its name.
 */
export function isForeignImage(deployments: DeploymentEvidence, image: string): boolean {
  if (!REGISTRY_HOST.test(image.replace(/^\$\{[^}]*\}/, ''))) return false;
  const key = imageKey(image);
  const namespace = imageNamespace(key);
  return !deployments.builds.some((build) => build.image !== undefined && imageKey(build.image).startsWith(`${namespace}/`));
}

/** Official images of a language runtime or a base system: they run code the repository mounts or copies in, not a product of their own. */
const RUNTIME_IMAGES = /^(node|bun|deno|python|pypy|golang|ruby|openjdk|eclipse-temurin|amazoncorretto|php|rust|elixir|dotnet|alpine|debian|ubuntu|busybox)$/;

/** An official image that is a product (`mongo`, `redis`, `nginx`), not a runtime running the repository's code (`node:22-alpine`). */
export function isProductImage(key: string): boolean {
  return isOfficialImage(key) && !RUNTIME_IMAGES.test(key);
}

/** The name an image gives the program it runs: its last path segment. */
export function imageName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** `acme/orders` → `acme`; `orders` → ''. */
export function imageNamespace(key: string): string {
  return key.slice(0, Math.max(0, key.lastIndexOf('/')));
}

/**
 * The .NET service each project folder (a .csproj or .fsproj) belongs to: the folder of the solution (.sln) above it,
 * which groups a service's projects (its API, models, tests), when exactly one of the solution's projects holds a
 * Dockerfile. A solution of several deployables, or one at the root, is a workspace, not a service.
 */
export function solutionServices(files: string[]): Map<string, string> {
  const solutions = new Set(files.filter((f) => f.endsWith('.sln')).map(dirOf));
  const containers = new Set(containerFolders(files));
  const projects = new Map<string, string[]>();
  for (const project of new Set(files.filter((f) => /\.(csproj|fsproj)$/.test(f)).map(dirOf))) {
    let solution = project;
    do solution = dirOf(solution);
    while (solution !== '' && !solutions.has(solution));
    if (solution !== '') projects.set(solution, [...(projects.get(solution) ?? []), project]);
  }
  const services = new Map<string, string>();
  for (const [solution, members] of projects) {
    if (members.filter((project) => containers.has(project)).length === 1) for (const project of members) services.set(project, solution);
  }
  return services;
}

/** Folders with a Dockerfile or Containerfile of their own. */
export function containerFolders(files: string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) if (isContainerFile(file.slice(file.lastIndexOf('/') + 1))) folders.add(dirOf(file));
  return [...folders];
}
