import fs from 'node:fs';
import { writeAtomically } from './atomic-write.cjs';
import type { Diagnostic } from '../model.js';

export { removeQuietly } from './atomic-write.cjs';

/** A file modified this close to the run that cached something about it may change again within the same mtime tick ("racy git"): trust its content hash only. */
export const RACY_WINDOW_MS = 2000;

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
  writeAtomically(file, () => JSON.stringify({ format, salt, ...body }));
}

/** A diagnostic as cache files hold them. */
export function isDiagnostic(value: unknown): value is Diagnostic {
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
