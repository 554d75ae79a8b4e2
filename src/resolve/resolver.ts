import path from 'node:path';
import { ts } from '../util/typescript.cjs';
import type { Component, Diagnostic } from '../model.js';
import { dirOf, foldersOf, isInside, joinPosix, relativePosix, repoRelative } from '../util/paths.js';
import { findBestSourceFile } from '../util/source-files.js';
import type { ObservedDisk } from './disk.js';
import { exportTargetsFor } from './exports.js';
import { readCompilerOptions } from './tsconfig.js';

const NX_CONFIG = 'nx.json';
const NX_BASE_TSCONFIG = 'tsconfig.base.json';
const KNOWN_EXTENSION = /\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|json)$/;
const TYPESCRIPT_CANDIDATES = ['.ts', '.tsx', '.d.ts'];

/** Where a specifier leads: a repo file, an external package, or neither (unresolved). */
export interface Resolution {
  file?: string;
  external?: string;
}

interface ResolutionContext {
  options: ts.CompilerOptions;
  cache: ts.ModuleResolutionCache;
  /** Repo-relative folder that `paths` targets are relative to (baseUrl, or the tsconfig that declares `paths`). */
  pathsBase?: string;
  /** The `paths` keys that name aliases: a catch-all ("*": ["types/*"]) says nothing about which names are aliases. */
  aliases: string[];
  /**
   * Non-relative specifiers that `paths` or `baseUrl` mapped to a repo file (not found in node_modules):
   * the same from every importing folder, so TypeScript is asked once per specifier, not once per folder.
   */
  mapped: Map<string, string>;
}

/**
 * Resolves module specifiers to repo-relative files: workspace package names (honouring `exports`),
 * then TypeScript's own resolution with the nearest tsconfig (relative paths, `paths`/`baseUrl`,
 * node_modules symlinks). One resolution cache per tsconfig. Never reads outside the root, and looks
 * at the disk beyond the walked files only through the ObservedDisk it is given.
 */
export class ModuleResolver {
  /** What each tsconfig read so far reported (malformed, an `extends` outside the root, …). */
  readonly tsconfigDiagnostics = new Map<string, Diagnostic[]>();
  /** Resolution context per tsconfig file; tsconfigs with the same effective options share one (and its cache). */
  private readonly contexts = new Map<string, ResolutionContext>();
  private readonly contextsByOptions = new Map<string, ResolutionContext>();
  private readonly extendedConfigs = new Map<string, ts.ExtendedConfigCacheEntry>();
  private readonly tsconfigOfDir = new Map<string, string | undefined>();
  private readonly packages = new Map<string, Component>();
  private readonly host: ts.ModuleResolutionHost;
  /** An Nx workspace's root tsconfig.base.json, whose `paths` Nx resolves for every project. */
  private readonly workspaceBase: string | undefined;

  constructor(
    private readonly root: string,
    private readonly files: Set<string>,
    components: Component[],
    private readonly disk: ObservedDisk,
  ) {
    for (const component of components) if (component.packageName) this.packages.set(component.packageName, component);
    this.workspaceBase = files.has(NX_CONFIG) && files.has(NX_BASE_TSCONFIG) ? NX_BASE_TSCONFIG : undefined;
    const directories = new Set(['', ...foldersOf(files)]);
    // Paths are first mapped through node_modules links to workspace packages, installed or not.
    const inRepo = (absolute: string) => repoRelative(root, this.throughWorkspaceLink(absolute));
    this.host = {
      fileExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        return files.has(rel) || (isInNodeModules(rel) && this.readText(absolute) !== undefined);
      },
      readFile: (absolute) => this.readText(absolute),
      directoryExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        // node_modules is not walked: the disk answers (once per path: every importing folder probes its ancestors)
        return isInNodeModules(rel) ? disk.exists(rel) : directories.has(rel);
      },
      realpath: (absolute) => this.realpath(absolute),
      getCurrentDirectory: () => root,
    };
  }

  /**
   * `…/node_modules/@scope/pkg/rest` → the workspace package's own folder + `rest`, as a package manager
   * would link it; any other path is returned as given. Lets `extends: "tsconfig/base.json"` and
   * TypeScript's package lookups find workspace packages without an install.
   */
  private throughWorkspaceLink(absolute: string): string {
    const marker = absolute.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (marker < 0) return absolute;
    const inside = absolute.slice(marker + '/node_modules/'.length).split(path.sep).join('/');
    const name = packageNameOf(inside);
    const component = name === undefined ? undefined : this.packages.get(name);
    return component && name !== undefined ? path.join(this.root, component.dir, inside.slice(name.length)) : absolute;
  }

  /**
   * The repo-relative file a module specifier (not a `scheme:` URL) resolves to; `external` names a
   * package (or Node built-in) that is not part of the repository, installed or not. Neither means
   * unresolved: a missing relative file, a tsconfig alias that matches no file, an unbuilt workspace
   * entry. The answer depends on the importing folder only (its tsconfig, its node_modules ancestors).
   */
  resolve(fromFile: string, written: string): Resolution {
    const context = this.contextFor(this.tsconfigOf(fromFile));
    const specifier = written.replace(/\?.*$/, ''); // bundler queries: `./icon.svg?url`, `./worker.ts?worker`
    const aliased = context.aliases.some((key) => aliasCapture(key, specifier) !== undefined);
    // TypeScript applies `paths` before package lookup; workspace packages are looked up by name otherwise.
    const file = aliased
      ? (this.resolveWithTypeScript(fromFile, specifier, context) ?? this.resolveWorkspacePackage(specifier))
      : (this.resolveWorkspacePackage(specifier) ?? this.resolveWithTypeScript(fromFile, specifier, context));
    if (file) return { file };
    const asset = this.resolveAsset(fromFile, specifier, context);
    if (asset) return { file: asset };
    const name = packageNameOf(specifier);
    if (name === undefined || aliased || this.packages.has(name)) return {};
    return { external: name };
  }

  private resolveWithTypeScript(fromFile: string, specifier: string, context: ResolutionContext): string | undefined {
    const direct = this.relativeSourceFile(fromFile, specifier, context.options);
    if (direct !== undefined) return direct;
    const relative = isRelative(specifier);
    const mapped = relative ? undefined : context.mapped.get(specifier);
    if (mapped !== undefined) return mapped;
    const resolved = ts.resolveModuleName(specifier, path.join(this.root, fromFile), context.options, this.host, context.cache).resolvedModule;
    if (!resolved) return undefined;
    // A node_modules symlink to a workspace package resolves (through realpath) to the package's own files.
    const rel = repoRelative(this.root, this.realpath(resolved.resolvedFileName));
    if (rel === undefined || isInNodeModules(rel)) return undefined;
    if (!relative && !isInNodeModules(repoRelative(this.root, resolved.resolvedFileName) ?? 'node_modules')) context.mapped.set(specifier, rel);
    return rel;
  }

  /**
   * The common case without TypeScript's machinery: `./x` or `./x.js` naming a walked `x.ts`, `x.tsx` or
   * `x.d.ts`, TypeScript's first candidates in its own order. Everything else (folders, JavaScript files,
   * rootDirs, moduleSuffixes) is left to ts.resolveModuleName.
   */
  private relativeSourceFile(fromFile: string, specifier: string, options: ts.CompilerOptions): string | undefined {
    if (!isRelative(specifier) || options.rootDirs || options.moduleSuffixes) return undefined;
    const target = joinPosix(dirOf(fromFile), specifier);
    if (KNOWN_EXTENSION.test(target) && !target.endsWith('.js')) return undefined;
    const stem = target.endsWith('.js') ? target.slice(0, -3) : target;
    return TYPESCRIPT_CANDIDATES.map((extension) => stem + extension).find((candidate) => this.files.has(candidate));
  }

  /** The real path of a file when it stays inside the root (a workspace symlink), else the path as given. */
  private realpath(absolute: string): string {
    // the walk never follows links, so a walked file is its own real path
    if (this.files.has(repoRelative(this.root, absolute) ?? '')) return absolute;
    const mapped = this.throughWorkspaceLink(absolute);
    const rel = repoRelative(this.root, mapped);
    const real = rel === undefined ? 'outside' : this.disk.realpath(rel);
    if (real === 'outside') return absolute;
    if (real === 'missing') return mapped;
    return path.join(this.root, real.inside);
  }

  /**
   * `import './styles.css'`, `import logo from '~/assets/logo.png'`: a file of the repository that is not
   * a script, relative or through a tsconfig alias (TypeScript itself resolves only scripts).
   */
  private resolveAsset(fromFile: string, specifier: string, context: ResolutionContext): string | undefined {
    if (isRelative(specifier)) {
      const target = joinPosix(dirOf(fromFile), specifier);
      return this.files.has(target) ? target : undefined;
    }
    const base = context.pathsBase;
    if (base === undefined) return undefined;
    for (const [key, targets] of Object.entries(context.options.paths ?? {})) {
      const captured = aliasCapture(key, specifier);
      if (captured === undefined) continue;
      const file = targets.map((target) => joinPosix(base, target.replace('*', captured))).find((f) => this.files.has(f));
      if (file) return file;
    }
    return undefined;
  }

  private resolveWorkspacePackage(specifier: string): string | undefined {
    const name = packageNameOf(specifier);
    const component = name === undefined ? undefined : this.packages.get(name);
    if (!component || name === undefined) return undefined;
    const subpath = specifier.slice(name.length).replace(/^\//, '');
    const exported = exportTargetsFor(component.manifest?.exports, subpath);
    const targets = exported ?? (subpath === '' ? entryTargets(component) : [subpath]);
    return findBestSourceFile(
      targets.map((target) => joinPosix(component.dir, target.replace(/^\.\//, ''))),
      this.files,
    );
  }

  private contextFor(configFile: string | undefined): ResolutionContext {
    const key = configFile ?? '';
    let context = this.contexts.get(key);
    if (!context) {
      const diagnostics: Diagnostic[] = [];
      const own = configFile
        ? readCompilerOptions(this.root, configFile, diagnostics, {
            throughWorkspaceLink: (f) => this.throughWorkspaceLink(f),
            extendedConfigs: this.extendedConfigs,
            read: (f) => this.disk.read(f),
          })
        : {};
      if (configFile) this.tsconfigDiagnostics.set(configFile, diagnostics);
      const options = configFile === this.workspaceBase ? own : { ...own, ...this.workspacePaths(own) };
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
        const cache = ts.createModuleResolutionCache(this.root, (f) => f, effective);
        // `pathsBasePath` is what TypeScript records for `paths` without `baseUrl` (internal, but stable since 4.1).
        const base = options.baseUrl ?? (options as { pathsBasePath?: string }).pathsBasePath;
        const pathsBase = base !== undefined && isInside(this.root, base) ? relativePosix(this.root, base) : undefined;
        context = { options: effective, cache, pathsBase, aliases: Object.keys(effective.paths ?? {}).filter((key) => key !== '*'), mapped: new Map() };
        this.contextsByOptions.set(signature, context);
      }
      this.contexts.set(key, context);
    }
    return context;
  }

  /**
   * In an Nx workspace, the base's aliases a tsconfig does not declare itself (it may not extend the base),
   * as `paths` relative to that tsconfig's own paths base: Nx resolves the base's `paths` for every project.
   */
  private workspacePaths(options: ts.CompilerOptions): { paths?: ts.MapLike<string[]>; pathsBasePath?: string } {
    if (this.workspaceBase === undefined) return {};
    const base = this.contextFor(this.workspaceBase);
    const declared = options.paths ?? {};
    const missing = Object.entries(base.options.paths ?? {}).filter(([key]) => !(key in declared));
    if (missing.length === 0 || base.pathsBase === undefined) return {};
    const baseDir = path.join(this.root, base.pathsBase);
    const ownBase = options.baseUrl ?? (options as { pathsBasePath?: string }).pathsBasePath;
    const from = ownBase ?? baseDir;
    const rebased = missing.map(([key, targets]) => [key, targets.map((target) => path.relative(from, path.resolve(baseDir, target)).split(path.sep).join('/'))]);
    return { paths: { ...declared, ...Object.fromEntries(rebased) }, ...(ownBase === undefined ? { pathsBasePath: baseDir } : {}) };
  }

  /**
   * The tsconfig.json whose options resolve the imports of a file: the nearest one up its folders; in an Nx
   * workspace without a root tsconfig.json, the root tsconfig.base.json.
   */
  tsconfigOf(fromFile: string): string | undefined {
    return this.nearestTsconfig(dirOf(fromFile));
  }

  private nearestTsconfig(dir: string): string | undefined {
    if (this.tsconfigOfDir.has(dir)) return this.tsconfigOfDir.get(dir);
    const here = joinPosix(dir, 'tsconfig.json');
    const found = this.files.has(here) ? here : dir === '' ? this.workspaceBase : this.nearestTsconfig(dirOf(dir));
    this.tsconfigOfDir.set(dir, found);
    return found;
  }

  /** Through readRepoFile, so a symbolic link inside the root never leads to a read outside it. */
  private readText(absolute: string): string | undefined {
    const mapped = this.throughWorkspaceLink(absolute);
    if (!isInside(this.root, mapped)) return undefined;
    const read = this.disk.read(relativePosix(this.root, mapped));
    return 'text' in read ? read.text : undefined;
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


/**
 * `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. Undefined for what cannot name a package:
 * relative and absolute paths, `#imports`, and aliases such as `@/x` or `~/x`.
 */
export function packageNameOf(specifier: string): string | undefined {
  return /^(@[a-z0-9][\w.~-]*\/[\w.~-]+|[a-z0-9][\w.~-]*)(\/|$)/i.exec(specifier)?.[1];
}

function entryTargets(component: Component): string[] {
  const manifest = component.manifest;
  return [manifest?.types, manifest?.main, 'src/index', 'index'].filter((t): t is string => !!t);
}

function isInNodeModules(rel: string): boolean {
  return rel.startsWith('node_modules/') || rel.includes('/node_modules/') || rel === 'node_modules' || rel.endsWith('/node_modules');
}

function isRelative(specifier: string): boolean {
  return specifier === '.' || specifier === '..' || specifier.startsWith('./') || specifier.startsWith('../');
}

/** What the `*` of a `paths` key captures from a specifier ('' for an exact key), or undefined when it does not match. */
function aliasCapture(key: string, specifier: string): string | undefined {
  const star = key.indexOf('*');
  if (star < 0) return key === specifier ? '' : undefined;
  const prefix = key.slice(0, star);
  const suffix = key.slice(star + 1);
  const matches = specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length + suffix.length;
  return matches ? specifier.slice(prefix.length, specifier.length - suffix.length) : undefined;
}
