import type { Node } from 'yaml';
import type { EnvAssignment, KubernetesContainer, KubernetesEnv, KubernetesObject, KubernetesSourceKind, SkaffoldArtifact, SourceLocation } from '../model.js';
import { isComposeFile } from '../discover/workspaces.js';
import { parsedDocuments } from './compose.js';
import type { FileExtractor } from './index.js';
import { YamlReader } from './yaml-nodes.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
const LOOKS_LIKE_MANIFEST = /^kind:\s*\w+/m;

/**
 * Kubernetes manifests (multi-document): workloads with their pod labels and their containers' `env` (values and
 * `secretKeyRef`/`configMapKeyRef`) and `envFrom`; Services with their selector; Ingress hosts with their Services; Secrets
 * (`stringData`, base64 `data`) and ConfigMaps;
 * and the skaffold.yaml that builds their images (`build.artifacts`).
 */
export const kubernetesExtractor: FileExtractor = {
  name: 'kubernetes',
  matches: (file) => /\.ya?ml$/i.test(file) && !isComposeFile(file),
  extract: (input, facts) => {
    if (!LOOKS_LIKE_MANIFEST.test(input.text) || !/^apiVersion:/m.test(input.text) || isHelmTemplate(input.file, input.text)) return;
    const objects: KubernetesObject[] = [];
    const artifacts: SkaffoldArtifact[] = [];
    for (const document of parsedDocuments(input, facts)) {
      const yaml = new YamlReader(input.file, input.text, document);
      if (yaml.text(yaml.get(yaml.root, 'apiVersion'))?.startsWith('skaffold/')) {
        artifacts.push(...skaffoldArtifacts(yaml));
        continue;
      }
      const kind = yaml.text(yaml.get(yaml.root, 'kind'));
      const name = yaml.text(yaml.get(yaml.root, 'metadata', 'name'));
      if (!kind || !name) continue;
      const namespace = yaml.text(yaml.get(yaml.root, 'metadata', 'namespace'));
      const location = yaml.locate(yaml.get(yaml.root, 'metadata', 'name'));
      if (WORKLOADS.has(kind)) {
        objects.push({ kind: 'workload', workload: kind, name, namespace, location, labels: podLabels(yaml, kind), containers: containers(yaml, kind) });
      } else if (kind === 'Service') {
        objects.push({ kind: 'service', name, namespace, location, selector: stringMap(yaml, yaml.get(yaml.root, 'spec', 'selector')) });
      } else if (kind === 'Ingress') {
        objects.push({ kind: 'ingress', name, namespace, location, hosts: ingressHosts(yaml) });
      } else if (kind === 'Secret' || kind === 'ConfigMap') {
        objects.push({ kind: kind === 'Secret' ? 'secret' : 'configMap', name, namespace, location, entries: configEntries(yaml, kind === 'Secret') });
      }
    }
    if (objects.length > 0) facts.kubernetes = objects;
    if (artifacts.length > 0) facts.skaffoldArtifacts = artifacts;
  },
};

/** A Helm chart template is a Go template that renders YAML, not YAML: it is neither read nor reported as invalid. */
export function isHelmTemplate(file: string, text: string): boolean {
  return /(^|\/)templates\//.test(file) && text.includes('{{');
}

/** skaffold's `build.artifacts`: the images it builds, each from a context folder with an optional Dockerfile and stage (`docker.target`). */
function skaffoldArtifacts(yaml: YamlReader): SkaffoldArtifact[] {
  return yaml.items(yaml.get(yaml.root, 'build', 'artifacts')).flatMap((artifact) => {
    const image = yaml.text(yaml.get(artifact, 'image'));
    if (!image) return [];
    const dockerfile = yaml.text(yaml.get(artifact, 'docker', 'dockerfile'));
    const target = yaml.text(yaml.get(artifact, 'docker', 'target'));
    return [{ image, context: yaml.text(yaml.get(artifact, 'context')) ?? '.', ...(dockerfile ? { dockerfile } : {}), ...(target ? { target } : {}), location: yaml.locate(yaml.get(artifact, 'image')) }];
  });
}

/**
 * An Ingress's hosts and the Services each sends to: its rules' path backends (`backend.service.name`, or
 * `serviceName` before networking.k8s.io/v1), and the default backend for every host. Rules without a host are left out.
 */
function ingressHosts(yaml: YamlReader): { host: string; services: string[] }[] {
  const spec = yaml.get(yaml.root, 'spec');
  const serviceOf = (backend: Node | null) => yaml.text(yaml.get(backend, 'service', 'name')) ?? yaml.text(yaml.get(backend, 'serviceName'));
  const fallback = serviceOf(yaml.get(spec, 'defaultBackend')) ?? serviceOf(yaml.get(spec, 'backend'));
  return yaml.items(yaml.get(spec, 'rules')).flatMap((rule) => {
    const host = yaml.text(yaml.get(rule, 'host'));
    if (!host) return [];
    const routed = yaml.items(yaml.get(rule, 'http', 'paths')).map((path) => serviceOf(yaml.get(path, 'backend')));
    const services = [...new Set([...routed, ...(routed.length === 0 && fallback ? [fallback] : [])].filter((name): name is string => name !== undefined))];
    return services.length > 0 ? [{ host, services }] : [];
  });
}

/** The pod template of a workload (the Pod itself for a Pod). */
function podTemplate(yaml: YamlReader, kind: string): Node | null {
  const spec = yaml.get(yaml.root, 'spec');
  return kind === 'Pod' ? yaml.root : kind === 'CronJob' ? yaml.get(spec, 'jobTemplate', 'spec', 'template') : yaml.get(spec, 'template');
}

function podLabels(yaml: YamlReader, kind: string): Record<string, string> {
  return stringMap(yaml, yaml.get(podTemplate(yaml, kind), 'metadata', 'labels'));
}

/** A map of scalars (labels, a selector) as strings. */
function stringMap(yaml: YamlReader, node: Node | null): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [key, { value }] of yaml.entries(node)) {
    const text = yaml.text(value);
    if (text !== undefined) map[key] = text;
  }
  return map;
}

function containers(yaml: YamlReader, kind: string): KubernetesContainer[] {
  const pod = yaml.get(podTemplate(yaml, kind), 'spec');
  return [...yaml.items(yaml.get(pod, 'initContainers')), ...yaml.items(yaml.get(pod, 'containers'))].map((container) => ({
    name: yaml.text(yaml.get(container, 'name')) ?? '',
    image: yaml.text(yaml.get(container, 'image')),
    env: yaml.items(yaml.get(container, 'env')).flatMap((entry) => containerEnv(yaml, entry)),
    envFrom: yaml.items(yaml.get(container, 'envFrom')).flatMap((entry) => {
      const prefix = yaml.text(yaml.get(entry, 'prefix')) ?? '';
      for (const [field, sourceKind] of [['secretRef', 'secret'], ['configMapRef', 'configMap']] as const) {
        const ref = yaml.get(entry, field);
        const name = yaml.text(yaml.get(ref, 'name'));
        if (name) return [{ kind: sourceKind, name, prefix, location: yaml.locate(ref) }];
      }
      return [];
    }),
  }));
}

/** One `env` entry of a container: a value, or a key of a Secret or ConfigMap. */
export function containerEnv(yaml: YamlReader, entry: Node): KubernetesEnv[] {
  const name = yaml.text(yaml.get(entry, 'name'));
  if (!name) return [];
  return envEntry(yaml, name, yaml.locate(yaml.get(entry, 'name')), entry);
}

/** A variable's `value`, or its `valueFrom` key of a Secret or ConfigMap. */
export function envEntry(yaml: YamlReader, name: string, location: SourceLocation, entry: Node | null): KubernetesEnv[] {
  const value = yaml.text(yaml.get(entry, 'value'));
  if (value !== undefined) return [{ name, value, location }];
  for (const [field, kind] of [['secretKeyRef', 'secret'], ['configMapKeyRef', 'configMap']] as [string, KubernetesSourceKind][]) {
    const ref = yaml.get(entry, 'valueFrom', field);
    const source = yaml.text(yaml.get(ref, 'name'));
    const key = yaml.text(yaml.get(ref, 'key'));
    if (source && key) return [{ name, from: { kind, name: source, key }, location: yaml.locate(ref) }];
  }
  return [];
}

/** ConfigMap `data`; Secret `data` (base64, decoded) overridden by `stringData`, as the API server does. */
function configEntries(yaml: YamlReader, secret: boolean): EnvAssignment[] {
  const entries = new Map<string, EnvAssignment>();
  for (const [name, { key, value }] of yaml.entries(yaml.get(yaml.root, 'data'))) {
    const text = yaml.text(value);
    if (text !== undefined) entries.set(name, { name, value: secret ? Buffer.from(text, 'base64').toString('utf8') : text, location: yaml.locate(key) });
  }
  if (secret) {
    for (const [name, { key, value }] of yaml.entries(yaml.get(yaml.root, 'stringData'))) {
      const text = yaml.text(value);
      if (text !== undefined) entries.set(name, { name, value: text, location: yaml.locate(key) });
    }
  }
  return [...entries.values()];
}
