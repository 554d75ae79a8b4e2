import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../model.js';
import { isInside } from '../util/paths.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** The real path of each root read from, resolved once per run rather than once per file. */
const realRoots = new Map<string, string>();

/** The text, with a warning when it was not valid UTF-8 (the invalid bytes are replaced), or why the file was not read. */
export type ReadResult = { text: string; warning?: Diagnostic } | { diagnostic: Diagnostic };

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
    const read = readRegularFile(file, real, maxFileSize, 0);
    return 'bytes' in read ? decode(file, read.bytes) : read;
  } catch (error) {
    return unreadable(file, error);
  }
}

/**
 * readRepoFile for a file that walkRepository listed: the walk never follows links, so every folder on
 * its path is a real one below the root and no realpath is needed; a file replaced by a link since is
 * refused (O_NOFOLLOW). Two system calls fewer per file, a tenth of a cold run.
 */
export function readWalkedFile(root: string, file: string, maxFileSize: number): ReadResult {
  try {
    const read = readRegularFile(file, path.join(root, file), maxFileSize, fs.constants.O_NOFOLLOW ?? 0);
    return 'bytes' in read ? decode(file, read.bytes) : read;
  } catch (error) {
    return unreadable(file, error);
  }
}

/** The lstat of a file when it is a regular one (not a link, a folder, a FIFO), else undefined. */
export function lstatRegularFile(absolute: string): fs.Stats | undefined {
  try {
    const stat = fs.lstatSync(absolute);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** The bytes of a file that walkRepository listed, as readWalkedFile reads them (binary too); undefined when refused. */
export function readWalkedBytes(root: string, file: string, maxFileSize: number): Buffer | undefined {
  try {
    const read = readRegularFile(file, path.join(root, file), maxFileSize, fs.constants.O_NOFOLLOW ?? 0);
    return 'bytes' in read ? read.bytes : undefined;
  } catch {
    return undefined;
  }
}

function readRegularFile(file: string, absolute: string, maxFileSize: number, flags: number): { bytes: Buffer } | { diagnostic: Diagnostic } {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it
  const fd = fs.openSync(absolute, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | flags);
  try {
    const stat = fs.fstatSync(fd);
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
    const bytes = Buffer.allocUnsafe(stat.size);
    let length = 0;
    while (length < bytes.length) {
      const read = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break; // the file shrank since fstat
      length += read;
    }
    return { bytes: bytes.subarray(0, length) };
  } finally {
    fs.closeSync(fd);
  }
}

function decode(file: string, bytes: Buffer): ReadResult {
  if (bytes.subarray(0, 8000).includes(0)) {
    return { diagnostic: { file, code: 'binary-file', message: 'skipped: binary content' } };
  }
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    // A few Latin-1 bytes in a comment must not cost the file's imports: read on with replacement characters.
    const text = lenientUtf8.decode(bytes).replace(/^\uFEFF/, '');
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    return { text, warning: { file, line, code: 'invalid-utf8', message: 'not valid UTF-8: analysed with the invalid bytes replaced by U+FFFD' } };
  }
}

function unreadable(file: string, error: unknown): ReadResult {
  return { diagnostic: { file, code: 'unreadable', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
}
