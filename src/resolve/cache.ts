import path from 'node:path';
import type { Diagnostic } from '../model.js';
import { readCacheFile, writeCacheFile } from '../util/cache-file.js';
import type { ObservedDisk } from './disk.js';
import type { Resolution } from './resolver.js';

const CACHE_FORMAT = 'arch-lint-resolutions';
const CACHE_FILE = 'resolutions.json';

/** Where the specifiers imported in one folder lead. */
export interface FolderResolutions {
  /** The tsconfig whose options resolved them. */
  tsconfig?: string;
  specifiers: Map<string, Resolution>;
}

/** Resolutions of one run, with everything they depend on besides the walked files and the components. */
export interface ResolutionTable {
  /** Importing folder → its resolutions. */
  folders: Map<string, FolderResolutions>;
  /** What each tsconfig used for these resolutions reported. */
  tsconfigDiagnostics: Map<string, Diagnostic[]>;
  /** The disk's answers they were computed with (ObservedDisk.answers). */
  answers: Map<string, string>;
}

/**
 * Module resolutions kept between runs beside the facts cache, under the same salt. A table is reused
 * only for the same walked files and components (the fingerprint) and while the disk still gives every
 * answer it was computed with (node_modules, the text of every tsconfig and package.json it read).
 */
export class ResolutionCache {
  constructor(
    private readonly location: string,
    private readonly salt: string,
  ) {}

  load(fingerprint: string, disk: ObservedDisk): ResolutionTable | undefined {
    const cache = readCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt);
    if (cache?.fingerprint !== fingerprint) return undefined;
    const table = tableOf(cache);
    return table && disk.answersAsRecorded(table.answers) ? table : undefined;
  }

  save(fingerprint: string, table: ResolutionTable): void {
    // most specifiers lead to a file: stored as its path alone
    const folders = [...table.folders].map(([dir, { tsconfig, specifiers }]) => {
      const to = Object.fromEntries([...specifiers].map(([specifier, resolution]) => [specifier, isFileOnly(resolution) ? resolution.file : resolution]));
      return [dir, tsconfig === undefined ? { to } : { tsconfig, to }];
    });
    writeCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt, {
      fingerprint,
      folders: Object.fromEntries(folders),
      tsconfigDiagnostics: Object.fromEntries(table.tsconfigDiagnostics),
      answers: Object.fromEntries(table.answers),
    });
  }
}

/** The table in a cache file, or undefined when any part of it is not what save() writes. */
function tableOf(cache: Record<string, unknown>): ResolutionTable | undefined {
  const folders = entriesOf(cache.folders, isStoredFolder);
  const tsconfigDiagnostics = entriesOf(cache.tsconfigDiagnostics, (value): value is Diagnostic[] => Array.isArray(value) && value.every(isDiagnostic));
  const answers = entriesOf(cache.answers, (value): value is string => typeof value === 'string');
  if (!folders || !tsconfigDiagnostics || !answers) return undefined;
  const table: ResolutionTable = { folders: new Map(), tsconfigDiagnostics, answers };
  for (const [dir, { tsconfig, to }] of folders) {
    const specifiers = new Map(Object.entries(to).map(([specifier, stored]) => [specifier, typeof stored === 'string' ? { file: stored } : stored]));
    table.folders.set(dir, tsconfig === undefined ? { specifiers } : { tsconfig, specifiers });
  }
  return table;
}

interface StoredFolder {
  tsconfig?: string;
  to: Record<string, string | Resolution>;
}

function isStoredFolder(value: unknown): value is StoredFolder {
  const folder = value as Partial<StoredFolder> | null;
  if (typeof folder !== 'object' || folder === null || (folder.tsconfig !== undefined && typeof folder.tsconfig !== 'string')) return false;
  const to = folder.to as unknown;
  return typeof to === 'object' && to !== null && Object.values(to).every((stored) => typeof stored === 'string' || isResolution(stored));
}

function isFileOnly(resolution: Resolution): resolution is { file: string } {
  return resolution.file !== undefined && resolution.external === undefined;
}

function entriesOf<T>(value: unknown, isValue: (value: unknown) => value is T): Map<string, T> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.every(([, v]) => isValue(v)) ? new Map(entries as [string, T][]) : undefined;
}

function isResolution(value: unknown): value is Resolution {
  if (typeof value !== 'object' || value === null) return false;
  const fields = Object.entries(value);
  return fields.every(([key, field]) => (key === 'file' || key === 'external') && typeof field === 'string');
}

function isDiagnostic(value: unknown): value is Diagnostic {
  const diagnostic = value as Partial<Diagnostic> | null;
  const optional = (field: unknown, type: string) => field === undefined || typeof field === type;
  return (
    typeof diagnostic?.code === 'string' &&
    typeof diagnostic.message === 'string' &&
    optional(diagnostic.file, 'string') &&
    optional(diagnostic.line, 'number') &&
    optional(diagnostic.column, 'number')
  );
}
