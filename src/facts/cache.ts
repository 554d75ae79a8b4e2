import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileFacts } from '../model.js';
import { isInside } from '../util/paths.js';
import { TOOL_VERSION } from '../version.js';

const CACHE_FORMAT = 'arch-lint-facts-cache';
const CACHE_FILE = 'facts.json';
/** A file modified this close to the run that cached it may change again within the same mtime tick ("racy git"): trust its content hash only. */
const RACY_WINDOW_MS = 2000;

interface CacheEntry {
  /** sha256 of the text the facts were extracted from. */
  hash: string;
  size: number;
  /** Absent when the file was too fresh to trust its stat. */
  mtimeMs?: number;
  facts: FileFacts;
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
  private readonly previous: Map<string, CacheEntry>;
  private readonly next = new Map<string, CacheEntry>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly root: string,
    private readonly location: string,
    private readonly salt: string,
  ) {
    this.previous = readEntries(path.join(location, CACHE_FILE), salt);
  }

  /** The cached facts of a file that has not been touched since they were cached. */
  unchanged(file: string): FileFacts | undefined {
    const entry = this.previous.get(file);
    if (!entry || entry.mtimeMs === undefined) return undefined;
    const stat = this.lstat(file);
    if (!stat || stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs) return undefined;
    this.next.set(file, entry);
    this.stats.unchanged++;
    return entry.facts;
  }

  /** The facts of this text: the cached ones when the content is the same, else freshly extracted and remembered. */
  factsFor(file: string, text: string, extract: () => FileFacts): FileFacts {
    const hash = createHash('sha256').update(text).digest('hex');
    const previous = this.previous.get(file);
    let facts: FileFacts;
    if (previous?.hash === hash) {
      facts = previous.facts;
      this.stats.sameContent++;
    } else {
      facts = extract();
      this.stats.extracted++;
    }
    const stat = this.lstat(file);
    const settled = stat && stat.mtimeMs < this.startedAt - RACY_WINDOW_MS;
    this.next.set(file, { hash, size: stat?.size ?? -1, ...(settled ? { mtimeMs: stat.mtimeMs } : {}), facts });
    return facts;
  }

  /** Writes the entries of this run (atomically) when anything differs from what was read. */
  save(): void {
    const changed = this.stats.unchanged !== this.next.size || this.previous.size !== this.next.size;
    if (!changed) return;
    const target = path.join(this.location, CACHE_FILE);
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.location, { recursive: true });
      const entries = Object.fromEntries([...this.next].sort(([a], [b]) => (a < b ? -1 : 1)));
      fs.writeFileSync(temporary, JSON.stringify({ format: CACHE_FORMAT, salt: this.salt, entries }));
      fs.renameSync(temporary, target);
    } catch {
      removeQuietly(temporary);
    }
  }

  private lstat(file: string): fs.Stats | undefined {
    try {
      const stat = fs.lstatSync(path.join(this.root, file));
      return stat.isFile() ? stat : undefined;
    } catch {
      return undefined;
    }
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Nothing was written there.
  }
}

function readEntries(file: string, salt: string): Map<string, CacheEntry> {
  const entries = new Map<string, CacheEntry>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return entries;
  }
  const cache = parsed as { format?: unknown; salt?: unknown; entries?: unknown } | null;
  if (cache?.format !== CACHE_FORMAT || cache.salt !== salt || typeof cache.entries !== 'object' || cache.entries === null) return entries;
  for (const [name, entry] of Object.entries(cache.entries as Record<string, unknown>)) {
    if (isEntryOf(name, entry)) entries.set(name, entry);
  }
  return entries;
}

function isEntryOf(file: string, value: unknown): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null;
  const facts = entry?.facts as Partial<FileFacts> | undefined;
  return (
    typeof entry?.hash === 'string' &&
    typeof entry.size === 'number' &&
    (entry.mtimeMs === undefined || typeof entry.mtimeMs === 'number') &&
    facts?.file === file &&
    Array.isArray(facts.imports) &&
    Array.isArray(facts.directives) &&
    Array.isArray(facts.diagnostics)
  );
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
