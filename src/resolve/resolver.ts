import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Component, Diagnostic } from '../model.js';
import { dirOf, isInside, joinPosix, repoRelative } from '../util/paths.js';
import { findSourceFile } from '../util/source-files.js';
import { readCompilerOptions } from './tsconfig.js';

const EXPORT_CONDITIONS = ['types', 'import', 'require', 'node', 'default'];
const RELATIVE = /^\.\.?\//;
const KNOWN_EXTENSION = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|json)$/;
const TYPESCRIPT_CANDIDATES = ['.ts', '.tsx', '.d.ts'];

/** Where a specifier leads: a repo file, an external package, or neither (unresolvable). */
export interface Resolution {
  file?: string;
  external?: string;
}

interface ResolutionContext {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
}

/**
 * Resolves module specifiers to repo-relative files: workspace package names (honouring `exports`),
 * then TypeScript's own resolution with the nearest tsconfig (relative paths, `paths`/`baseUrl`,
 * node_modules symlinks). One resolution cache per tsconfig. Never reads outside the root.
 */
export class ModuleResolver {
  /** Resolution context per tsconfig file; tsconfigs with the same effective options share one (and its cache). */
  private readonly contexts = new Map<string, ResolutionContext>();
  private readonly contextsByOptions = new Map<string, ResolutionContext>();
  private readonly tsconfigOfDir = new Map<string, string | undefined>();
  private readonly packages = new Map<string, Component>();
  private readonly host: ts.ModuleResolutionHost;
  private readonly textCache = new Map<string, string | undefined>();
  private readonly resolutions = new Map<string, Resolution>();
  private readonly extendedConfigs = new Map<string, ts.ExtendedConfigCacheEntry>();

  constructor(
    private readonly root: string,
    private readonly files: Set<string>,
    components: Component[],
    private readonly diagnostics: Diagnostic[],
  ) {
    for (const component of components) if (component.packageName) this.packages.set(component.packageName, component);
    const inRepo = (absolute: string) => repoRelative(root, absolute);
    const directories = folderSet(files);
    // node_modules is not walked: ask the disk, once per path (every importing folder probes its ancestors)
    const onDisk = new Map<string, boolean>();
    const existsOnDisk = (absolute: string) => {
      let exists = onDisk.get(absolute);
      if (exists === undefined) onDisk.set(absolute, (exists = fs.existsSync(absolute)));
      return exists;
    };
    this.host = {
      fileExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        return files.has(rel) || (rel.includes('node_modules/') && existsOnDisk(absolute));
      },
      readFile: (absolute) => this.readText(absolute),
      directoryExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        return rel.includes('node_modules') ? existsOnDisk(absolute) : directories.has(rel);
      },
      realpath: (absolute) => {
        // the walk never follows links, so a walked file is its own real path
        if (files.has(inRepo(absolute) ?? '')) return absolute;
        try {
          const real = fs.realpathSync(absolute);
          return isInside(root, real) ? real : absolute;
        } catch {
          return absolute;
        }
      },
      getCurrentDirectory: () => root,
    };
  }

  /** The repo-relative file a specifier resolves to, or undefined (external package or unresolvable). */
  resolve(fromFile: string, specifier: string): Resolution {
    // resolution depends on the importing folder only (its tsconfig, its node_modules ancestors)
    const key = `${dirOf(fromFile)}\0${specifier}`;
    let resolution = this.resolutions.get(key);
    if (!resolution) {
      resolution = this.resolveUncached(fromFile, specifier);
      this.resolutions.set(key, resolution);
    }
    return resolution;
  }

  private resolveUncached(fromFile: string, specifier: string): Resolution {
    const workspace = this.resolveWorkspacePackage(specifier);
    if (workspace !== undefined) return workspace;
    const context = this.contextFor(fromFile);
    const direct = this.relativeSourceFile(fromFile, specifier, context.options);
    if (direct !== undefined) return { file: direct };
    const result = ts.resolveModuleName(specifier, path.join(this.root, fromFile), context.options, this.host, context.cache);
    const resolved = result.resolvedModule;
    if (!resolved) return {};
    const rel = repoRelative(this.root, resolved.resolvedFileName);
    if (rel === undefined || resolved.isExternalLibraryImport || rel.includes('node_modules/')) {
      return { external: packageNameOf(specifier) };
    }
    return { file: rel };
  }

  /**
   * The common case without TypeScript's machinery: `./x` or `./x.js` naming a walked `x.ts`, `x.tsx` or
   * `x.d.ts`, TypeScript's first candidates in its own order. Everything else (folders, JavaScript files,
   * rootDirs, moduleSuffixes) is left to ts.resolveModuleName.
   */
  private relativeSourceFile(fromFile: string, specifier: string, options: ts.CompilerOptions): string | undefined {
    if (!RELATIVE.test(specifier) || options.rootDirs || options.moduleSuffixes) return undefined;
    const target = joinPosix(dirOf(fromFile), specifier);
    if (KNOWN_EXTENSION.test(target) && !target.endsWith('.js')) return undefined;
    const stem = target.endsWith('.js') ? target.slice(0, -3) : target;
    return TYPESCRIPT_CANDIDATES.map((extension) => stem + extension).find((candidate) => this.files.has(candidate));
  }

  private resolveWorkspacePackage(specifier: string): { file?: string } | undefined {
    const name = packageNameOf(specifier);
    if (name === undefined) return undefined;
    const component = this.packages.get(name);
    if (!component) return undefined;
    const subpath = specifier.slice(name.length).replace(/^\//, '');
    const exported = resolveExports(component.manifest?.exports, subpath);
    const targets = exported !== undefined ? [exported] : subpath === '' ? entryTargets(component) : [subpath];
    for (const target of targets) {
      const file = findSourceFile(joinPosix(component.dir, target.replace(/^\.\//, '')), this.files);
      if (file) return { file };
    }
    return {};
  }

  private contextFor(fromFile: string): ResolutionContext {
    const configFile = this.nearestTsconfig(dirOf(fromFile));
    const key = configFile ?? '';
    let context = this.contexts.get(key);
    if (!context) {
      const options = configFile ? readCompilerOptions(this.root, configFile, (f) => this.readText(f), this.diagnostics, this.extendedConfigs) : {};
      const resolution = options.moduleResolution;
      const nodeStyle = resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
      const effective: ts.CompilerOptions = {
        ...options,
        allowJs: true,
        resolveJsonModule: true,
        ...(nodeStyle ? {} : { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
      };
      const signature = resolutionSignature(effective);
      context = this.contextsByOptions.get(signature);
      if (!context) {
        context = { options: effective, cache: ts.createModuleResolutionCache(this.root, (f) => f, effective) };
        this.contextsByOptions.set(signature, context);
      }
      this.contexts.set(key, context);
    }
    return context;
  }

  private nearestTsconfig(dir: string): string | undefined {
    if (this.tsconfigOfDir.has(dir)) return this.tsconfigOfDir.get(dir);
    const here = joinPosix(dir, 'tsconfig.json');
    const found = this.files.has(here) ? here : dir === '' ? undefined : this.nearestTsconfig(dirOf(dir));
    this.tsconfigOfDir.set(dir, found);
    return found;
  }

  private readText(absolute: string): string | undefined {
    if (!isInside(this.root, absolute)) return undefined;
    if (this.textCache.has(absolute)) return this.textCache.get(absolute);
    let text: string | undefined;
    try {
      text = fs.readFileSync(absolute, 'utf8');
    } catch {
      text = undefined;
    }
    this.textCache.set(absolute, text);
    return text;
  }
}

/**
 * The compiler options that decide resolution, as a key. Only the tsconfig's own path differs between
 * the many tsconfigs of a monorepo that extend one base (paths, baseUrl and rootDirs are absolute here).
 */
function resolutionSignature(options: ts.CompilerOptions): string {
  const { configFilePath: _ownPath, ...rest } = options;
  return JSON.stringify(Object.keys(rest).sort().map((key) => [key, rest[key]]));
}

/** Every folder that holds a file, with its ancestors ('' is the root). */
function folderSet(files: Set<string>): Set<string> {
  const folders = new Set<string>(['']);
  for (const file of files) {
    for (let dir = dirOf(file); dir !== '' && !folders.has(dir); dir = dirOf(dir)) folders.add(dir);
  }
  return folders;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; relative and absolute paths → undefined. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier === '') return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? (parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

function entryTargets(component: Component): string[] {
  const manifest = component.manifest;
  return [manifest?.types, manifest?.main, 'src/index', 'index'].filter((t): t is string => !!t);
}

/** The target a package's `exports` gives a subpath ('' is the root), or undefined when it exposes none. */
export function resolveExports(exports: unknown, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  const key = subpath === '' ? '.' : `./${subpath}`;
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return key === '.' ? pickCondition(exports) : undefined;
  const map = exports as Record<string, unknown>;
  if (key in map) return pickCondition(map[key]);
  for (const [pattern, target] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star < 0) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (key.startsWith(prefix) && key.endsWith(suffix) && key.length >= prefix.length + suffix.length) {
      const match = key.slice(prefix.length, key.length - suffix.length);
      return pickCondition(target)?.replace(/\*/g, match);
    }
  }
  return undefined;
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(pickCondition).find((t) => t !== undefined);
  if (typeof target === 'object' && target !== null) {
    const conditions = target as Record<string, unknown>;
    for (const condition of EXPORT_CONDITIONS) {
      const picked = condition in conditions ? pickCondition(conditions[condition]) : undefined;
      if (picked) return picked;
    }
    return Object.values(conditions).map(pickCondition).find((t) => t !== undefined);
  }
  return undefined;
}
