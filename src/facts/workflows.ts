import type { Node } from 'yaml';
import type { SkaffoldArtifact } from '../model.js';
import { joinPosix } from '../util/paths.js';
import { parsedDocuments } from './compose.js';
import type { FileExtractor } from './index.js';
import { YamlReader } from './yaml-nodes.js';

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
/** docker/build-push-action and the actions made after it (depot/build-push-action). */
const BUILD_PUSH_ACTION = /^[\w.-]+\/build-push-action@/;
const METADATA_ACTION = /^docker\/metadata-action@/;
/** `docker build`, `docker buildx build`, `docker image build`, up to the end of the command. */
const DOCKER_BUILD = /\bdocker\s+(?:buildx\s+|image\s+)?build\b([^\n;&|]*)/g;
/** `docker build` options that take no value. */
const FLAGS = new Set(['--push', '--load', '--pull', '--no-cache', '-q', '--quiet', '--rm', '--force-rm', '--squash', '--compress']);

/**
 * The images GitHub Actions workflows build: `docker build -f apps/x/Dockerfile -t org/x .` in a `run` step
 * (and `docker buildx build`), and docker/build-push-action steps (`context`, `file`, `tags`, or the `images` of
 * the docker/metadata-action step whose tags they use). `${{ … }}` expressions become `${…}`, which image names
 * drop; a context or Dockerfile written with one (a matrix value) is not known and left out.
 */
export const workflowExtractor: FileExtractor = {
  name: 'workflows',
  matches: (file) => WORKFLOW.test(file),
  extract(input, facts) {
    const builds: SkaffoldArtifact[] = [];
    for (const document of parsedDocuments(input, facts)) {
      const yaml = new YamlReader(input.file, input.text, document);
      for (const [, { value: job }] of yaml.entries(yaml.get(yaml.root, 'jobs'))) {
        const steps = yaml.items(yaml.get(job, 'steps'));
        for (const step of steps) builds.push(...stepBuilds(yaml, step, steps));
      }
    }
    if (builds.length > 0) facts.workflowImageBuilds = builds;
  },
};

function stepBuilds(yaml: YamlReader, step: Node, steps: Node[]): SkaffoldArtifact[] {
  const uses = yaml.text(yaml.get(step, 'uses'));
  if (uses && BUILD_PUSH_ACTION.test(uses)) {
    const context = expression(yaml.text(yaml.get(step, 'with', 'context')) ?? '.');
    const file = expression(yaml.text(yaml.get(step, 'with', 'file')) ?? joinPosix(context, 'Dockerfile'));
    const image = listed(yaml.text(yaml.get(step, 'with', 'tags')) ?? '')[0] ?? metadataImage(yaml, yaml.text(yaml.get(step, 'with', 'tags')), steps);
    if (!image || !named(image) || unknown(context) || unknown(file)) return [];
    return [{ image, context, dockerfile: fromContext(context, file), location: yaml.locate(yaml.get(step, 'uses')) }];
  }
  const run = yaml.get(step, 'run');
  const script = yaml.text(run);
  if (!script) return [];
  const workingDirectory = yaml.text(yaml.get(step, 'working-directory')) ?? '.';
  const builds: SkaffoldArtifact[] = [];
  for (const match of expression(script.replace(/\\\n/g, ' ')).matchAll(DOCKER_BUILD)) {
    const build = dockerBuild(match[1].trim().split(/\s+/).map((arg) => arg.replace(/^(['"])(.*)\1$/, '$2')).filter(Boolean));
    if (!build || !named(build.image) || unknown(build.context) || unknown(workingDirectory) || (build.file && unknown(build.file))) continue;
    const context = joinPosix(workingDirectory, build.context);
    const file = build.file ? joinPosix(workingDirectory, build.file) : undefined;
    builds.push({ image: build.image, context: context || '.', ...(file ? { dockerfile: fromContext(context, file) } : {}), location: yaml.locate(run) });
  }
  return builds;
}

/** The first tag, the Dockerfile and the context of a `docker build` command's arguments. */
function dockerBuild(args: string[]): { image: string; file?: string; context: string } | undefined {
  let image: string | undefined;
  let file: string | undefined;
  let context: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!flag.startsWith('-') || flag === '-') {
      context ??= flag;
      continue;
    }
    if (FLAGS.has(flag)) continue;
    const value = inline ?? args[++index];
    if ((flag === '-t' || flag === '--tag') && value) image ??= value;
    if ((flag === '-f' || flag === '--file') && value) file ??= value;
  }
  // `-` reads the context from standard input: what it holds is not known.
  return image && context && context !== '-' ? { image, context, ...(file ? { file } : {}) } : undefined;
}

/** `${{ env.REGISTRY }}` → `${env.REGISTRY}`: a variable part, as compose writes one. */
function expression(text: string): string {
  return text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, '${$1}');
}

function unknown(path: string): boolean {
  return path.includes('$');
}

/** Whether an image's name (its last path segment, before the tag) says something besides variables: `org/${matrix.image}` does not. */
function named(image: string): boolean {
  const path = image.replace(/\$\{[^}]*\}|\$\w+/g, '').replace(/@sha256:[0-9a-f]+$/i, '');
  const last = path.slice(path.lastIndexOf('/') + 1).replace(/:.*$/, '');
  return last !== '';
}

/** A multi-line or comma-separated list of tags or images (`name=…,enable=…` entries keep their name). */
function listed(text: string): string[] {
  return expression(text)
    .split(/[\n,]/)
    .map((entry) => entry.trim().replace(/^name=/, ''))
    .filter((entry) => entry !== '' && !/^\$\{[^}]*\}$/.test(entry) && !/^\w+=/.test(entry));
}

/** Tags taken from a docker/metadata-action step (`${{ steps.meta.outputs.tags }}`): its first image. */
function metadataImage(yaml: YamlReader, tags: string | undefined, steps: Node[]): string | undefined {
  const id = tags && /steps\.([\w-]+)\.outputs\.tags/.exec(tags)?.[1];
  const step = id ? steps.find((s) => yaml.text(yaml.get(s, 'id')) === id && METADATA_ACTION.test(yaml.text(yaml.get(s, 'uses')) ?? '')) : undefined;
  return step ? listed(yaml.text(yaml.get(step, 'with', 'images')) ?? '')[0] : undefined;
}

/** A Dockerfile path written from the repository root (as `docker build -f` and the action take it), relative to the context. */
function fromContext(context: string, file: string): string {
  const dir = joinPosix(context);
  const path = joinPosix(file);
  if (dir === '') return path;
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : `${'../'.repeat(dir.split('/').length)}${path}`;
}
