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

const UNNORMALISED = /(^|\/)\.\.?(\/|$)|\/\/|\/$/;

/**
 * The repo-relative posix path of an absolute path inside `root`, or undefined outside it. Normalised
 * posix paths (what TypeScript's resolver asks about, thousands of times per run) take a string-prefix
 * fast path; anything else goes through path.relative.
 */
export function repoRelative(root: string, absolute: string): string | undefined {
  if (path.sep === '/' && absolute.startsWith(root) && absolute.charCodeAt(root.length) === 47) {
    const rest = absolute.slice(root.length + 1);
    if (!UNNORMALISED.test(rest)) return rest;
  }
  return isInside(root, absolute) ? relativePosix(root, absolute) : undefined;
}

/** The folder of a repo-relative posix path ('' at the root). */
export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** Joins repo-relative posix segments, normalising `.` and `..` ('' is the root). */
export function joinPosix(...parts: string[]): string {
  const joined = path.posix.normalize(parts.filter((p) => p !== '').join('/')).replace(/\/$/, '');
  return joined === '.' ? '' : joined;
}

/** Every folder holding one of the files, with its ancestors (not the root ''). */
export function foldersOf(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = dirOf(file); dir !== '' && !folders.has(dir); dir = dirOf(dir)) folders.add(dir);
  }
  return folders;
}

/** True when `file` is `dir` or inside it ('' contains everything). */
export function isUnder(dir: string, file: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/');
}

/**
 * Of several items, those whose folder shares the longest leading path with the file asking: the deployment
 * file, component or build in the same part of the repository (its system) before one elsewhere.
 */
export function nearestTo<T>(file: string, items: T[], folderOf: (item: T) => string): T[] {
  const asking = dirOf(file).split('/');
  const shared = (item: T) => {
    const folder = folderOf(item).split('/');
    let n = 0;
    while (n < folder.length && n < asking.length && folder[n] === asking[n]) n++;
    return n;
  };
  const depths = items.map(shared);
  const best = Math.max(-1, ...depths);
  return items.filter((_, i) => depths[i] === best);
}

/** Whether a repo-relative path (as joinPosix gives it) climbs above the root or is absolute. */
export function leavesRoot(path: string): boolean {
  return path === '..' || path.startsWith('../') || path.startsWith('/');
}
