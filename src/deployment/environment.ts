import type { Component, ComposeService, EnvAssignment, EnvironmentBinding, FileFacts, KubernetesContainer, KubernetesObject, KubernetesSourceKind, SourceLocation } from '../model.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { compareStrings } from '../util/text.js';
import { expandVariables } from '../util/variables.js';

/** A component a deployment runs, with the compose service or Kubernetes container (a Helm chart's values block) that gives it variables. */
export type GivenEnvironment = { component: Component; file: string } & (
  | { service: ComposeService; container?: undefined }
  | { service?: undefined; container: KubernetesContainer; namespace?: string }
);

/**
 * The variables each component is given: by a `.env` file in its folder, its docker-compose service (`env_file`,
 * then bind-mounted configuration files, then `environment`; `${VAR}` from the `.env` next to the compose file; an `env_file` that is not committed
 * falls back to the `.env.example` or `.env.sample` beside it) and its Kubernetes workloads (`envFrom`, Secrets and
 * ConfigMaps mounted as files, then `env`; Secrets and ConfigMaps resolved). A setting read from a mounted file is
 * named by the file (`DATABASE_URL`, or `api.toml:database.primary` inside a whole configuration file). Sorted by
 * component, name and place.
 */
export function deploymentEnvironment(
  facts: FileFacts[],
  given: GivenEnvironment[],
  ownerOf: (file: string) => Component | undefined,
  isTest: (file: string) => boolean,
): EnvironmentBinding[] {
  const dotenvFiles = new Map(facts.filter((f) => f.dotenv).map((f) => [f.file, f.dotenv!]));
  const configFiles = new Map(facts.filter((f) => f.configSettings).map((f) => [f.file, f.configSettings!]));
  const objects = facts.flatMap((f) => f.kubernetes ?? []);
  const bindings = [...dotenvBindings(dotenvFiles, ownerOf, isTest)];
  for (const deployment of given) {
    if (deployment.service) bindings.push(...composeBindings(deployment.component, deployment.file, deployment.service, dotenvFiles, configFiles));
    else bindings.push(...containerBindings(deployment.component, deployment.container, deployment.namespace, objects));
  }
  return bindings.sort(compareBindings);
}

/** Values of one `.env` file with `${VAR}` expanded from the lines above, as dotenv-expand does. */
function expandedDotenv(assignments: EnvAssignment[], outer: (name: string) => string | undefined = () => undefined): EnvAssignment[] {
  const known = new Map<string, string>();
  return assignments.map((assignment) => {
    const value = expandVariables(assignment.value, (name) => known.get(name) ?? outer(name));
    known.set(assignment.name, value);
    return { ...assignment, value };
  });
}

/** `.env.test`, `.env.e2e.local`, …: configuration for test runs, not for deployments. */
const TEST_DOTENV = /(^|\/)\.env\.(test|testing|e2e|ci)(\.|$)/;

function dotenvBindings(dotenvFiles: Map<string, EnvAssignment[]>, ownerOf: (file: string) => Component | undefined, isTest: (file: string) => boolean): EnvironmentBinding[] {
  const bindings: EnvironmentBinding[] = [];
  for (const [file, assignments] of dotenvFiles) {
    const owner = ownerOf(file);
    if (!owner || TEST_DOTENV.test(file) || isTest(file)) continue;
    for (const { name, value, location } of expandedDotenv(assignments)) bindings.push({ component: owner.id, name, value, source: 'dotenv', location });
  }
  return bindings;
}

/** A compose service's variables: its `env_file`s, then its bind-mounted configuration files, then `environment`, `${VAR}` taken from the `.env` beside the compose file. */
function composeBindings(component: Component, file: string, service: ComposeService, dotenvFiles: Map<string, EnvAssignment[]>, configFiles: Map<string, EnvAssignment[]>): EnvironmentBinding[] {
  const folder = dirOf(file);
  const interpolation = new Map(expandedDotenv(dotenvFiles.get(joinPosix(folder, '.env')) ?? []).map((a) => [a.name, a]));
  const interpolate = (value: string) => expandVariables(value, (name) => interpolation.get(name)?.value);
  const given = new Map<string, EnvironmentBinding>();
  for (const envFile of service.envFiles) {
    const { assignments, example } = envFileAssignments(joinPosix(folder, envFile.path), dotenvFiles);
    for (const { name, value, location } of expandedDotenv(assignments, (n) => interpolation.get(n)?.value)) {
      given.set(name, { component: component.id, name, value, source: 'compose', location, origin: location, ...(example ? { example } : {}) });
    }
  }
  // A configuration file bind-mounted into the container gives the connection strings written in it. (A mounted folder
  // is often the source tree itself, `./:/app`: its files are not the service's configuration.)
  for (const mount of service.mounts) {
    for (const setting of configFiles.get(joinPosix(folder, mount.path)) ?? []) {
      given.set(setting.name, { component: component.id, name: setting.name, value: setting.value, source: 'compose', location: mount.location, origin: setting.location });
    }
  }
  for (const { name, value, location } of service.environment) {
    const origin = referencedLocation(value, interpolation);
    given.set(name, { component: component.id, name, value: interpolate(value), source: 'compose', location, ...(origin ? { origin } : {}) });
  }
  return [...given.values()];
}

/** Examples committed beside an env file that is not (it is gitignored, or written by a setup script). */
const ENV_EXAMPLES = ['.example', '.sample'];

/** An `env_file`'s assignments; when it is not in the repository, those of the example committed beside it, marked as such. */
function envFileAssignments(path: string, dotenvFiles: Map<string, EnvAssignment[]>): { assignments: EnvAssignment[]; example?: true } {
  const committed = dotenvFiles.get(path);
  if (committed) return { assignments: committed };
  const folder = dirOf(path);
  const candidates = [...ENV_EXAMPLES.map((suffix) => `${path}${suffix}`), ...ENV_EXAMPLES.map((suffix) => joinPosix(folder, `.env${suffix}`))];
  const example = candidates.map((candidate) => dotenvFiles.get(candidate)).find(Boolean);
  return example ? { assignments: example, example: true } : { assignments: [] };
}

/** The `.env` line a value's first `${VAR}` came from. */
function referencedLocation(value: string, interpolation: Map<string, EnvAssignment>): SourceLocation | undefined {
  const name = /\$\{?(\w+)/.exec(value)?.[1];
  return name ? interpolation.get(name)?.location : undefined;
}

type ConfigSource = Extract<KubernetesObject, { kind: KubernetesSourceKind }>;

function containerBindings(component: Component, container: KubernetesContainer, namespace: string | undefined, objects: KubernetesObject[]): EnvironmentBinding[] {
  const given = new Map<string, EnvironmentBinding>();
  const source = (kind: KubernetesSourceKind, name: string) => {
    const named = objects.filter((o): o is ConfigSource => o.kind === kind && o.name === name);
    return named.find((o) => o.namespace === namespace) ?? named[0];
  };
  for (const from of container.envFrom) {
    for (const entry of source(from.kind, from.name)?.entries ?? []) {
      const name = from.prefix + entry.name;
      given.set(name, { component: component.id, name, value: entry.value, source: 'kubernetes', location: from.location, origin: entry.location });
    }
  }
  // A source mounted as files gives its one-line entries (a file holding a URL) and the connection strings written in its whole files.
  for (const mount of container.mounts) {
    const mounted = source(mount.kind, mount.name);
    for (const entry of [...(mounted?.entries ?? []).filter((e) => !e.value.includes('\n')), ...(mounted?.fileSettings ?? [])]) {
      given.set(entry.name, { component: component.id, name: entry.name, value: entry.value, source: 'kubernetes', location: mount.location, origin: entry.location });
    }
  }
  for (const env of container.env) {
    const entry = env.from ? source(env.from.kind, env.from.name)?.entries.find((e) => e.name === env.from!.key) : undefined;
    // `$(VAR)` refers to a variable defined earlier in the same container.
    const value = env.value?.replace(/\$\((\w+)\)/g, (whole, name: string) => given.get(name)?.value ?? whole) ?? entry?.value;
    if (value === undefined) continue;
    given.set(env.name, { component: component.id, name: env.name, value, source: 'kubernetes', location: env.location, ...(entry ? { origin: entry.location } : {}) });
  }
  return [...given.values()];
}

function compareBindings(a: EnvironmentBinding, b: EnvironmentBinding): number {
  return (
    compareStrings(a.component, b.component) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line
  );
}
