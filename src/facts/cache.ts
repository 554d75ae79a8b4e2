import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lstatRegularFile } from '../discover/read.js';
import type { Diagnostic, Directive, FileFacts, ModuleReference, ModuleReferenceKind } from '../model.js';
import { RACY_WINDOW_MS, readCacheFile, removeQuietly, writeCacheFile } from '../util/cache-file.js';
import { isInside } from '../util/paths.js';
import { TOOL_VERSION } from '../version.js';

const CACHE_FORMAT = 'arch-lint-facts-cache';
const CACHE_FILE = 'facts.json';
/** Entries that changed since facts.json was written: a run that edited a few files writes these, not 10k entries. */
const CHANGES_FILE = 'facts-changes.json';
/** The changes file holds at most this many entries (or a twentieth of all) before facts.json is rewritten. */
const CHANGES_BEFORE_REWRITE = 64;
/**
 * Files found unchanged by content hash but not by stat (just edited, touched, checked out) are hashed
 * again by every run until the cache is rewritten; rewriting it costs about as much as hashing this many.
 */
const REHASHED_BEFORE_REWRITE = 256;

interface CacheEntry {
  /** sha256 of the text the facts were extracted from. */
  hash: string;
  size: number;
  /** Absent when the file was too fresh to trust its stat. */
  mtimeMs?: number;
  facts: FileFacts;
  /** The facts as the cache file holds them, when they came from it: written back without encoding them again. */
  stored?: StoredFacts;
  /** Read from facts.json and not overridden since: facts.json holds it as it is. */
  inBase?: true;
}

/** The default cache folder of a repository: node_modules/.cache/arch-lint, like other tools' caches. */
export function defaultCacheLocation(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'arch-lint');
}

/**
 * False when a symbolic link in the repository (`node_modules`, `.cache`, …) takes a cache folder below
 * the root somewhere else: the analysed tree must never make arch-lint read or write outside it.
 */
export function staysInside(root: string, location: string): boolean {
  let existing = location;
  while (!lexists(existing)) existing = path.dirname(existing);
  try {
    return isInside(fs.realpathSync(root), fs.realpathSync(existing));
  } catch {
    return false; // a dangling link
  }
}

function lexists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Facts per file, kept between runs under a salt (tool version, the tool's own code, extractor list,
 * maxFileSize). A file whose lstat (size, mtime) is unchanged is not even read; one whose content hash is
 * unchanged is not parsed. A cache file that is missing, corrupt, or written by another version is ignored;
 * a cache that cannot be written is skipped. Neither is ever fatal.
 */
export class FactsCache {
  /** How the facts of this run were obtained. */
  readonly stats = { unchanged: 0, sameContent: 0, extracted: 0 };
  /** The entries of facts.json. */
  private readonly base: Map<string, CacheEntry>;
  /** The entries of facts.json with those of the changes file over them: what this run may reuse. */
  private readonly previous: Map<string, CacheEntry>;
  private readonly next = new Map<string, CacheEntry>();
  private readonly startedAt = Date.now();

  /** `statOf`: the files' lstat when the caller has taken it already (FileSnapshot), instead of taking it again. */
  constructor(
    private readonly root: string,
    private readonly location: string,
    private readonly salt: string,
    private readonly statOf?: (file: string) => fs.Stats | undefined,
  ) {
    this.base = readEntries(path.join(location, CACHE_FILE), salt, true);
    // Every entry is checked against its file (stat, then content hash), so changes written for another
    // facts.json than this one can cost a parse, never a wrong fact.
    this.previous = new Map([...this.base, ...readEntries(path.join(location, CHANGES_FILE), salt, false)]);
  }

  /** The cached facts of a file that has not been touched since they were cached. */
  unchanged(file: string): FileFacts | undefined {
    const entry = this.previous.get(file);
    if (!entry || entry.mtimeMs === undefined) return undefined;
    const stat = this.statOf ? this.statOf(file) : this.lstat(file);
    if (!stat || stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs) return undefined;
    this.next.set(file, entry);
    this.stats.unchanged++;
    return entry.facts;
  }

  /** The facts of this text: the cached ones when the content is the same, else freshly extracted and remembered. */
  async factsFor(file: string, text: string, extract: () => Promise<FileFacts>): Promise<FileFacts> {
    const hash = createHash('sha256').update(text).digest('hex');
    const previous = this.previous.get(file);
    const same = previous?.hash === hash ? previous : undefined;
    if (same) this.stats.sameContent++;
    else this.stats.extracted++;
    const facts = same ? same.facts : await extract();
    const stat = this.lstat(file);
    const settled = stat && stat.mtimeMs < this.startedAt - RACY_WINDOW_MS;
    this.next.set(file, { hash, size: stat?.size ?? -1, ...(settled ? { mtimeMs: stat.mtimeMs } : {}), facts, ...(same?.stored ? { stored: same.stored } : {}) });
    return facts;
  }

  /**
   * Writes the entries of this run (atomically) when facts changed, files came or went, or many files had
   * to be hashed again: the few that differ from facts.json to the changes file, or all to facts.json.
   */
  save(): void {
    const changed = this.stats.extracted > 0 || this.previous.size !== this.next.size || this.stats.sameContent > REHASHED_BEFORE_REWRITE;
    if (!changed) return;
    const sinceBase = [...this.next].filter(([, entry]) => !entry.inBase);
    const gone = [...this.base.keys()].some((file) => !this.next.has(file));
    const changes = path.join(this.location, CHANGES_FILE);
    if (this.base.size > 0 && !gone && sinceBase.length <= Math.max(CHANGES_BEFORE_REWRITE, this.next.size / 20)) {
      writeCacheFile(changes, CACHE_FORMAT, this.salt, { entries: storedEntries(sinceBase) });
      return;
    }
    writeCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt, { entries: storedEntries([...this.next]) });
    removeQuietly(changes);
  }

  private lstat(file: string): fs.Stats | undefined {
    // concatenated, not path.join: it normalises the whole path, ten thousand times a warm run
    return lstatRegularFile(`${this.root}${path.sep}${file}`);
  }
}

function storedEntries(entries: [string, CacheEntry][]): Record<string, StoredEntry> {
  const sorted = entries.sort(([a], [b]) => (a < b ? -1 : 1));
  return Object.fromEntries(sorted.map(([file, { stored, facts, inBase: _inBase, ...entry }]) => [file, { ...entry, facts: stored ?? storedFacts(facts) }]));
}

function readEntries(file: string, salt: string, inBase: boolean): Map<string, CacheEntry> {
  const entries = new Map<string, CacheEntry>();
  const cache = readCacheFile(file, CACHE_FORMAT, salt);
  if (typeof cache?.entries !== 'object' || cache.entries === null) return entries;
  for (const [name, entry] of Object.entries(cache.entries as Record<string, unknown>)) {
    if (!isStoredEntry(entry)) continue;
    const facts = factsOf(name, entry.facts);
    if (facts) entries.set(name, { ...entry, facts, stored: entry.facts, ...(inBase ? { inBase: true as const } : {}) });
  }
  return entries;
}

/**
 * Imports are most of a cache file: each is stored as a tuple, without the file name its location repeats; the names
 * it takes (value names, type names, names it re-exports as), when it says, come last.
 */
type StoredImport = [
  specifier: string,
  kind: ModuleReferenceKind,
  typeOnly: 0 | 1,
  line: number,
  column: number,
  endLine?: number | null,
  endColumn?: number | null,
  bindings?: Pick<ModuleReference, 'names' | 'typeNames' | 'exportedAs'>,
];
/** Facts as stored: without the file name (the entry's key), imports as tuples, no empty directive and diagnostic lists. */
type StoredFacts = Omit<FileFacts, 'file' | 'imports' | 'directives' | 'diagnostics'> & { imports: StoredImport[]; directives?: Directive[]; diagnostics?: Diagnostic[] };
type StoredEntry = Omit<CacheEntry, 'facts'> & { facts: StoredFacts };

function storedFacts({ file: _file, imports, directives, diagnostics, ...rest }: FileFacts): StoredFacts {
  const stored: StoredFacts = { imports: imports.map(storedImport), ...rest };
  if (directives.length > 0) stored.directives = directives;
  if (diagnostics.length > 0) stored.diagnostics = diagnostics;
  return stored;
}

function storedImport({ specifier, kind, typeOnly, names, typeNames, exportedAs, location: { line, column, endLine, endColumn } }: ModuleReference): StoredImport {
  const stored: StoredImport = [specifier, kind, typeOnly ? 1 : 0, line, column];
  const bindings = { ...(names ? { names } : {}), ...(typeNames ? { typeNames } : {}), ...(exportedAs ? { exportedAs } : {}) };
  const hasBindings = names !== undefined || typeNames !== undefined || exportedAs !== undefined;
  if (endLine !== undefined || hasBindings) stored.push(endLine ?? null, endColumn ?? null);
  if (hasBindings) stored.push(bindings);
  return stored;
}

/** The facts of a stored entry, or undefined when one of its imports is not a tuple save() writes. */
function factsOf(file: string, { imports, directives = [], diagnostics = [], ...rest }: StoredFacts): FileFacts | undefined {
  const references: ModuleReference[] = [];
  for (const stored of imports) {
    if (!isStoredImport(stored)) return undefined;
    references.push(importOf(file, stored));
  }
  return { file, imports: references, directives, diagnostics, ...rest };
}

function importOf(file: string, [specifier, kind, typeOnly, line, column, endLine, endColumn, bindings]: StoredImport): ModuleReference {
  const end = endLine === undefined || endLine === null || endColumn === undefined || endColumn === null ? {} : { endLine, endColumn };
  return { specifier, kind, typeOnly: typeOnly === 1, ...bindings, location: { file, line, column, ...end } };
}

function isStoredEntry(value: unknown): value is StoredEntry {
  const entry = value as Partial<StoredEntry> | null;
  const facts = entry?.facts as Partial<StoredFacts> | undefined;
  return (
    typeof entry?.hash === 'string' &&
    typeof entry.size === 'number' &&
    (entry.mtimeMs === undefined || typeof entry.mtimeMs === 'number') &&
    typeof facts === 'object' &&
    facts !== null &&
    Array.isArray(facts.imports) &&
    (facts.directives === undefined || Array.isArray(facts.directives)) &&
    (facts.diagnostics === undefined || Array.isArray(facts.diagnostics))
  );
}

function isStoredImport(value: unknown): value is StoredImport {
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' && typeof value[3] === 'number' && typeof value[4] === 'number';
}

let codeHash: string | undefined;

/** A hash of arch-lint's own modules: facts cached by one build are never reused by another. */
function toolCodeHash(): string {
  if (codeHash) return codeHash;
  const hash = createHash('sha256');
  const base = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  visit(base);
  return (codeHash = hash.digest('hex'));
}

/** What cached facts depend on besides a file's text. */
export function cacheSalt(extractorNames: string[], maxFileSize: number): string {
  return [TOOL_VERSION, toolCodeHash(), extractorNames.join(','), maxFileSize].join('|');
}
