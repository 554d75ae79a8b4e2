import fs from 'node:fs';
import path from 'node:path';

/**
 * The body of a cache file written by writeCacheFile with the same format and salt, else undefined
 * (missing, corrupt, another format or another build of arch-lint): a cache is never fatal.
 */
export function readCacheFile(file: string, format: string, salt: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const cache = parsed as { format?: unknown; salt?: unknown } | null;
  return typeof cache === 'object' && cache !== null && cache.format === format && cache.salt === salt ? (cache as Record<string, unknown>) : undefined;
}

/** Writes a cache file atomically (a reader sees the old file or the new one); a cache that cannot be written is skipped. */
export function writeCacheFile(file: string, format: string, salt: string, body: Record<string, unknown>): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify({ format, salt, ...body }));
    fs.renameSync(temporary, file);
  } catch {
    removeQuietly(temporary);
  }
}

/** Removes a cache file if it is there; one that cannot be removed is left (caches are never fatal). */
export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left behind: a cache file is checked before it is used.
  }
}
