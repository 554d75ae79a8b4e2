import type { Node } from 'yaml';
import type { BakeFileRun, SkaffoldArtifact } from '../model.js';
import { joinPosix } from '../util/paths.js';
import { parsedDocuments } from './compose.js';
import type { FileExtractor } from './index.js';
import { YamlReader } from './yaml-nodes.js';

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
/** docker/build-push-action and the actions made after it (depot/build-push-action). */
const BUILD_PUSH_ACTION = /^[\w.-]+\/build-push-action@/;
const METADATA_ACTION = /^docker\/metadata-action@/;
const BAKE_ACTION = /^docker\/bake-action@/;
/** `docker buildx bake`, up to the end of the command. */
const DOCKER_BAKE = /\bdocker\s+buildx\s+bake\b([^\n;&|]*)/g;
/** `docker build`, `docker buildx build`, `docker image build`, up to the end of the command. */
const DOCKER_BUILD = /\bdocker\s+(?:buildx\s+|image\s+)?build\b([^\n;&|]*)/g;
/** `docker build` options that take no value. */
const FLAGS = new Set(['--push', '--load', '--pull', '--no-cache', '-q', '--quiet', '--rm', '--force-rm', '--squash', '--compress']);

/**
 * The images GitHub Actions workflows build: `docker build -f apps/x/Dockerfile -t org/x .` in a `run` step
 * (and `docker buildx build`), docker/build-push-action steps (`context`, `file`, `tags`, or the `images` of
 * the docker/metadata-action step whose tags they use), and other Docker actions given a `context` (their image
 * in `name`, `image` or `repository`). `${{ env.X }}` is the step's, job's or workflow's `env` value; a
 * `${{ matrix.x }}` the job's matrix lists is one build per value, and one whose values come from elsewhere
 * (`fromJson(…)`) is `*`, every folder there (discovery expands it). Other `${{ … }}` expressions become `${…}`,
 * which image names drop; a context written with one is not known and left out, and so is a Dockerfile (then
 * the context's own counts, unless the context is the root).
 */
export const workflowExtractor: FileExtractor = {
  name: 'workflows',
  matches: (file) => WORKFLOW.test(file),
  extract(input, facts) {
    const builds: SkaffoldArtifact[] = [];
    const bakeFiles: BakeFileRun[] = [];
    for (const document of parsedDocuments(input, facts)) {
      const yaml = new YamlReader(input.file, input.text, document);
      for (const [, { value: job }] of yaml.entries(yaml.get(yaml.root, 'jobs'))) {
        const steps = yaml.items(yaml.get(job, 'steps'));
        const matrix = matrixValues(yaml, yaml.get(job, 'strategy', 'matrix'));
        for (const step of steps) {
          const scope = new Map<string, string>();
          for (const node of [yaml.root, job, step]) for (const [name, { value }] of yaml.entries(yaml.get(node, 'env'))) scope.set(name, yaml.text(value) ?? '');
          builds.push(...stepBuilds(yaml, step, steps).flatMap((build) => expandVariables(build, scope, matrix)));
          bakeFiles.push(...stepBakeFiles(yaml, step));
        }
      }
    }
    if (builds.length > 0) facts.workflowImageBuilds = builds;
    if (bakeFiles.length > 0) facts.workflowBakeFiles = bakeFiles;
  },
};

/** A build as the step writes it: `${{ … }}` expressions still in place, the Dockerfile from the repository root. */
interface WrittenBuild {
  image: string;
  context: string;
  file?: string;
  location: SkaffoldArtifact['location'];
  /** Written in a `run` script, where `$NAME` and `${NAME}` are the `env` values too. */
  shell?: true;
}

function stepBuilds(yaml: YamlReader, step: Node, steps: Node[]): WrittenBuild[] {
  const uses = yaml.text(yaml.get(step, 'uses'));
  const input = (name: string) => yaml.text(yaml.get(step, 'with', name));
  if (uses && BUILD_PUSH_ACTION.test(uses)) {
    const context = input('context') ?? '.';
    const image = listed(input('tags') ?? '')[0] ?? metadataImage(yaml, input('tags'), steps);
    return image ? [{ image, context, file: input('file') ?? joinPosix(context, 'Dockerfile'), location: yaml.locate(yaml.get(step, 'uses')) }] : [];
  }
  if (uses && input('context') !== undefined && (/docker/i.test(uses) || input('dockerfile') !== undefined)) {
    const context = input('context')!;
    const image = input('name') ?? input('image') ?? input('repository');
    const file = input('dockerfile') ?? input('file');
    return image ? [{ image, context, file: file === undefined ? undefined : joinPosix(context, file), location: yaml.locate(yaml.get(step, 'uses')) }] : [];
  }
  const run = yaml.get(step, 'run');
  const script = yaml.text(run);
  if (!script) return [];
  const workingDirectory = yaml.text(yaml.get(step, 'working-directory')) ?? '.';
  const builds: WrittenBuild[] = [];
  // `${{ matrix.app }}` without its spaces, so that it stays one argument.
  const compact = script.replace(/\\\n/g, ' ').replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, inner: string) => `\${{${inner.replace(/\s+/g, '')}}}`);
  for (const match of compact.matchAll(DOCKER_BUILD)) {
    const build = dockerBuild(match[1].trim().split(/\s+/).map((arg) => arg.replace(/^(['"])(.*)\1$/, '$2')).filter(Boolean));
    if (!build) continue;
    const context = joinPosix(workingDirectory, build.context) || '.';
    builds.push({ image: build.image, context, ...(build.file ? { file: joinPosix(workingDirectory, build.file) } : {}), location: yaml.locate(run), shell: true });
  }
  return builds;
}

/**
 * The Bake files a step runs, from the folder it runs in: `-f`/`--file` of `docker buildx bake` in a `run` script
 * (from its `working-directory`), and the `files` of docker/bake-action (from its `workdir`). A file named by an
 * expression is not known; one bake finds by itself (docker-bake.hcl) needs no workflow.
 */
function stepBakeFiles(yaml: YamlReader, step: Node): BakeFileRun[] {
  const uses = yaml.get(step, 'uses');
  if (BAKE_ACTION.test(yaml.text(uses) ?? '')) {
    const from = joinPosix(yaml.text(yaml.get(step, 'with', 'workdir')) ?? '.');
    const files = (yaml.text(yaml.get(step, 'with', 'files')) ?? '').split(/[\n,]/).map((file) => file.trim());
    return files.filter((file) => file !== '' && !file.includes('$')).map((file) => ({ file: joinPosix(from, file), from, location: yaml.locate(uses) }));
  }
  const run = yaml.get(step, 'run');
  const from = joinPosix(yaml.text(yaml.get(step, 'working-directory')) ?? '.');
  const runs: BakeFileRun[] = [];
  for (const match of (yaml.text(run) ?? '').replace(/\\\n/g, ' ').matchAll(DOCKER_BAKE)) {
    const args = match[1].trim().split(/\s+/).map((arg) => arg.replace(/^(['"])(.*)\1$/, '$2'));
    args.forEach((arg, index) => {
      const file = arg === '-f' || arg === '--file' ? args[index + 1] : /^--file=(.+)$/.exec(arg)?.[1];
      if (file && !file.includes('$')) runs.push({ file: joinPosix(from, file), from, location: yaml.locate(run) });
    });
  }
  return runs;
}

/** Matrix values per key: the scalars a list gives; `*` for a key whose values come from an expression. */
function matrixValues(yaml: YamlReader, matrix: Node | null): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [key, { value }] of yaml.entries(matrix)) {
    if (key === 'include' || key === 'exclude') continue;
    const items = yaml.items(value).map((item) => yaml.text(item));
    values.set(key, items.length > 0 && items.every((item) => item !== undefined) ? (items as string[]) : ['*']);
  }
  const written = yaml.text(matrix);
  if (written !== undefined && MATRIX_EXPRESSION.test(written)) values.set('*', ['*']); // `matrix: ${{ fromJson(…) }}`: any key
  return values;
}

const MATRIX_EXPRESSION = /^\s*\$\{\{/;
/** `${{ env.NAME }}` and `${{ matrix.key }}` (also `matrix['key']`). */
const ENV_REFERENCE = /\$\{\{\s*env\.([\w-]+)\s*\}\}/g;
const MATRIX_REFERENCE = /\$\{\{\s*matrix(?:\.([\w-]+)|\[\s*'([\w-]+)'\s*\])\s*\}\}/g;
/** `${NAME}` and `$NAME` in a shell script, not `${{ … }}`. */
const SHELL_VARIABLE = /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g;
/** More matrix combinations than a workflow builds images for are not expanded. */
const MAX_COMBINATIONS = 64;

/** A written build with its `env` values in place, once per matrix combination it names; what stays unknown leaves it out. */
function expandVariables(build: WrittenBuild, env: Map<string, string>, matrix: Map<string, string[]>): SkaffoldArtifact[] {
  const withEnv = (text: string) => {
    const expanded = text.replace(ENV_REFERENCE, (whole, name: string) => env.get(name) ?? whole);
    return build.shell ? expanded.replace(SHELL_VARIABLE, (whole, braced: string | undefined, bare: string | undefined) => env.get(braced ?? bare!) ?? whole) : expanded;
  };
  const written = { image: withEnv(build.image), context: withEnv(build.context), file: build.file === undefined ? undefined : withEnv(build.file) };
  const keys = [...new Set([written.image, written.context, written.file ?? ''].flatMap((text) => [...text.matchAll(MATRIX_REFERENCE)].map((m) => m[1] ?? m[2])))];
  let combinations: Map<string, string>[] = [new Map()];
  for (const key of keys) {
    const values = matrix.get(key) ?? matrix.get('*');
    if (!values) return [];
    combinations = combinations.flatMap((combination) => values.map((value) => new Map([...combination, [key, value]])));
    if (combinations.length > MAX_COMBINATIONS) return [];
  }
  const artifacts: SkaffoldArtifact[] = [];
  for (const combination of combinations) {
    const fill = (text: string) => expression(text.replace(MATRIX_REFERENCE, (_, dotted: string | undefined, quoted: string | undefined) => combination.get(dotted ?? quoted!)!));
    const [image, context] = [fill(written.image), fill(written.context)];
    const file = written.file === undefined ? undefined : fill(written.file);
    const rootContext = joinPosix(context) === '';
    if (!namesImage(image) || unknown(context) || (file !== undefined && unknown(file) && rootContext)) continue;
    const dockerfile = file === undefined || unknown(file) ? undefined : fromContext(context, file);
    artifacts.push({ image, context, ...(dockerfile ? { dockerfile } : {}), location: build.location });
  }
  return artifacts;
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
export function namesImage(image: string): boolean {
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
