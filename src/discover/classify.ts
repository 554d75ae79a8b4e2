import picomatch from 'picomatch';
import type { ComponentKind, PackageManifest } from '../model.js';
import { onlyBuildsImage, type DeployedImage, type ImageBuild } from './deployments.js';
import type { ResolvedConfig } from '../config/types.js';
import { joinPosix } from '../util/paths.js';
import type { ServerCode, WebApp } from './web-apps.js';

/** What the repository says about one candidate component, gathered by discovery. */
export interface ComponentEvidence {
  id: string;
  dir: string;
  manifest?: PackageManifest;
  /** Files directly in the component folder (names only). */
  ownFiles: Set<string>;
  /** The compose services, skaffold artifacts and platform deployables (fly.toml, render.yaml, Procfile, …) that build or deploy this folder. */
  builds: ImageBuild[];
  /** An image a compose service or Kubernetes workload runs that is this component. */
  deployedImage?: DeployedImage;
  /** One-shot compose services whose command runs its code from an image built elsewhere (`node packages/db/dist/migrate.js`). */
  jobRuns?: { reason: string; runsToCompletion: string }[];
  /** Its project in a nest-cli.json `projects` map (NestJS monorepo mode). */
  nestProject?: NestProject;
  /** The root tsconfig path alias that names the folder, when nothing else declares it, with the targets of its aliases. */
  pathAlias?: { alias: string; file: string; targets: string[] };
  /** Targets of root tsconfig path aliases spelled as its package name: entries importers use, like `exports`. */
  entryAliases?: string[];
  /** The language its own manifest declares when it has no package.json (`go` for a go.mod). */
  language?: string;
  /** Container files in the folder whose text never mentions a JavaScript runtime or package manager (a database migrator image). */
  foreignContainerFiles?: string[];
  /** The package.json declares `bin`: a command-line tool, whatever its start script says. */
  commandLineTool?: boolean;
  /** The package.json says `"private": true` (never published). */
  private?: boolean;
  /** The package.json prepares it for a registry (`publishConfig`, or `files` without `private`). */
  published?: boolean;
  /** Workspace packages that list this one in `dependencies` or `peerDependencies`, and whether each is published. */
  dependents: { id: string; published: boolean }[];
  /** The user interface it builds, when its config files, scripts or dependencies say it builds one. */
  webApp?: WebApp;
  /** What its own code does on a server. */
  serverCode?: ServerCode;
  /** A workspace package it depends on at run time whose code accesses a database, and where (what a server-rendered app's server code can reach). */
  databaseDependency?: string;
}

/** A project of a nest-cli.json `projects` map. */
export interface NestProject {
  name: string;
  dir: string;
  type: 'application' | 'library';
  file: string;
}

/** Names of contract packages. A bare `-sdk` is not one: SDKs are often frameworks full of logic (`@medusajs/modules-sdk`). */
const CONTRACT_NAME = /(^|[-_./@])(contracts?|api-?client|client|(api|http|js)-sdk|types|schemas?|dtos?|interfaces|protos?|events|openapi)$/i;
const SERVER_START = /\b(node|ts-node|tsx|nodemon|nest\s+start|next\s+start|fastify\s+start|bun|deno\s+run|pm2(-runtime)?)\b/;
const SERVICE_FOLDER = /^(apps|services)\//;

/**
 * Decides a component's kind, with the reasons a user can check in `arch-lint services`:
 * configuration first, then deployment evidence, then a contract-like name, then an apps/ or services/ folder.
 */
export function classify(evidence: ComponentEvidence, config: ResolvedConfig): { kind: ComponentKind; reasons: string[] } {
  const configured = configuredKind(evidence, config);
  if (configured) return configured;

  const reasons: string[] = [];
  const containerFiles = [...evidence.ownFiles].filter(isContainerFile);
  const foreign = evidence.foreignContainerFiles ?? [];
  // A package whose only images run no JavaScript (FROM postgres, a migrator) deploys something else, even through
  // compose; a folder of another language (a go.mod, no package.json) or a static site deploys its own files with them.
  const dockerfile = containerFiles.find((f) => evidence.language !== undefined || evidence.webApp?.staticSite || !foreign.includes(f));
  const onlyForeignImages = containerFiles.length > 0 && !dockerfile;
  const shippedAs = shippedAsLibrary(evidence);
  const deployedByFile = evidence.builds.length > 0 || evidence.deployedImage !== undefined;
  // A Dockerfile nothing builds, in a package published for others to install, is a leftover: weak evidence.
  const loneDockerfile = dockerfile && !deployedByFile && shippedAs?.outweighsDockerfile ? dockerfile : undefined;
  if (dockerfile && !loneDockerfile) reasons.push(`has a ${dockerfile}${evidence.language ? ` (a ${evidence.language} program)` : ''}`);
  // A one-shot build of such an image (a goose or Flyway migrator over the package's schema) runs the package as a job.
  const builds = onlyForeignImages ? evidence.builds.filter((b) => b.runsToCompletion) : evidence.builds;
  for (const { reason, runsToCompletion, source } of builds) {
    // A Next.js app's config says what the web app's reason says (webAppOf).
    if (source === 'nextjs' && evidence.webApp) continue;
    reasons.push(runsToCompletion ? `${reason}, a job: ${runsToCompletion}` : reason);
  }
  if (evidence.deployedImage) {
    const { source, name, image, file, runsToCompletion } = evidence.deployedImage;
    const deployed = {
      kubernetes: `deployed by Kubernetes as image "${image}" (${file})`,
      helm: `deployed by the Helm chart's "${name}" values as image "${image}" (${file})`,
      compose: `run by docker-compose service "${name}" as image "${image}" (${file})`,
    }[source];
    reasons.push(runsToCompletion ? `${deployed}, a job: ${runsToCompletion}` : deployed);
  }
  const jobRuns = evidence.jobRuns ?? [];
  for (const { reason, runsToCompletion } of jobRuns) reasons.push(`${reason}, a job: ${runsToCompletion}`);
  // A folder only one-shot deployments run (a migrator, a seeder, a container an operator execs into) is a job: it never
  // makes the package a service. A CI workflow's or a Dockerfile's build says how its image is made, not how it runs:
  // the deployments that run the image decide, and an image nothing here runs is a service's.
  const runs = [...builds.filter((b) => !onlyBuildsImage(b)), ...(evidence.deployedImage ? [evidence.deployedImage] : []), ...jobRuns];
  if (runs.length > 0 && runs.every((d) => d.runsToCompletion) && evidence.nestProject?.type !== 'application') return { kind: 'job', reasons };
  const demotedBy = evidence.commandLineTool ? 'it declares `bin` (a command-line tool)' : shippedAs?.why;
  // A user interface calls services and nobody calls it, unless it serves requests of its own: then it is a service.
  const { webApp } = evidence;
  const server = webApp ? appServerCode(evidence, webApp) : undefined;
  if (webApp && server && (reasons.length > 0 || !demotedBy)) return { kind: 'service', reasons: [`is ${webApp.what} with server code of its own: it ${server}`, ...reasons] };
  if (webApp && (reasons.length > 0 || !demotedBy)) return { kind: 'frontend', reasons: [`is ${webApp.what}`, withoutServerCode(evidence, webApp), ...reasons] };
  if (evidence.nestProject?.type === 'application') reasons.push(`is the NestJS application "${evidence.nestProject.name}" (${evidence.nestProject.file})`);
  else if (!evidence.nestProject && evidence.ownFiles.has('nest-cli.json')) reasons.push('is a NestJS project (nest-cli.json)');
  if (reasons.length > 0) return { kind: 'service', reasons };
  const foreignImages = onlyForeignImages ? [`its ${containerFiles.join(', ')} runs no Node.js (an image of something else, such as a migrator): not evidence`] : [];

  // Weaker evidence: a start script or an apps/ folder, unless the package is a CLI or published packages depend on it.
  const start = evidence.manifest?.scripts.start;
  const weak: string[] = loneDockerfile ? [`has a ${loneDockerfile} that no deployment file builds`] : [];
  if (start && SERVER_START.test(start)) weak.push(`has a start script that runs a server ("${start}")`);
  const name = evidence.manifest?.name ?? evidence.id;
  const contractName = CONTRACT_NAME.test(name);
  if (!contractName && SERVICE_FOLDER.test(evidence.dir + '/')) weak.push(`lives under ${evidence.dir.split('/')[0]}/`);
  // A contract is read by others; a package named like one that starts a server runs on its own.
  if (contractName && evidence.serverCode?.starts) weak.push(`is named like a contract ("${name}") but starts a server (${evidence.serverCode.starts})`);
  if (weak.length > 0 && !demotedBy) return { kind: 'service', reasons: [...weak, ...foreignImages] };
  const notAService = [
    ...(weak.length > 0 ? [`${weak.join(' and ')}, but ${demotedBy}: not a service`] : []),
    ...(webApp ? [`is ${webApp.what}, but ${demotedBy}: not a frontend`] : []),
    ...foreignImages,
  ];

  if (contractName) return { kind: 'contract', reasons: [`named as a contract package ("${name}")`, ...notAService] };
  if (evidence.nestProject) notAService.push(`is the NestJS library "${evidence.nestProject.name}" (${evidence.nestProject.file})`);
  if (evidence.pathAlias) notAService.push(`is the folder the path alias "${evidence.pathAlias.alias}" names (${evidence.pathAlias.file}), imported by alias`);
  if (notAService.length > 0) return { kind: 'library', reasons: notAService };
  return { kind: 'library', reasons: ['no deployment evidence (Dockerfile, compose build, Kubernetes image, server start script, apps/ or services/ folder)'] };
}

export function isContainerFile(name: string): boolean {
  return /^(Dockerfile|Containerfile)(\.[\w-]+)?$/.test(name);
}

/** Whether a container file mentions a JavaScript runtime or package manager anywhere (base image, RUN, CMD). */
export function runsJavaScript(containerFile: string): boolean {
  return /\b(node|nodejs|npm|npx|pnpm|yarn|bun|deno|tsx|ts-node|corepack)\b/i.test(containerFile);
}

/**
 * Why a package is a library whatever its folder or start script say: published packages depend on it at run
 * time, or it is itself prepared for a registry (services are deployed, not installed). A Dockerfile nothing builds
 * counts for less than a published package that workspace packages install.
 */
function shippedAsLibrary(evidence: ComponentEvidence): { why: string; outweighsDockerfile: boolean } | undefined {
  const publishedDependents = evidence.dependents.filter((d) => d.published).map((d) => d.id);
  if (publishedDependents.length > 0) {
    const one = publishedDependents.length === 1;
    return { why: `published ${one ? 'package' : 'packages'} ${listNames(publishedDependents)} ${one ? 'depends' : 'depend'} on it`, outweighsDockerfile: false };
  }
  if (evidence.published && evidence.dependents.length > 0) {
    const one = evidence.dependents.length === 1;
    const names = listNames(evidence.dependents.map((d) => d.id));
    return { why: `it is published as a package (publishConfig or files) and ${names} ${one ? 'depends' : 'depend'} on it at run time`, outweighsDockerfile: true };
  }
  if (evidence.published) return { why: 'it is published as a package (publishConfig or files), installed rather than deployed', outweighsDockerfile: false };
  return undefined;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `"${n}"`).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** What a web app does on a server that makes it a service, in words that follow "it": undefined for a frontend. */
function appServerCode(evidence: ComponentEvidence, webApp: WebApp): string | undefined {
  const code = evidence.serverCode;
  if (code?.starts) return `starts a server (${code.starts})`;
  if (code?.routes) return `registers HTTP routes (${code.routes})`;
  // Code that runs in a browser opens no database connection: what looks like one there is not.
  if (!webApp.serverRendered) return undefined;
  if (code?.database) return `accesses a database (${code.database})`;
  // Route handlers, server actions and server-side rendering reach the database through the packages they import.
  if (evidence.databaseDependency) return `depends on ${evidence.databaseDependency}`;
  return undefined;
}

/** Why a web app's own code makes it no service. */
function withoutServerCode(evidence: ComponentEvidence, webApp: WebApp): string {
  const handlers = evidence.serverCode?.handlers;
  if (handlers) return `its server code (${handlers}) starts no server and reaches no database: it serves the app's own pages`;
  return webApp.serverRendered
    ? 'has no server code of its own (no API routes, route handlers, server actions, HTTP server or database access)'
    : 'runs in the browser: no HTTP server or routes of its own';
}

function configuredKind(evidence: ComponentEvidence, config: ResolvedConfig): { kind: ComponentKind; reasons: string[] } | undefined {
  const lists: [ComponentKind, string, string[]][] = [
    ['service', 'services', config.services],
    ['job', 'jobs', config.jobs],
    ['frontend', 'frontends', config.frontends],
    ['contract', 'contracts', config.contracts],
    ['library', 'libraries', config.libraries],
  ];
  for (const [kind, key, globs] of lists) {
    const glob = globs.find((g) => matchesComponent(g, evidence));
    if (glob) return { kind, reasons: [`configured: ${key} includes "${glob}"`] };
  }
  return undefined;
}

/** A config entry names a component by id (package name) or by a glob of its folder. */
export function matchesComponent(pattern: string, component: { id: string; dir: string }): boolean {
  if (pattern === component.id) return true;
  return folderGlob(pattern)(component.dir);
}

const folderGlobs = new Map<string, (dir: string) => boolean>();
/** A config entry's folder glob, compiled once: configuration is matched against every folder of a repository. */
function folderGlob(pattern: string): (dir: string) => boolean {
  let matches = folderGlobs.get(pattern);
  if (!matches) {
    const glob = joinPosix(pattern.replace(/^\.\//, ''));
    matches = glob === '' ? (dir) => dir === '' : picomatch(glob, { dot: true }); // '.' or '/': the root folder
    folderGlobs.set(pattern, matches);
  }
  return matches;
}
