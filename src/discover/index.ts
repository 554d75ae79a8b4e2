import picomatch from 'picomatch';
import type { ResolvedConfig } from '../config/types.js';
import { UsageError } from '../config/types.js';
import type { Component, Diagnostic, Discovery, FileFacts } from '../model.js';
import { parseJsonWithLocations } from '../util/json.js';
import { compareStrings } from '../util/text.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { classify, isContainerFile, matchesComponent, runsJavaScript, type ComponentEvidence } from './classify.js';
import { parseManifest } from './manifest.js';
import { publicSurface } from './public-surface.js';
import { readRepoFile } from './read.js';
import { composeBuildContexts, nestedWorkspaceRoots, normalisePattern, readWorkspaceDeclarations } from './workspaces.js';

const NX_PROJECT_KEYS = ['sourceRoot', 'projectType', 'targets', 'implicitDependencies'];

export interface DiscoveryInput {
  /** The files of the repository (walkRepository). */
  walk: { files: string[]; diagnostics: Diagnostic[] };
  /** Facts of those files: docker-compose build contexts and Kubernetes workload images, evidence of components and services. */
  facts: FileFacts[];
}

/**
 * Finds the components of a repository with zero configuration: workspace packages
 * (npm/yarn/pnpm/lerna), Nx projects, and, without any workspace file, the folders docker-compose builds.
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
  const composeContexts = composeBuildContexts(input.facts, diagnostics);
  const candidates = new Map<string, ComponentEvidence>();
  const candidate = (dir: string): ComponentEvidence => {
    let evidence = candidates.get(dir);
    if (!evidence) {
      evidence = { id: dir, dir, ownFiles: new Set(), publishedDependents: [] };
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
  if (declaration.patterns.length === 0 && nxProjects === 0) {
    for (const context of composeContexts) candidate(context.dir);
  }
  candidates.delete('');

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
        if (parsed.manifest?.name) evidence.id = parsed.manifest.name;
      }
    }
    const build = composeContexts.find((c) => c.dir === evidence.dir);
    if (build) evidence.composeBuild = { file: build.file, service: build.service };
  }
  for (const file of files) {
    const evidence = candidates.get(dirOf(file));
    if (evidence) evidence.ownFiles.add(file.slice(file.lastIndexOf('/') + 1));
  }
  for (const evidence of candidates.values()) evidence.nestProject = evidence.ownFiles.has('nest-cli.json');
  attachDependents([...candidates.values()]);
  // Unreadable files are left to the extractors to report: here they only might name a runtime.
  const readQuietly = (file: string) => {
    const result = readRepoFile(root, file, config.maxFileSize);
    return 'text' in result ? result.text : undefined;
  };
  for (const evidence of candidates.values()) {
    const containerFiles = [...evidence.ownFiles].filter(isContainerFile);
    evidence.foreignContainerFiles = containerFiles.filter((name) => !runsJavaScript(readQuietly(joinPosix(evidence.dir, name)) ?? 'node'));
  }
  attachKubernetesImages([...candidates.values()], input.facts);

  const components = buildComponents([...candidates.values()], config, fileSet, diagnostics);
  return {
    root,
    files,
    components,
    workspaceSources: [
      ...declaration.sources,
      ...(nxProjects > 0 ? ['Nx project.json files'] : []),
      ...(declaration.patterns.length === 0 && nxProjects === 0 && composeContexts.length > 0 ? ['docker-compose build contexts'] : []),
    ],
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
    return {
      id: evidence.id,
      dir: evidence.dir,
      kind,
      reasons,
      service: evidence.id,
      packageName: evidence.manifest?.name,
      manifest: evidence.manifest,
      publicFiles: surface.files,
      publicGlobs: [...surface.globs, ...configuredPublic].sort(compareStrings),
    };
  });
  applyGroups(components, config);
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

/** Which published workspace packages depend on each candidate at run time (`dependencies`, `peerDependencies`). */
function attachDependents(candidates: ComponentEvidence[]): void {
  const byName = new Map(candidates.flatMap((c) => (c.manifest?.name ? [[c.manifest.name, c] as const] : [])));
  for (const dependent of candidates) {
    if (dependent.private || !dependent.manifest) continue;
    for (const dependency of dependent.manifest.dependencies) {
      if (dependency.field !== 'dependencies' && dependency.field !== 'peerDependencies') continue;
      const target = byName.get(dependency.name);
      if (target && target !== dependent && !target.publishedDependents.includes(dependent.id)) target.publishedDependents.push(dependent.id);
    }
  }
  for (const candidate of candidates) candidate.publishedDependents.sort(compareStrings);
}

/** A Kubernetes workload whose container image is named like a component deploys it. */
function attachKubernetesImages(candidates: ComponentEvidence[], facts: FileFacts[]): void {
  const byShortName = new Map<string, ComponentEvidence>();
  for (const c of candidates) {
    byShortName.set(c.dir.slice(c.dir.lastIndexOf('/') + 1), c);
    byShortName.set(c.id.replace(/^@[^/]+\//, ''), c);
  }
  for (const fileFacts of facts) {
    for (const host of fileFacts.serviceHosts ?? []) {
      if (host.source !== 'kubernetes' || host.kind !== 'workload') continue;
      for (const image of host.images) {
        const name = image.replace(/[:@].*$/, '').split('/').pop() ?? '';
        const component = byShortName.get(name);
        if (component && !component.kubernetesImage) component.kubernetesImage = `${image} (${fileFacts.file})`;
      }
    }
  }
}
