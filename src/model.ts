/**
 * The data that flows through the pipeline:
 * discover → extract facts → build graph → run rules → suppress/baseline → format.
 * Everything here is plain, serialisable data (facts are cached as JSON).
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

export type ComponentKind = 'service' | 'library' | 'contract';

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
  /** Why the component got its kind, in words a user can check. */
  reasons: string[];
  /** The service this component deploys as part of (config groups api + worker); its own id otherwise. */
  service: string;
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
  diagnostics: Diagnostic[];
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
export interface FileFacts {
  file: string;
  imports: ModuleReference[];
  directives: Directive[];
  diagnostics: Diagnostic[];
  /** Every top-level statement only declares types (interfaces, type aliases, enums, declarations, re-exports). */
  declaresOnlyTypes?: boolean;
  /** `.env` files: every assignment, as written (expansion happens in the graph). */
  dotenv?: EnvAssignment[];
  /** docker-compose files: every service with its build, image and environment. */
  compose?: ComposeService[];
  /** Kubernetes manifests: workloads (with their containers' env) and the Secrets/ConfigMaps they read. */
  kubernetes?: KubernetesObject[];
  /** Database clients the code or a schema configures (pg Pool, mongoose.connect, Prisma datasource, …). */
  connections?: DatabaseConnection[];
  /** Tables (collections) this file defines: Prisma models, CREATE TABLE, TypeORM entities, Mongoose models, … */
  tables?: TableDefinition[];
  /** Tables this file reads or writes: SQL in literals, Prisma client calls, repositories, models. */
  tableAccess?: TableAccess[];
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
  /** `build:` context relative to the compose file's folder, and its `dockerfile`. */
  build?: { context: string; dockerfile?: string };
  image?: string;
  /** `environment` entries (map or list form); values still hold `${VAR}` references. */
  environment: EnvAssignment[];
  /** `env_file` paths relative to the compose file's folder. */
  envFiles: { path: string; location: SourceLocation }[];
  /** Published ports: host port → container port. */
  ports: { host: number; container: number }[];
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
  env: KubernetesEnv[];
  envFrom: { kind: KubernetesSourceKind; name: string; prefix: string; location: SourceLocation }[];
}

/** A workload (Deployment, StatefulSet, Job, CronJob, …) or a Secret/ConfigMap (values decoded from base64). */
export type KubernetesObject =
  | { kind: 'workload'; workload: string; name: string; namespace?: string; location: SourceLocation; containers: KubernetesContainer[] }
  | { kind: KubernetesSourceKind; name: string; namespace?: string; location: SourceLocation; entries: EnvAssignment[] };

export type DatabaseEngine = 'postgres' | 'mysql' | 'mongodb' | 'sqlserver' | 'sqlite' | 'redis';

/**
 * A database client configured in code or schema. Values are as written, with `${VAR}` standing for
 * `process.env.VAR` (`${VAR:-x}` for `process.env.VAR ?? 'x'`), resolved per component in the graph.
 */
export interface DatabaseConnection {
  /** The library or schema: pg, mysql2, mongoose, mongodb, typeorm, knex, sequelize, drizzle, redis, prisma. */
  client: string;
  engine?: DatabaseEngine;
  url?: string;
  host?: string;
  port?: string;
  database?: string;
  location: SourceLocation;
}

export type TableOrm = 'prisma' | 'sql' | 'typeorm' | 'sequelize' | 'mongoose' | 'drizzle' | 'mongodb';

export interface TableDefinition {
  /** The table (or collection) name in the database. */
  name: string;
  /** The name code uses for it (Prisma model, entity class, Mongoose model), when different. */
  model?: string;
  orm: TableOrm;
  location: SourceLocation;
}

export type DataAccess = 'read' | 'write';

/** A read or write of a table, named either directly (`table`) or through an ORM model name (`model`). */
export interface TableAccess {
  table?: string;
  model?: string;
  orm: TableOrm;
  access: DataAccess;
  /** What the code does, e.g. `UPDATE orders`, `prisma.order.update`. */
  detail: string;
  location: SourceLocation;
}

// ---------------------------------------------------------------- graph

export type EdgeKind = 'import' | 'manifest' | 'http' | 'event' | 'database' | 'openapi-ref';

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
}

export interface Graph {
  root: string;
  components: Component[];
  resources: Resource[];
  /** Environment variables per component, filled by the environment enricher (first to run). */
  environment: EnvironmentBinding[];
  moduleEdges: ModuleEdge[];
  edges: ComponentEdge[];
  /** Module references that did not resolve, by file (recorded, not fatal). */
  unresolved: { file: string; reference: ModuleReference }[];
  /** Analysed files that are tests (config `testFiles`), sorted. */
  testFiles: string[];
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
}
