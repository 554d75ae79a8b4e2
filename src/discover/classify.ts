import picomatch from 'picomatch';
import type { ComponentKind, PackageManifest } from '../model.js';
import type { ResolvedConfig } from '../config/types.js';
import { joinPosix } from '../util/paths.js';

/** What the repository says about one candidate component, gathered by discovery. */
export interface ComponentEvidence {
  id: string;
  dir: string;
  manifest?: PackageManifest;
  /** Files directly in the component folder (names only). */
  ownFiles: Set<string>;
  composeBuild?: { file: string; service: string };
  kubernetesImage?: string;
  nestProject?: boolean;
}

const CONTRACT_NAME = /(^|[-_./@])(contracts?|api-?client|client|sdk|types|schemas?|dtos?|interfaces|protos?|events|openapi)$/i;
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
  const dockerfile = [...evidence.ownFiles].find((f) => /^(Dockerfile|Containerfile)(\.[\w-]+)?$/.test(f));
  if (dockerfile) reasons.push(`has a ${dockerfile}`);
  if (evidence.composeBuild) reasons.push(`built by docker-compose service "${evidence.composeBuild.service}" (${evidence.composeBuild.file})`);
  if (evidence.kubernetesImage) reasons.push(`deployed by Kubernetes as image "${evidence.kubernetesImage}"`);
  if (evidence.nestProject) reasons.push('is a NestJS project (nest-cli.json)');
  const start = evidence.manifest?.scripts.start;
  if (start && SERVER_START.test(start)) reasons.push(`has a start script that runs a server ("${start}")`);
  if (reasons.length > 0) return { kind: 'service', reasons };

  const name = evidence.manifest?.name ?? evidence.id;
  if (CONTRACT_NAME.test(name)) return { kind: 'contract', reasons: [`named as a contract package ("${name}")`] };
  if (SERVICE_FOLDER.test(evidence.dir + '/')) return { kind: 'service', reasons: [`lives under ${evidence.dir.split('/')[0]}/`] };

  return { kind: 'library', reasons: ['no deployment evidence (Dockerfile, compose build, Kubernetes image, server start script, apps/ or services/ folder)'] };
}

function configuredKind(evidence: ComponentEvidence, config: ResolvedConfig): { kind: ComponentKind; reasons: string[] } | undefined {
  const lists: [ComponentKind, string, string[]][] = [
    ['service', 'services', config.services],
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
  const glob = joinPosix(pattern.replace(/^\.\//, ''));
  return glob === '' ? component.dir === '' : picomatch.isMatch(component.dir, glob, { dot: true }); // '.' or '/': the root folder
}
