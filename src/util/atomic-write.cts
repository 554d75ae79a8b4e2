/*
 * Writing files so that a reader sees the old file or the new one, never half of one. CommonJS, so that
 * compile-cache.cts can use it before any ES module is loaded.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes through a temporary file in the same folder and a rename: when the write fails (a full disk),
 * the old file is left whole and the error is thrown.
 */
export function replaceFile(file: string, data: () => string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temporary, data());
    fs.renameSync(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

/** replaceFile for caches: a cache that cannot be written is skipped (caches are never fatal). */
export function writeAtomically(file: string, data: () => string | Buffer): void {
  try {
    replaceFile(file, data);
  } catch {
    // The next run computes what the cache would have held.
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
