import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { cosmiconfig, getDefaultSearchPlaces, type Loader } from 'cosmiconfig';
import type { Diagnostic } from '../model.js';
import { ruleMetas } from '../rules/index.js';
import { isRecord } from '../util/json.js';
import { isInside, relativePosix } from '../util/paths.js';
import { yamlPackage } from '../util/yaml.js';
import { configSchema } from './schema.js';
import { UsageError, type ResolvedConfig, type ResolvedRuleSetting, type RuleSetting, type UserConfig } from './types.js';

export const MODULE_NAME = 'archlint';
/**
 * Where the root is searched: cosmiconfig's places for `archlint` (`.archlintrc*`, `archlint.config.*`,
 * the `archlint` key of package.json), then the same names spelt like the command (`.arch-lintrc*`,
 * `arch-lint.config.*`).
 */
export const CONFIG_SEARCH_PLACES = [...getDefaultSearchPlaces(MODULE_NAME), ...getDefaultSearchPlaces('arch-lint').filter((place) => place !== 'package.json')];
/** A root file named like a configuration of arch-lint (`.archlint.yml`, `arch-lint.json`): when no search place, it is reported. */
const LOOKS_LIKE_CONFIG = /^\.?arch-?lint(rc)?([.-]config)?(\.(json5?|jsonc|ya?ml|[cm]?js|[cm]?ts|toml))?$/i;
const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
const DEFAULT_TEST_FILES = ['**/*.{test,spec}.{ts,tsx,js,jsx,mts,cts}', '**/{test,tests,__tests__,e2e,cypress,playwright,test-utils,testing}/**', '**/*-e2e/**'];
const CODE_CONFIG = /\.(js|cjs|mjs|ts)$/;

/** YAML through the `yaml` package: duplicate keys are errors, alias expansion is bounded. */
const loadYaml: Loader = (filepath, content) => {
  const doc = yamlPackage().parseDocument(content, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`${filepath}: ${doc.errors[0].message}`);
  return doc.toJS({ maxAliasCount: 100 });
};

export interface LoadConfigOptions {
  /** An explicit config file (`-c`); otherwise the root is searched. */
  configFile?: string;
  /** Refuse JavaScript/TypeScript config files: they are code of the analysed repo. */
  allowConfigCode?: boolean;
}

export async function loadConfig(root: string, options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const allowCode = options.allowConfigCode ?? true;
  const explorer = (searchPlaces: string[]) =>
    cosmiconfig(MODULE_NAME, { searchPlaces, searchStrategy: 'none', loaders: { '.yaml': loadYaml, '.yml': loadYaml, noExt: loadYaml } });

  let found: { config: unknown; filepath: string } | null;
  let diagnostics: Diagnostic[] = [];
  try {
    if (options.configFile) {
      const file = path.resolve(options.configFile);
      if (!allowCode && CODE_CONFIG.test(file)) {
        throw new UsageError(`${options.configFile}: code config files are refused with --no-config-code`);
      }
      found = await explorer([]).load(file);
    } else {
      const permitted = permittedSearchPlaces(root, allowCode);
      diagnostics = [...permitted.diagnostics, ...lookAlikeConfigFiles(root)];
      found = await explorer(permitted.searchPlaces).search(root);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot load configuration: ${(error as Error).message}`);
  }
  const config = found ? resolveConfig(found.config ?? {}, isInside(root, found.filepath) ? relativePosix(root, found.filepath) : found.filepath) : resolveConfig({});
  return diagnostics.length > 0 ? { ...config, diagnostics } : config;
}

/**
 * The config files cosmiconfig may load from the root: never one that resolves outside the root
 * (a symbolic link), nor code with --no-config-code. Each refused file that exists is reported.
 */
function permittedSearchPlaces(root: string, allowCode: boolean): { searchPlaces: string[]; diagnostics: Diagnostic[] } {
  const searchPlaces: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const realRoot = fs.realpathSync(root);
  for (const place of CONFIG_SEARCH_PLACES) {
    const absolute = path.join(root, place);
    const exists = fs.existsSync(absolute);
    if (exists && !isInside(realRoot, fs.realpathSync(absolute))) {
      diagnostics.push({ file: place, code: 'outside-root', message: 'not loaded: the configuration file resolves outside the repository root' });
    } else if (!allowCode && CODE_CONFIG.test(place)) {
      if (exists) diagnostics.push({ file: place, code: 'config-code-refused', message: 'not loaded: configuration written as code is refused by --no-config-code' });
    } else {
      searchPlaces.push(place);
    }
  }
  return { searchPlaces, diagnostics };
}

/** Root files named like a configuration of arch-lint that it does not read: a user who wrote one must not believe it applies. */
function lookAlikeConfigFiles(root: string): Diagnostic[] {
  const searched = new Set(CONFIG_SEARCH_PLACES);
  return fs
    .readdirSync(root)
    .filter((name) => LOOKS_LIKE_CONFIG.test(name) && !searched.has(name))
    .sort()
    .map((name) => ({
      file: name,
      code: 'config-not-read',
      message: 'not read: named like an arch-lint configuration, but arch-lint reads .archlintrc*, .arch-lintrc*, archlint.config.* and arch-lint.config.* (see the README)',
    }));
}

const ruleById = new Map(ruleMetas.map((meta) => [meta.id, meta]));
let ajv: Ajv | undefined;

/**
 * The validator of a schema, compiled when first needed (Ajv keeps it): a run without configuration
 * never loads Ajv (required, not imported, so that nothing scans its CommonJS for export names).
 */
function validatorOf(schema: object): ValidateFunction {
  ajv ??= new (createRequire(import.meta.url)('ajv') as typeof AjvModule).Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

/** Validates a user config and fills in defaults; every problem names the key and the file. */
export function resolveConfig(raw: unknown, file?: string): ResolvedConfig {
  const where = file ?? 'configuration';
  const empty = isRecord(raw) && Object.keys(raw).length === 0;
  const validateConfig = empty ? undefined : validatorOf(configSchema);
  if (validateConfig && !validateConfig(raw)) {
    throw new UsageError(`${where}: ${describeErrors(validateConfig.errors ?? [])}`);
  }
  const user = raw as UserConfig;
  const rules: Record<string, ResolvedRuleSetting> = {};
  for (const meta of ruleMetas) {
    rules[meta.id] = {
      severity: meta.defaultSeverity === 'warning' ? 'warn' : meta.defaultSeverity,
      options: { ...(meta.defaultOptions as Record<string, unknown>) },
    };
  }
  for (const [id, setting] of Object.entries(user.rules ?? {})) {
    if (!ruleById.has(id)) {
      throw new UsageError(`${where}: unknown rule "rules.${id}" (known rules: ${[...ruleById.keys()].join(', ')})`);
    }
    const [severity, options = {}] = normaliseSetting(setting);
    const validate = validatorOf(ruleById.get(id)!.optionsSchema);
    if (!validate(options)) {
      throw new UsageError(`${where}: rules.${id} options: ${describeErrors(validate.errors ?? [])}`);
    }
    rules[id] = { severity, options: { ...rules[id].options, ...options } };
  }
  return {
    file,
    services: user.services ?? [],
    jobs: user.jobs ?? [],
    frontends: user.frontends ?? [],
    libraries: user.libraries ?? [],
    contracts: user.contracts ?? [],
    groups: user.groups ?? {},
    hosts: user.hosts ?? {},
    public: user.public ?? {},
    ignore: user.ignore ?? [],
    testFiles: user.testFiles ?? DEFAULT_TEST_FILES,
    maxFileSize: user.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    rules,
  };
}

function normaliseSetting(setting: RuleSetting): [ResolvedRuleSetting['severity'], Record<string, unknown>?] {
  return typeof setting === 'string' ? [setting] : [setting[0], setting[1]];
}

function describeErrors(errors: ErrorObject[]): string {
  const messages = errors
    .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if')
    .map((e) => {
      const key = e.instancePath
        .split('/')
        .slice(1)
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')) // JSON pointer escapes
        .join('.');
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        return `unknown key "${key ? `${key}.` : ''}${extra}"`;
      }
      if (e.keyword === 'enum') {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        return `"${key}" must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return `"${key || '(root)'}" ${e.message ?? 'is invalid'}`;
    });
  return [...new Set(messages)].join('; ');
}
