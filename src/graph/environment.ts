import type { Component, ComposeService, EnvAssignment, EnvironmentBinding, KubernetesContainer, KubernetesObject, SourceLocation } from '../model.js';
import { dirOf, joinPosix } from '../util/paths.js';
import { compareStrings } from '../util/text.js';
import { expandVariables } from '../util/variables.js';
import type { EnrichContext, GraphEnricher } from './build.js';
import { testFileSet } from './services.js';

/**
 * Fills `graph.environment`: the variables each component is given by a `.env` file in its folder,
 * its docker-compose service (`env_file`, then `environment`; `${VAR}` from the `.env` next to the
 * compose file) and its Kubernetes workloads (`envFrom`, then `env`; Secrets and ConfigMaps resolved).
 * Runs first: later enrichers read connection targets and base URLs from it.
 */
export const environmentEnricher: GraphEnricher = (context) => {
  const dotenvFiles = new Map(context.facts.filter((f) => f.dotenv).map((f) => [f.file, f.dotenv!]));
  const bindings = [...dotenvBindings(context, dotenvFiles), ...composeBindings(context, dotenvFiles), ...kubernetesBindings(context)];
  context.graph.environment.push(...bindings.sort(compareBindings));
  return {};
};

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

function dotenvBindings({ ownerOf, graph }: EnrichContext, dotenvFiles: Map<string, EnvAssignment[]>): EnvironmentBinding[] {
  const bindings: EnvironmentBinding[] = [];
  const tests = testFileSet(graph);
  for (const [file, assignments] of dotenvFiles) {
    const owner = ownerOf(file);
    if (!owner || TEST_DOTENV.test(file) || tests.has(file)) continue;
    for (const { name, value, location } of expandedDotenv(assignments)) bindings.push({ component: owner.id, name, value, source: 'dotenv', location });
  }
  return bindings;
}

function composeBindings(context: EnrichContext, dotenvFiles: Map<string, EnvAssignment[]>): EnvironmentBinding[] {
  const bindings: EnvironmentBinding[] = [];
  const byName = componentsByShortName(context.graph.components);
  for (const facts of context.facts.filter((f) => f.compose)) {
    const folder = dirOf(facts.file);
    const interpolation = new Map(expandedDotenv(dotenvFiles.get(joinPosix(folder, '.env')) ?? []).map((a) => [a.name, a]));
    const interpolate = (value: string) => expandVariables(value, (name) => interpolation.get(name)?.value);
    for (const service of facts.compose!) {
      const component = composeComponent(service, folder, context, byName);
      if (!component) continue;
      const given = new Map<string, EnvironmentBinding>();
      for (const envFile of service.envFiles) {
        const assignments = dotenvFiles.get(joinPosix(folder, envFile.path)) ?? [];
        for (const { name, value, location } of expandedDotenv(assignments, (n) => interpolation.get(n)?.value)) {
          given.set(name, { component: component.id, name, value, source: 'compose', location, origin: location });
        }
      }
      for (const { name, value, location } of service.environment) {
        const origin = referencedLocation(value, interpolation);
        given.set(name, { component: component.id, name, value: interpolate(value), source: 'compose', location, ...(origin ? { origin } : {}) });
      }
      bindings.push(...given.values());
    }
  }
  return bindings;
}

/** The `.env` line a value's first `${VAR}` came from. */
function referencedLocation(value: string, interpolation: Map<string, EnvAssignment>): SourceLocation | undefined {
  const name = /\$\{?(\w+)/.exec(value)?.[1];
  return name ? interpolation.get(name)?.location : undefined;
}

/** The component a compose service runs: its build context (or its Dockerfile's folder), else its image or service name. */
function composeComponent(service: ComposeService, folder: string, { graph, ownerOf }: EnrichContext, byName: Map<string, Component>): Component | undefined {
  if (service.build) {
    const context = joinPosix(folder, service.build.context);
    const atContext = graph.components.find((c) => c.dir === context);
    if (atContext) return atContext;
    if (service.build.dockerfile) {
      const owner = ownerOf(joinPosix(context, service.build.dockerfile));
      if (owner) return owner;
    }
  }
  return byName.get(imageName(service.image)) ?? byName.get(service.name);
}

function kubernetesBindings({ facts, graph }: EnrichContext): EnvironmentBinding[] {
  const objects = facts.flatMap((f) => f.kubernetes ?? []);
  const byName = componentsByShortName(graph.components);
  const bindings: EnvironmentBinding[] = [];
  for (const workload of objects) {
    if (workload.kind !== 'workload') continue;
    for (const container of workload.containers) {
      const component = byName.get(imageName(container.image)) ?? byName.get(container.name) ?? byName.get(workload.name);
      if (component) bindings.push(...containerBindings(component, container, workload.namespace, objects));
    }
  }
  return bindings;
}

function containerBindings(component: Component, container: KubernetesContainer, namespace: string | undefined, objects: KubernetesObject[]): EnvironmentBinding[] {
  const given = new Map<string, EnvironmentBinding>();
  const source = (kind: 'secret' | 'configMap', name: string) =>
    objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace) ?? objects.find((o) => o.kind === kind && o.name === name);
  for (const from of container.envFrom) {
    const object = source(from.kind, from.name);
    if (object?.kind !== from.kind) continue;
    for (const entry of object.entries) {
      const name = from.prefix + entry.name;
      given.set(name, { component: component.id, name, value: entry.value, source: 'kubernetes', location: from.location, origin: entry.location });
    }
  }
  for (const env of container.env) {
    const object = env.from ? source(env.from.kind, env.from.name) : undefined;
    const entry = env.from && object && object.kind !== 'workload' ? object.entries.find((e) => e.name === env.from!.key) : undefined;
    // `$(VAR)` refers to a variable defined earlier in the same container.
    const value = env.value?.replace(/\$\((\w+)\)/g, (whole, name: string) => given.get(name)?.value ?? whole) ?? entry?.value;
    if (value === undefined) continue;
    given.set(env.name, { component: component.id, name: env.name, value, source: 'kubernetes', location: env.location, ...(entry ? { origin: entry.location } : {}) });
  }
  return [...given.values()];
}

/** Components by folder name and by package name without its scope, the names images and containers use. */
export function componentsByShortName(components: Component[]): Map<string, Component> {
  const byName = new Map<string, Component>();
  for (const c of components) {
    byName.set(c.dir.slice(c.dir.lastIndexOf('/') + 1), c);
    byName.set(c.id.replace(/^@[^/]+\//, ''), c);
  }
  return byName;
}

/** `registry.example.com/shop/orders:1.2@sha256:…` → `orders`. */
function imageName(image: string | undefined): string {
  return image?.split('/').pop()?.replace(/[:@].*$/, '') || '\0';
}

function compareBindings(a: EnvironmentBinding, b: EnvironmentBinding): number {
  return (
    compareStrings(a.component, b.component) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.location.file, b.location.file) ||
    a.location.line - b.location.line
  );
}
