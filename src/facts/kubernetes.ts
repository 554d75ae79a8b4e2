import type { Node } from 'yaml';
import type { EnvAssignment, KubernetesContainer, KubernetesEnv, KubernetesObject, KubernetesSourceKind, SkaffoldArtifact, SourceLocation } from '../model.js';
import { isComposeFile } from '../discover/workspaces.js';
import { parsedDocuments } from './compose.js';
import { connectionSettings } from './config-files.js';
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
        objects.push({ kind: kind === 'Secret' ? 'secret' : 'configMap', name, namespace, location, ...configEntries(yaml, kind === 'Secret') });
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
  const volumes = mountableVolumes(yaml, pod);
  const listed = [...yaml.items(yaml.get(pod, 'initContainers')).map((node) => ({ node, init: true })), ...yaml.items(yaml.get(pod, 'containers')).map((node) => ({ node, init: false }))];
  return listed.map(({ node: container, init }) => ({
    name: yaml.text(yaml.get(container, 'name')) ?? '',
    image: yaml.text(yaml.get(container, 'image')),
    ...(init ? { init: true as const } : {}),
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
    mounts: yaml.items(yaml.get(container, 'volumeMounts')).flatMap((mount) => {
      const source = volumes.get(yaml.text(yaml.get(mount, 'name')) ?? '');
      return source ? [{ ...source, location: yaml.locate(mount) }] : [];
    }),
  }));
}

/** A pod's volumes that hold a ConfigMap or a Secret (`configMap.name`, `secret.secretName`), by volume name. */
function mountableVolumes(yaml: YamlReader, pod: Node | null): Map<string, { kind: KubernetesSourceKind; name: string }> {
  const volumes = new Map<string, { kind: KubernetesSourceKind; name: string }>();
  for (const volume of yaml.items(yaml.get(pod, 'volumes'))) {
    const volumeName = yaml.text(yaml.get(volume, 'name'));
    const configMap = yaml.text(yaml.get(volume, 'configMap', 'name'));
    const secret = yaml.text(yaml.get(volume, 'secret', 'secretName'));
    if (volumeName && configMap) volumes.set(volumeName, { kind: 'configMap', name: configMap });
    else if (volumeName && secret) volumes.set(volumeName, { kind: 'secret', name: secret });
  }
  return volumes;
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

/**
 * ConfigMap `data`; Secret `data` (base64, decoded) overridden by `stringData`, as the API server does; and the
 * connection strings inside the entries that are whole files.
 */
function configEntries(yaml: YamlReader, secret: boolean): { entries: EnvAssignment[]; fileSettings: EnvAssignment[] } {
  const entries = new Map<string, { entry: EnvAssignment; written: boolean }>();
  for (const [name, { key, value }] of yaml.entries(yaml.get(yaml.root, 'data'))) {
    const text = yaml.text(value);
    if (text !== undefined) entries.set(name, { entry: { name, value: secret ? Buffer.from(text, 'base64').toString('utf8') : text, location: yaml.locate(key) }, written: !secret });
  }
  if (secret) {
    for (const [name, { key, value }] of yaml.entries(yaml.get(yaml.root, 'stringData'))) {
      const text = yaml.text(value);
      if (text !== undefined) entries.set(name, { entry: { name, value: text, location: yaml.locate(key) }, written: true });
    }
  }
  const all = [...entries.values()];
  // A block written in the manifest starts on the line after its key (`api.toml: |`); a base64 one is all on the key's line.
  const fileSettings = all.flatMap(({ entry, written }) => {
    if (!entry.value.includes('\n')) return [];
    const settings = connectionSettings(entry.name, entry.value, entry.location, entry.location.line + 1);
    return written ? settings : settings.map((setting) => ({ ...setting, location: entry.location }));
  });
  return { entries: all.map((e) => e.entry), fileSettings };
}
