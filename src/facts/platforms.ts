import { parse as parseToml, TomlError } from 'smol-toml';
import type { CodePlatform, FileFacts, PlatformDeployable, SourceLocation } from '../model.js';
import { isRecord, parseJsonWithLocations } from '../util/json.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { LineIndex } from '../util/text.js';
import { parsedDocuments } from './compose.js';
import type { ExtractInput, FileExtractor } from './index.js';
import { YamlReader } from './yaml-nodes.js';

const FLY = /^fly(\.[\w-]+)?\.toml$/;
const RENDER = /^render\.ya?ml$/;
const RAILWAY = /^railway\.(json|toml)$/;
const SERVERLESS = /^serverless\.ya?ml$/;
/** A script a start command runs: the first argument that names a JavaScript or TypeScript file. */
const SCRIPT_ARGUMENT = /(?:^|\s)(?:\.\/)?((?:[\w@.-]+\/)*[\w@.-]+\.[cm]?[jt]sx?)(?=\s|$)/;
/** Render services that are datastores Render runs, not programs of the repository. */
const RENDER_DATASTORES = new Set(['redis', 'keyvalue']);

/**
 * The deployables PaaS and serverless files declare, each file parsed once: fly.toml apps (and their
 * `<app>.fly.dev`, `<app>.internal` and `<app>.flycast` hosts), render.yaml services, railway.json/.toml,
 * vercel.json, Procfile processes and serverless.yml functions. Facts only: discovery decides which
 * folder each one deploys and whether it is a service or a job.
 */
export const platformExtractor: FileExtractor = {
  name: 'platforms',
  matches: (file) => platformOf(baseName(file)) !== undefined,
  extract(input, facts) {
    const deployables = PLATFORM_READERS[platformOf(baseName(input.file))!](input, facts);
    if (deployables.length > 0) facts.platformDeployables = deployables;
  },
};

type Reader = (input: ExtractInput, facts: FileFacts) => PlatformDeployable[];
/** Platforms declared in a file of their own (CDK, SST and Pulumi code declares its deployables in TypeScript: see function-entries.ts). */
type FilePlatform = Exclude<PlatformDeployable['platform'], CodePlatform>;

function platformOf(name: string): FilePlatform | undefined {
  if (FLY.test(name)) return 'fly';
  if (RENDER.test(name)) return 'render';
  if (RAILWAY.test(name)) return 'railway';
  if (name === 'vercel.json') return 'vercel';
  if (name === 'Procfile') return 'procfile';
  if (SERVERLESS.test(name)) return 'serverless';
  return undefined;
}

const PLATFORM_READERS: Record<FilePlatform, Reader> = {
  /** fly.toml: one app, deployed from the file's folder or built by `[build] dockerfile`. */
  fly(input, facts) {
    const config = readToml(input, facts);
    if (!config) return [];
    const app = text(config.app) ?? folderName(dirOf(input.file));
    const dockerfile = text(isRecord(config.build) ? config.build.dockerfile : undefined);
    const location = keyLocation(input, 'app');
    const hosts = [`${app}.fly.dev`, `${app}.internal`, `${app}.flycast`];
    return [{ platform: 'fly', name: app, folder: '', ...(dockerfile ? { entry: dockerfile } : {}), hosts, location }];
  },

  /** render.yaml: each service of a Blueprint, from its `rootDir`, built by its `dockerfilePath` or started by its `dockerCommand` or `startCommand`. */
  render(input, facts) {
    return parsedDocuments(input, facts).flatMap((document) => {
      const yaml = new YamlReader(input.file, input.text, document);
      return yaml.items(yaml.get(yaml.root, 'services')).flatMap((service): PlatformDeployable[] => {
        const type = yaml.text(yaml.get(service, 'type'));
        const runtime = yaml.text(yaml.get(service, 'runtime')) ?? yaml.text(yaml.get(service, 'env'));
        if (!type || RENDER_DATASTORES.has(type) || runtime === 'image') return [];
        const folder = fromServiceRoot(yaml.text(yaml.get(service, 'rootDir')) ?? '');
        const startCommand = yaml.text(yaml.get(service, 'startCommand'));
        // A Docker service's command runs in the image, whose paths are not the repository's.
        const command = yaml.text(yaml.get(service, 'dockerCommand')) ?? startCommand;
        const entry = yaml.text(yaml.get(service, 'dockerfilePath')) ?? scriptOf(startCommand);
        const name = yaml.text(yaml.get(service, 'name')) ?? folderName(joinPosix(dirOf(input.file), folder));
        return [{ platform: 'render', name, type, folder, ...(entry ? { entry: fromServiceRoot(entry) } : {}), ...(command ? { command } : {}), location: yaml.locate(yaml.get(service, 'name') ?? service) }];
      });
    });
  },

  /** railway.json / railway.toml: the file's folder, built by `build.dockerfilePath` or started by `deploy.startCommand`; a `cronSchedule` makes it a cron job. */
  railway(input, facts) {
    const config = input.file.endsWith('.toml') ? readToml(input, facts) : readJson(input, facts);
    if (!config) return [];
    const build = isRecord(config.build) ? config.build : {};
    const deploy = isRecord(config.deploy) ? config.deploy : {};
    const command = text(deploy.startCommand);
    const entry = text(build.dockerfilePath) ?? scriptOf(command);
    const cron = text(deploy.cronSchedule) !== undefined;
    return [{ platform: 'railway', name: folderName(dirOf(input.file)), ...(cron ? { type: 'cron' } : {}), folder: '', ...(entry ? { entry: fromServiceRoot(entry) } : {}), ...(command ? { command } : {}), location: { file: input.file, line: 1, column: 1 } }];
  },

  /** vercel.json: the file's folder is a Vercel project. */
  vercel(input, facts) {
    if (!readJson(input, facts)) return [];
    return [{ platform: 'vercel', name: folderName(dirOf(input.file)), folder: '', location: { file: input.file, line: 1, column: 1 } }];
  },

  /** Procfile: one process per `type: command` line (web, worker, release, …), each running the file's folder or the script its command names. */
  procfile(input) {
    const lines = new LineIndex(input.text);
    const deployables: PlatformDeployable[] = [];
    for (const match of input.text.matchAll(/^([A-Za-z0-9_-]+)[ \t]*:[ \t]*(\S.*)$/gm)) {
      const entry = scriptOf(match[2]);
      const location = lines.span(input.file, match.index, match.index + match[1].length);
      deployables.push({ platform: 'procfile', name: match[1], type: match[1], folder: '', ...(entry ? { entry } : {}), command: match[2].trim(), location });
    }
    return deployables;
  },

  /** serverless.yml: the Serverless service's functions, each in the module its `handler` names (`src/orders.create` → src/orders). */
  serverless(input, facts) {
    return parsedDocuments(input, facts).flatMap((document) => {
      const yaml = new YamlReader(input.file, input.text, document);
      const service = yaml.get(yaml.root, 'service');
      const name = yaml.text(service) ?? yaml.text(yaml.get(service, 'name')) ?? folderName(dirOf(input.file));
      return [...yaml.entries(yaml.get(yaml.root, 'functions'))].flatMap(([, { key, value }]): PlatformDeployable[] => {
        const handler = yaml.text(yaml.get(value, 'handler'));
        if (!handler) return [];
        const module = handler.replace(/^\.\//, '').replace(/\.[^./]+$/, '');
        return [{ platform: 'serverless', name, folder: '', entry: module, location: yaml.locate(key) }];
      });
    });
  },
};

/** A TOML table; a malformed file becomes a diagnostic naming where it breaks. */
function readToml(input: ExtractInput, facts: FileFacts): Record<string, unknown> | undefined {
  try {
    return parseToml(input.text);
  } catch (error) {
    const where = error instanceof TomlError ? { line: error.line, column: error.column } : {};
    facts.diagnostics.push({ file: input.file, ...where, code: 'invalid-toml', message: (error as Error).message.split('\n')[0] });
    return undefined;
  }
}

function readJson(input: ExtractInput, facts: FileFacts): Record<string, unknown> | undefined {
  const document = parseJsonWithLocations(input.file, input.text);
  if (document.errors.length > 0) {
    facts.diagnostics.push({ file: input.file, code: 'invalid-json', message: `malformed ${baseName(input.file)}: ${document.errors[0]}` });
    return undefined;
  }
  return isRecord(document.value) ? document.value : {};
}

/** Where a top-level TOML key is written (the first line that assigns it), else the file's start. */
function keyLocation(input: ExtractInput, key: string): SourceLocation {
  const match = new RegExp(`^[ \\t]*${key}[ \\t]*=`, 'm').exec(input.text);
  if (!match) return { file: input.file, line: 1, column: 1 };
  const start = match.index + match[0].indexOf(key);
  return new LineIndex(input.text).span(input.file, start, start + key.length);
}

/** The script a start command runs (`node dist/main.js` → dist/main.js), if it names one. */
function scriptOf(command: string | undefined): string | undefined {
  return command === undefined ? undefined : SCRIPT_ARGUMENT.exec(command)?.[1];
}

/** Platforms write paths from the service's root, some with a leading slash (`/docker/Dockerfile`). */
function fromServiceRoot(path: string): string {
  return path.replace(/^\/+/, '');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

function folderName(folder: string): string {
  return folder === '' ? 'root' : folder.slice(folder.lastIndexOf('/') + 1);
}
