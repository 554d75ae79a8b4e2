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
  /** Exported classes and their shape (decorators, base class, members), for telling domain entities from data and helpers. */
  classes?: ClassFact[];
  /** Release configuration that versions packages together (changesets `fixed`/`linked`, Lerna fixed mode). */
  releaseGroups?: ReleaseGroupFact[];
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
}

/**
 * Packages a release tool versions together. `members` are as written: package names or globs
 * (changesets), or the workspace's packages for Lerna fixed mode (`lerna.json` `version` other than "independent").
 */
export interface ReleaseGroupFact {
  tool: 'changesets-fixed' | 'changesets-linked' | 'lerna-fixed';
  /** Package names or globs; empty for Lerna fixed mode, which versions every package of the workspace. */
  members: string[];
  location: SourceLocation;
}

// ---------------------------------------------------------------- graph

export type EdgeKind = 'import' | 'manifest' | 'http' | 'event' | 'database' | 'openapi-ref';

export interface Evidence {
  location: SourceLocation;
  /** A short human description: the specifier, the URL, the env var. */
  detail: string;
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
  /** For database edges: whether the component only reads, or also writes (unknown access counts as writing). */
  access?: 'read' | 'write';
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
  location: SourceLocation;
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
  /** Exported classes of each component's non-test files (for the shared-domain-library rule). */
  classes?: ComponentClass[];
  /** Release groups with their members resolved to component ids. */
  releaseGroups?: ReleaseGroup[];
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
