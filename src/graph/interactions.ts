import type {
  ApiSpec,
  ClassArgumentFact,
  Component,
  ComponentEdge,
  Diagnostic,
  EnvironmentBinding,
  FileFacts,
  Graph,
  HttpCallFact,
  Interactions,
  MessageFact,
  ModuleEdge,
  ParameterRef,
  ParameterUseFact,
  PayloadRead,
  ResolvedHttpCall,
  ResolvedMessage,
  ResolvedRoute,
  ResolvedRpcCall,
  ResolvedUrlLiteral,
  Resource,
  SourceLocation,
  ValuePart,
} from '../model.js';
import { SKIPPED_FOLDERS } from '../discover/walk.js';
import { shortNames, type DeploymentIndex } from '../deployment/index.js';
import { ExportFinder } from './exports.js';
import { readsThroughCalls } from './passed-values.js';
import { compareStrings } from '../util/text.js';
import type { EnrichContext, GraphEnricher } from './build.js';
import { DYNAMIC, joinUrl, pathOf, splitUrl, wildcardPattern } from './urls.js';
import type { LibraryUsers } from './library-users.js';
import { isDeployable, sharesCode } from './services.js';

/**
 * Variables that hold another service's address: `ORDERS_URL`, `CART_SERVICE_ADDR`, `PAYMENTS_HOST`; and the keys
 * of mounted configuration files that do (`api.toml:control.url`).
 */
const ADDRESS_VARIABLE = /(^|_)(ADDR|ADDRESS|URL|URI|HOST|ENDPOINT)$|^[^:]+:(.*[._-])?(addr|address|url|uri|host|endpoint)$/i;

/** The host of an address: a URL's, or a bare `host` or `host:port`. */
function addressHost(value: string): string | undefined {
  return splitUrl(value)?.host ?? /^([a-z0-9][a-z0-9.-]*)(:\d+)?$/i.exec(value)?.[1]?.toLowerCase();
}

/** A factory given `postgres://…` or `redis://…` builds a database client, not an HTTP one (e.g. TypeORM's `new DataSource({ url })`). */
const NON_HTTP_SCHEME = /^(?!https?:)[a-z][a-z0-9+.-]*:\/\//i;

/** What resolving interactions needs: the graph so far (with `environment`), every file's facts, file ownership. */
export interface InteractionInput {
  graph: Graph;
  /** Every file discovery found (repo-relative): `$ref` targets must be among them. */
  files: string[];
  facts: FileFacts[];
  ownerOf(file: string): Component | undefined;
  /** Which services run each library module. */
  libraryUsers: LibraryUsers;
  /** The deployment model: which component a host names. */
  deployments: DeploymentIndex;
  /** Test code: its calls, routes and messages are no interactions of what is deployed. */
  isTest(file: string): boolean;
  diagnostics: Diagnostic[];
}

/**
 * Turns HTTP calls, routes, messages and API documents into graph data: `http` edges (caller → callee, sync),
 * `event` edges (subscriber → publisher, async; requester → responder, sync), `openapi-ref` edges, and topic and
 * endpoint resources. The result is kept on `graph.interactions` for the rules and `arch-lint services`.
 */
export const interactionEnricher: GraphEnricher = (context: EnrichContext) => {
  const interactions = resolveInteractions({ ...context, files: context.discovery.files, deployments: context.discovery.deployments });
  context.graph.interactions = interactions;
  return { edges: interactionEdges(interactions, context.graph), resources: interactionResources(interactions) };
};

export function resolveInteractions(input: InteractionInput): Interactions {
  const resolver = new InteractionResolver(input);
  return {
    httpCalls: resolver.httpCalls(),
    urlLiterals: resolver.urlLiterals(),
    routes: resolver.routes(),
    messages: resolver.messages(),
    rpcCalls: resolver.rpcCalls(),
    specs: resolver.specs,
    specRefs: resolver.specRefs(),
  };
}

/** Every value an env var is given for one component, preferred first. */
type Environment = Map<string, EnvironmentBinding[]>;

/**
 * What an attempt gives with the preferred env values; when that finds nothing and an env var it read has other
 * values (compose says `http://webapp:3000`, `.env.example` says `localhost`), the first other value that finds wins.
 */
function preferringFound<T>(
  environment: Environment,
  attempt: (env: Map<string, EnvironmentBinding>) => { result: T; found: boolean; envRead: string[] } | undefined,
): T | undefined {
  const preferred = firstChoices(environment);
  const first = attempt(preferred);
  if (!first || first.found) return first?.result;
  for (const name of first.envRead) {
    for (const alternative of (environment.get(name) ?? []).slice(1)) {
      const retry = attempt(new Map(preferred).set(name, alternative));
      if (retry?.found) return retry.result;
    }
  }
  return first.result;
}

const SOURCE_RANK: Record<EnvironmentBinding['source'], number> = { compose: 0, kubernetes: 1, dotenv: 2 };

/** The preferred value of each env var. */
function firstChoices(environment: Environment): Map<string, EnvironmentBinding> {
  return new Map([...environment].map(([name, bindings]) => [name, bindings[0]]));
}

/** A rendered value: the text (unknown parts as placeholders) and whether its start came from code literally. */
interface Rendered {
  text: string;
  /** The scheme and host were written in code (a literal or a module constant), not read from configuration. */
  literalHost: boolean;
  /** The env vars read, with the binding that gave each a value. */
  env: { name: string; binding?: EnvironmentBinding }[];
}

class InteractionResolver {
  private readonly graph: Graph;
  private readonly ownerOf: (file: string) => Component | undefined;
  private readonly facts: FileFacts[];
  private readonly factsByFile: Map<string, FileFacts>;
  private readonly moduleEdgesByFile = new Map<string, ModuleEdge[]>();
  private readonly exports: ExportFinder;
  /** Hosts only API documents name (their `servers`), with the component owning each document. */
  private readonly specHosts = new Map<string, string>();
  readonly specs: ApiSpec[];

  constructor(private readonly input: InteractionInput) {
    this.graph = input.graph;
    this.ownerOf = input.ownerOf;
    this.facts = [...input.facts].sort((a, b) => compareStrings(a.file, b.file));
    this.factsByFile = new Map(this.facts.map((f) => [f.file, f]));
    for (const edge of input.graph.moduleEdges) {
      const list = this.moduleEdgesByFile.get(edge.from) ?? [];
      list.push(edge);
      this.moduleEdgesByFile.set(edge.from, list);
    }
    this.exports = new ExportFinder(this.facts, input.graph.moduleEdges);
    this.specs = this.collectSpecs();
    for (const spec of this.specs) {
      for (const server of spec.servers) {
        const host = splitUrl(server)?.host;
        if (host && !this.specHosts.has(host)) this.specHosts.set(host, spec.owner);
      }
    }
  }

  // ------------------------------------------------------------ hosts

  /** The component a host names: a deployment's host (nearest the file calling), else a host an API document's `servers` names. */
  componentForHost(host: string, file?: string): string | undefined {
    return this.input.deployments.componentForHost(host, file) ?? this.specHosts.get(host);
  }

  // ------------------------------------------------------------ attribution

  /**
   * Who makes a call written in a file: its deployable, and each deployable that loads the library module or job package
   * (that imports the class holding it, when one does), with the import that brings it in.
   */
  private usersOf(file: string, owner: Component, holder?: string): { component: Component; via?: SourceLocation }[] {
    const users = holder === undefined ? this.input.libraryUsers.ofModule(file) : this.input.libraryUsers.ofExports(file, [holder]);
    return [...(isDeployable(owner) ? [{ component: owner }] : []), ...users.map(({ service, evidence }) => ({ component: service, via: evidence.location }))];
  }

  /**
   * A component's env vars, each with every value it is given: its own before its service group's, and
   * deployment files (compose, Kubernetes) before `.env` files, which often hold localhost values for development.
   */
  private bindings(component: Component): Environment {
    const members = new Set(this.graph.components.filter((c) => c.service === component.service).map((c) => c.id));
    const rank = (b: EnvironmentBinding) => (b.component === component.id ? 0 : 3) + SOURCE_RANK[b.source];
    const relevant = this.graph.environment.filter((b) => members.has(b.component)).sort((a, b) => rank(a) - rank(b));
    const environment: Environment = new Map();
    for (const binding of relevant) environment.set(binding.name, [...(environment.get(binding.name) ?? []), binding]);
    return environment;
  }

  // ------------------------------------------------------------ values

  /** Renders parts with a component's environment and the exported constants of imported files. */
  private render(parts: ValuePart[], file: string, env: Map<string, EnvironmentBinding>, depth = 0): Rendered {
    const rendered: Rendered = { text: '', literalHost: false, env: [] };
    parts.forEach((part, index) => {
      if (part.kind === 'text') {
        if (index === 0) rendered.literalHost = hasLiteralHost(part.text, parts.length === 1);
        rendered.text += part.text;
      } else if (part.kind === 'env') {
        const binding = env.get(part.name);
        rendered.env.push({ name: part.name, binding });
        if (binding) rendered.text += binding.value;
        else if (part.fallback) {
          const fallback = this.render(part.fallback, file, env, depth + 1);
          rendered.text += fallback.text;
          rendered.env.push(...fallback.env);
        } else rendered.text += `\${${part.name}}`;
      } else if (part.kind === 'import') {
        const constant = depth < 4 ? this.importedConstant(file, part.from, part.name) : undefined;
        if (constant) {
          const inner = this.render(constant.value, constant.file, env, depth + 1);
          if (index === 0) rendered.literalHost = inner.literalHost;
          rendered.text += inner.text;
          rendered.env.push(...inner.env);
        } else rendered.text += DYNAMIC;
      } else {
        rendered.text += DYNAMIC;
      }
    });
    return rendered;
  }

  /** An exported constant of the file a specifier resolves to, following re-exports. */
  private importedConstant(file: string, specifier: string, name: string): { value: ValuePart[]; file: string } | undefined {
    const found = this.imported(file, specifier, (facts) => facts.constants?.find((c) => c.name === name));
    return found && { value: found.value.value, file: found.file };
  }

  /** What `pick` finds in the module a specifier of `file` resolves to, or in the modules it re-exports. */
  private imported<T>(file: string, specifier: string, pick: (facts: FileFacts) => T | undefined): { value: T; file: string } | undefined {
    return this.exports.find(file, specifier, pick);
  }

  /** What a payload or response a fact's code hands to named functions meets there (its passes followed), once per fact. */
  private readsThroughCalls(fact: MessageFact | HttpCallFact): PayloadRead[] {
    if (!fact.passes) return [];
    let reads = this.passedReads.get(fact);
    if (!reads) {
      reads = readsThroughCalls(fact.passes, fact.location.file, (file, pass) => {
        const matches = (use: ParameterUseFact) => use.index === pass.index && (pass.from === undefined ? use.function : use.exported) === pass.callee;
        const local = pass.from === undefined ? this.factsByFile.get(file)?.parameterUses?.find(matches) : undefined;
        if (local) return { use: local, file };
        const imported = pass.from === undefined ? undefined : this.imported(file, pass.from, (facts) => facts.parameterUses?.find(matches));
        return imported && { use: imported.value, file: imported.file };
      });
      this.passedReads.set(fact, reads);
    }
    return reads;
  }

  private readonly passedReads = new WeakMap<MessageFact | HttpCallFact, PayloadRead[]>();

  // ------------------------------------------------------------ HTTP

  httpCalls(): ResolvedHttpCall[] {
    const inCode = this.attributed(
      (f) => f.httpCalls,
      (call, file, user, env) => this.resolveCall(call, file, user.component, env, user.via),
    ).filter((call): call is ResolvedHttpCall => call !== undefined && !NON_HTTP_SCHEME.test(call.url));
    return [...inCode, ...this.configuredCalls()];
  }

  /**
   * The calls of a deployable whose code is not analysed (Go, Python, Java, …): each variable its deployment gives
   * it that holds the address of another service of the repository (`PRODUCT_CATALOG_SERVICE_ADDR=productcatalogservice:3550`).
   */
  private configuredCalls(): ResolvedHttpCall[] {
    const calls: ResolvedHttpCall[] = [];
    for (const component of this.graph.components.filter((c) => c.language !== undefined && isDeployable(c))) {
      for (const [name, bindings] of this.bindings(component)) {
        if (!ADDRESS_VARIABLE.test(name)) continue;
        for (const binding of bindings) {
          const host = addressHost(binding.value);
          const to = host === undefined ? undefined : this.componentForHost(host, binding.location.file);
          if (!to || to === component.id) continue;
          const how = `env ${name}=${binding.value} (${binding.source}, ${binding.location.file}:${binding.location.line})`;
          calls.push({ from: component.id, to, client: 'configuration', url: binding.value, host: host!, how, literalHost: false, location: binding.location });
          break;
        }
      }
    }
    return calls;
  }

  /**
   * One result per fact and per component that makes it: the owning service, or each service using the
   * library the fact is written in (that imports the class holding the fact, when `holder` names one), with
   * that service's environment.
   */
  private attributed<Fact, Result>(
    select: (facts: FileFacts) => Fact[] | undefined,
    resolve: (fact: Fact, file: string, user: { component: Component; via?: SourceLocation }, env: Environment) => Result,
    holder: (fact: Fact) => string | undefined = () => undefined,
  ): Result[] {
    const results: Result[] = [];
    for (const fileFacts of this.facts) {
      const owner = this.ownerOf(fileFacts.file);
      const facts = select(fileFacts);
      if (!owner || !facts || this.input.isTest(fileFacts.file)) continue;
      const holderUsers = new Map<string, Set<Component>>();
      const usedBy = (fact: Fact, component: Component) => {
        const name = holder(fact);
        if (name === undefined) return true;
        if (!holderUsers.has(name)) holderUsers.set(name, new Set(this.usersOf(fileFacts.file, owner, name).map((u) => u.component)));
        return holderUsers.get(name)!.has(component);
      };
      for (const user of this.usersOf(fileFacts.file, owner)) {
        const env = this.bindings(user.component);
        for (const fact of facts) if (usedBy(fact, user.component)) results.push(resolve(fact, fileFacts.file, user, env));
      }
    }
    return results;
  }

  private resolveCall(call: HttpCallFact, file: string, from: Component, environment: Environment, via: SourceLocation | undefined): ResolvedHttpCall | undefined {
    return preferringFound(environment, (env) => {
      const attempt = this.resolveWith(call, file, from, env, via);
      return attempt && { result: attempt.resolved, found: attempt.resolved.to !== undefined, envRead: attempt.envRead };
    });
  }

  private resolveWith(
    call: HttpCallFact,
    file: string,
    from: Component,
    env: Map<string, EnvironmentBinding>,
    via: SourceLocation | undefined,
  ): { resolved: ResolvedHttpCall; envRead: string[] } | undefined {
    let client = call.client;
    let base: Rendered | undefined = call.baseUrl ? this.render(call.baseUrl, file, env) : undefined;
    if (call.viaExport && call.via) {
      // A call through an imported client: only when that module exports one, which gives kind and base URL.
      const name = call.via.name;
      const exported = this.imported(file, call.via.from, (facts) => facts.exportedClients?.find((c) => c.name === name));
      if (!exported) return undefined;
      client = exported.value.client;
      base = exported.value.baseUrl ? this.render(exported.value.baseUrl, exported.file, env) : undefined;
    }
    const url = this.render(call.url, file, env);
    const full = splitUrl(url.text) !== undefined || !base ? url : { text: joinUrl(base.text, url.text), literalHost: base.literalHost, env: [...base.env, ...url.env] };
    const split = splitUrl(full.text);
    const to = split ? this.componentForHost(split.host, file) : undefined;
    const resolved: ResolvedHttpCall = { from: from.id, client, url: full.text, literalHost: full.literalHost, location: call.location };
    if (call.method) resolved.method = call.method;
    if (split) resolved.host = split.host;
    if (split && call.url.length > 0) resolved.path = pathOf(full.text);
    else if (!split && full.text.startsWith('/')) resolved.path = pathOf(full.text);
    if (to && to !== from.id) {
      resolved.to = to;
      resolved.how = hostOrigin(full, split!.host);
    }
    if (via && via.file !== call.location.file) resolved.via = via;
    if (call.reads) resolved.reads = call.reads;
    const passedReads = this.readsThroughCalls(call).filter((read) => !call.reads?.includes(read.path));
    if (passedReads.length > 0) resolved.passedReads = passedReads;
    if (call.sends) resolved.sends = call.sends;
    return { resolved, envRead: [...new Set(full.env.map((e) => e.name))] };
  }

  /**
   * URL literals whose host names another component of the same system where the deployment files run it (not the
   * public address an API document's `servers` publish, which clients and SDKs default to), attributed like calls;
   * defaults behind configuration are left out.
   */
  urlLiterals(): ResolvedUrlLiteral[] {
    const systemOf = new Map(this.graph.components.map((c) => [c.id, c.system]));
    return this.attributed(
      (f) => f.urlLiterals,
      (literal, file, user): ResolvedUrlLiteral | undefined => {
        const host = literal.fallback ? undefined : splitUrl(literal.url)?.host;
        const to = host === undefined ? undefined : this.input.deployments.componentForHost(host, file);
        const from = user.component;
        if (!to || to === from.id || (from.system !== undefined && systemOf.get(to) !== undefined && systemOf.get(to) !== from.system)) return undefined;
        const resolved: ResolvedUrlLiteral = { from: from.id, to, url: literal.url, host: host!, location: literal.location };
        if (literal.passedTo) resolved.passedTo = literal.passedTo;
        if (literal.property) resolved.property = literal.property;
        if (user.via && user.via.file !== literal.location.file) resolved.via = user.via;
        return resolved;
      },
    ).filter((literal): literal is ResolvedUrlLiteral => literal !== undefined);
  }

  // ------------------------------------------------------------ routes

  routes(): ResolvedRoute[] {
    const routes: ResolvedRoute[] = [];
    const mounts = this.facts.flatMap((f) => (f.routeMounts ?? []).map((m) => ({ ...m, file: f.file })));
    for (const fileFacts of this.facts) {
      const owner = this.ownerOf(fileFacts.file);
      if (!owner || !fileFacts.routes) continue;
      const globalPrefix = mounts.find((m) => !m.router && this.ownerOf(m.file)?.id === owner.id)?.prefix ?? '';
      for (const route of fileFacts.routes) {
        const mount = mounts.find((m) => {
          if (!m.router) return false;
          if (m.router.from === undefined) return m.file === fileFacts.file && m.router.name === route.router;
          return this.moduleEdgesByFile.get(m.file)?.some((e) => e.reference.specifier === m.router!.from && e.to === fileFacts.file);
        });
        const prefix = `${route.framework === 'nestjs' ? globalPrefix : ''}${mount?.prefix ?? ''}`;
        routes.push({ component: owner.id, method: route.method, path: joinUrl(prefix, route.path) || '/', location: route.location, forwards: route.forwards ?? [] });
      }
    }
    return routes;
  }

  // ------------------------------------------------------------ messaging

  /**
   * Messages with their topics rendered; a queue or task used through an import (`emails.add()`) takes the topic of
   * the fact that makes it in the imported module. A topic nothing names statically joins no other.
   */
  messages(): ResolvedMessage[] {
    const direct = this.attributed(
      (f) => f.messages,
      (message, file, user, env): ResolvedMessage | undefined => {
        // A tRPC router is served where its code runs: not by a service that only declares the library holding it.
        if (message.system === 'trpc' && message.role === 'respond' && user.via && !this.input.libraryUsers.loads(user.component, file)) return undefined;
        const made = this.madeElsewhere(message, file);
        return this.resolveMessage(message, made?.value.topic ?? message.topic, made?.file ?? file, user.component, env, message.location);
      },
    );
    return this.brokerMessages([...direct, ...this.classMessages()].filter((message): message is ResolvedMessage => message !== undefined));
  }

  /** A message with its topic rendered in the environment of the component making it; none when no name is known. */
  private resolveMessage(message: MessageFact, topic: ValuePart[], file: string, component: Component, env: Environment, location: SourceLocation): ResolvedMessage | undefined {
    const rendered = this.render(topic, file, firstChoices(env)).text;
    const name = message.system === 'http-task' ? rendered : topicName(rendered);
    if (name === '' || name === DYNAMIC) return undefined;
    // A tRPC router is known by the module exporting its type: its clients reach it through the import naming that type.
    const resolved: ResolvedMessage = { component: component.id, system: message.system, role: message.role, topic: message.system === 'trpc' ? `${file}#${name}` : name, location };
    if (message.payload) resolved.payload = message.payload;
    const reads = [...(message.reads ?? [])];
    for (const read of this.readsThroughCalls(message)) if (!reads.some((r) => r.path === read.path)) reads.push(read);
    if (reads.length > 0) resolved.reads = reads;
    if (message.system === 'http-task') {
      const host = splitUrl(name)?.host;
      const to = host && this.componentForHost(host);
      if (to) resolved.to = to;
    }
    return resolved;
  }

  /**
   * Queues and channels made by wrapper classes: a fact whose topic is a parameter of a class member is made wherever that
   * member is given a value (`super(Topics.EMAIL)`, `new EmailQueue('emails')`), by the component running that code; a
   * parameter passed on to such a member (`this.bull.createQueue(this.topic)`) makes its own member one too.
   */
  private classMessages(): (ResolvedMessage | undefined)[] {
    const made = new Map<string, MessageFact[]>();
    for (const fileFacts of this.facts) {
      if (this.input.isTest(fileFacts.file)) continue;
      for (const message of fileFacts.messages ?? []) if (message.parameter) addTo(made, parameterKey(fileFacts.file, message.parameter), [message]);
    }
    const passedOn = this.facts.flatMap((f) => (this.input.isTest(f.file) ? [] : (f.classArguments ?? []).flatMap((argument) => (argument.parameter ? [{ argument, file: f.file }] : []))));
    for (let round = 0, grew = passedOn.length > 0; grew && round < 6; round++) {
      grew = false;
      for (const { argument, file } of passedOn) {
        const reached = this.madeThrough(argument, file, made);
        if (reached.length > 0 && addTo(made, parameterKey(file, argument.parameter!), reached)) grew = true;
      }
    }
    if (made.size === 0) return [];
    const resolved: (ResolvedMessage | undefined)[] = [];
    for (const fileFacts of this.facts) {
      const owner = this.ownerOf(fileFacts.file);
      if (!owner || this.input.isTest(fileFacts.file)) continue;
      for (const argument of fileFacts.classArguments ?? []) {
        const messages = argument.value ? this.madeThrough(argument, fileFacts.file, made) : [];
        if (messages.length === 0) continue;
        const shared = !sharesCode(owner) ? [] : argument.holder ? this.classRunners(fileFacts.file, argument.holder) : this.input.libraryUsers.ofModule(fileFacts.file).map((u) => u.service);
        const runners = new Set([...(isDeployable(owner) ? [owner] : []), ...shared]);
        for (const component of runners) {
          const env = this.bindings(component);
          for (const message of messages) resolved.push(this.resolveMessage(message, argument.value!, fileFacts.file, component, env, argument.location));
        }
      }
    }
    return resolved;
  }

  private classUsers?: Map<string, { file: string; by?: string }[]>;
  private readonly runnersOf = new Map<string, Component[]>();

  /**
   * The deployables running a library class: those whose own code injects, extends or constructs it, and those running
   * a library class that does (a module merely listing it, such as a NestJS module's providers, runs nothing).
   */
  private classRunners(file: string, name: string, depth = 0): Component[] {
    const key = `${file}#${name}`;
    const known = this.runnersOf.get(key);
    if (known) return known;
    this.runnersOf.set(key, []);
    if (!this.classUsers) {
      this.classUsers = new Map();
      for (const fileFacts of this.facts) {
        if (this.input.isTest(fileFacts.file)) continue;
        for (const use of fileFacts.classUses ?? []) {
          const declaredIn = this.classFile(fileFacts.file, use.from, use.name);
          if (declaredIn !== undefined) addTo(this.classUsers, `${declaredIn}#${use.name}`, [{ file: fileFacts.file, by: use.by }]);
        }
      }
    }
    const runners = new Set<Component>();
    for (const use of this.classUsers.get(key) ?? []) {
      const owner = this.ownerOf(use.file);
      if (owner && isDeployable(owner)) runners.add(owner);
      if ((!owner || sharesCode(owner)) && use.by !== undefined && depth < 4) for (const runner of this.classRunners(use.file, use.by, depth + 1)) runners.add(runner);
    }
    const sorted = [...runners].sort((a, b) => compareStrings(a.id, b.id));
    this.runnersOf.set(key, sorted);
    return sorted;
  }

  private readonly classFiles = new Map<string, string | undefined>();

  private classDeclarations?: Map<string, string[]>;

  /**
   * The file declaring the class an import of `file` names: the one file of the repository exporting a class of that name
   * when the import resolves into the repository (barrels re-export classes in every form), else the module the import
   * resolves to or one it re-exports.
   */
  private classFile(file: string, specifier: string, name: string): string | undefined {
    const key = `${file}\0${specifier}\0${name}`;
    if (this.classFiles.has(key)) return this.classFiles.get(key);
    if (!this.classDeclarations) {
      this.classDeclarations = new Map();
      for (const facts of this.facts) for (const declared of facts.classes ?? []) addTo(this.classDeclarations, declared.name, [facts.file]);
    }
    const declaring = this.classDeclarations.get(name) ?? [];
    const internal = this.moduleEdgesByFile.get(file)?.some((e) => e.reference.specifier === specifier);
    const found = !internal ? undefined : declaring.length === 1 ? declaring[0] : this.imported(file, specifier, (facts) => (facts.classes?.some((c) => c.name === name) ? true : undefined))?.file;
    this.classFiles.set(key, found);
    return found;
  }

  /** The messages a value given to a class member makes, when that member makes any with it. */
  private madeThrough(argument: ClassArgumentFact, file: string, made: Map<string, MessageFact[]>): MessageFact[] {
    const { name, from, member } = argument.target;
    const declaredIn = from === undefined ? file : this.classFile(file, from, name);
    return (declaredIn !== undefined && made.get(parameterKey(declaredIn, { holder: name, member, index: argument.index }))) || [];
  }

  /**
   * Requests through a service broker name the service first (`notification.email.send`): one is kept only when the
   * name is a deployable's (as a host would name it) and that deployable registers the method, exactly or through a
   * template whose unknown parts stand for one segment each. Both ends then take the topic `<name>.<registered method>`,
   * the name being the one callers use (or the deployable's folder when none calls it).
   */
  private brokerMessages(messages: ResolvedMessage[]): ResolvedMessage[] {
    const responders = messages.filter((m) => m.system === 'broker' && m.role === 'respond');
    const answered = new Map<ResolvedMessage, ResolvedMessage>();
    const callNames = new Map<string, string[]>();
    for (const request of messages.filter((m) => m.system === 'broker' && m.role === 'request')) {
      const [name, ...path] = request.topic.split('.');
      const method = path.join('.');
      const to = this.componentForHost(name.toLowerCase(), request.location.file);
      const offered = responders.filter((r) => r.component === to);
      const responder = offered.find((r) => r.topic === method) ?? offered.find((r) => methodFits(method, r.topic));
      if (!responder || !to) continue;
      answered.set(request, responder);
      callNames.set(to, [...(callNames.get(to) ?? []), name]);
    }
    const serviceName = (component: string) => {
      const names = callNames.get(component);
      if (names) return names.sort(compareStrings)[0];
      const dir = this.graph.components.find((c) => c.id === component)?.dir ?? component;
      return dir.slice(dir.lastIndexOf('/') + 1);
    };
    return messages.flatMap((message) => {
      if (message.system !== 'broker') return [message];
      if (message.role === 'respond') return [{ ...message, topic: `${serviceName(message.component)}.${message.topic}` }];
      const responder = answered.get(message);
      return responder ? [{ ...message, topic: `${serviceName(responder.component)}.${responder.topic}` }] : [];
    });
  }

  /** The fact making the queue or task a message reaches through an import, in the module the import resolves to. */
  private madeElsewhere({ on, system }: MessageFact, file: string): { value: MessageFact; file: string } | undefined {
    return on && this.imported(file, on.from, (facts) => facts.messages?.find((m) => m.binding === on.name && m.system === system));
  }

  // ------------------------------------------------------------ RPC

  /**
   * RPC clients resolved to the deployables serving them: by the host of the address a client is given (as for HTTP
   * calls), else by the gRPC service it calls (in its package, when both ends name one) or the package it registers.
   * A client of a service its own deployable serves is a local call.
   */
  rpcCalls(): ResolvedRpcCall[] {
    const named = this.attributed(
      (f) => f.rpc,
      (fact, file, user, env) => {
        const text = (parts: ValuePart[] | undefined) => {
          const rendered = parts && this.render(parts, file, firstChoices(env)).text;
          return rendered && !rendered.includes(DYNAMIC) && !rendered.includes('${') ? rendered : undefined;
        };
        return { fact, file, user, env, service: text(fact.service), package: text(fact.package) };
      },
      (fact) => fact.holder,
    );
    const servers = named.filter((n) => n.fact.role === 'serve' && n.fact.transport === 'grpc');
    const packagesServed = (component: string) => servers.filter((s) => s.user.component.id === component && s.package).map((s) => s.package);
    const calls: ResolvedRpcCall[] = [];
    for (const { fact, file, user, env, service, package: packageName } of named) {
      if (fact.role !== 'call' || fact.transport === 'redis') continue;
      const from = user.component.id;
      const call = (to: string, target: string, how: string) => calls.push({ from, to, transport: fact.transport, target, how, location: fact.location, ...(user.via && user.via.file !== fact.location.file ? { via: user.via } : {}) });
      const byHost = fact.address && this.addressTarget(fact.address, file, user.component, env);
      if (byHost) {
        call(byHost.to, rpcTarget(packageName, service) ?? byHost.address, byHost.how);
        continue;
      }
      if (fact.transport !== 'grpc' || (!service && !packageName)) continue;
      const serving = servers.filter((s) =>
        service
          ? s.service === service && (!packageName || packagesServed(s.user.component.id).length === 0 || packagesServed(s.user.component.id).includes(packageName))
          : s.package === packageName,
      );
      if (serving.some((s) => s.user.component.id === from)) continue;
      for (const server of new Map(serving.map((s) => [s.user.component.id, s])).values()) {
        call(server.user.component.id, rpcTarget(packageName, service)!, `served at ${server.fact.location.file}:${server.fact.location.line}`);
      }
    }
    return calls;
  }

  /** The component an RPC address (`host:port`, a URL, `dns:///host:port`) names, trying each value its env vars are given. */
  private addressTarget(parts: ValuePart[], file: string, from: Component, environment: Environment): { to: string; how: string; address: string } | undefined {
    return preferringFound(environment, (env) => {
      const address = this.render(parts, file, env);
      const host = addressHost(address.text.replace(/^dns:\/*/, ''));
      const to = host === undefined ? undefined : this.componentForHost(host, file);
      const found = to !== undefined && to !== from.id;
      return { result: found ? { to, how: hostOrigin(address, host!), address: address.text } : undefined, found, envRead: [...new Set(address.env.map((e) => e.name))] };
    });
  }

  // ------------------------------------------------------------ API documents

  /** Specs and the component that owns each: the service its `servers` name, the service a contract package is named after, or its folder's. */
  private collectSpecs(): ApiSpec[] {
    const specs: ApiSpec[] = [];
    for (const fileFacts of this.facts) {
      const api = fileFacts.openapi;
      if (api?.kind !== 'spec') continue;
      const servers = api.servers.map((s) => s.url);
      const byServer = servers.map((s) => splitUrl(s)).flatMap((s) => (s ? [this.componentForHost(s.host, fileFacts.file)] : [])).find((c) => c !== undefined);
      const folder = this.ownerOf(fileFacts.file);
      const owner = byServer ?? (folder && contractOwner(folder, this.graph.components)?.id) ?? folder?.id;
      if (!owner) continue;
      const referred = (api.pathRefs ?? []).flatMap(({ path, file }) => (this.factsByFile.get(file)?.openapi?.pathItemMethods ?? []).map(({ method, location }) => ({ method, path, location })));
      specs.push({ file: fileFacts.file, owner, servers, basePaths: [...new Set(servers.map((s) => pathOf(s)).filter((p) => p !== '/'))], operations: [...api.operations, ...referred] });
    }
    return specs;
  }

  private ownerOfApiFile(file: string): string | undefined {
    return this.specs.find((s) => s.file === file)?.owner ?? this.ownerOf(file)?.id;
  }

  specRefs(): Interactions['specRefs'] {
    const refs: Interactions['specRefs'] = [];
    const files = new Set(this.input.files);
    for (const fileFacts of this.facts) {
      for (const ref of fileFacts.openapi?.refs ?? []) {
        if (ref.file === undefined) continue;
        if (!files.has(ref.file)) {
          if (ref.file.split('/').some((folder) => SKIPPED_FOLDERS.has(folder))) continue; // exists or not, never analysed
          this.input.diagnostics.push({ file: fileFacts.file, line: ref.location.line, column: ref.location.column, code: 'openapi-ref-unresolved', message: `$ref "${ref.ref}": ${ref.file} is not a file of the repository` });
          continue;
        }
        const schema = this.factsByFile.get(ref.file)?.openapi?.schemas.find((s) => s.pointer === ref.pointer);
        const target = schema?.location ?? { file: ref.file, line: 1, column: 1 };
        refs.push({ ...ref, from: fileFacts.file, fromOwner: this.ownerOfApiFile(fileFacts.file), toOwner: this.ownerOfApiFile(ref.file), target });
      }
    }
    return refs;
  }
}

function parameterKey(file: string, { holder, member, index }: ParameterRef): string {
  return `${file}#${holder}.${member}#${index}`;
}

/** Adds the items a list lacks; whether any was added. */
function addTo<T>(lists: Map<string, T[]>, key: string, items: T[]): boolean {
  const list = lists.get(key) ?? [];
  const added = items.filter((item) => !list.includes(item));
  if (added.length > 0) lists.set(key, [...list, ...added]);
  return added.length > 0;
}

/** What a gRPC client names: `package.Service`, the service, or the package it registers. */
function rpcTarget(packageName: string | undefined, service: string | undefined): string | undefined {
  if (service) return packageName ? `${packageName}.${service}` : service;
  return packageName && `package ${packageName}`;
}

/** Where the host of a rendered address comes from: the env var and the deployment file giving it, or the code. */
function hostOrigin(address: Rendered, host: string): string {
  const configured = address.env.find((e) => e.binding);
  if (configured?.binding) return `env ${configured.name}=${configured.binding.value} (${configured.binding.source}, ${configured.binding.location.file}:${configured.binding.location.line})`;
  return address.literalHost ? `hard-coded host "${host}"` : `host "${host}"`;
}

/** Whether text starting a URL holds its whole host (`http://shipping:3000/…`, not `http://` + an env var). */
function hasLiteralHost(text: string, whole: boolean): boolean {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]*)([/:?#]?)/i.exec(text);
  return !!match && match[1] !== '' && (match[2] !== '' || whole);
}

/** The names a host may use for a component: its id, unscoped package name and folder name, with and without `-service`-like suffixes. */
/** The service a contract or client package is named after (`@shop/payments-contracts` → `payments`). */
export function contractOwner(component: Component, components: Component[]): Component | undefined {
  if (component.kind === 'service') return component;
  if (component.kind !== 'contract') return undefined;
  const base = (component.packageName ?? component.id).replace(/^@[^/]+\//, '').replace(/[-_.](contracts?|client|types|sdk|api|dtos?|schemas?|events|interfaces?)$/i, '');
  if (base === (component.packageName ?? component.id).replace(/^@[^/]+\//, '')) return undefined;
  return components.find((c) => c.kind === 'service' && shortNames(c).includes(base.toLowerCase()));
}

/** Whether a method name fits a registered one whose unknown parts (`{…}.send`) stand for one segment each. */
function methodFits(method: string, registered: string): boolean {
  return wildcardPattern(registered.split(DYNAMIC), '[^.]+').test(method);
}

/** A topic's name: the last part of an SNS ARN or an SQS queue URL, the name itself otherwise. */
function topicName(topic: string): string {
  if (/^arn:/.test(topic)) return topic.slice(topic.lastIndexOf(':') + 1);
  if (/^https?:\/\//.test(topic)) return topic.slice(topic.lastIndexOf('/') + 1);
  return topic;
}

function interactionEdges(interactions: Interactions, graph: Graph): ComponentEdge[] {
  const service = new Map(graph.components.map((c) => [c.id, c.service]));
  const edges = new Map<string, ComponentEdge>();
  const add = (from: string, to: string, kind: ComponentEdge['kind'], sync: boolean, location: SourceLocation, detail: string) => {
    if (service.get(from) === service.get(to)) return;
    const key = `${from}\0${to}\0${kind}\0${sync}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { from, to, kind, sync, evidence: [] };
      edges.set(key, edge);
    }
    if (!edge.evidence.some((e) => sameLocation(e.location, location) && e.detail === detail)) edge.evidence.push({ location, detail });
  };
  for (const call of interactions.httpCalls) {
    if (call.to) add(call.from, call.to, 'http', true, call.location, `${call.method ?? 'call'} ${call.url} (${call.how})`);
  }
  for (const call of interactions.rpcCalls) {
    add(call.from, call.to, 'rpc', true, call.location, `${call.transport === 'grpc' ? 'gRPC' : 'TCP'} ${call.target} (${call.how})`);
  }
  for (const task of interactions.messages) {
    if (task.to) add(task.component, task.to, 'event', false, task.location, `queues a delivery to ${task.topic} (${task.system})`);
  }
  const byTopic = groupBy(interactions.messages, (m) => `${m.system}\0${m.topic}`);
  for (const messages of byTopic.values()) {
    const publishers = messages.filter((m) => m.role === 'publish');
    const answering = messages.filter((m) => m.role === 'respond' || m.role === 'subscribe');
    for (const subscriber of messages.filter((m) => m.role === 'subscribe')) {
      for (const publisher of publishers) add(subscriber.component, publisher.component, 'event', false, subscriber.location, `subscribes to "${subscriber.topic}" published at ${publisher.location.file}:${publisher.location.line}`);
    }
    const consumers = messages.filter((m) => m.role === 'consume');
    for (const producer of messages.filter((m) => m.role === 'produce')) {
      for (const consumer of consumers) add(producer.component, consumer.component, 'event', false, producer.location, `produces "${producer.topic}" consumed at ${consumer.location.file}:${consumer.location.line}`);
    }
    for (const request of messages.filter((m) => m.role === 'request')) {
      for (const responder of answering) add(request.component, responder.component, 'event', true, request.location, `requests "${request.topic}" answered at ${responder.location.file}:${responder.location.line}`);
    }
  }
  // A Redis pattern subscription (`psubscribe('orders.*')`) hears every channel the pattern matches.
  const channels = interactions.messages.filter((m) => m.system === 'redis' && m.role === 'publish');
  for (const subscriber of interactions.messages.filter((m) => m.system === 'redis' && m.role === 'subscribe' && m.topic.includes('*'))) {
    const pattern = wildcardPattern(subscriber.topic.split('*'), '.*');
    for (const publisher of channels) {
      if (publisher.topic !== subscriber.topic && pattern.test(publisher.topic)) add(subscriber.component, publisher.component, 'event', false, subscriber.location, `subscribes to "${subscriber.topic}" matching "${publisher.topic}" published at ${publisher.location.file}:${publisher.location.line}`);
    }
  }
  for (const ref of interactions.specRefs) {
    if (ref.fromOwner && ref.toOwner) add(ref.fromOwner, ref.toOwner, 'openapi-ref', false, ref.location, `$ref "${ref.ref}"`);
  }
  return [...edges.values()];
}

function interactionResources(interactions: Interactions): Resource[] {
  const resources = new Map<string, Resource>();
  for (const message of interactions.messages) {
    const id = `topic:${message.system}:${message.topic}`;
    const resource = resources.get(id) ?? { id, kind: 'topic' as const, name: message.topic, evidence: [] };
    // A topic belongs to who publishes or answers on it; a queue or task to who consumes it; a delivery to whoever serves its URL.
    const owner = message.to ?? (['publish', 'respond', 'consume'].includes(message.role) ? message.component : undefined);
    if (owner && (!resource.owner || compareStrings(owner, resource.owner) < 0)) resource.owner = owner;
    resource.evidence.push({ location: message.location, detail: `${message.component} ${message.role}s (${message.system})` });
    resources.set(id, resource);
  }
  for (const route of interactions.routes) {
    const id = `endpoint:${route.component}:${route.method} ${route.path}`;
    const resource = resources.get(id) ?? { id, kind: 'endpoint' as const, name: `${route.method} ${route.path}`, owner: route.component, evidence: [] };
    resource.evidence.push({ location: route.location, detail: 'route' });
    resources.set(id, resource);
  }
  return [...resources.values()];
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}
