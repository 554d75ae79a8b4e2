import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import type { Component, Diagnostic } from '../model.js';
import { dirOf, isInside, joinPosix, relativePosix } from '../util/paths.js';
import { findSourceFile } from '../util/source-files.js';
import { readRepoFile } from '../discover/read.js';
import { readCompilerOptions } from './tsconfig.js';

const EXPORT_CONDITIONS = ['types', 'import', 'require', 'node', 'default'];

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
  private readonly contexts = new Map<string, ResolutionContext>();
  private readonly tsconfigOfDir = new Map<string, string | undefined>();
  private readonly packages = new Map<string, Component>();
  private readonly host: ts.ModuleResolutionHost;
  private readonly textCache = new Map<string, string | undefined>();

  constructor(
    private readonly root: string,
    private readonly files: Set<string>,
    components: Component[],
    private readonly diagnostics: Diagnostic[],
    private readonly maxFileSize: number,
  ) {
    for (const component of components) if (component.packageName) this.packages.set(component.packageName, component);
    const inRepo = (absolute: string) => (isInside(root, absolute) ? relativePosix(root, absolute) : undefined);
    this.host = {
      fileExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        return files.has(rel) || (rel.includes('node_modules/') && fs.existsSync(absolute));
      },
      readFile: (absolute) => this.readText(absolute),
      directoryExists: (absolute) => {
        const rel = inRepo(absolute);
        if (rel === undefined) return false;
        return rel.includes('node_modules') ? fs.existsSync(absolute) : true;
      },
      realpath: (absolute) => {
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
  resolve(fromFile: string, specifier: string): { file?: string; external?: string } {
    const workspace = this.resolveWorkspacePackage(specifier);
    if (workspace !== undefined) return workspace;
    const context = this.contextFor(fromFile);
    const result = ts.resolveModuleName(specifier, path.join(this.root, fromFile), context.options, this.host, context.cache);
    const resolved = result.resolvedModule;
    if (!resolved) return {};
    const rel = isInside(this.root, resolved.resolvedFileName) ? relativePosix(this.root, resolved.resolvedFileName) : undefined;
    if (rel === undefined || resolved.isExternalLibraryImport || rel.includes('node_modules/')) {
      return { external: packageNameOf(specifier) };
    }
    return { file: rel };
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
      const options = configFile ? readCompilerOptions(this.root, configFile, this.maxFileSize, this.diagnostics) : {};
      const resolution = options.moduleResolution;
      const nodeStyle = resolution === ts.ModuleResolutionKind.Node16 || resolution === ts.ModuleResolutionKind.NodeNext;
      const effective: ts.CompilerOptions = {
        ...options,
        allowJs: true,
        resolveJsonModule: true,
        ...(nodeStyle ? {} : { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext }),
      };
      const cache = ts.createModuleResolutionCache(this.root, (f) => f, effective);
      context = { options: effective, cache };
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

  /** Through readRepoFile, so a symbolic link inside the root never leads to a read outside it. */
  private readText(absolute: string): string | undefined {
    if (!isInside(this.root, absolute)) return undefined;
    if (this.textCache.has(absolute)) return this.textCache.get(absolute);
    const read = readRepoFile(this.root, relativePosix(this.root, absolute), this.maxFileSize);
    const text = 'text' in read ? read.text : undefined;
    this.textCache.set(absolute, text);
    return text;
  }
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
      return pickCondition(target)?.replace(/\*/g, () => match); // a function: `$&` in a subpath is literal
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
