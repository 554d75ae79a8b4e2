import type { DeploymentIndex } from './deployment/index.js';

/**
 * The data that flows through the pipeline:
 * walk → extract facts → discover components and the deployment index → resolve → build graph → run rules →
 * suppress/baseline → format. Everything here is plain, serialisable data (facts are cached as JSON), except the
 * deployment index, which discovery hands to the graph stage and which answers host and port questions.
 */

/** 1-based line and column (UTF-16 code units); `endColumn` is exclusive. Paths are repo-relative, posix. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export type Severity = 'error' | 'warning';
export type ConfiguredSeverity = 'off' | 'warn' | 'error';

/** Something the run could not analyse fully: never fatal, always names the file. */
export interface Diagnostic {
  file?: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
}

// ---------------------------------------------------------------- discovery

/**
 * A job is a deployable that runs to completion (a migrator, a seeder, a cron task); a frontend is a deployable
 * that calls services and that nobody calls (a SPA, a static site, a mobile app, a Next.js app without server code
 * of its own). Neither is ever a service.
 */
export type ComponentKind = 'service' | 'job' | 'frontend' | 'library' | 'contract';

export interface PackageManifest {
  file: string;
  name?: string;
  version?: string;
  main?: string;
  types?: string;
  /** The raw `exports` field (string, conditions object or subpath map). */
  exports?: unknown;
  scripts: Record<string, string>;
  /** dependency name → where it is declared, from dependencies / devDependencies / peerDependencies / optionalDependencies. */
  dependencies: ManifestDependency[];
}

export interface ManifestDependency {
  name: string;
  range: string;
  field: 'dependencies' | 'devDependencies' | 'peerDependencies' | 'optionalDependencies';
  location: SourceLocation;
}

export interface Component {
  /** Stable id: the package name, the Nx project name, or the folder. */
  id: string;
  /** Repo-relative folder ('' for the root). */
  dir: string;
  kind: ComponentKind;
  /** The language of a component without package.json, from its own manifest (`go` for a go.mod): its code is not analysed. */
  language?: string;
  /** Why the component got its kind, in words a user can check. */
  reasons: string[];
  /** The service this component deploys as part of (config groups api + worker); its own id otherwise. */
  service: string;
  /** Host names configuration gives the component (`hosts`), besides those deployment files give it. */
  hosts?: string[];
  /** The subtree it is deployed from, when the repository holds several systems (DeploymentIndex.systems). */
  system?: string;
  packageName?: string;
  manifest?: PackageManifest;
  /** Repo-relative files that make up the public surface (entry points, `exports` targets, configured public files). */
  publicFiles: string[];
  /** Patterns of public files: `exports` wildcards and configured globs (picomatch syntax, repo-relative). */
  publicGlobs: string[];
}

export interface Discovery {
  root: string;
  /** Every file analysed, repo-relative, sorted. */
  files: string[];
  components: Component[];
  /** Where workspace globs came from, for `arch-lint services`. */
  workspaceSources: string[];
  /** Deployments (compose services, skaffold artifacts, workloads) that name no component: what a user may configure. */
  unboundDeployments: UnboundDeployment[];
  /** The deployment model: what each deployment file runs, the hosts and environment it gives. */
  deployments: DeploymentIndex;
  diagnostics: Diagnostic[];
}

/** Where a deployable is declared: a container tool, or a platform that deploys a folder of the repository. */
export type DeploymentSource = 'compose' | 'skaffold' | 'bake' | 'kubernetes' | 'helm' | 'workflow' | 'dockerfile' | PlatformDeployable['platform'] | 'nextjs' | 'trigger.dev';

export interface UnboundDeployment {
  source: DeploymentSource;
  /** The compose service, skaffold image, workload, or platform app, service, process or function. */
  name: string;
  file: string;
  /** Why it binds to no component, in words a user can act on. */
  reason: string;
}

// ---------------------------------------------------------------- facts

export type ModuleReferenceKind =
  | 'import'
  | 'export'
  | 'export-star'
  | 'require'
  | 'import-equals'
  | 'dynamic-import';

export interface ModuleReference {
  specifier: string;
  kind: ModuleReferenceKind;
  /** `import type`, `export type`, or every named binding marked `type`. */
  typeOnly: boolean;
  /**
   * The value names taken from the target: `import { a, b as c }` → [a, b], a default import → [default], a bare
   * `import './x'` → []; absent when the whole module is taken (a namespace import, `require`, `import()`, `export *`).
   */
  names?: string[];
  /** The names of bindings marked `type` one by one (`import { type A, b }` → [A]): what a type-only use takes. */
  typeNames?: string[];
  /** Re-exports: the name each of `names` is exported as (`export { a as b } from`), or the namespace of `export * as ns from`. */
  exportedAs?: string[];
  location: SourceLocation;
}

/** An inline `arch-lint-disable…` comment. */
export interface Directive {
  kind: 'disable-next-line' | 'disable-line' | 'disable-file';
  /** Empty means every rule. */
  rules: string[];
  reason?: string;
  location: SourceLocation;
}

/** Everything one file says, computed from its content alone (cacheable by content hash). */
/** One `FROM … [AS name]` stage of a Dockerfile. */
export interface DockerfileStage {
  /** The `AS` name a `target:` selects; unnamed stages have none. */
  name?: string;
  /** The base: an image, or the name of an earlier stage. */
  from: string;
  location: SourceLocation;
  /** `COPY`/`ADD` instructions: sources (from the build context, or `fromStage`) into `destination`, which is absolute (resolved against WORKDIR). */
  copies: { sources: string[]; destination: string; fromStage?: string }[];
  /** What `RUN go build`/`go install` compile: each package folder and the binary it writes, absolute (resolved against WORKDIR). */
  goBuilds: { package: string; output: string }[];
  /** The last `ENTRYPOINT` and `CMD`, as written. */
  entrypoint?: string;
  command?: string;
}

/** A Go source file's package and the import paths it names. */
export interface GoPackageFact {
  name: string;
  imports: string[];
}

export interface FileFacts {
  file: string;
  imports: ModuleReference[];
  directives: Directive[];
  diagnostics: Diagnostic[];
  /** Every top-level statement only declares types (interfaces, type aliases, enums, declarations, re-exports). */
  declaresOnlyTypes?: boolean;
  /**
   * The file imports something but only declares interfaces and type aliases and re-exports nothing it imports:
   * compiled, its imports are gone, so they load nothing at run time.
   */
  importsErased?: boolean;
  /** `.env` files: every assignment, as written (expansion happens in the graph). */
  dotenv?: EnvAssignment[];
  /** Configuration files (`config.toml`, `app.ini`): the connection strings written in them, named `file:table.key`. */
  configSettings?: EnvAssignment[];
  /** docker-compose files: every service with its build, image and environment. */
  compose?: ComposeService[];
  /** Kubernetes manifests: workloads (with their containers' env) and the Secrets/ConfigMaps they read. */
  kubernetes?: KubernetesObject[];
  /** Images a skaffold.yaml builds, each from a folder (its `build.artifacts`). */
  skaffoldArtifacts?: SkaffoldArtifact[];
  /** A Helm chart's Chart.yaml: the chart's name, and its dependencies' (by alias when given), which the values of the same name configure. */
  helmChart?: { name: string; location: SourceLocation; dependencies: string[] };
  /** A values file (a Helm chart's when a Chart.yaml is beside it): the images its blocks deploy, with their env and hosts. */
  helmValues?: HelmValuesBlock[];
  /** Images a CI workflow builds (`docker build`, docker/build-push-action), each from a folder of the repository. */
  workflowImageBuilds?: SkaffoldArtifact[];
  /** Docker Bake files a CI workflow runs (`docker buildx bake -f`, docker/bake-action `files`). */
  workflowBakeFiles?: BakeFileRun[];
  /** A Docker Bake file's targets: the images each tags and the folders it builds from. */
  bakeTargets?: BakeTarget[];
  /** Where a script declares React server actions (a `'use server'` directive, at the top of the module or of a function). */
  serverDirective?: SourceLocation;
  /** Database clients the code or a schema configures (pg Pool, mongoose.connect, Prisma datasource, …). */
  connections?: DatabaseConnection[];
  /** Functions this module exports that open a database client with what their caller passes (`createDb(url)`). */
  databaseFactories?: DatabaseFactoryFact[];
  /** Calls of imported functions given what a database client could be opened with (an env read, a connection URL). */
  databaseFactoryCalls?: DatabaseFactoryCallFact[];
  /** Tables (collections) this file defines: Prisma models, CREATE TABLE, TypeORM entities, Mongoose models, … */
  tables?: TableDefinition[];
  /** Tables this file reads or writes: SQL in literals, Prisma client calls, repositories, models. */
  tableAccess?: TableAccess[];
  /** Outgoing HTTP calls and HTTP clients built with a base URL. */
  httpCalls?: HttpCallFact[];
  /** HTTP clients this module exports, for calls other modules make through them. */
  exportedClients?: ExportedClientFact[];
  /** String and template literals that are URLs with a host (`http://payments:4000`, `grpc://catalog:50051`), wherever they are used. */
  urlLiterals?: UrlLiteralFact[];
  /** HTTP routes this file registers (express/fastify/koa/hono calls, NestJS decorators). */
  routes?: RouteFact[];
  /** Routers mounted under a prefix (`app.use('/api', router)`, `app.setGlobalPrefix('api')`). */
  routeMounts?: RouteMountFact[];
  /** Topics and subjects published, subscribed, requested or answered. */
  messages?: MessageFact[];
  /** Parameters of named functions read as objects or handed on, for payloads and responses passed to them. */
  parameterUses?: ParameterUseFact[];
  /** Values given to classes' constructors and methods that may name a topic, for queues made through wrapper classes. */
  classArguments?: ClassArgumentFact[];
  /** Imported classes this file's code injects (a constructor parameter's type), extends or constructs: which code runs a class. */
  classUses?: ClassUseFact[];
  /** gRPC services and NestJS TCP transports served or called. */
  rpc?: RpcFact[];
  /** Exported string constants (`export const X = …`, object literal members as `X.key`, enum members as `E.A`). */
  constants?: ConstantFact[];
  /** An OpenAPI/Swagger document, or a YAML/JSON fragment that holds `$ref`s. */
  openapi?: OpenApiFacts;
  /** What a platform's file deploys from the repository: fly.toml, render.yaml, railway.json/.toml, vercel.json, Procfile, serverless.yml; and the functions CDK, CDKTF and SST code declares, and the code Pulumi resources run. */
  platformDeployables?: PlatformDeployable[];
  /** A Pulumi program's strings that may name an image (`image:` values, call arguments): an image the repository builds named here is deployed. */
  imageNames?: string[];
  /** Dockerfiles and Containerfiles: their build stages in order. */
  dockerfileStages?: DockerfileStage[];
  /** Go source files: the package clause and the imported package paths. */
  goPackage?: GoPackageFact;
  /** go.mod: the module path its packages are imported by. */
  goModule?: string;
  /** Exported classes and their shape (decorators, base class, members), for telling domain entities from data and helpers. */
  classes?: ClassFact[];
  /** Release configuration that versions packages together (changesets, Lerna, Nx release, Rush, release-please, @jscutlery/semver). */
  releaseGroups?: ReleaseGroupFact[];
  /** What release configuration says about a project folder: its Nx project name and tags (project.json), its Rush version policy (rush.json). */
  releaseProjects?: ReleaseProjectFact[];
}

/** An exported class as declared: names only, no verdict. */
export interface ClassFact {
  name: string;
  location: SourceLocation;
  /** Decorator names (`@Entity('x')` → `Entity`). */
  decorators: string[];
  /** The base class name without type arguments (`extends AggregateRoot<Order>` → `AggregateRoot`). */
  extends?: string;
  /** Instance properties, including constructor parameter properties. */
  properties: string[];
  /** Instance methods (not the constructor, getters or setters). */
  methods: string[];
  /** Readonly instance properties initialised with a constant (`readonly id = 'xero'`, `= Provider.Xero`): constants of the class, not state of an instance. */
  constantProperties?: string[];
  /** Declared `abstract`. */
  abstract?: true;
  /** Declares type parameters (`AbstractRepository<T>`). */
  generic?: true;
}

/**
 * Packages a release tool versions together. `members` are as written: package or Nx project names, globs,
 * or folders (`!` excludes); empty when the tool versions every package of the workspace (Lerna fixed mode,
 * Nx release without `projects`, `@jscutlery/semver` `syncVersions`).
 */
export interface ReleaseGroupFact {
  tool: 'changesets-fixed' | 'changesets-linked' | 'lerna-fixed' | 'nx-release' | 'rush-lockstep' | 'release-please-linked' | 'jscutlery-semver-sync';
  members: string[];
  /** A Rush lockstep version policy: its members are the rush.json projects that name it. */
  policy?: string;
  location: SourceLocation;
}

export interface ReleaseProjectFact {
  /** The project's folder, repo-relative. */
  dir: string;
  /** Its Nx project name (project.json `name`). */
  name?: string;
  /** Its Nx tags (project.json `tags`), which Nx release selects by with `tag:`. */
  tags?: string[];
  /** The Rush version policy rush.json gives it. */
  versionPolicy?: string;
}

// ---------------------------------------------------------------- data facts

/** `NAME=value` as written in a file; values may hold `${VAR}` / `${VAR:-default}` references. */
export interface EnvAssignment {
  name: string;
  value: string;
  location: SourceLocation;
}

export interface ComposeService {
  name: string;
  location: SourceLocation;
  /** `build:` context relative to the compose file's folder, its `dockerfile` (relative to the context) and multi-stage `target`. */
  build?: { context: string; dockerfile?: string; target?: string };
  image?: string;
  /** Other names the service answers to on the compose network: `hostname`, `container_name`, network `aliases`. */
  aliases: string[];
  /** `environment` entries (map or list form); values still hold `${VAR}` references. */
  environment: EnvAssignment[];
  /** `env_file` paths relative to the compose file's folder. */
  envFiles: { path: string; location: SourceLocation }[];
  /** Published ports: host port → container port. */
  ports: { host: number; container: number }[];
  /** `depends_on` entries, with their `condition` in the long form. */
  dependsOn: { service: string; condition?: string }[];
  restart?: string;
  /** `command`, its list form joined with spaces. */
  command?: string;
  /** Files and folders of the repository bind-mounted into the container (`./api.toml:/etc/api.toml`), relative to the compose file's folder. */
  mounts: { path: string; location: SourceLocation }[];
}

/**
 * A block of a Helm values file that sets an image (`image: org/api:1` or `image: { registry, repository, tag }`):
 * what the chart's templates deploy from it.
 */
export interface HelmValuesBlock {
  /** The block's path (`api`, `workers.email`), '' for the root. */
  block: string;
  /** Its `name` value (the root's `fullnameOverride` or `nameOverride`), which templates usually name its workload and Service by. */
  name?: string;
  image: string;
  location: SourceLocation;
  /** Its `env` (`KEY: value` map or Kubernetes `- name:` list), `extraEnv` and `extraEnvVars`. */
  env: KubernetesEnv[];
  /** Its Service's `service.name` and its ingress hosts: names other deployables and users reach it by. */
  hosts: string[];
}

/** One `build.artifacts` entry of a skaffold.yaml, or an image a CI workflow builds: the image and where from. */
export interface SkaffoldArtifact {
  image: string;
  /** Build context relative to the skaffold.yaml's folder ('.' by default); to the repository root for a workflow, where `*` is a matrix value read from elsewhere (any folder). */
  context: string;
  /** `docker.dockerfile`, relative to the context. */
  dockerfile?: string;
  /** skaffold's `docker.target`: the Dockerfile stage built (the last one when absent). */
  target?: string;
  location: SourceLocation;
}

/** A Bake file a workflow step runs, and the folder it runs from (its paths start there). */
export interface BakeFileRun {
  file: string;
  from: string;
  location: SourceLocation;
}

/** A `target` of a Docker Bake file; its paths are relative to the folder bake runs in, with variables filled from their defaults. */
export interface BakeTarget {
  name: string;
  /** Its `tags`. */
  images: string[];
  /** Its build context ('' for the folder bake runs in). */
  context: string;
  /** Its Dockerfile, when it names one. */
  dockerfile?: string;
  /** Its named `contexts` that are folders (not images, targets or URLs). */
  contexts: string[];
  /** The Dockerfile stage it builds. */
  target?: string;
  location: SourceLocation;
}

export type KubernetesSourceKind = 'secret' | 'configMap';

export interface KubernetesEnv {
  name: string;
  value?: string;
  from?: { kind: KubernetesSourceKind; name: string; key: string };
  location: SourceLocation;
}

export interface KubernetesContainer {
  name: string;
  image?: string;
  /** An init container: it runs to completion before the pod's containers start (a wait, a migration). */
  init?: true;
  env: KubernetesEnv[];
  envFrom: { kind: KubernetesSourceKind; name: string; prefix: string; location: SourceLocation }[];
  /** Secrets and ConfigMaps mounted into the container as files (a `volumeMounts` entry of a `configMap`/`secret` volume). */
  mounts: { kind: KubernetesSourceKind; name: string; location: SourceLocation }[];
}

/**
 * A workload (Deployment, StatefulSet, Pod, Job, CronJob, …) with its pod labels, a Service (a DNS name for the
 * workloads its selector picks), or a Secret/ConfigMap (values decoded from base64).
 */
export type KubernetesObject =
  | { kind: 'workload'; workload: string; name: string; namespace?: string; location: SourceLocation; labels: Record<string, string>; containers: KubernetesContainer[] }
  | { kind: 'service'; name: string; namespace?: string; location: SourceLocation; selector: Record<string, string> }
  /** Per host of its rules, the Services its paths (or its default backend) send to. */
  | { kind: 'ingress'; name: string; namespace?: string; location: SourceLocation; hosts: { host: string; services: string[] }[] }
  | {
      kind: KubernetesSourceKind;
      name: string;
      namespace?: string;
      location: SourceLocation;
      entries: EnvAssignment[];
      /** Connection strings written inside the entries that are whole configuration files (`unkey.toml: |`), named `file:section.key`. */
      fileSettings: EnvAssignment[];
    };

/** `libsql`: a libSQL server (Turso, sqld) reached over the network; a local SQLite file is `sqlite`. */
/** `dynamodb`: one table, named by `database` (DynamoDB has no server or database of its own to name). */
export type DatabaseEngine = 'postgres' | 'mysql' | 'mongodb' | 'sqlserver' | 'sqlite' | 'libsql' | 'redis' | 'dynamodb' | 'clickhouse';

/**
 * A database client configured in code or schema. Values are as written, with `${VAR}` standing for
 * `process.env.VAR` (`${VAR:-x}` for `process.env.VAR ?? 'x'`), resolved per component in the graph.
 */
export interface DatabaseConnection {
  /** The library or schema: pg, mysql2, mongoose, mongodb, typeorm, mikro-orm, knex, sequelize, drizzle, redis, prisma. */
  client: string;
  engine?: DatabaseEngine;
  url?: string;
  host?: string;
  port?: string;
  database?: string;
  /** What the code does with it, when the connection is one operation (a DynamoDB command on its table). */
  access?: DataAccess;
  location: SourceLocation;
}

/**
 * An exported function (or the constructor of an exported class) whose parameters flow into a database client it
 * opens: `createDb(url)` calling `postgres(url)`, `connect(options)` calling `new Pool({ host: options.host, database:
 * options.db })`, `createPool(config)` calling `new Pool(config)`. Its callers give the connection's identity.
 */
export interface DatabaseFactoryFact {
  /** The exported name (`default` for a default export; the class name for a constructor). */
  name: string;
  /**
   * What each parameter gives the client: its position, and the property of it read when it is an options object
   * (`options.host`). A whole parameter given as the URL may also be the client's options object (`new Pool(config)`):
   * then an object literal a caller passes gives the fields by its keys (`{ host, database }`).
   */
  inputs: { parameter: number; property?: string; field: 'url' | 'host' | 'database' }[];
  /** The client it opens, with what the function itself writes (a literal port, an env read); `location` is the client's construction. */
  connection: DatabaseConnection;
}

/** A call of an imported function (`createDb(process.env.DATABASE_URL)`): the arguments a connection could be opened with. */
export interface DatabaseFactoryCallFact {
  via: { name: string; from: string };
  /**
   * Arguments as configuration text (`${VAR}` for an env read, as DatabaseConnection values), by position, and by
   * property for an object literal; `location` is where the value is written (the argument, or the initializer of
   * the local constant it names).
   */
  arguments: { index: number; property?: string; value: string; location: SourceLocation }[];
  location: SourceLocation;
}

export type TableOrm = 'prisma' | 'sql' | 'typeorm' | 'sequelize' | 'mongoose' | 'drizzle' | 'mongodb' | 'mikro-orm';

export interface TableDefinition {
  /** The table (or collection) name in the database. */
  name: string;
  /** The name code uses for it (Prisma model, entity class, Mongoose model), when different. */
  model?: string;
  orm: TableOrm;
  /** The engine its schema is written for, when it says: a Drizzle `pgTable`, a Prisma datasource's provider, a ClickHouse `ENGINE = MergeTree`. */
  engine?: DatabaseEngine;
  location: SourceLocation;
}

export type DataAccess = 'read' | 'write';

/** A read or write of a table, named either directly (`table`) or through an ORM model name (`model`). */
export interface TableAccess {
  table?: string;
  model?: string;
  orm: TableOrm;
  access: DataAccess;
  /** The module the code imports the model from (a Drizzle table, an entity class), for the graph to resolve. */
  from?: string;
  /** The engine of the client the statement is sent through, when the code says (`pool.query(…)` on a pg pool, a ClickHouse client). */
  engine?: DatabaseEngine;
  /** What the code does, e.g. `UPDATE orders`, `prisma.order.update`. */
  detail: string;
  /**
   * The names its module exports whose calls run it: the exported function or class enclosing it, or an exported one
   * that calls it within the module. Absent when loading the module may run it, or no export is seen to reach it.
   */
  within?: string[];
  location: SourceLocation;
}

// ---------------------------------------------------------------- interaction facts

/**
 * A URL, topic or other string as written, part by part. Facts cannot see other files or env values,
 * so what is not literal stays symbolic and the graph resolves it (environment bindings, exported constants).
 */
export type ValuePart =
  | { kind: 'text'; text: string }
  | { kind: 'env'; name: string; fallback?: ValuePart[] }
  | { kind: 'import'; name: string; from: string }
  | { kind: 'unknown'; text: string };

/** `configuration`: no call site, an address the deployment gives a service whose code is not analysed. */
export type HttpClientKind = 'fetch' | 'axios' | 'got' | 'ky' | 'undici' | 'superagent' | 'nestjs-http' | 'client-factory' | 'configuration';

export interface HttpCallFact {
  client: HttpClientKind;
  /** Upper-case HTTP method; absent when the call does not say (a generated client's method, a construction). */
  method?: string;
  /** The URL or path argument; empty for a client construction, whose only evidence is its base URL. */
  url: ValuePart[];
  /** The base URL of the instance called (`axios.create({ baseURL })`, a factory or generated client argument). */
  baseUrl?: ValuePart[];
  /** The imported factory or class that built the client, for wrappers and generated clients. */
  via?: { name: string; from: string };
  /**
   * The receiver is an imported binding (or built by an imported function) of unknown kind: this is an HTTP call
   * only if that module exports an HTTP client under that name (its `exportedClients`), which gives the base URL.
   */
  viaExport?: boolean;
  /**
   * Response body properties the code reads where the walk sees them (`res.data.total`, `const { total } = await
   * res.json()`), as paths (`items.price`; array indexes dropped). Absent when none are seen.
   */
  reads?: string[];
  /** Top-level request body properties, when the body is an object literal without spreads; absent when unknown. */
  sends?: string[];
  /** The response (or a part of its body) handed to named functions, whose parameters' reads are the caller's too. */
  passes?: PassedValue[];
  location: SourceLocation;
}

/** An HTTP client a module exports: `export const api = axios.create(…)` or a function returning one. */
export interface ExportedClientFact {
  name: string;
  client: HttpClientKind;
  baseUrl?: ValuePart[];
}

export interface RouteFact {
  framework: 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs';
  /** Upper-case method, or `ALL`. */
  method: string;
  /** OpenAPI-style path (`/orders/{id}`), joined with the controller or router prefix written in this file. */
  path: string;
  /** The local router or app variable it is registered on (for mounts in other files). */
  router?: string;
  location: SourceLocation;
  /** Request fields the handler passes on to an outgoing call without reading them. */
  forwards?: ForwardedField[];
}

export interface ForwardedField {
  /** The request field as written (`req.body.shipping`). */
  field: string;
  location: SourceLocation;
  /** Where the outgoing call that receives it starts (matches an HttpCallFact location). */
  call: SourceLocation;
}

export interface RouteMountFact {
  prefix: string;
  /** The mounted router: a local name, or an imported one. Absent for a global prefix (whole component). */
  router?: { name: string; from?: string };
  location: SourceLocation;
}

/**
 * A gRPC service served or called (NestJS `@GrpcMethod`, `ClientsModule.register` with `Transport.GRPC` and
 * `getService`, @grpc/grpc-js `addService` and service clients), a client of a NestJS TCP transport server, or a
 * NestJS Redis transport (a broker: its patterns are messages, and the Redis it reaches is no database of the service).
 */
export interface RpcFact {
  transport: 'grpc' | 'tcp' | 'redis';
  role: 'serve' | 'call';
  /** The gRPC service name (`UserService`). */
  service?: ValuePart[];
  /** The proto package (`user`, `shop.catalog`). */
  package?: ValuePart[];
  /** The address a client is given (`url`, or `host` and `port`). */
  address?: ValuePart[];
  /** The exported class declaring it (a provider or controller): in a library, it serves or calls only where that class is imported. */
  holder?: string;
  location: SourceLocation;
}

export interface MessageFact {
  /**
   * `queue`: BullMQ, Bull and bee-queue (and their NestJS modules); `task`: trigger.dev tasks; `temporal`: task queues;
   * `http-task`: QStash and Cloud Tasks, whose topic is the URL the platform delivers to; `broker`: request/response
   * through a broker that addresses services by name, whose requests' topic is `<service name>.<method>` and whose
   * responders' topic is the method they register; `trpc`: a client of a tRPC router (its `on`) and the router's
   * exported type (its `binding`).
   */
  system: 'kafka' | 'amqp' | 'nats' | 'redis' | 'nestjs' | 'sns' | 'sqs' | 'eventbridge' | 'pubsub' | 'queue' | 'task' | 'temporal' | 'http-task' | 'broker' | 'trpc';
  /**
   * publish/subscribe: events, the subscriber depends on the publisher; produce/consume: jobs and tasks sent to
   * whoever consumes them, the producer depends on the consumer; both asynchronous. request/respond are
   * request-response (the requester waits).
   */
  role: 'publish' | 'subscribe' | 'produce' | 'consume' | 'request' | 'respond';
  topic: ValuePart[];
  /** The variable holding the queue or task this fact makes (`const emails = new Queue('emails')`), for `emails.add()` in files that import it; a tRPC router's type. */
  binding?: string;
  /** A call on a queue or task another module makes (`emails.add()` with `emails` imported), or the router type a tRPC client is made for: its import; the topic is that module's. */
  on?: { name: string; from: string };
  /** Where the Redis client this queue (or channel) is given as its connection is built in the file: a broker, not a store. */
  connection?: SourceLocation;
  /**
   * The topic is an argument of the class method holding this code (`createQueue(topic) { new Queue(topic) }`): no
   * message by itself, but one wherever that argument is given a value (see `classArguments`).
   */
  parameter?: ParameterRef;
  /** A publication: the value it sends (inside `JSON.stringify`, `Buffer.from`, a codec's `encode`), whose type the contract stage may ask the checker for. */
  payload?: SourceLocation;
  /** A subscription: the payload properties its handler reads (`event.total`, `@Payload() { total }`, `job.data.total`), each where first read. */
  reads?: PayloadRead[];
  /** A subscription: the payload (or a part of it) its handler hands to named functions (`process(msg.order)`), whose parameters' reads are the handler's too. */
  passes?: PassedValue[];
  location: SourceLocation;
}

/**
 * A value handed to a named function: `process(msg.order)` gives `process` its first parameter. The function is
 * declared in the same module (a class's method as `Class.method`, called as `this.method`), or imported (`from`).
 */
export interface PassedValue {
  /** The function's name: in this module, or the name the imported module exports it by. */
  callee: string;
  from?: string;
  index: number;
  /** Where the value sits in the payload or body handed on (`order`; '' for the whole of it). */
  path: string;
  /** The value is a response (its `.data`/`.body` is the body), not a body. */
  response?: true;
  location: SourceLocation;
}

/**
 * A parameter of a named function read as an object or handed on: the reads a payload or response meets when a
 * handler or caller passes it there. Kept for the functions a module exports and those a value is passed to in it.
 */
export interface ParameterUseFact {
  /** The function's name in its module (`process`, `OrdersHandler.process` for a method). */
  function: string;
  /** The name other modules import it by (`default` for a default export), when the module exports it. */
  exported?: string;
  index: number;
  /** The property paths read from the parameter, each where first read. */
  reads?: PayloadRead[];
  passes?: PassedValue[];
}

/** A property path of an event payload (`total`, `items.price`) and where a handler reads it. */
export interface PayloadRead {
  path: string;
  location: SourceLocation;
}

export interface ClassUseFact {
  name: string;
  from: string;
  /** The exported class of this file whose code uses it. */
  by?: string;
}

/** The `index`th parameter of a class's constructor (`member: 'constructor'`) or method. */
export interface ParameterRef {
  holder: string;
  member: string;
  index: number;
}

/**
 * A value given to a class: `super(Topics.EMAIL)`, `new EmailQueue('emails')`, `this.bull.createQueue(this.topic)`
 * (the receiver's class known from its declared type). Recorded where it may name a topic: a value the file knows
 * (text or an imported constant) for constructors, an imported constant for methods, or a parameter passed on.
 */
export interface ClassArgumentFact {
  /** The class given the value: imported (`from`) or declared in this file; `member` is `constructor` for `new` and `super`. */
  target: { name: string; from?: string; member: string };
  index: number;
  value?: ValuePart[];
  /** The value is a parameter of the code passing it on. */
  parameter?: ParameterRef;
  /** The class the call is written in. */
  holder?: string;
  location: SourceLocation;
}

export interface ConstantFact {
  name: string;
  value: ValuePart[];
  location: SourceLocation;
}

export interface OpenApiFacts {
  /** `spec`: an OpenAPI 3.x or Swagger 2.0 document; `fragment`: another YAML/JSON file with `$ref`s. */
  kind: 'spec' | 'fragment';
  /** `openapi` or `swagger` version as written. */
  version?: string;
  title?: string;
  /** `servers[].url` (3.x) or `schemes` + `host` + `basePath` (2.0). */
  servers: { url: string; location: SourceLocation }[];
  operations: OpenApiOperation[];
  /** Named schemas: `components.schemas` (3.x) or `definitions` (2.0), with their JSON pointers. */
  schemas: { name: string; pointer: string; location: SourceLocation }[];
  /** Every `$ref` that points into another file (local `#/…` refs stay inside the document). */
  refs: OpenApiRef[];
  /** A spec's path items that are a whole other file (`/orders: { $ref: ./paths/orders.yaml }`): their operations are that file's. */
  pathRefs?: { path: string; file: string }[];
  /** A fragment that is one path item: its methods, which a spec's `pathRefs` give a path. */
  pathItemMethods?: { method: string; location: SourceLocation }[];
}

export interface OpenApiOperation {
  method: string;
  path: string;
  operationId?: string;
  location: SourceLocation;
}

export interface OpenApiRef {
  ref: string;
  /** The repo-relative file the ref points to; absent for refs that were refused (remote, outside the root). */
  file?: string;
  /** The JSON pointer inside that file ('' for the whole file). */
  pointer: string;
  location: SourceLocation;
}

/** Infrastructure code that declares what it deploys in TypeScript, found from the path of the code each resource runs. */
export type CodePlatform = 'cdk' | 'sst' | 'pulumi';

/** One deployable a platform's file declares, as written: no verdict on what it is. */
export interface PlatformDeployable {
  platform: 'fly' | 'render' | 'railway' | 'vercel' | 'procfile' | 'serverless' | CodePlatform;
  /**
   * The fly.io app, Render service, Procfile process or Serverless service; the file's folder name when the file names none.
   * A CDK or SST function, or a Pulumi resource running code: its construct's id, else the path of its code.
   */
  name: string;
  /**
   * What the file says it runs as: Render's `type` (web, pserv, worker, cron), a Procfile process type
   * (web, worker, release, …), `cron` for a Railway `cronSchedule`, the class of a CDK or SST construct.
   */
  type?: string;
  /** The folder it deploys, relative to the file's folder as written ('' for that folder itself; Render's `rootDir`). */
  folder: string;
  /**
   * A file it builds or runs, relative to `folder`: a Dockerfile, a Serverless handler's module, the script
   * a start command or Procfile process runs. The program is the nearest folder above it that holds one.
   * A CDK or SST function's code, or a Pulumi resource's (a folder or a file): the program is the nearest folder at or above it.
   */
  entry?: string;
  /** The command it is started with, as written (Render's `dockerCommand` or `startCommand`, Railway's `deploy.startCommand`, a Procfile line's). */
  command?: string;
  /** The paths are relative to the app's root (where cdk.json, cdktf.json, sst.config or Pulumi.yaml is), not to the file's folder. */
  fromAppRoot?: boolean;
  /** Host names the platform gives it (a fly.io app's `<app>.fly.dev`, `<app>.internal`, `<app>.flycast`). */
  hosts?: string[];
  location: SourceLocation;
}

// ---------------------------------------------------------------- graph

export type EdgeKind = 'import' | 'manifest' | 'http' | 'rpc' | 'event' | 'database' | 'openapi-ref';

export interface Evidence {
  location: SourceLocation;
  /** A short human description: the specifier, the URL, the env var. */
  detail: string;
  /** For database evidence: whether this piece of evidence reads or writes. */
  access?: DataAccess;
}

/** A file-level module edge (import / require / re-export), resolved inside the repository. */
export interface ModuleEdge {
  from: string;
  to: string;
  reference: ModuleReference;
  fromComponent?: string;
  toComponent?: string;
}

/** A dependency between two components (or a component and a resource), with all its evidence. */
export interface ComponentEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Whether the caller waits on the callee at run time (imports, HTTP, request-response messaging). */
  sync: boolean;
  /** For import edges: every piece of evidence is type-only. */
  typeOnly?: boolean;
  /** For database edges: 'write' when some evidence writes, 'read' when all evidence only reads, 'unknown' without access evidence. */
  access?: DataAccess | 'unknown';
  evidence: Evidence[];
}

export type ResourceKind = 'database' | 'table' | 'topic' | 'endpoint';

export interface Resource {
  id: string;
  kind: ResourceKind;
  name: string;
  /** The component that owns it (defines its schema, publishes the topic, serves the endpoint). */
  owner?: string;
  evidence: Evidence[];
  /** Databases: the engine (a `redis` database is a cache or broker, reported separately). */
  engine?: DatabaseEngine;
  /** Tables: the id of the database resource they live in, when known. */
  database?: string;
  /** Tables: how the owner defines it (an ORM's model or table definition, or SQL DDL). */
  orm?: TableOrm;
  /** Tables: the name code uses for it (Prisma model, entity class, Drizzle table variable, Mongoose model). */
  model?: string;
}

/**
 * An environment variable a component is given: by a `.env` file in its folder, its docker-compose
 * service's `environment`/`env_file`, or its Kubernetes workload's `env`/`envFrom` (secrets and config maps
 * resolved). Values are as configured (`${VAR}` expanded); formatters redact credentials before printing.
 */
export interface EnvironmentBinding {
  component: string;
  name: string;
  value: string;
  source: 'dotenv' | 'compose' | 'kubernetes';
  /** Where the component is given the variable: the .env line, the compose `environment` entry, the k8s `env`/`envFrom` entry. */
  location: SourceLocation;
  /** Where the value is written when that is elsewhere: the Secret/ConfigMap key, the `env_file` line, the `.env` line a `${VAR}` came from. */
  origin?: SourceLocation;
  /** The compose `env_file` is not committed: the value is its committed example's (`.env.example`, `.env.sample`). */
  example?: true;
}

export interface Graph {
  root: string;
  components: Component[];
  resources: Resource[];
  /** Environment variables per component, as the deployment index binds them. */
  environment: EnvironmentBinding[];
  moduleEdges: ModuleEdge[];
  edges: ComponentEdge[];
  /** Module references that did not resolve, by file (recorded, not fatal). */
  unresolved: { file: string; reference: ModuleReference }[];
  /** Analysed files that are tests (config `testFiles`), and the modules only tests import, sorted. */
  testFiles: string[];
  /** HTTP calls, routes, messages and API specs resolved to components (the interactions enricher). */
  interactions?: Interactions;
  /** Exported classes of each component's non-test files (for the shared-domain-library rule). */
  classes?: ComponentClass[];
  /** Release groups with their members resolved to component ids. */
  releaseGroups?: ReleaseGroup[];
  /** Contract changes against a base ref, when the run was given one (`--changed <ref>`, `arch-lint contracts`). */
  contracts?: ContractComparison;
}

export interface ComponentClass extends ClassFact {
  component: string;
}

export interface ReleaseGroup {
  tool: ReleaseGroupFact['tool'];
  /** Component ids, sorted. */
  members: string[];
  location: SourceLocation;
}

/** A URL with a host written as a literal in code (a template's literal start counts). */
export interface UrlLiteralFact {
  /** The literal as written; a template's expressions as `{…}`. */
  url: string;
  location: SourceLocation;
  /** A default that configuration or a caller overrides: `process.env.X ?? '…'`, `|| '…'`, a default parameter or destructuring default, `config.get('X', '…')`, a zod `.default('…')`. */
  fallback?: true;
  /** The call it is handed to, as written (`queue.add`, `new ApolloClient`). */
  passedTo?: string;
  /** The property it is the value of (`baseURL`, `url`), innermost. */
  property?: string;
}

/** A URL literal whose host names another component of the repository, attributed like a call (a library's to each service using it). */
export interface ResolvedUrlLiteral {
  from: string;
  to: string;
  url: string;
  host: string;
  location: SourceLocation;
  passedTo?: string;
  property?: string;
  /** For a literal inside a library: the import in the service that brings it in. */
  via?: SourceLocation;
}

/** An HTTP call attributed to the component that makes it (a service that uses a library's call, too). */
export interface ResolvedHttpCall {
  /** The calling component (for a call inside a library: each service that uses that library). */
  from: string;
  /** The component the base URL names, when it names one of this repository. */
  to?: string;
  client: HttpClientKind;
  method?: string;
  /** The URL with what could be resolved filled in; unresolved env vars as `${NAME}`, anything else as `{…}`. */
  url: string;
  /** Host and path when the URL could be split; the path with dynamic segments as `{…}`. */
  host?: string;
  path?: string;
  /** How the target was found: `literal host "shipping"`, `env SHIPPING_URL=http://shipping:3000 (compose)`. */
  how?: string;
  /** The host was written literally in code (not in configuration or an env fallback). */
  literalHost: boolean;
  location: SourceLocation;
  /** For a call made inside a library: the import in the service that brings it in. */
  via?: SourceLocation;
  /** Response body properties the caller reads (HttpCallFact.reads). */
  reads?: string[];
  /** Response body properties read by the functions the caller hands the response to (HttpCallFact.passes, followed), each where read. */
  passedReads?: PayloadRead[];
  /** Request body properties the caller sends (HttpCallFact.sends). */
  sends?: string[];
}

export interface ResolvedRoute {
  component: string;
  method: string;
  /** Full path with mount prefixes applied (`/api/orders/{id}`). */
  path: string;
  location: SourceLocation;
  forwards: ForwardedField[];
}

export interface ResolvedMessage {
  component: string;
  system: MessageFact['system'];
  role: MessageFact['role'];
  topic: string;
  /** For a delivery to a URL (QStash, Cloud Tasks): the component serving its host. */
  to?: string;
  /** MessageFact.payload, and MessageFact.reads with the reads of the functions the handler hands the payload to (its passes, followed). */
  payload?: SourceLocation;
  reads?: PayloadRead[];
  location: SourceLocation;
}

/** An RPC client of a deployable resolved to the deployable serving it (sync, like an HTTP call). */
export interface ResolvedRpcCall {
  from: string;
  to: string;
  transport: RpcFact['transport'];
  /** What is called: the gRPC service (`user.UserService`) or the server's address. */
  target: string;
  /** How the server was found: `served at file:line`, or the host and where its value comes from. */
  how: string;
  location: SourceLocation;
  /** The import that brings a library's client into the calling service. */
  via?: SourceLocation;
}

export interface ApiSpec {
  file: string;
  /** The component that owns the spec (its folder, or the service its `servers` name). */
  owner: string;
  servers: string[];
  /** Path prefix of the servers (`/api` of `http://catalog/api`, Swagger `basePath`). */
  basePaths: string[];
  operations: OpenApiOperation[];
}

/**
 * One difference between a contract at the base ref and in the working tree, classified: breaking (a consumer
 * written against the base may fail) or an expansion. Computed once per run with a base (`src/contracts/`);
 * the consumers it breaks are read from the graph by the rule and by `arch-lint contracts`.
 */
export interface ContractChange {
  /** An API document, a TypeScript contract package (or a public entry other services import), an event payload. */
  contract: 'openapi' | 'typescript' | 'event';
  /** The component whose contract it is (the spec's owner, the package). */
  owner: string;
  /** The contract's own file: the API document (the change may be in a file it `$ref`s), the package entry, the topic's schema. */
  file: string;
  /** What changed, e.g. `removed-operation`, `removed-response-property`, `added-required-request-property`. */
  change: string;
  breaking: boolean;
  /** Where the change is in the working tree: the changed line, or for a removal the nearest line that is left. */
  location: SourceLocation;
  description: string;
  /** OpenAPI: the operation (as the head document writes its path, else the base one). */
  operation?: { method: string; path: string };
  /** Which side changed: what a caller sends, what it reads back, or the payload subscribers read. */
  side?: 'request' | 'response' | 'payload';
  /** The property path inside the request or response body or the payload (`total`, `items.price`). */
  property?: string;
  /** OpenAPI: the parameter, as `in:name` (`query:limit`). */
  parameter?: string;
  /**
   * OpenAPI, a `oneOf`/`anyOf` variant removed or added: the property paths whose use makes a consumer (a removed
   * request variant: those only it had, sent; a response variant: those only a removed one had, or those an added one lacks, read).
   */
  properties?: string[];
  /** OpenAPI, a change inside a request `oneOf`/`anyOf` variant: the properties only that variant has (a call that sends none of them sends another one). */
  variantProperties?: string[];
  /** Breaking only for the consumers that use it (a property only a removed response variant had): with none, an expansion. */
  whenUsed?: true;
  /** TypeScript: the exported name, the member path inside it (`items.price`), the package's public entries. */
  exportName?: string;
  member?: string;
  entries?: string[];
  /**
   * TypeScript, for a change to a member that was there at the base: where modules of other components read or
   * write that member, found by the type checker (absent when not looked up: consumers are then the importers).
   */
  uses?: { location: SourceLocation; component: string; write: boolean }[];
  /** Events: the topic whose payload changed. */
  topic?: string;
}

/** What a run with a base knows about contract evolution: the base, what the diff touches, every change found. */
export interface ContractComparison {
  base: string;
  /** Root-relative files that differ from the base (a consumer in one of them was updated by the same change). */
  changedFiles: string[];
  changes: ContractChange[];
  /** The TypeScript packages loaded into the type checker (only those the diff touches). */
  typeCheckedPackages: string[];
}

export interface Interactions {
  httpCalls: ResolvedHttpCall[];
  /** URL literals naming another component, outside test code and not behind configuration. */
  urlLiterals: ResolvedUrlLiteral[];
  routes: ResolvedRoute[];
  messages: ResolvedMessage[];
  rpcCalls: ResolvedRpcCall[];
  specs: ApiSpec[];
  /** `$ref`s resolved to repository files, with the owners of both ends and where the target (a named schema, else the file) is. */
  specRefs: (OpenApiRef & { from: string; fromOwner?: string; toOwner?: string; target: SourceLocation })[];
}

// ---------------------------------------------------------------- findings

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
}

/** What a rule returns: the engine adds severity and fingerprint. */
export interface RuleFinding {
  message: string;
  location: SourceLocation;
  related: RelatedLocation[];
  /** Service (or component) ids involved, in the order the message names them. */
  services: string[];
  /** Line-independent identity within the rule (e.g. the imported file); defaults to the files involved. */
  key?: string;
  /** A rule may lower its finding to a warning (e.g. type-only imports), never raise it above the configured level. */
  severity?: Severity;
  /** The path step by step, for cycles and call chains (SARIF codeFlows). */
  flow?: RelatedLocation[];
}

export interface Finding extends RuleFinding {
  ruleId: string;
  severity: Severity;
  fingerprint: string;
  /** The kind of each of `services`, in the same order (a group of deployables is a service); absent for findings about no component. */
  kinds?: ComponentKind[];
}

/** A finding hidden by an inline directive (inSource) or the baseline (external): left out of reports, kept in SARIF so that code scanning closes its alert. */
export interface SuppressedFinding extends Finding {
  suppression: { kind: 'inSource' | 'external'; justification?: string };
}
