import type { Component, ComposeService, EnvironmentBinding, FileFacts, KubernetesContainer, KubernetesObject } from '../model.js';
import { componentLocator } from '../discover/component-locator.js';
import { buildOfImage, composeKey, imageKey, isForeignImage, isOfficialImage, isProductImage, programNames, type DeploymentEvidence } from '../discover/deployments.js';
import { dirOf, isUnder, joinPosix, nearestTo } from '../util/paths.js';
import { compareStrings } from '../util/text.js';
import { deploymentEnvironment, type GivenEnvironment } from './environment.js';

/** A deployable as a deployment file declares it: a compose service, a Kubernetes workload, a Helm chart's values block, a platform's app. */
interface Deployable {
  source: 'compose' | 'kubernetes' | 'helm' | 'fly';
  /** The compose service, the workload, the Helm chart's deployable, or the app. */
  name: string;
  file: string;
  /** The component whose program it runs, when one is found. */
  component?: Component;
  /** It runs an image from a registry namespace the repository builds nothing in: a release, maybe someone else's. */
  foreign: boolean;
  /** The names other deployables reach it by: compose service name and aliases, platform hosts (Kubernetes Services are their own). */
  hosts: string[];
  namespace?: string;
  /** A Kubernetes workload's pod labels, which Services select. */
  labels?: Record<string, string>;
}

type KubernetesService = Extract<KubernetesObject, { kind: 'service' }>;
type KubernetesIngress = Extract<KubernetesObject, { kind: 'ingress' }>;

/** Where a host name points, and the folder of the deployment file (or the component) that says so: hosts bind within a system. */
interface HostEntry {
  component: string;
  declaredIn: string;
}

/**
 * The one deployment model: which component each compose service, Kubernetes workload and platform app runs,
 * the host names that reach it, the ports compose publishes, and the environment each component is given. Built
 * once, after discovery, from the facts of the deployment files; the graph's environment binding, database
 * identities and host mapping all read it.
 */
export class DeploymentIndex {
  private readonly deployables: Deployable[] = [];
  /** The variables each component is given, sorted by component, name and place. */
  readonly environment: EnvironmentBinding[];
  /** Kubernetes namespaces the manifests name, for `service.namespace` host names. */
  readonly namespaces = new Set(['default']);
  private readonly hosts = new Map<string, HostEntry[]>();
  /** Hosts the configuration gives a service (`hosts: { checker: [checker.example.com] }`): they win over any deployment's. */
  private readonly configuredHosts = new Map<string, string>();
  /** Ports compose publishes on the host, by host port: `localhost:5433` is the compose service publishing 5433. */
  private readonly published = new Map<number, { service: string; container: number; file: string; declaredIn: string }[]>();
  private readonly images = new Map<string, string>();
  /**
   * The subtree each component belongs to when the repository holds several systems, each deployed by its own
   * deployment files (shop/ and blog/, each with a compose file): empty when it holds one.
   */
  readonly systems: Map<string, string>;

  constructor(facts: FileFacts[], evidence: DeploymentEvidence, components: Component[], isTest: (file: string) => boolean) {
    const binder = new ComponentBinder(evidence, components);
    for (const component of components) for (const host of component.hosts ?? []) if (!this.configuredHosts.has(host.toLowerCase())) this.configuredHosts.set(host.toLowerCase(), component.id);
    const given: (GivenEnvironment & { deployable: Deployable })[] = [];
    const services: (KubernetesService & { file: string })[] = [];
    const ingresses: (KubernetesIngress & { file: string })[] = [];
    for (const fileFacts of facts) {
      const { file } = fileFacts;
      for (const service of fileFacts.compose ?? []) {
        const component = binder.compose(file, service);
        const deployable = this.add({ source: 'compose', name: service.name, file, component, foreign: binder.isForeign(file, service.image), hosts: [service.name, ...service.aliases] });
        if (service.image) this.images.set(service.name.toLowerCase(), service.image);
        for (const port of service.ports) this.published.set(port.host, [...(this.published.get(port.host) ?? []), { service: service.name.toLowerCase(), container: port.container, file, declaredIn: dirOf(file) }]);
        if (component) given.push({ component, file, service, deployable });
      }
      for (const object of fileFacts.kubernetes ?? []) {
        if (object.namespace) this.namespaces.add(object.namespace.toLowerCase());
        if (object.kind === 'service') services.push({ ...object, file });
        if (object.kind === 'ingress') ingresses.push({ ...object, file });
        if (object.kind !== 'workload') continue;
        const bound = binder.workload(file, object.name, object.containers);
        const image = object.containers.find((_, index) => bound[index])?.image;
        const deployable = this.add({ source: 'kubernetes', name: object.name, file, component: bound.find(Boolean), foreign: binder.isForeign(file, image), hosts: [], namespace: object.namespace, labels: object.labels });
        bound.forEach((component, index) => component && given.push({ component, file, container: object.containers[index], namespace: object.namespace, deployable }));
      }
      for (const app of fileFacts.platformDeployables ?? []) {
        if (app.hosts) this.add({ source: 'fly', name: app.name, file, component: binder.built(file, app.platform, app.name), foreign: false, hosts: app.hosts });
      }
    }
    for (const { file, name, hosts, values } of evidence.charts) {
      const container: KubernetesContainer = { name, image: values.image, env: values.env, envFrom: [], mounts: [] };
      const [component] = binder.workload(file, name, [container]);
      const deployable = this.add({ source: 'helm', name, file, component, foreign: binder.isForeign(file, values.image), hosts });
      if (component) given.push({ component, file, container, deployable });
    }
    // A component the repository deploys from its own images is not also what a foreign release of it (an upstream
    // app deployed for comparison) runs: those deployments give it neither hosts nor environment.
    const ownDeployed = new Set(this.deployables.filter((d) => d.component && !d.foreign).map((d) => d.component!.id));
    for (const deployable of this.deployables) if (deployable.foreign && deployable.component && ownDeployed.has(deployable.component.id)) delete deployable.component;
    // A Kubernetes Service is a DNS name for the workloads its selector picks, else for the deployable named like it.
    for (const service of services) {
      const selected = this.deployables.filter((d) => d.source === 'kubernetes' && d.namespace === service.namespace && selects(service.selector, d.labels ?? {}));
      const component = selected.find((d) => d.component)?.component ?? binder.named(service.file, service.name);
      if (component) this.addHost(service.name, component, dirOf(service.file));
    }
    for (const deployable of this.deployables) {
      if (!deployable.component) continue;
      for (const host of deployable.hosts) this.addHost(host, deployable.component, dirOf(deployable.file));
    }
    // An Ingress host names the component behind its Services when they all run one; a host routed by path to several is no one's.
    for (const ingress of ingresses) {
      for (const { host, services } of ingress.hosts) {
        const behind = new Set(services.map((service) => this.componentForHost(service.toLowerCase(), ingress.file)));
        const component = behind.size === 1 ? components.find((c) => behind.has(c.id)) : undefined;
        if (component) this.addHost(host, component, dirOf(ingress.file));
      }
    }
    // A deployable answers to its own names too (`http://orders:3000` for the folder services/orders); a name with a dot is a domain.
    for (const component of components.filter((c) => c.kind === 'service')) {
      for (const name of shortNames(component)) if (!name.includes('.') && !this.hosts.has(name)) this.addHost(name, component, component.dir);
    }
    const deployed = given.filter(({ deployable }) => deployable.component);
    this.environment = deploymentEnvironment(facts, deployed, binder.ownerOf, isTest);
    const skaffoldBuilt = evidence.builds.filter((b) => b.source === 'skaffold').flatMap((b) => components.filter((c) => c.dir === b.dir).map((component) => ({ file: b.file, component })));
    this.systems = systemsOf(components, [...this.deployables.flatMap(({ file, component }) => (component ? [{ file, component }] : [])), ...skaffoldBuilt]);
  }

  /** The component a host names (a compose service, an alias, a Kubernetes Service in any of its DNS forms), nearest to the file asking. */
  componentForHost(host: string, fromFile = ''): string | undefined {
    const configured = this.configuredHosts.get(host);
    if (configured) return configured;
    const entries = this.hosts.get(host) ?? this.hosts.get(this.kubernetesServiceName(host));
    if (!entries) return undefined;
    return entries.length === 1 ? entries[0].component : nearest(entries, fromFile).component;
  }

  /**
   * The Service a Kubernetes DNS name names (`orders` for `orders.shop.svc.cluster.local`, `orders.svc`, or
   * `orders.shop` when a manifest names the namespace shop); any other host as it is.
   */
  kubernetesServiceName(host: string): string {
    const service = /^([^.]+)(?:\.[^.]+)?\.svc(?:\.cluster\.local)?$/.exec(host) ?? /^([^.]+)\.([^.]+)$/.exec(host);
    return service && (host.includes('.svc') || this.namespaces.has(service[2])) ? service[1] : host;
  }

  /** Whether a deployment file's deployable (a compose service, workload, chart block or app, by file and name) runs a component. */
  binds(deployment: { source: string; file: string; name: string }): boolean {
    return this.deployables.some((d) => d.component && d.source === deployment.source && d.file === deployment.file && d.name === deployment.name);
  }

  /**
   * The compose service and container port behind a port published on the developer's machine, as a component sees
   * it: published by a compose file of its own system (another system's compose runs on another machine), nearest first.
   */
  publishedPort(port: number, asking: Component): { service: string; container: number } | undefined {
    const entries = (this.published.get(port) ?? []).filter((entry) => asking.system === undefined || isUnder(asking.system, entry.file));
    if (entries.length === 0) return undefined;
    const { service, container } = nearest(entries, `${asking.dir}/`);
    return { service, container };
  }

  /** The image a compose service runs (`postgres:16` for the service `db`). */
  imageOf(service: string): string | undefined {
    return this.images.get(service.toLowerCase());
  }

  private add({ component, namespace, labels, ...deployable }: Omit<Deployable, 'component' | 'namespace' | 'labels'> & { component?: Component; namespace?: string; labels?: Record<string, string> }): Deployable {
    const added: Deployable = { ...deployable, ...(component ? { component } : {}), ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) };
    this.deployables.push(added);
    return added;
  }

  /** Only services answer on a host: a library named `logger` is no server, and nobody calls a frontend or a job. */
  private addHost(host: string, component: Component, declaredIn: string): void {
    if (component.kind !== 'service') return;
    const name = host.toLowerCase();
    const entries = this.hosts.get(name) ?? [];
    if (!entries.some((e) => e.component === component.id)) entries.push({ component: component.id, declaredIn });
    this.hosts.set(name, entries);
  }
}

/**
 * Which component a deployment runs: the folder its build builds, else the image (one the repository builds, or a
 * component named like it), else its name. An official image (`mongo`, `redis:7`) is never a folder of the
 * repository, and a deployment running a product's image is not matched by name either (`mongo` is not
 * libs/shared/mongo); one running a language runtime's (`node:22`) runs the repository's code, found by its name.
 */
class ComponentBinder {
  private readonly byDir: Map<string, Component>;
  private readonly byShortName = new Map<string, Component[]>();

  /** The component holding a file: the one with the deepest folder containing it. */
  readonly ownerOf: (file: string) => Component | undefined;

  constructor(
    private readonly evidence: DeploymentEvidence,
    components: Component[],
  ) {
    this.byDir = new Map(components.map((c) => [c.dir, c]));
    this.ownerOf = componentLocator(components);
    for (const component of components) {
      for (const name of shortNames(component)) this.byShortName.set(name, [...(this.byShortName.get(name) ?? []), component]);
    }
  }

  compose(file: string, service: ComposeService): Component | undefined {
    if (service.build && !this.evidence.unbuilt.has(composeKey(file, service.name))) {
      const built = this.built(file, 'compose', service.name);
      if (built) return built;
      const context = joinPosix(dirOf(file), service.build.context);
      const owner = this.byDir.get(context) ?? this.ownerOf(joinPosix(context, service.build.dockerfile ?? 'Dockerfile'));
      if (owner) return owner;
    }
    if (this.runsProduct(file, service.image)) return undefined;
    return this.image(file, service.image) ?? this.named(file, service.name);
  }

  /**
   * The component each container of a workload runs: by its image or its own name; when none is known so, the first
   * app container by the workload's name. An init container (a wait, a migration) takes the workload's name only from
   * the container it prepares, never by itself.
   */
  workload(file: string, workload: string, containers: KubernetesContainer[]): (Component | undefined)[] {
    const bound = containers.map((c) => this.ownContainer(file, c.name, c.image));
    const main = containers.findIndex((c) => !c.init);
    if (!bound.some(Boolean) && main >= 0 && !this.runsProduct(file, containers[main].image)) bound[main] = this.named(file, workload);
    return bound;
  }

  private ownContainer(file: string, container: string, image: string | undefined): Component | undefined {
    if (this.runsProduct(file, image)) return undefined;
    return this.image(file, image) ?? this.named(file, container);
  }

  /** The component a build of this file, tool and name builds. */
  built(file: string, source: string, name: string): Component | undefined {
    const build = this.evidence.builds.find((b) => b.file === file && b.source === source && b.name === name);
    return build ? this.byDir.get(build.dir) : undefined;
  }

  /** The deployable named so (or so with a `-service`, `-api`, … suffix), nearest to the file naming it. */
  named(file: string, name: string): Component | undefined {
    const candidates = [...(this.byShortName.get(name.toLowerCase()) ?? []), ...(this.byShortName.get(stripSuffix(name)) ?? [])].filter((c) => c.kind !== 'library' && c.kind !== 'contract');
    return candidates.length === 0 ? undefined : nearest(candidates.map((c) => ({ component: c, declaredIn: c.dir })), file).component;
  }

  private image(file: string, image: string | undefined): Component | undefined {
    if (!image) return undefined;
    const build = buildOfImage(this.evidence, image, file);
    if (build) return this.byDir.get(build.dir);
    const key = imageKey(image);
    return isOfficialImage(key) ? undefined : programNames(this.evidence, key).map((name) => this.named(file, name)).find(Boolean);
  }

  /** It runs a product's image (`mongo`, `redis:7`): no program of the repository. */
  private runsProduct(file: string, image: string | undefined): boolean {
    return image !== undefined && !buildOfImage(this.evidence, image, file) && isProductImage(imageKey(image));
  }

  /** The image is pulled from a registry namespace the repository builds nothing in: a release, maybe someone else's. */
  isForeign(file: string, image: string | undefined): boolean {
    return image !== undefined && !buildOfImage(this.evidence, image, file) && isForeignImage(this.evidence, image);
  }
}

/**
 * The systems of a repository: the smallest subtrees holding both a deployment file and what it deploys (a compose file
 * in shop/ running shop/api: shop), top-most first. A deployment file inside the component it deploys says nothing of
 * the system. Each component belongs to the one holding its folder; with fewer than two, there is one system and no map.
 */
function systemsOf(components: Component[], deployed: { file: string; component: Component }[]): Map<string, string> {
  const anchors = new Set<string>();
  for (const { file, component } of deployed) {
    const anchor = commonFolder(dirOf(file), component.dir);
    if (anchor !== component.dir) anchors.add(anchor);
  }
  const roots: string[] = [];
  for (const anchor of [...anchors].sort((a, b) => a.length - b.length || compareStrings(a, b))) if (!roots.some((root) => isUnder(root, anchor))) roots.push(anchor);
  const systems = new Map<string, string>();
  if (roots.length < 2) return systems;
  for (const component of components) {
    const root = roots.find((r) => isUnder(r, component.dir));
    if (root !== undefined) systems.set(component.id, root);
  }
  return systems;
}

function commonFolder(a: string, b: string): string {
  const left = a.split('/');
  const right = b.split('/');
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return left.slice(0, shared).join('/');
}

/** Of several entries, the one declared nearest the file, then the first by folder. */
function nearest<T extends { declaredIn: string }>(entries: T[], file: string): T {
  return nearestTo(file, entries, (entry) => entry.declaredIn).sort((a, b) => compareStrings(a.declaredIn, b.declaredIn))[0];
}

/** A Service's selector picks a workload when every label it asks for is on the pod. */
function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const wanted = Object.entries(selector);
  return wanted.length > 0 && wanted.every(([key, value]) => labels[key] === value);
}

/** The names a component goes by in deployment files: its id, package name and folder name, with and without a `-service`-like suffix. */
export function shortNames(component: Component): string[] {
  const names = [component.id.replace(/^@[^/]+\//, ''), component.packageName?.replace(/^@[^/]+\//, ''), component.dir.slice(component.dir.lastIndexOf('/') + 1)];
  return [...new Set(names.filter((n): n is string => !!n).flatMap((n) => [n.toLowerCase(), stripSuffix(n)]))];
}

export function stripSuffix(name: string): string {
  return name.toLowerCase().replace(/[-_](service|svc|api|server|app|deployment)$/, '');
}
