import path from 'node:path';
import type { Diagnostic } from '../model.js';
import { isDiagnostic, readCacheFile, writeCacheFile } from '../util/cache-file.js';
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

  /** The stored table for these walked files (the fingerprint covers them), if the disk still answers as it did. */
  load(fingerprint: string, disk: ObservedDisk, files: string[]): ResolutionTable | undefined {
    const cache = readCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt);
    if (cache?.fingerprint !== fingerprint) return undefined;
    const table = tableOf(cache, files);
    return table && disk.answersAsRecorded(table.answers) ? table : undefined;
  }

  save(fingerprint: string, table: ResolutionTable, files: string[]): void {
    // most specifiers lead to a walked file: stored as its index in the (fingerprinted) file list
    const indexOf = new Map(files.map((file, index) => [file, index]));
    const folders = [...table.folders].map(([dir, { tsconfig, specifiers }]) => {
      const to = Object.fromEntries([...specifiers].map(([specifier, resolution]) => [specifier, isFileOnly(resolution) ? (indexOf.get(resolution.file) ?? resolution.file) : resolution]));
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
function tableOf(cache: Record<string, unknown>, files: string[]): ResolutionTable | undefined {
  const folders = entriesOf(cache.folders, isStoredFolder);
  const tsconfigDiagnostics = entriesOf(cache.tsconfigDiagnostics, (value): value is Diagnostic[] => Array.isArray(value) && value.every(isDiagnostic));
  const answers = entriesOf(cache.answers, (value): value is string => typeof value === 'string');
  if (!folders || !tsconfigDiagnostics || !answers) return undefined;
  const table: ResolutionTable = { folders: new Map(), tsconfigDiagnostics, answers };
  for (const [dir, { tsconfig, to }] of folders) {
    const specifiers = new Map<string, Resolution>();
    for (const [specifier, stored] of Object.entries(to)) {
      const file = typeof stored === 'number' ? files[stored] : stored;
      if (file === undefined) return undefined;
      specifiers.set(specifier, typeof file === 'string' ? { file } : file);
    }
    table.folders.set(dir, tsconfig === undefined ? { specifiers } : { tsconfig, specifiers });
  }
  return table;
}

interface StoredFolder {
  tsconfig?: string;
  /** A walked file by its index, another file by its path, or the resolution. */
  to: Record<string, number | string | Resolution>;
}

function isStoredFolder(value: unknown): value is StoredFolder {
  const folder = value as Partial<StoredFolder> | null;
  if (typeof folder !== 'object' || folder === null || (folder.tsconfig !== undefined && typeof folder.tsconfig !== 'string')) return false;
  const to = folder.to as unknown;
  return typeof to === 'object' && to !== null && Object.values(to).every((stored) => Number.isInteger(stored) || typeof stored === 'string' || isResolution(stored));
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
