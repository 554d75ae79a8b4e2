import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../config/types.js';
import type { Component, Diagnostic, Discovery, FileFacts, ModuleReference, UnboundDeployment } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';
import { compareStrings } from '../util/text.js';
import { dirOf, foldersOf, isUnder, joinPosix, nearestTo } from '../util/paths.js';
import { isCodeFile } from '../util/source-files.js';
import { classify, isContainerFile, matchesComponent, runsJavaScript, type ComponentEvidence, type NestProject } from './classify.js';
import { buildOfImage, buildsImage, containerFolders, declaredLanguage, deploymentEvidence, foldersRunBy, holdsProgram, imageKey, imageNamespace, isForeignImage, isOfficialImage, isProductImage, programNames, solutionServices, type DeployedImage, type DeploymentEvidence } from './deployments.js';
import { DeploymentIndex } from '../deployment/index.js';
import { parseManifest } from './manifest.js';
import { goPrograms, type GoProgram } from './programs.js';
import { publicSurface } from './public-surface.js';
import { readRepoFile } from './read.js';
import { isStaticSite, serverCodeByComponent, webAppOf } from './web-apps.js';
import { nestedWorkspaceRoots, normalisePattern, readWorkspaceDeclarations } from './workspaces.js';

const NX_PROJECT_KEYS = ['sourceRoot', 'projectType', 'targets', 'implicitDependencies'];

export interface DiscoveryInput {
  /** The files of the repository (walkRepository). */
  walk: { files: string[]; diagnostics: Diagnostic[] };
  /** Facts of those files: docker-compose build contexts and Kubernetes workload images, evidence of components and services. */
  facts: FileFacts[];
}

/**
 * Finds the components of a repository with zero configuration: workspace packages
 * (npm/yarn/pnpm/lerna), Nx projects, nest-cli.json projects, and the folders deployment files and
 * Dockerfiles point at (with or without a workspace file), in any language.
 */
export function discover(root: string, config: ResolvedConfig, input: DiscoveryInput): Discovery {
  const { files, diagnostics } = input.walk;
  const fileSet = new Set(files);
  const reported = new Set<string>();
  const read = (file: string): string | undefined => {
    const result = readRepoFile(root, file, config.maxFileSize);
    if ('text' in result) return result.text;
    if (!reported.has(file)) diagnostics.push(result.diagnostic);
    reported.add(file);
    return undefined;
  };

  const declarations = ['', ...nestedWorkspaceRoots(files, read)].map((dir) => readWorkspaceDeclarations(fileSet, read, diagnostics, dir));
  const declaration = { patterns: declarations.flatMap((d) => d.patterns), sources: declarations.flatMap((d) => d.sources) };
  const folderFiles = filesByFolder(files);
  const ownFilesOf = (dir: string) => folderFiles.get(dir) ?? new Set<string>();
  const candidates = new Map<string, ComponentEvidence>();
  const candidate = (dir: string): ComponentEvidence => {
    let evidence = candidates.get(dir);
    if (!evidence) {
      evidence = { id: dir, dir, ownFiles: new Set(), builds: [], dependents: [] };
      candidates.set(dir, evidence);
    }
    return evidence;
  };

  const packageDirs = files.filter((f) => f.endsWith('/package.json')).map(dirOf);
  const projectFiles = files.filter((f) => f.endsWith('/project.json'));
  let nxProjects = 0;
  if (declaration.patterns.length > 0) {
    const included = declaration.patterns.filter((p) => !p.startsWith('!'));
    const excluded = declaration.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const isWorkspace = picomatch(included, { dot: true, ignore: excluded });
    for (const dir of packageDirs) if (isWorkspace(dir)) candidate(dir);
  }
  for (const project of projectFiles) {
    const text = read(project);
    if (text === undefined) continue;
    const doc = parseJsonWithLocations(project, text);
    if (doc.errors.length > 0) {
      diagnostics.push({ file: project, code: 'invalid-json', message: `malformed project.json: ${doc.errors[0]}` });
      continue;
    }
    const value = doc.value as Record<string, unknown> | null;
    // Only an Nx project: any other project.json (a data file in src/) is not a component.
    if (typeof value !== 'object' || value === null || !NX_PROJECT_KEYS.some((key) => key in value)) continue;
    const evidence = candidate(dirOf(project));
    if (typeof value.name === 'string') evidence.id = value.name;
    nxProjects++;
  }
  const nestProjects = nestCliProjects(files.filter((f) => f === 'nest-cli.json' || f.endsWith('/nest-cli.json')), read, diagnostics);
  for (const project of nestProjects) {
    const evidence = candidate(project.dir);
    if (evidence.id === project.dir) evidence.id = project.name;
    evidence.nestProject = project;
  }
  candidates.delete('');
  // A Dockerfile builds the nearest folder above it that is a project (nest-cli, Nx), has a manifest or is a Go program.
  const programs = goPrograms(input.facts);
  const goFolders = new Set([...programs.values()].map((program) => program.dir));
  const holdsCode = (dir: string) => holdsProgram(ownFilesOf(dir)) || goFolders.has(dir) || isStaticSite(ownFilesOf(dir));
  const isTest = picomatch(config.testFiles.length > 0 ? config.testFiles : ['\0'], { dot: true });
  // The service a program folder runs as: a Go program's folder, a .NET project's solution.
  const solutions = solutionServices(files);
  const runs = (dir: string) => programs.get(dir)?.dir ?? solutions.get(dir) ?? dir;
  const deployments = deploymentEvidence(input.facts, files, (dir) => candidates.has(dir) || holdsProgram(ownFilesOf(dir)) || programs.has(dir), isTest, diagnostics, runs);
  const deploymentFolders = addDeploymentFolders(candidates, deployments, holdsCode, files, programs, runs, candidate);
  const aliases = pathAliases(fileSet, read);
  const aliasFolders = addPathAliasFolders(candidates, aliases, input.facts, candidate);
  const configuredFolders = addConfiguredFolders(candidates, config, files, candidate);

  for (const evidence of candidates.values()) {
    const manifestFile = evidence.dir ? `${evidence.dir}/package.json` : 'package.json';
    if (fileSet.has(manifestFile)) {
      const text = read(manifestFile);
      if (text !== undefined) {
        const parsed = parseManifest(manifestFile, text);
        if (parsed.diagnostic) diagnostics.push(parsed.diagnostic);
        evidence.manifest = parsed.manifest;
        evidence.commandLineTool = parsed.raw?.bin !== undefined;
        evidence.private = parsed.raw?.private === true;
        evidence.published = !evidence.private && (parsed.raw?.publishConfig !== undefined || Array.isArray(parsed.raw?.files));
        if (parsed.manifest?.name) evidence.id = parsed.manifest.name;
      }
    }
    // A root path alias spelled as the package's name is the entry its importers use (`@acme/orders` → src/api.ts).
    const entryAliases = aliases.filter((a) => a.alias === evidence.manifest?.name && a.dir === evidence.dir).map((a) => a.target);
    if (entryAliases.length > 0) evidence.entryAliases = entryAliases;
    evidence.builds = deployments.builds.filter((b) => b.dir === evidence.dir);
    evidence.ownFiles = ownFilesOf(evidence.dir);
    if (!evidence.manifest) evidence.language = declaredLanguage(evidence.ownFiles) ?? (goFolders.has(evidence.dir) ? 'go' : undefined);
  }
  attachDependents([...candidates.values()]);
  attachWebApps([...candidates.values()], input.facts, fileSet, isTest);
  // Unreadable files are left to the extractors to report: here they only might name a runtime.
  const readQuietly = (file: string) => {
    const result = readRepoFile(root, file, config.maxFileSize);
    return 'text' in result ? result.text : undefined;
  };
  for (const evidence of candidates.values()) {
    const containerFiles = [...evidence.ownFiles].filter(isContainerFile);
    evidence.foreignContainerFiles = containerFiles.filter((name) => !runsJavaScript(readQuietly(joinPosix(evidence.dir, name)) ?? 'node'));
  }
  const unboundDeployments = attachDeployedImages([...candidates.values()], deployments, programs);
  attachJobRuns([...candidates.values()], deployments);

  const components = buildComponents([...candidates.values()], config, fileSet, diagnostics);
  const index = new DeploymentIndex(input.facts, deployments, components, isTest);
  for (const component of components) {
    const system = index.systems.get(component.id);
    if (system !== undefined) component.system = system;
  }
  return {
    deployments: index,
    root,
    files,
    components,
    workspaceSources: [
      ...declaration.sources,
      ...(nxProjects > 0 ? ['Nx project.json files'] : []),
      ...(nestProjects.length > 0 ? ['nest-cli.json projects'] : []),
      ...deploymentFolders,
      ...(aliasFolders > 0 ? ['tsconfig path aliases'] : []),
      ...(configuredFolders > 0 ? ['configuration (services, jobs, frontends)'] : []),
    ],
    // What the deployment index binds (a Helm block or a workload by its name) is bound, whatever its image says.
    unboundDeployments: unboundDeployments.filter((d) => !index.binds(d)),
    diagnostics,
  };
}

function buildComponents(candidates: ComponentEvidence[], config: ResolvedConfig, files: Set<string>, diagnostics: Diagnostic[]): Component[] {
  const seen = new Map<string, number>();
  for (const c of candidates) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  const components = candidates.map((evidence): Component => {
    if ((seen.get(evidence.id) ?? 0) > 1) {
      diagnostics.push({ file: evidence.manifest?.file ?? evidence.dir, code: 'duplicate-name', message: `component name "${evidence.id}" is used by several folders; using the folder "${evidence.dir}" as its id` });
      evidence.id = evidence.dir;
    }
    const { kind, reasons } = classify(evidence, config);
    const surface = publicSurface(evidence.dir, evidence.manifest, files);
    const configuredPublic = Object.entries(config.public)
      .filter(([key]) => matchesComponent(key, evidence))
      .flatMap(([, globs]) => globs.map((glob) => normalisePattern(glob, evidence.dir)));
    // What an alias reaches is what importers may use: `@acme/entities/*` opens the whole folder it names.
    const aliased = [...(evidence.pathAlias?.targets ?? []), ...(evidence.entryAliases ?? [])].map((target) => (target.includes('*') ? target.replaceAll('*', '**') : isCodeFile(target) ? target : `${target}/index.*`));
    return {
      id: evidence.id,
      dir: evidence.dir,
      kind,
      ...(evidence.language ? { language: evidence.language } : {}),
      reasons,
      service: evidence.id,
      packageName: evidence.manifest?.name,
      manifest: evidence.manifest,
      publicFiles: surface.files,
      publicGlobs: [...new Set([...surface.globs, ...configuredPublic, ...aliased])].sort(compareStrings),
    };
  });
  applyGroups(components, config);
  applyHosts(components, config);
  return components.sort((a, b) => compareStrings(a.id, b.id));
}

/** Several deployables of one bounded context deploy as one service (config `groups`). */
function applyGroups(components: Component[], config: ResolvedConfig): void {
  for (const [service, members] of Object.entries(config.groups)) {
    for (const member of members) {
      const matched = components.filter((c) => matchesComponent(member, c));
      if (matched.length === 0) {
        throw new UsageError(`${config.file ?? 'configuration'}: groups.${service} names "${member}", which matches no component`);
      }
      for (const component of matched) {
        component.service = service;
        component.reasons.push(`grouped into service "${service}" by configuration`);
      }
    }
  }
}

/**
 * Which candidates build a user interface, what each one's own code does on a server, and for each, a workspace
 * package it depends on at run time whose code accesses a database.
 */
function attachWebApps(candidates: ComponentEvidence[], facts: FileFacts[], files: Set<string>, isTest: (file: string) => boolean): void {
  const serverCode = serverCodeByComponent(candidates.map((c) => c.dir), facts, isTest);
  const byName = new Map(candidates.flatMap((c) => (c.manifest?.name ? [[c.manifest.name, c] as const] : [])));
  for (const candidate of candidates) {
    const hasIndexHtml = ['index.html', 'public/index.html', 'src/index.html'].some((file) => files.has(joinPosix(candidate.dir, file)));
    const webApp = webAppOf(candidate.ownFiles, candidate.manifest, hasIndexHtml);
    if (webApp) candidate.webApp = webApp;
    const code = serverCode.get(candidate.dir);
    if (code) candidate.serverCode = code;
    for (const dependency of candidate.manifest?.dependencies ?? []) {
      const target = dependency.field === 'dependencies' ? byName.get(dependency.name) : undefined;
      const database = target && target !== candidate ? serverCode.get(target.dir)?.database : undefined;
      if (database) {
        candidate.databaseDependency = `"${dependency.name}", which accesses a database (${database})`;
        break;
      }
    }
  }
}

/** Host names configuration gives services (`hosts`): a URL with one of them calls that service. */
function applyHosts(components: Component[], config: ResolvedConfig): void {
  for (const [key, hosts] of Object.entries(config.hosts)) {
    const services = components.filter((c) => (matchesComponent(key, c) || c.service === key) && c.kind === 'service');
    if (services.length === 0) throw new UsageError(`${config.file ?? 'configuration'}: hosts.${key} names no service (a service id, folder or group)`);
    const names = hosts.map((host) => host.toLowerCase());
    for (const service of services) {
      service.hosts = [...new Set([...(service.hosts ?? []), ...names])].sort(compareStrings);
      service.reasons.push(`reached at ${names.map((host) => `"${host}"`).join(', ')} (configured: hosts.${key})`);
    }
  }
}

/** Which workspace packages depend on each candidate at run time (`dependencies`, `peerDependencies`). */
function attachDependents(candidates: ComponentEvidence[]): void {
  const byName = new Map(candidates.flatMap((c) => (c.manifest?.name ? [[c.manifest.name, c] as const] : [])));
  for (const dependent of candidates) {
    if (!dependent.manifest) continue;
    for (const dependency of dependent.manifest.dependencies) {
      if (dependency.field !== 'dependencies' && dependency.field !== 'peerDependencies') continue;
      const target = byName.get(dependency.name);
      if (target && target !== dependent && !target.dependents.some((d) => d.id === dependent.id)) {
        target.dependents.push({ id: dependent.id, published: !dependent.private });
      }
    }
  }
  for (const candidate of candidates) candidate.dependents.sort((a, b) => compareStrings(a.id, b.id));
}

/**
 * Folders the deployment files and Dockerfiles point at become components, with or without a workspace
 * file: what compose, skaffold and Dockerfile stages build, what PaaS and serverless files deploy, folders
 * with a Dockerfile, and folders named like an image a deployment runs (a package, or a Go program), each
 * when it holds a program (a package.json, another language's manifest, or the code a Go program runs) and
 * is not inside a component already. Returns the kinds of evidence that added some, for `workspaceSources`.
 */
function addDeploymentFolders(
  candidates: Map<string, ComponentEvidence>,
  deployments: DeploymentEvidence,
  holdsCode: (dir: string) => boolean,
  files: string[],
  programs: Map<string, GoProgram>,
  runs: (dir: string) => string,
  candidate: (dir: string) => ComponentEvidence,
): string[] {
  const insideComponent = (dir: string) => [...candidates.keys()].some((c) => dir === c || dir.startsWith(`${c}/`));
  const sources: string[] = [];
  const add = (source: string, dirs: string[]) => {
    let added = false;
    for (const dir of [...new Set(dirs)].sort((a, b) => a.split('/').length - b.split('/').length || compareStrings(a, b))) {
      if (dir === '' || !holdsCode(dir) || insideComponent(dir)) continue;
      candidate(dir);
      added = true;
    }
    if (added) sources.push(source);
  };
  add('docker-compose and skaffold builds', deployments.builds.filter((b) => b.source === 'compose' || b.source === 'skaffold').map((b) => b.dir));
  add('Docker Bake targets that deployment files run', deployments.builds.filter((b) => b.source === 'bake').map((b) => b.dir));
  add('images built by CI workflows', deployments.builds.filter((b) => b.source === 'workflow').map((b) => b.dir));
  add('Dockerfile stages', deployments.builds.filter((b) => b.source === 'dockerfile').map((b) => b.dir));
  add('PaaS and serverless files', deployments.builds.filter((b) => !buildsImage(b)).map((b) => b.dir));
  add('Dockerfiles', containerFolders(files).map(runs));
  const programFolders = [...files.filter((f) => f.endsWith('/package.json')).map(dirOf), ...programs.keys()];
  add(
    'images of deployment files',
    deployments.deployedImages.flatMap((deployed) => {
      const names = programNamesOf(deployments, deployed);
      return nearestTo(deployed.file, programFolders.filter((dir) => names.includes(dir.slice(dir.lastIndexOf('/') + 1))), (dir) => dir).map(runs);
    }),
  );
  return sources;
}

/**
 * The names of the program a deployed image runs, when the repository does not build it: the image's own names
 * (programNames), or for a language runtime's image (`node:22-alpine` running mounted code) the compose service's or
 * workload's name. A product's image (`mongo`) runs no program of the repository.
 */
function programNamesOf(deployments: DeploymentEvidence, deployed: DeployedImage): string[] {
  const key = imageKey(deployed.image);
  if (buildOfImage(deployments, deployed.image, deployed.file) || isProductImage(key)) return [];
  return isOfficialImage(key) ? [deployed.name] : programNames(deployments, key);
}


/**
 * A component runs as the images deployment files give it: an image the repository builds (buildOfImage)
 * belongs to the folder its build builds; any other image names a component by its last path segment, unless it is
 * an official image (`mongo`, `redis`), which is never a folder of the repository, or the component is a
 * command-line tool. Returns the builds and images that bind to no component.
 */
function attachDeployedImages(candidates: ComponentEvidence[], deployments: DeploymentEvidence, programs: Map<string, GoProgram>): UnboundDeployment[] {
  const byDir = new Map(candidates.map((c) => [c.dir, c]));
  const byShortName = new Map<string, ComponentEvidence>();
  // A command-line tool is not what an image named after it serves (`acme/trigger.dev` runs the server, not the CLI).
  for (const c of candidates.filter((candidate) => !candidate.commandLineTool)) {
    byShortName.set(c.dir.slice(c.dir.lastIndexOf('/') + 1), c);
    byShortName.set(c.id.replace(/^@[^/]+\//, ''), c);
  }
  // An image named like a Go program (`acme/control-api` for build/control-api) runs the code that program runs, whatever else shares the name.
  for (const { main, dir } of programs.values()) {
    const component = byDir.get(dir);
    if (component) byShortName.set(main.slice(main.lastIndexOf('/') + 1), component);
  }
  const ours = new Set<string>();
  const unmatched: DeployedImage[] = [];
  const runtimes: DeployedImage[] = [];
  // Once the repository builds images in namespaces of its own, one pulled into another namespace is someone else's release (`bitnami/redis`): it names no folder.
  const buildsInNamespaces = deployments.builds.some((build) => build.image !== undefined && imageNamespace(imageKey(build.image)) !== '');
  for (const deployed of deployments.deployedImages) {
    const key = imageKey(deployed.image);
    const build = buildOfImage(deployments, deployed.image, deployed.file);
    const names = buildsInNamespaces && !build && isForeignImage(deployments, deployed.image) ? [] : programNamesOf(deployments, deployed);
    const component = build ? byDir.get(build.dir) : names.map((name) => byShortName.get(name)).find(Boolean);
    if (component && !component.deployedImage) component.deployedImage = { ...deployed };
    if (component || build) ours.add(imageNamespace(key));
    else if (!isOfficialImage(key)) unmatched.push(deployed);
    else if (!isProductImage(key)) runtimes.push(deployed);
  }
  for (const build of deployments.builds) if (build.image) ours.add(imageNamespace(imageKey(build.image)));
  const unbound = new Map<string, UnboundDeployment>();
  const add = (deployment: UnboundDeployment) => unbound.set(JSON.stringify(deployment), deployment);
  // Third-party images (quay.io/cilium/…) are not listed: only those in a namespace of the repository's own images.
  for (const deployed of unmatched.filter((d) => ours.has(imageNamespace(imageKey(d.image))))) {
    add({ source: deployed.source, name: deployed.name, file: deployed.file, reason: `runs image "${deployed.image}", named like no component` });
  }
  for (const deployed of runtimes) {
    add({ source: deployed.source, name: deployed.name, file: deployed.file, reason: `runs the language runtime image "${deployed.image}" on code of the repository, but its name is no component's` });
  }
  for (const build of deployments.builds.filter((b) => !byDir.has(b.dir))) {
    const what = build.dir === '' ? 'the repository root, which is never a component' : `"${build.dir}", which holds no package.json or language manifest`;
    add({ source: build.source, name: build.name, file: build.file, reason: `${buildsImage(build) ? 'builds' : 'deploys'} ${what}` });
  }
  return [...unbound.values()].sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.name, b.name));
}

/**
 * A one-shot compose service (a migrator, a seeder) whose command runs a package's code from an image built from
 * another folder (the web app's image running `node packages/db/dist/migrate.js`) runs that package as a job; its
 * own build or image already says so.
 */
function attachJobRuns(candidates: ComponentEvidence[], deployments: DeploymentEvidence): void {
  const byDir = new Map(candidates.map((c) => [c.dir, c]));
  const folders = candidates.map((c) => ({ dir: c.dir, name: c.manifest?.name }));
  for (const { name, file, command, runsToCompletion } of deployments.jobCommands) {
    for (const [dir, via] of foldersRunBy(command, folders)) {
      const evidence = byDir.get(dir)!;
      const same = (d: { source: string; file: string; name: string }) => d.source === 'compose' && d.file === file && d.name === name;
      if (evidence.builds.some(same) || (evidence.deployedImage && same(evidence.deployedImage))) continue;
      (evidence.jobRuns ??= []).push({ reason: `run by docker-compose service "${name}", whose command runs "${via}" (${file})`, runsToCompletion });
    }
  }
}

interface PathAlias {
  alias: string;
  /** Its first target, from the root (`libs/entities/src/*`). */
  target: string;
  /** The folder it names: above the target's `src/`, without a wildcard or file name. */
  dir: string;
  file: string;
}

/** The `compilerOptions.paths` of the root tsconfig files, each alias with the folder its first target names. */
function pathAliases(files: Set<string>, read: (file: string) => string | undefined): PathAlias[] {
  const aliases: PathAlias[] = [];
  for (const file of ['tsconfig.base.json', 'tsconfig.json']) {
    const text = files.has(file) ? read(file) : undefined;
    if (text === undefined) continue;
    // Read as leniently as the compiler reads it; its errors are the module resolver's to report (invalid-tsconfig).
    const doc = parseJsonWithLocations(file, text);
    const options = (doc.value as { compilerOptions?: { paths?: unknown; baseUrl?: unknown } } | null)?.compilerOptions;
    if (typeof options?.paths !== 'object' || options.paths === null) continue;
    const baseUrl = typeof options.baseUrl === 'string' ? options.baseUrl : '';
    for (const [alias, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets) || typeof targets[0] !== 'string') continue;
      const target = joinPosix(baseUrl, targets[0]);
      const dir = aliasedFolder(target);
      if (dir !== undefined) aliases.push({ alias: alias.replace(/\/\*$/, ''), target, dir, file });
    }
  }
  return aliases;
}

/** `libs/entities/src/*` → `libs/entities`; `packages/*` → `packages`; undefined for a target outside the root. */
function aliasedFolder(target: string): string | undefined {
  const segments = target.split('/');
  if (segments[0] === '..' || target.startsWith('/')) return undefined;
  const wildcard = segments.findIndex((segment) => segment.includes('*'));
  const kept = wildcard === -1 ? segments : segments.slice(0, wildcard);
  if (isCodeFile(kept.at(-1) ?? '')) kept.pop();
  const src = kept.lastIndexOf('src');
  return (src === -1 ? kept : kept.slice(0, src)).join('/');
}

/**
 * A folder that a root tsconfig path alias names, outside every component and holding none, is a component when code
 * outside it imports it by that alias: a NestJS or Nx monorepo's library that no nest-cli.json, project.json or
 * workspace declares. Returns how many were added.
 */
function addPathAliasFolders(candidates: Map<string, ComponentEvidence>, aliases: PathAlias[], facts: FileFacts[], candidate: (dir: string) => ComponentEvidence): number {
  const declared = [...candidates.keys()];
  let added = 0;
  for (const { alias, target, dir, file } of aliases) {
    const found = candidates.get(dir)?.pathAlias;
    if (found) {
      found.targets.push(target);
      continue;
    }
    if (dir === '' || declared.some((other) => isUnder(other, dir) || isUnder(dir, other))) continue;
    const importsIt = (reference: ModuleReference) => reference.specifier === alias || reference.specifier.startsWith(`${alias}/`);
    if (!facts.some(({ file, imports }) => !isUnder(dir, file) && imports.some(importsIt))) continue;
    const evidence = candidate(dir);
    evidence.id = alias;
    evidence.pathAlias = { alias, file, targets: [target] };
    added++;
  }
  return added;
}

/** nest-cli.json `projects` in monorepo mode: each application is a deployable, each library a library. */
function nestCliProjects(nestFiles: string[], read: (file: string) => string | undefined, diagnostics: Diagnostic[]): NestProject[] {
  const projects: NestProject[] = [];
  for (const file of nestFiles) {
    const text = read(file);
    if (text === undefined) continue;
    const doc = parseJsonWithLocations(file, text);
    if (doc.errors.length > 0) {
      diagnostics.push({ file, code: 'invalid-json', message: `malformed nest-cli.json: ${doc.errors[0]}` });
      continue;
    }
    const declared = (doc.value as { projects?: unknown } | null)?.projects;
    if (typeof declared !== 'object' || declared === null) continue;
    for (const [name, project] of Object.entries(declared as Record<string, unknown>)) {
      const { root, type } = (project ?? {}) as { root?: unknown; type?: unknown };
      if (typeof root !== 'string' || (type !== 'application' && type !== 'library')) continue;
      const dir = joinPosix(dirOf(file), root.replace(/^\.\//, ''));
      if (dir !== dirOf(file)) projects.push({ name, dir, type, file });
    }
  }
  return projects;
}

/**
 * Folders the configuration declares deployables (`services`, `jobs`, `frontends`) that discovery found no
 * evidence for: a binary run from its configuration folder, a program without a manifest. Only folders outside
 * every component, holding none and below no folder added here, so `apps/**` declares `apps/x`, not `apps` or
 * the folders inside `apps/x`. Returns how many it added.
 */
function addConfiguredFolders(
  candidates: Map<string, ComponentEvidence>,
  config: ResolvedConfig,
  files: string[],
  candidate: (dir: string) => ComponentEvidence,
): number {
  const declared = [...config.services, ...config.jobs, ...config.frontends];
  if (declared.length === 0) return 0;
  const folders = foldersOf(files);
  const found = [...candidates.keys()].filter((dir) => dir !== '');
  const added: string[] = [];
  // Shallow folders first, so a folder added here shadows the folders inside it.
  for (const dir of [...folders].sort((a, b) => a.split('/').length - b.split('/').length || compareStrings(a, b))) {
    if (!declared.some((pattern) => matchesComponent(pattern, { id: dir, dir }))) continue;
    if ([...found, ...added].some((other) => other === dir || isUnder(other, dir) || isUnder(dir, other))) continue;
    candidate(dir);
    added.push(dir);
  }
  return added.length;
}

/** The names of the files directly in each folder. */
function filesByFolder(files: string[]): Map<string, Set<string>> {
  const folders = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = dirOf(file);
    let names = folders.get(dir);
    if (!names) folders.set(dir, (names = new Set()));
    names.add(file.slice(file.lastIndexOf('/') + 1));
  }
  return folders;
}
