import type { Node } from 'yaml';
import { yamlPackage } from '../util/yaml.js';
import type { HelmValuesBlock, KubernetesEnv } from '../model.js';
import { parsedDocuments } from './compose.js';
import type { FileExtractor } from './index.js';
import { containerEnv, envEntry } from './kubernetes.js';
import { YamlReader } from './yaml-nodes.js';

const CHART = /(^|\/)Chart\.ya?ml$/;
/** `values.yaml`, `values-prod.yaml`, `values.staging.yml`. */
const VALUES = /(^|\/)values([.-][\w.-]+)?\.ya?ml$/;
/** How deep in a values file blocks are looked for images (`workers.email.image` is at depth 2). */
const MAX_DEPTH = 4;
const ENV_KEYS = ['env', 'extraEnv', 'extraEnvVars'];

/**
 * Helm charts: the name a Chart.yaml gives the chart and its dependencies, and the blocks of a values file that set an image, each with
 * its variables and the hosts its Service and ingress give it. The templates are Go templates rendering YAML, not
 * YAML: they are not read (kubernetes.ts skips them). Facts only: discovery keeps the values files a Chart.yaml
 * sits beside.
 */
export const helmExtractor: FileExtractor = {
  name: 'helm',
  matches: (file) => CHART.test(file) || VALUES.test(file),
  extract(input, facts) {
    const isChart = CHART.test(input.file);
    const blocks: HelmValuesBlock[] = [];
    for (const document of parsedDocuments(input, facts)) {
      const yaml = new YamlReader(input.file, input.text, document);
      if (isChart) {
        const name = yaml.get(yaml.root, 'name');
        const text = yaml.text(name);
        const dependencies = yaml.items(yaml.get(yaml.root, 'dependencies')).flatMap((dependency) => yaml.text(yaml.get(dependency, 'alias')) ?? yaml.text(yaml.get(dependency, 'name')) ?? []);
        if (text) facts.helmChart = { name: text, location: yaml.locate(name), dependencies };
      } else {
        collectBlocks(yaml, yaml.root, [], blocks);
      }
    }
    if (blocks.length > 0) facts.helmValues = blocks;
  },
};

function collectBlocks(yaml: YamlReader, node: Node | null, path: string[], blocks: HelmValuesBlock[]): void {
  const entries = yaml.entries(node);
  const image = entries.get('image');
  const reference = image ? imageReference(yaml, image.value) : undefined;
  if (image && reference) {
    const root = path.length === 0;
    const name = yaml.text(entries.get('name')?.value) ?? (root ? (yaml.text(entries.get('fullnameOverride')?.value) ?? yaml.text(entries.get('nameOverride')?.value)) : undefined);
    blocks.push({
      block: path.join('.'),
      ...(name && !name.includes('{{') ? { name } : {}),
      image: reference,
      location: yaml.locate(image.key),
      env: ENV_KEYS.flatMap((key) => blockEnv(yaml, entries.get(key)?.value ?? null)),
      hosts: blockHosts(yaml, node),
    });
  }
  if (path.length >= MAX_DEPTH) return;
  for (const [key, { value }] of entries) if (key !== 'image' && yamlPackage().isMap(value)) collectBlocks(yaml, value, [...path, key], blocks);
}

/** `org/api:1`, or `{ registry, repository, tag }` (`name` for `repository` in some charts); a templated one is no reference. */
function imageReference(yaml: YamlReader, node: Node | null): string | undefined {
  const written = yaml.text(node);
  if (written !== undefined) return written && !written.includes('{{') ? written : undefined;
  const repository = yaml.text(yaml.get(node, 'repository')) ?? yaml.text(yaml.get(node, 'name'));
  if (!repository || repository.includes('{{')) return undefined;
  const registry = yaml.text(yaml.get(node, 'registry'));
  const tag = yaml.text(yaml.get(node, 'tag'));
  return `${registry ? `${registry}/` : ''}${repository}${tag && !tag.includes('{{') ? `:${tag}` : ''}`;
}

/** `KEY: value` (or `KEY: { valueFrom: … }`) as a map, or a container's `- name: KEY` list. */
function blockEnv(yaml: YamlReader, node: Node | null): KubernetesEnv[] {
  if (yamlPackage().isSeq(node)) return yaml.items(node).flatMap((entry) => containerEnv(yaml, entry));
  return [...yaml.entries(node)].flatMap(([name, { key, value }]) => {
    const text = yaml.text(value);
    if (text !== undefined) return [{ name, value: text, location: yaml.locate(key) }];
    return envEntry(yaml, name, yaml.locate(key), value);
  });
}

/** The names its Service (`service.name`) and ingress (`ingress.hosts[].host`, `ingress.hosts[]`, `ingress.host`) give a block; templated ones are left out. */
function blockHosts(yaml: YamlReader, block: Node | null): string[] {
  const ingress = yaml.get(block, 'ingress');
  const written = [
    yaml.text(yaml.get(block, 'service', 'name')),
    yaml.text(yaml.get(ingress, 'host')),
    ...yaml.items(yaml.get(ingress, 'hosts')).map((host) => yaml.text(host) ?? yaml.text(yaml.get(host, 'host'))),
  ];
  return [...new Set(written.filter((host): host is string => !!host && !host.includes('{{')))];
}
