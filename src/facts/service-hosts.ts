import type { Document } from 'yaml';
import type { ServiceHostFact, SourceLocation } from '../model.js';
import { isComposeFile } from '../discover/workspaces.js';
import { isRecord } from '../util/json.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { LineIndex } from '../util/text.js';
import type { FileExtractor } from './index.js';
import { isHelmTemplate } from './kubernetes.js';

const KUBERNETES_KIND = /^kind:\s*(Service|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob)\s*$/m;
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob']);

/**
 * The host names other services use to reach a component: docker-compose service names and aliases (with
 * their build context and image), Kubernetes Services (with their selector) and the workloads they select
 * (with pod labels and images). The graph maps a URL's host to a component through these.
 */
export const serviceHostExtractor: FileExtractor = {
  name: 'service-hosts',
  matches: (file) => /\.ya?ml$/i.test(file),
  extract(input, facts) {
    const compose = isComposeFile(input.file);
    if (!compose && (!KUBERNETES_KIND.test(input.text) || isHelmTemplate(input.file, input.text))) return;
    const lines = new LineIndex(input.text);
    const hosts: ServiceHostFact[] = [];
    for (const document of input.yamlDocuments()) {
      if (document.errors.length > 0) continue;
      const value = toObject(document);
      if (!value) continue;
      const at = (path: (string | number)[]): SourceLocation => {
        const node = document.getIn(path, true) as { range?: [number, number] } | undefined;
        const { line, column } = lines.position(node?.range?.[0] ?? document.contents?.range?.[0] ?? 0);
        return { file: input.file, line, column };
      };
      if (compose) hosts.push(...composeHosts(value, input.file, at));
      else hosts.push(...kubernetesHosts(value, at));
    }
    if (hosts.length > 0) facts.serviceHosts = hosts;
  },
};

type Json = Record<string, unknown>;

function composeHosts(value: Json, file: string, at: (path: (string | number)[]) => SourceLocation): ServiceHostFact[] {
  const services = isRecord(value.services) ? value.services : {};
  return Object.entries(services).flatMap(([name, definition]): ServiceHostFact[] => {
    if (!isRecord(definition)) return [];
    const build = definition.build;
    const context = typeof build === 'string' ? build : isRecord(build) && typeof build.context === 'string' ? build.context : undefined;
    const images = typeof definition.image === 'string' ? [definition.image] : [];
    const base = {
      source: 'compose' as const,
      images,
      ...(context && !/^[a-z]+:\/\//i.test(context) ? { buildContext: joinPosix(dirOf(file), context) } : {}),
      location: at(['services', name]),
    };
    const aliases = [typeof definition.hostname === 'string' ? definition.hostname : undefined, typeof definition.container_name === 'string' ? definition.container_name : undefined];
    const networks = isRecord(definition.networks) ? Object.values(definition.networks) : [];
    for (const network of networks) if (isRecord(network) && Array.isArray(network.aliases)) aliases.push(...network.aliases.filter((a): a is string => typeof a === 'string'));
    return [name, ...aliases].filter((n): n is string => !!n).map((host) => ({ name: host, ...base }));
  });
}

function kubernetesHosts(value: Json, at: (path: (string | number)[]) => SourceLocation): ServiceHostFact[] {
  const kind = value.kind;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const spec = isRecord(value.spec) ? value.spec : {};
  if (typeof metadata.name !== 'string' || typeof kind !== 'string') return [];
  const namespace = typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {};
  if (kind === 'Service') {
    return [{ name: metadata.name, source: 'kubernetes', kind: 'service', images: [], selector: stringMap(spec.selector), ...namespace, location: at(['metadata', 'name']) }];
  }
  if (!WORKLOADS.has(kind)) return [];
  const template = isRecord(spec.template) ? spec.template : isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) && isRecord(spec.jobTemplate.spec.template) ? spec.jobTemplate.spec.template : {};
  const podMetadata = isRecord(template.metadata) ? template.metadata : {};
  const podSpec = isRecord(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  const images = containers.flatMap((c) => (isRecord(c) && typeof c.image === 'string' ? [c.image] : []));
  return [{ name: metadata.name, source: 'kubernetes', kind: 'workload', images, labels: stringMap(podMetadata.labels), ...namespace, location: at(['metadata', 'name']) }];
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
}

function toObject(document: Document): Json | undefined {
  try {
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
