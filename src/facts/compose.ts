import type { Document, Node } from 'yaml';
import { yamlPackage } from '../util/yaml.js';
import type { ComposeService, EnvAssignment, FileFacts } from '../model.js';
import { isComposeFile } from '../discover/workspaces.js';
import type { ExtractInput, FileExtractor } from './index.js';
import { YamlReader } from './yaml-nodes.js';

/**
 * docker-compose services: build context, image, the names it answers to, published ports, `environment` (map or list form)
 * and `env_file`, with anchors and merge keys applied. `${VAR}` references stay as written: the graph
 * resolves them from the `.env` file next to the compose file.
 */
export const composeExtractor: FileExtractor = {
  name: 'compose',
  matches: isComposeFile,
  extract: (input, facts) => {
    const services: ComposeService[] = [];
    for (const document of parsedDocuments(input, facts)) {
      reportAliasBomb(document, input.file, facts);
      const yaml = new YamlReader(input.file, input.text, document);
      for (const [name, { key, value }] of yaml.entries(yaml.get(yaml.root, 'services'))) {
        services.push(composeService(yaml, name, key, value));
      }
    }
    facts.compose = services;
  },
};

/** The YAML documents that parsed; the first error of each other one becomes a diagnostic. */
export function parsedDocuments(input: ExtractInput, facts: FileFacts): Document[] {
  return input.yamlDocuments().filter((document) => {
    if (document.errors.length === 0) return true;
    facts.diagnostics.push({ file: input.file, code: 'invalid-yaml', message: document.errors[0].message.split('\n')[0] });
    return false;
  });
}

/**
 * A document whose aliases would expand past a hundred (billion laughs) is reported. The reader here
 * never expands them (merge keys are bounded), so what it can read is still read.
 */
function reportAliasBomb(document: Document, file: string, facts: FileFacts): void {
  try {
    document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    facts.diagnostics.push({ file, code: 'invalid-yaml', message: (error as Error).message });
  }
}

function composeService(yaml: YamlReader, name: string, key: Node, definition: Node | null): ComposeService {
  const service: ComposeService = { name, location: yaml.locate(key), aliases: aliases(yaml, definition), environment: [], envFiles: [], ports: [], dependsOn: [], mounts: [] };
  const build = yaml.get(definition, 'build');
  const context = yaml.text(build) ?? yaml.text(yaml.get(build, 'context'));
  if (context !== undefined || yamlPackage().isMap(build)) {
    const dockerfile = yaml.text(yaml.get(build, 'dockerfile'));
    const target = yaml.text(yaml.get(build, 'target'));
    service.build = { context: context ?? '.', ...(dockerfile !== undefined ? { dockerfile } : {}), ...(target !== undefined ? { target } : {}) };
  }
  service.image = yaml.text(yaml.get(definition, 'image'));
  service.environment = environment(yaml, yaml.get(definition, 'environment'));
  const envFile = yaml.get(definition, 'env_file');
  for (const entry of yamlPackage().isSeq(envFile) ? yaml.items(envFile) : envFile ? [envFile] : []) {
    const path = yaml.text(entry) ?? yaml.text(yaml.get(entry, 'path'));
    if (path !== undefined) service.envFiles.push({ path, location: yaml.locate(entry) });
  }
  const dependsOn = yaml.get(definition, 'depends_on');
  if (yamlPackage().isSeq(dependsOn)) {
    for (const item of yaml.items(dependsOn)) {
      const dependency = yaml.text(item);
      if (dependency) service.dependsOn.push({ service: dependency });
    }
  }
  for (const [dependency, { value }] of yaml.entries(dependsOn)) {
    const condition = yaml.text(yaml.get(value, 'condition'));
    service.dependsOn.push({ service: dependency, ...(condition ? { condition } : {}) });
  }
  const restart = yaml.text(yaml.get(definition, 'restart'));
  if (restart !== undefined) service.restart = restart;
  const command = yaml.get(definition, 'command');
  const commandText = yamlPackage().isSeq(command) ? yaml.items(command).map((part) => yaml.text(part) ?? '').join(' ') : yaml.text(command);
  if (commandText) service.command = commandText;
  for (const port of yaml.items(yaml.get(definition, 'ports'))) {
    const published = yamlPackage().isMap(port) ? publishedPort(yaml.text(yaml.get(port, 'published')), yaml.text(yaml.get(port, 'target'))) : parsePort(yaml.text(port));
    if (published) service.ports.push(published);
  }
  for (const volume of yaml.items(yaml.get(definition, 'volumes'))) {
    // `./api.toml:/etc/api.toml:ro`, or `{ type: bind, source: ./api.toml, target: … }`; a named volume is no path.
    const source = yamlPackage().isMap(volume) ? yaml.text(yaml.get(volume, 'source')) : yaml.text(volume)?.split(':')[0];
    if (source !== undefined && /^\.\.?\//.test(source)) service.mounts.push({ path: source, location: yaml.locate(volume) });
  }
  return service;
}

/** `hostname`, `container_name` and the `aliases` of each network the service joins. */
function aliases(yaml: YamlReader, definition: Node | null): string[] {
  const names = [yaml.text(yaml.get(definition, 'hostname')), yaml.text(yaml.get(definition, 'container_name'))];
  for (const [, { value: network }] of yaml.entries(yaml.get(definition, 'networks'))) names.push(...yaml.items(yaml.get(network, 'aliases')).map((alias) => yaml.text(alias)));
  return [...new Set(names.filter((n): n is string => !!n && n !== ''))];
}

/** `environment:` as a map (`KEY: value`) or a list (`- KEY=value`); entries without a value come from the shell and are skipped. */
function environment(yaml: YamlReader, node: Node | null): EnvAssignment[] {
  if (yamlPackage().isSeq(node)) {
    return yaml.items(node).flatMap((item) => {
      const entry = yaml.text(item);
      const equals = entry?.indexOf('=') ?? -1;
      if (entry === undefined || equals <= 0) return [];
      return [{ name: entry.slice(0, equals), value: entry.slice(equals + 1), location: yaml.locate(item) }];
    });
  }
  return [...yaml.entries(node)].flatMap(([name, { key, value }]) => {
    const text = yaml.text(value);
    return text === undefined ? [] : [{ name, value: text, location: yaml.locate(key) }];
  });
}

/** `"5433:5432"`, `"127.0.0.1:5433:5432/tcp"`, `5432`. */
function parsePort(spec: string | undefined): { host: number; container: number } | undefined {
  if (spec === undefined) return undefined;
  const parts = spec.replace(/\/\w+$/, '').split(':');
  return publishedPort(parts.length > 1 ? parts[parts.length - 2] : parts[0], parts[parts.length - 1]);
}

function publishedPort(host: string | undefined, container: string | undefined): { host: number; container: number } | undefined {
  const h = Number(host);
  const c = Number(container ?? host);
  return Number.isInteger(h) && Number.isInteger(c) && h > 0 && c > 0 ? { host: h, container: c } : undefined;
}
