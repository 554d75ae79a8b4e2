import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model.js';
import { isInside } from '../util/paths.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The real path of each root read from, resolved once per run rather than once per file. */
const realRoots = new Map<string, string>();

export type ReadResult = { text: string } | { diagnostic: Diagnostic };

/**
 * Reads a repo-relative file as UTF-8 text, refusing what must not be analysed:
 * paths that resolve outside the root, files over the size limit, binary or invalid UTF-8 content.
 */
export function readRepoFile(root: string, file: string, maxFileSize: number): ReadResult {
  const absolute = path.join(root, file);
  try {
    // the native realpath is one system call; fs.realpathSync walks the path in JavaScript, lstat by lstat
    const real = fs.realpathSync.native(absolute);
    let realRoot = realRoots.get(root);
    if (realRoot === undefined) realRoots.set(root, (realRoot = fs.realpathSync.native(root)));
    if (!isInside(realRoot, real)) {
      return { diagnostic: { file, code: 'outside-root', message: 'resolves outside the repository root; not read' } };
    }
    const stat = fs.statSync(real);
    if (!stat.isFile()) return { diagnostic: { file, code: 'unreadable', message: 'not a regular file' } };
    if (stat.size > maxFileSize) {
      return {
        diagnostic: {
          file,
          code: 'file-too-large',
          message: `skipped: ${stat.size} bytes is over the ${maxFileSize}-byte limit (maxFileSize)`,
        },
      };
    }
    const bytes = fs.readFileSync(real);
    if (bytes.subarray(0, 8000).includes(0)) {
      return { diagnostic: { file, code: 'binary-file', message: 'skipped: binary content' } };
    }
    try {
      return { text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
    } catch {
      return { diagnostic: { file, code: 'invalid-utf8', message: 'skipped: not valid UTF-8 text' } };
    }
  } catch (error) {
    return { diagnostic: { file, code: 'unreadable', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
}
