import path from 'node:path';

/** Repo-relative posix path of an absolute path. */
export function relativePosix(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

/** True when `absolute` is `root` itself or lies below it (no `..` escape). */
export function isInside(root: string, absolute: string): boolean {
  const rel = path.relative(root, absolute);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folder of a repo-relative posix path ('' at the root). */
export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Joins repo-relative posix segments, normalising `.` and `..` ('' is the root). */
export function joinPosix(...parts: string[]): string {
  const joined = path.posix.normalize(parts.filter((p) => p !== '').join('/'));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** True when `file` is `dir` or inside it ('' contains everything). */
export function isUnder(dir: string, file: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/');
}
