import type {
  Component,
  ComponentEdge,
  DataAccess,
  DatabaseConnection,
  DatabaseEngine,
  DatabaseFactoryCallFact,
  DatabaseFactoryFact,
  EnvironmentBinding,
  Evidence,
  FileFacts,
  Resource,
  TableAccess,
  TableDefinition,
} from '../model.js';
import type { DeploymentIndex } from '../deployment/index.js';
import { CONNECTION_URL, DEFAULT_PORTS, engineOf, hostedEngine, identifiesDatabase, keyEngine, optionField, parseConnectionUrl, type ConnectionTarget } from '../util/databases.js';
import { joinPosix } from '../util/paths.js';
import { redactCredentials } from '../util/redact.js';
import { compareStrings } from '../util/text.js';
import { expandVariables, hasUnresolvedReference, withoutDefaults } from '../util/variables.js';
import type { EnrichContext, GraphEnricher } from './build.js';
import { ExportFinder } from './exports.js';
import type { LibraryUsers } from './library-users.js';
import { isDeployable, sharesCode } from './services.js';

/**
 * Databases and tables with their owners, and `database` edges from components to them.
 *
 * A component uses a database when its environment holds a connection URL (or `*_HOST`/`*_DB` keys joined into one),
 * when its code or schema configures a client (`process.env.X` resolved through its environment), or
 * when it depends on a library that does (resolved through the service's own environment). A database
 * is engine + host + port + database name after normalising host names (compose services, Kubernetes
 * service forms, `localhost` behind a published compose port). Tables belong to the component whose
 * schema or migrations define them; reads and writes from code become edges to those tables. A Redis a service
 * reaches only as the broker of its job queues, of its pub/sub channels or of a NestJS Redis transport (its configuration, or a client built
 * to be a queue's connection) is messaging between services, which the messaging edges show, not a database it uses.
 */
export const databaseEnricher: GraphEnricher = (context) => {
  const hosts = new HostNormaliser(context.discovery.deployments);
  const environment = environmentByComponent(context.graph.environment);
  const facts = context.facts.filter((f) => !context.isTest(f.file));
  const libraries = context.libraryUsers;
  const uses = new UseCollector(hosts);
  const brokers = brokerConnections(facts);

  for (const component of context.graph.components) {
    if (!isDeployable(component)) continue;
    const env = environment.get(component.id) ?? [];
    for (const binding of env) {
      const target = parseConnectionUrl(binding.value, keyEngine(binding.name));
      if (target) uses.add(component, target, { location: binding.location, detail: `${binding.name}=${redactCredentials(binding.value)}` });
    }
    for (const group of keyGroups(env, hosts)) uses.add(component, group.target, group.evidence);
  }

  const runtimeConnections = libraryRuntimeConnections(context, facts);
  const environmentGivesLibrary = (library: Component, file: string, connection: DatabaseConnection, env: EnvironmentBinding[]) => {
    if (!libraries.isToolConfiguration(file)) return environmentGives(connection, env);
    const runtime = runtimeConnections.get(library.id) ?? [];
    return runtime.length === 0 || runtime.some((c) => environmentGives(c, env));
  };
  for (const fileFacts of facts) {
    const owner = context.ownerOf(fileFacts.file);
    if (!owner || !fileFacts.connections) continue;
    for (const connection of fileFacts.connections) {
      const detail = connection.engine === 'dynamodb'
        ? `${connection.client} ${connection.access ?? 'use'} of table ${connection.database}`
        : `${connection.client} connection${connection.url ? ` to ${redactCredentials(connection.url)}` : ''}`;
      const client = brokers.has(locationKey(connection.location)) ? 'broker' : 'store';
      if (isDeployable(owner)) {
        for (const target of resolveConnection(connection, environment.get(owner.id) ?? [])) {
          uses.add(owner, target, { location: connection.location, detail }, client, connection.access);
        }
      }
      for (const { service, evidence } of libraries.ofConfiguration(fileFacts.file)) {
        const env = environment.get(service.id) ?? [];
        const targets = resolveConnection(connection, env);
        const via = { location: evidence.location, detail: `${evidence.detail}: library "${owner.id}" opens a ${detail} (${connection.location.file}:${connection.location.line})` };
        if (targets.length > 0) for (const target of targets) uses.addThroughLibrary(service, owner, target, via, client, connection.access);
        else if (environmentGivesLibrary(owner, fileFacts.file, connection, env)) uses.addLibraryDatabase(service, owner, connection, [via, { location: connection.location, detail }], client);
      }
    }
  }
  addFactoryUses(context, facts, environment, uses, brokers);

  uses.dropServerOnlyUses();
  uses.dropResolvedLibraryDatabases();
  uses.dropBrokerUses(queueUsers(context, facts, libraries));
  const databases = uses.resources();
  const tables = tableResources(context, uses, libraries);
  for (const database of databases) {
    const owners = new Set([...tables.values()].filter((t) => t.resource.database === database.id).map((t) => t.owner.id));
    if (owners.size === 1) database.owner = [...owners][0];
  }
  const edges = [...uses.edges(accessModes(context, facts, libraries, uses, tables)), ...tableEdges(context, facts, tables, uses)];
  return { resources: [...databases, ...[...tables.values()].map((t) => t.resource)], edges };
};

/**
 * A library's connection counts for a service whose environment does not resolve it only when that environment may
 * give it: it defines a variable the connection reads, the connection reads none (a literal), or nothing is known of
 * the service's environment (no .env, compose, Kubernetes or platform entry binds it). A frontend importing a data
 * package whose client reads DATABASE_URL, with an environment that lacks it, does not open that database.
 */
function environmentGives(connection: DatabaseConnection, env: EnvironmentBinding[]): boolean {
  if (env.length === 0) return true;
  const read = new Set<string>();
  for (const value of [connection.url, connection.host, connection.database]) {
    if (value !== undefined) expandVariables(value, (name) => void read.add(name));
  }
  return read.size === 0 || env.some((binding) => read.has(binding.name));
}

/**
 * Each library's connections in what its services run (imported modules, a Prisma schema), not in a tool's
 * configuration nobody imports (drizzle.config.ts): the variable a tool reads is the tool's, so whether a service's
 * environment gives the library's database is asked of these.
 */
function libraryRuntimeConnections(context: EnrichContext, facts: FileFacts[]): Map<string, DatabaseConnection[]> {
  const byLibrary = new Map<string, DatabaseConnection[]>();
  for (const fileFacts of facts) {
    const owner = context.ownerOf(fileFacts.file);
    if (!owner || !sharesCode(owner) || !fileFacts.connections || context.libraryUsers.isToolConfiguration(fileFacts.file)) continue;
    byLibrary.set(owner.id, [...(byLibrary.get(owner.id) ?? []), ...fileFacts.connections]);
  }
  return byLibrary;
}

// ------------------------------------------------------------ factories

/**
 * Connections opened through a library's factory (`createDb(process.env.AGENT_DB_URL)` calling `postgres(url)`): the
 * argument the caller passes is the connection's configuration, resolved with the environment of the service that
 * runs the call like a connection written there. When that environment does not resolve it, the connection is the
 * library's database only if the library defines tables (a data-access package for one store); a generic helper's
 * callers may each open their own.
 */
function addFactoryUses(context: EnrichContext, facts: FileFacts[], environment: Map<string, EnvironmentBinding[]>, uses: UseCollector, brokers: Set<string>): void {
  const exports = new ExportFinder(context.facts, context.graph.moduleEdges);
  const holdingTables = new Set(context.facts.filter((f) => f.tables?.length).map((f) => context.ownerOf(f.file)?.id));
  for (const fileFacts of facts) {
    const owner = context.ownerOf(fileFacts.file);
    if (!owner) continue;
    for (const call of fileFacts.databaseFactoryCalls ?? []) {
      const found = exports.find(fileFacts.file, call.via.from, (f) => f.databaseFactories?.find((d) => d.name === call.via.name));
      const library = found && context.ownerOf(found.file);
      const given = found && givenSettings(found.value, call);
      if (!found || !library || !given) continue;
      const opened = found.value.connection;
      const connection: DatabaseConnection = { ...opened, ...given.fields };
      const client = brokers.has(locationKey(call.location)) ? 'broker' : 'store';
      const shown = given.arguments.map((a) => `${a.property ? `${a.property}: ` : ''}${redactCredentials(a.value)}`).join(', ');
      const detail = `${call.via.name}(${shown}) opens a ${opened.client} connection of "${library.id}" (${opened.location.file}:${opened.location.line})`;
      const evidence: Evidence = { location: given.arguments[0].location, detail };
      const users = [
        ...(isDeployable(owner) ? [{ service: owner, evidence: [evidence] }] : []),
        ...context.libraryUsers.ofModule(fileFacts.file).map((u) => ({ service: u.service, evidence: [{ location: u.evidence.location, detail: `${u.evidence.detail}: library "${owner.id}" calls ${detail}` }, evidence] })),
      ];
      for (const { service, evidence } of users) {
        const env = environment.get(service.id) ?? [];
        const targets = resolveConnection(connection, env);
        if (targets.length > 0) for (const target of targets) uses.addThroughLibrary(service, library, target, evidence[0], client);
        else if (holdingTables.has(library.id) && environmentGives(connection, env)) uses.addLibraryDatabase(service, library, connection, evidence, client);
      }
    }
  }
}

type FactoryArgument = DatabaseFactoryCallFact['arguments'][number];

/**
 * The connection settings a call gives a factory's parameters: each input's argument (`createDb(url)`, `open({ host })`
 * read as `options.host`), or, for a parameter that is the client's options object (`new Pool(config)`), the keys of
 * the object literal passed (`createPool({ host: …, database: … })`). Undefined when the call gives none.
 */
function givenSettings(factory: DatabaseFactoryFact, call: DatabaseFactoryCallFact): { fields: Partial<DatabaseConnection>; arguments: FactoryArgument[] } | undefined {
  const fields: Partial<Record<'url' | 'host' | 'database', string>> = {};
  const used: FactoryArgument[] = [];
  const give = (field: 'url' | 'host' | 'database', argument: FactoryArgument) => {
    if (fields[field] !== undefined) return;
    fields[field] = argument.value;
    used.push(argument);
  };
  for (const input of factory.inputs) {
    const whole = call.arguments.find((a) => a.index === input.parameter && a.property === input.property);
    if (whole) give(input.field, whole);
    else if (input.property === undefined && input.field === 'url') {
      for (const argument of call.arguments) {
        const field = argument.index === input.parameter && argument.property !== undefined ? optionField(argument.property) : undefined;
        if (field) give(field, argument);
      }
    }
  }
  return used.length > 0 ? { fields, arguments: used } : undefined;
}

// ------------------------------------------------------------ queue brokers

function locationKey(location: { file: string; line: number; column: number }): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** Where Redis clients given to a queue as its connection are built. */
function brokerConnections(files: FileFacts[]): Set<string> {
  return new Set(files.flatMap((f) => (f.messages ?? []).flatMap((m) => (m.connection ? [locationKey(m.connection)] : []))));
}

/**
 * The deployables whose code, or the library modules they load, makes or works a Redis job queue (calls on an
 * imported one count where it is made), publishes or subscribes to Redis channels, or talks through a NestJS Redis transport.
 */
function queueUsers(context: EnrichContext, files: FileFacts[], libraries: LibraryUsers): Set<string> {
  const users = new Set<string>();
  for (const facts of files) {
    const owner = context.ownerOf(facts.file);
    const brokered = facts.messages?.some((m) => (m.system === 'queue' && !m.on) || m.system === 'redis') || facts.rpc?.some((r) => r.transport === 'redis');
    if (!owner || !brokered) continue;
    if (isDeployable(owner)) users.add(owner.id);
    for (const { service } of libraries.ofModule(facts.file)) users.add(service.id);
  }
  return users;
}

// ------------------------------------------------------------ configuration → targets

function environmentByComponent(environment: EnvironmentBinding[]): Map<string, EnvironmentBinding[]> {
  const byComponent = new Map<string, EnvironmentBinding[]>();
  for (const binding of environment) {
    const list = byComponent.get(binding.component) ?? [];
    list.push(binding);
    byComponent.set(binding.component, list);
  }
  return byComponent;
}

/**
 * The targets a connection reaches with a component's environment: one per configuration (each `.env` file for local
 * runs, compose, Kubernetes), since each may point somewhere else.
 */
function resolveConnection(connection: DatabaseConnection, env: EnvironmentBinding[]): ConnectionTarget[] {
  const configurations = [...new Set(env.map(configurationOf))];
  const targets = new Map<string, ConnectionTarget>();
  for (const configuration of configurations.length > 0 ? configurations : [undefined]) {
    const lookup = (name: string) => (env.find((b) => b.name === name && configurationOf(b) === configuration) ?? env.find((b) => b.name === name))?.value;
    const resolve = (value: string | undefined) => (value === undefined ? undefined : expandVariables(value, lookup));
    const url = resolve(connection.url);
    const database = resolve(connection.database);
    let target: ConnectionTarget | undefined;
    if (url !== undefined && !hasUnresolvedReference(url)) {
      const parsed = parseConnectionUrl(url, connection.engine);
      if (parsed) target = { ...parsed, database: database && !hasUnresolvedReference(database) ? database : parsed.database };
    } else if (connection.engine === 'dynamodb') {
      if (database !== undefined && database !== '' && !hasUnresolvedReference(database)) target = { engine: 'dynamodb', database };
    } else if (url === undefined && connection.engine) {
      const address = resolve(connection.host);
      // A host given as a whole address (`DATABASE_HOST=localhost:3306`) carries its port.
      const [host, addressPort] = address === undefined ? [] : (/^([^:]+):(\d+)$/.exec(address)?.slice(1) ?? [address]);
      const port = addressPort ?? resolve(connection.port);
      if (host !== undefined && !hasUnresolvedReference(host) && host !== '') {
        target = {
          engine: connection.engine,
          host,
          port: port !== undefined && /^\d+$/.test(port) ? Number(port) : undefined,
          database: database !== undefined && !hasUnresolvedReference(database) ? database : undefined,
        };
      }
    }
    if (target && !isDevelopmentDefault(target, connection.url ?? connection.host, lookup)) targets.set(JSON.stringify(target), target);
  }
  return [...targets.values()];
}

/** The configuration a binding belongs to: its `.env` file, or the compose or Kubernetes deployment. */
function configurationOf(binding: EnvironmentBinding): string {
  return binding.source === 'dotenv' ? `dotenv:${binding.location.file}` : binding.source;
}

/**
 * A loopback host that only a default in code supplies (`process.env.DATABASE_URL ?? 'postgres://localhost/dev'`
 * with the variable unset): each developer's own database, not one the services share.
 */
function isDevelopmentDefault(target: ConnectionTarget, configured: string | undefined, lookup: (name: string) => string | undefined): boolean {
  return configured !== undefined && isLoopback(target.host ?? '') && hasUnresolvedReference(expandVariables(withoutDefaults(configured), lookup));
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', 'host.docker.internal']);

function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase().replace(/^\[|\]$/g, ''));
}

const KEY_PART = /^(.*?)_?(HOST|HOSTNAME|SERVER|PORT|DB|DATABASE|NAME|DBNAME)$/;
const KEY_PARTS: Record<string, 'HOST' | 'PORT' | 'DB'> = { HOST: 'HOST', HOSTNAME: 'HOST', SERVER: 'HOST', PORT: 'PORT', DB: 'DB', DATABASE: 'DB', NAME: 'DB', DBNAME: 'DB' };
const PREFIX_ENGINES: [RegExp, DatabaseEngine | undefined][] = [
  [/(^|_)(POSTGRES|POSTGRESQL|PG)$/, 'postgres'],
  [/(^|_)(MYSQL|MARIADB)$/, 'mysql'],
  [/(^|_)(MONGO|MONGODB)$/, 'mongodb'],
  [/(^|_)REDIS$/, 'redis'],
  [/(^|_)(MSSQL|SQLSERVER)$/, 'sqlserver'],
  [/(^|_)CLICKHOUSE$/, 'clickhouse'],
  [/(^|_)(DB|DATABASE|SQL|TYPEORM)$/, undefined],
];

/** `DB_HOST` + `DB_PORT` + `DB_NAME`, `POSTGRES_HOST` + `POSTGRES_DB`, `PGHOST` + `PGDATABASE`, … given as separate keys. */
function keyGroups(env: EnvironmentBinding[], hosts: HostNormaliser): { target: ConnectionTarget; evidence: Evidence }[] {
  const groups = new Map<string, Map<string, EnvironmentBinding>>();
  for (const binding of env) {
    const match = KEY_PART.exec(binding.name);
    if (!match || !PREFIX_ENGINES.some(([pattern]) => pattern.test(match[1]))) continue;
    const key = `${binding.source}\0${binding.location.file}\0${match[1]}`;
    const group = groups.get(key) ?? new Map<string, EnvironmentBinding>();
    const part = KEY_PARTS[match[2]];
    if (!group.has(part)) group.set(part, binding);
    groups.set(key, group);
  }
  const found: { target: ConnectionTarget; evidence: Evidence }[] = [];
  for (const [key, group] of groups) {
    const host = group.get('HOST');
    // A host given as a whole URL (`CLICKHOUSE_HOST=http://clickhouse:8123`) is read as one connection URL above.
    if (!host || host.value === '' || hasUnresolvedReference(host.value) || CONNECTION_URL.test(host.value)) continue;
    const prefix = key.slice(key.lastIndexOf('\0') + 1);
    const typeBinding = env.find((b) => ['TYPE', 'DIALECT', 'CLIENT', 'ENGINE'].some((s) => b.name === `${prefix}_${s}` || b.name === `${prefix}${s}`));
    const engine = PREFIX_ENGINES.find(([pattern]) => pattern.test(prefix))?.[1] ?? engineOf(typeBinding?.value) ?? hosts.imageEngine(host.value) ?? hostedEngine(host.value);
    if (!engine) continue;
    const port = group.get('PORT')?.value;
    // A port that is not a number marks the group as placeholders (`REDIS_HOST=a`, `REDIS_PORT=a`), not a server.
    if (port && !/^\d+$/.test(port) && !hasUnresolvedReference(port)) continue;
    const database = group.get('DB')?.value;
    const shown = [...group.values()].map((b) => `${b.name}=${b.value}`).join(', ');
    found.push({
      target: { engine, host: host.value, port: port && /^\d+$/.test(port) ? Number(port) : undefined, database: database || undefined },
      evidence: { location: host.location, detail: redactCredentials(shown) },
    });
  }
  return found;
}

// ------------------------------------------------------------ identity

/** Host names as the services see them: compose service names, Kubernetes service forms, `localhost` behind published ports. */
class HostNormaliser {
  constructor(private readonly deployments: DeploymentIndex) {}

  /** The engine of a compose service's image (`postgres:16` → postgres), for `DB_HOST=db` style settings. */
  imageEngine(host: string): DatabaseEngine | undefined {
    const image = this.deployments.imageOf(host)?.split('/').pop() ?? '';
    const name = image.replace(/[:@].*$/, '');
    if (/^(postgres|postgis|timescaledb|pgvector)/.test(name)) return 'postgres';
    if (/^(mysql|mariadb|percona)/.test(name)) return 'mysql';
    if (/^mongo/.test(name)) return 'mongodb';
    if (/^(redis|valkey|keydb|dragonfly)/.test(name)) return 'redis';
    if (/^mssql|^azure-sql-edge/.test(name)) return 'sqlserver';
    if (/^clickhouse/.test(name)) return 'clickhouse';
    return undefined;
  }

  identity(target: ConnectionTarget, component: Component): { id: string; name: string } {
    if (target.engine === 'dynamodb') return { id: `database:dynamodb:${target.database}`, name: `dynamodb:${target.database}` };
    if (target.engine === 'sqlite') {
      const file = joinPosix(component.dir, (target.database ?? '').replace(/^\/\/?/, ''));
      return { id: `database:sqlite:${file}`, name: `sqlite:${file}` };
    }
    let host = this.host(target.host ?? 'localhost');
    let port = target.port ?? DEFAULT_PORTS[target.engine];
    const exposed = host === 'localhost' && port !== undefined ? this.deployments.publishedPort(port, component) : undefined;
    if (exposed) {
      host = exposed.service;
      port = exposed.container;
    }
    const database = target.database ?? (target.engine === 'redis' ? '0' : '');
    const name = `${target.engine}://${host}${port !== undefined ? `:${port}` : ''}/${database}`;
    return { id: `database:${name}`, name };
  }

  private host(raw: string): string {
    if (isLoopback(raw)) return 'localhost';
    return this.deployments.kubernetesServiceName(raw.toLowerCase().replace(/^\[|\]$/g, ''));
  }
}

function libraryDatabaseId(library: Component, engine: DatabaseEngine | undefined): string {
  return `database:library:${library.id}:${engine ?? 'database'}`;
}

/** `database:mysql://mysql:3306/accounts` → its server and database name (empty for the whole server). */
function serverOf(id: string): { server: string; database: string } | undefined {
  const match = /^database:([a-z]+:\/\/[^/]*)\/(.*)$/.exec(id);
  return match ? { server: match[1], database: match[2] } : undefined;
}

interface DatabaseUse {
  component: Component;
  id: string;
  evidence: Evidence[];
  /** Code opens a client of it for its own use (not only configuration, not only a queue's connection). */
  opensStore: boolean;
  /** What the operations that name it do (DynamoDB commands on their table), when they say. */
  access?: DataAccess;
}

/** What code opens a connection for: its own reads and writes, or a queue's broker. */
type ClientUse = 'store' | 'broker';

/** Every component → database use, keyed by identity, with the resources it implies. */
class UseCollector {
  private readonly byKey = new Map<string, DatabaseUse>();
  private readonly databases = new Map<string, Resource>();
  /** `service\0library database id`: the service's environment resolves a connection of that library of that engine. */
  private readonly resolvedLibraries = new Set<string>();

  constructor(private readonly hosts: HostNormaliser) {}

  /** A use found in configuration (no client), or by a client code opens. */
  add(component: Component, target: ConnectionTarget, evidence: Evidence, client?: ClientUse, access?: DataAccess): void {
    if (!identifiesDatabase(target)) return;
    const { id, name } = this.hosts.identity(target, component);
    this.record(component, id, name, target.engine, evidence, client, access);
  }

  /** A use through a connection of a library (its configuration, a factory it exports) that the service's environment resolves. */
  addThroughLibrary(service: Component, library: Component, target: ConnectionTarget, evidence: Evidence, client?: ClientUse, access?: DataAccess): void {
    this.add(service, target, evidence, client, access);
    this.resolvedLibraries.add(`${service.id}\0${libraryDatabaseId(library, target.engine)}`);
  }

  /**
   * A connection a library opens that the service's environment does not resolve: one database per library
   * and engine, however many ways its code spells the URL: the service's import and each connection are its evidence.
   */
  addLibraryDatabase(service: Component, library: Component, connection: DatabaseConnection, evidence: Evidence[], client: ClientUse): void {
    const engine = connection.engine ?? 'database';
    for (const piece of evidence) this.record(service, libraryDatabaseId(library, connection.engine), `${engine} of library ${library.id}`, connection.engine, piece, client);
  }

  /**
   * Forgets a service's use of "the postgres of library X" when its environment resolves another connection of X of
   * that engine (a migration tool's configuration reading an unset variable, beside the client the service runs): the
   * resolved database is where the library's tables are for it.
   */
  dropResolvedLibraryDatabases(): void {
    for (const [key, use] of this.byKey) if (this.resolvedLibraries.has(`${use.component.id}\0${use.id}`)) this.byKey.delete(key);
  }

  /**
   * Forgets a component's use of a whole server (`DB_HOST=mysql` with no database name) when it also uses a database
   * named on that server (its code opens `{ host: DB_HOST, database: 'accounts' }`): the server stands for that database.
   */
  dropServerOnlyUses(): void {
    const named = new Set<string>();
    for (const use of this.byKey.values()) {
      const server = serverOf(use.id);
      if (server && server.database !== '') named.add(`${use.component.id}\0${server.server}`);
    }
    for (const [key, use] of this.byKey) {
      const server = serverOf(use.id);
      if (server?.database === '' && named.has(`${use.component.id}\0${server.server}`)) this.byKey.delete(key);
    }
  }

  /** Forgets the Redis uses of queue users that nothing but configuration and queue connections show, and the databases left unused. */
  dropBrokerUses(queueUsers: Set<string>): void {
    for (const [key, use] of this.byKey) {
      if (!use.opensStore && queueUsers.has(use.component.id) && this.databases.get(use.id)?.engine === 'redis') this.byKey.delete(key);
    }
    const used = new Set([...this.byKey.values()].map((u) => u.id));
    for (const id of this.databases.keys()) if (!used.has(id)) this.databases.delete(id);
  }

  private record(component: Component, id: string, name: string, engine: DatabaseEngine | undefined, evidence: Evidence, client?: ClientUse, access?: DataAccess): void {
    const key = `${component.id}\0${id}`;
    const use = this.byKey.get(key) ?? { component, id, evidence: [], opensStore: false };
    if (client === 'store') use.opensStore = true;
    if (access && use.access !== 'write') use.access = access;
    if (!use.evidence.some((e) => e.location.file === evidence.location.file && e.location.line === evidence.location.line)) use.evidence.push(evidence);
    this.byKey.set(key, use);
    const resource = this.databases.get(id) ?? { id, kind: 'database', name, evidence: [], ...(engine ? { engine } : {}) };
    resource.evidence.push(evidence);
    this.databases.set(id, resource);
  }

  databasesOf(component: Component): Resource[] {
    return [...this.byKey.values()].filter((u) => u.component === component).map((u) => this.databases.get(u.id)!);
  }

  resources(): Resource[] {
    return [...this.databases.values()];
  }

  edges(access: (component: Component, database: Resource) => DataAccess | 'unknown'): ComponentEdge[] {
    return [...this.byKey.values()].map((use) => ({
      from: use.component.id,
      to: use.id,
      kind: 'database' as const,
      sync: true,
      access: use.access ?? access(use.component, this.databases.get(use.id)!),
      evidence: use.evidence.sort((a, b) => compareStrings(a.location.file, b.location.file) || a.location.line - b.location.line),
    }));
  }
}

// ------------------------------------------------------------ access and tables

/** `table`: a DynamoDB table, whose operations give their access themselves. */
type Family = 'sql' | 'document' | 'cache' | 'table';

function familyOf(engine: DatabaseEngine | undefined): Family {
  return engine === 'mongodb' ? 'document' : engine === 'redis' ? 'cache' : engine === 'dynamodb' ? 'table' : 'sql';
}

function accessFamily(access: TableAccess): Family | 'any' {
  return access.orm === 'mongodb' || access.orm === 'mongoose' ? 'document' : access.orm === 'prisma' ? 'any' : 'sql';
}

/**
 * Reads and writes of a component's code, and of the library code it runs, decide how it uses each database. A query
 * in a library function counts for the services that import that function (or an export calling it within its
 * module); one the module runs at load, or that no export is seen to reach, counts for every service loading it.
 * A query sent through a client of a known engine counts for the component's databases of that engine (a slonik
 * pool's INSERT does not write its ClickHouse); else one naming a table the repository defines counts for the database
 * that table is on, or the component's databases of the engine its schema is written for (a Drizzle `mysqlTable` is
 * not on ClickHouse); only when neither says, or the component uses none of the databases they say, it counts for
 * each of its databases of the kind (SQL, documents). A Prisma call counts only when a schema defines its model.
 */
function accessModes(context: EnrichContext, files: FileFacts[], libraries: LibraryUsers, uses: UseCollector, tables: Map<string, TableEntry>): (component: Component, database: Resource) => DataAccess | 'unknown' {
  const definitions = new Map<string, TableEntry[]>();
  for (const entry of tables.values()) for (const key of tableKeys(entry.definition)) definitions.set(key, [...(definitions.get(key) ?? []), entry]);
  /** For a component and a database family: table key → the ids of the component's databases the tables so named may be on. */
  const placed = new Map<string, Map<string, Set<string>>>();
  const tableDatabases = (component: Component, family: Family, key: string): Set<string> => {
    const byKey = placed.get(`${component.id}\0${family}`) ?? new Map<string, Set<string>>();
    placed.set(`${component.id}\0${family}`, byKey);
    let found = byKey.get(key);
    if (!found) {
      const kind = uses.databasesOf(component).filter((d) => familyOf(d.engine) === family);
      const ids = new Set(kind.map((d) => d.id));
      found = new Set((definitions.get(key) ?? []).flatMap(({ definition, resource }) => (resource.database ? [resource.database] : ofEngine(kind, definition.engine).map((d) => d.id))).filter((id) => ids.has(id)));
      byKey.set(key, found);
    }
    return found;
  };
  const accessByComponent = new Map<string, TableAccess[]>();
  for (const facts of files) {
    const owner = context.ownerOf(facts.file);
    if (!owner || !facts.tableAccess) continue;
    for (const access of facts.tableAccess) {
      // `x.client.contacts.create(…)` looks like a Prisma call; without a Prisma model of that name it is another API's.
      if (access.orm === 'prisma' && access.model !== undefined && !definitions.has(accessKey(access))) continue;
      const users = [...(isDeployable(owner) ? [owner] : []), ...(access.within ? libraries.ofExports(facts.file, access.within) : libraries.ofModule(facts.file)).map((u) => u.service)];
      for (const { id } of users) accessByComponent.set(id, [...(accessByComponent.get(id) ?? []), access]);
    }
  }
  return (component, database) => {
    const family = familyOf(database.engine);
    const own = uses.databasesOf(component);
    const countsFor = (a: TableAccess) => {
      if (database.engine === undefined) return true;
      if (a.engine !== undefined && own.some((d) => sameEngine(d.engine, a.engine))) return sameEngine(a.engine, database.engine);
      const named = tableDatabases(component, family, accessKey(a));
      return named.size === 0 || named.has(database.id);
    };
    const relevant = (accessByComponent.get(component.id) ?? []).filter((a) => family !== 'cache' && family !== 'table' && [family, 'any'].includes(accessFamily(a)) && countsFor(a));
    if (relevant.some((a) => a.access === 'write')) return 'write';
    return relevant.length > 0 ? 'read' : 'unknown';
  };
}

interface TableEntry {
  resource: Resource;
  definition: TableDefinition;
  owner: Component;
}

/** One table resource per owner and name; its database is the owner's only database of that kind (and of the engine its schema is written for), when there is one. */
function tableResources(context: EnrichContext, uses: UseCollector, libraries: LibraryUsers): Map<string, TableEntry> {
  const tables = new Map<string, TableEntry>();
  for (const facts of context.facts) {
    const owner = context.ownerOf(facts.file);
    if (!owner) continue;
    for (const definition of facts.tables ?? []) {
      const id = `table:${owner.id}/${definition.name.toLowerCase()}`;
      const evidence: Evidence = { location: definition.location, detail: `${definition.orm} ${definition.model && definition.model !== definition.name ? `${definition.model} → ` : ''}${definition.name}` };
      const existing = tables.get(id);
      // A SQL migration generated from an ORM schema (drizzle-kit, prisma migrate) defines the same table: the
      // schema's definition speaks for it, whichever file comes first.
      const schemaOverMigration = existing !== undefined && existing.definition.orm === 'sql' && definition.orm !== 'sql';
      if (existing && !schemaOverMigration) {
        existing.resource.evidence.push(evidence);
        continue;
      }
      const family: Family = definition.orm === 'mongoose' ? 'document' : 'sql';
      const reachable = [...(isDeployable(owner) ? uses.databasesOf(owner) : []), ...libraries.ofComponent(owner.id).flatMap((u) => uses.databasesOf(u.service))];
      const ofKind = reachable.filter((d) => definition.orm === 'prisma' ? ['sql', 'document'].includes(familyOf(d.engine)) : familyOf(d.engine) === family);
      const candidates = [...new Set(ofEngine(ofKind, definition.engine).map((d) => d.id))];
      const resource: Resource = { id, kind: 'table', name: definition.name, owner: owner.id, orm: definition.orm, ...(definition.model ? { model: definition.model } : {}), evidence: [evidence, ...(existing?.resource.evidence ?? [])], ...(candidates.length === 1 ? { database: candidates[0] } : {}) };
      tables.set(id, { resource, definition, owner });
    }
  }
  return tables;
}

/**
 * The databases a table may be on by the engine its schema is written for, when any is of that engine. A schema naming
 * none is not ClickHouse's (a ClickHouse table always names its table engine, and the ORMs do not speak ClickHouse).
 */
function ofEngine(databases: Resource[], engine: DatabaseEngine | undefined): Resource[] {
  const narrowed = databases.filter((d) => (engine ? sameEngine(d.engine, engine) : d.engine !== 'clickhouse'));
  return narrowed.length > 0 ? narrowed : databases;
}

/** libSQL (Turso) is SQLite served: a `sqliteTable` or a SQLite client's statement is on it. */
function sameEngine(a: DatabaseEngine | undefined, b: DatabaseEngine | undefined): boolean {
  const served = (engine: DatabaseEngine | undefined) => (engine === 'libsql' ? 'sqlite' : engine);
  return served(a) === served(b);
}

/** `file\0specifier` → the component of the file the import resolved to. */
function importTargets({ graph }: EnrichContext): Map<string, string> {
  const targets = new Map<string, string>();
  for (const edge of graph.moduleEdges) if (edge.toComponent) targets.set(`${edge.from}\0${edge.reference.specifier}`, edge.toComponent);
  return targets;
}

/** The keys a table is named by in code: its name, and its model (a Prisma model, or an entity or table class/variable). */
function tableKeys(definition: TableDefinition): string[] {
  return [`table:${definition.name.toLowerCase()}`, ...(definition.model ? [`${definition.orm === 'prisma' ? 'prisma' : 'class'}:${definition.model.toLowerCase()}`] : [])];
}

/** The key of the table an access names (see tableKeys). */
function accessKey(access: TableAccess): string {
  return access.model ? `${access.orm === 'prisma' ? 'prisma' : 'class'}:${access.model.toLowerCase()}` : `table:${access.table!.toLowerCase()}`;
}

/** Edges from the components whose code reads or writes a table to that table (its owner's or another's). */
function tableEdges(context: EnrichContext, files: FileFacts[], tables: Map<string, TableEntry>, uses: UseCollector): ComponentEdge[] {
  const byKey = new Map<string, TableEntry[]>();
  for (const entry of tables.values()) for (const key of tableKeys(entry.definition)) byKey.set(key, [...(byKey.get(key) ?? []), entry]);
  let importedFrom: Map<string, string> | undefined;
  const edges = new Map<string, ComponentEdge>();
  for (const facts of files) {
    const component = context.ownerOf(facts.file);
    if (!component) continue;
    const own = new Set(uses.databasesOf(component).map((d) => d.id));
    for (const access of facts.tableAccess ?? []) {
      const named = byKey.get(accessKey(access)) ?? [];
      // A model imported from a module is the one that module's component defines, when it defines one of that name.
      const source = access.from === undefined ? undefined : (importedFrom ??= importTargets(context)).get(`${facts.file}\0${access.from}`);
      const defined = source === undefined ? [] : named.filter((c) => c.owner.id === source);
      const candidates = defined.length > 0 ? defined : named;
      const mine = candidates.filter((c) => c.owner.service === component.service);
      const targets = mine.length > 0 ? mine : candidates.filter((c) => !access.table || own.size === 0 || !c.resource.database || own.has(c.resource.database));
      for (const target of targets) {
        const key = `${component.id}\0${target.resource.id}`;
        const edge = edges.get(key) ?? { from: component.id, to: target.resource.id, kind: 'database' as const, sync: true, access: 'read' as DataAccess | 'unknown', evidence: [] };
        edge.evidence.push({ location: access.location, detail: access.detail, access: access.access });
        if (access.access === 'write') edge.access = 'write';
        edges.set(key, edge);
      }
    }
  }
  return [...edges.values()];
}
