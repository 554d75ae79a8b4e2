import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { UsageError } from './config/types.js';
import type { Finding } from './model.js';

/** How to get a base ref a clone lacks, for every message about one. */
export const HOW_TO_FETCH =
  'fetch it first: in GitHub Actions give actions/checkout `fetch-depth: 0`, or run `git fetch origin main --depth=1` (naming your base branch) before arch-lint';

/** Which changes `--changed [ref]` and `--staged` mean. */
export type ChangeSelection = { staged: true } | { staged?: false; ref?: string };

/** What `--changed` and `--staged` select: the changed files, and the commit a ref's changes are taken against. */
export interface Changes {
  files: Set<string>;
  /** The ref's merge base with HEAD (branchPoint); absent for staged changes and in a repository without commits. */
  commit?: string;
}

/**
 * Root-relative paths of the files changed in the git repository that holds the root: staged changes
 * (`--staged`), or the working tree against a ref (default HEAD; a ref's merge base with HEAD) plus untracked
 * files (`--changed`), with the commit a ref's files were compared with.
 */
export function changesOf(root: string, selection: ChangeSelection): Changes {
  const git = (args: string[]) => runGit(root, args);
  const option = selection.staged ? '--staged' : '--changed';
  // Outside a repository `git diff` compares files (--no-index) and fails with "unknown option `cached'".
  if (!gitSucceeds(root, ['rev-parse', '--is-inside-work-tree'])) throw new UsageError(`${option}: ${root} is not in a git repository`);
  if (selection.staged) return { files: new Set(git(['diff', '--cached', '--name-only', '--relative', '-z'])) };
  const ref = selection.ref ?? 'HEAD';
  if (selection.ref !== undefined) checkRevision(root, selection.ref);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z']);
  if (selection.ref === undefined && !hasCommits(root)) {
    // A repository without commits: everything in it is a change.
    return { files: new Set([...git(['ls-files', '--cached', '-z']), ...untracked]) };
  }
  const commit = branchPoint(root, ref);
  return { files: new Set([...git(['diff', '--name-only', '--relative', '-z', commit, '--']), ...untracked]), commit };
}

/**
 * Where the work being checked left the ref: the merge base of the ref and HEAD (what `git diff ref...` compares
 * with), so that what the ref gained since, on a pull request's target branch, is no change of the branch; the ref
 * itself when they share no history.
 */
export function branchPoint(root: string, ref: string): string {
  return gitAnswer(root, ['merge-base', ref, 'HEAD'])?.trim() || ref;
}

/** The findings whose evidence (primary location, related locations or flow) touches one of the files. */
export function touchingFiles<T extends Finding>(findings: T[], files: Set<string>): T[] {
  return findings.filter(
    (finding) =>
      files.has(finding.location.file) ||
      finding.related.some((related) => files.has(related.location.file)) ||
      (finding.flow ?? []).some((step) => files.has(step.location.file)),
  );
}

/** The folder's path below the root of its git repository ("platform/"), '' at that root or outside git. */
export function gitPrefix(folder: string): string {
  try {
    return runGit(folder, ['rev-parse', '--show-prefix'])[0]?.trim() ?? '';
  } catch {
    return '';
  }
}

/** True when git tracks a file in the folder (a committed cache); false outside git or without git. */
export function gitTracksFilesIn(root: string, folder: string): boolean {
  try {
    return runGit(root, ['ls-files', '-z', '--', folder]).length > 0;
  } catch {
    return false; // not a repository
  }
}

/** A ref `--changed` can compare with; commander takes `arch-lint --changed platform` for the ref "platform", so a folder is named as such. */
function checkRevision(root: string, ref: string): void {
  if (!ref.startsWith('-') && gitSucceeds(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) return;
  if (isFolder(ref)) {
    throw new UsageError(`--changed: "${ref}" is a folder, not a git revision; name the folder first (arch-lint ${ref} --changed) or the revision after the option (--changed HEAD ${ref})`);
  }
  throw new UsageError(`--changed: "${ref}" is not a git revision of this clone; if it is a branch the clone lacks (a shallow checkout), ${HOW_TO_FETCH}`);
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Whether the git repository holding the root has a commit (HEAD names one). */
export function hasCommits(root: string): boolean {
  return gitSucceeds(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
}

/** Whether a git command succeeds in the folder. */
export function gitSucceeds(cwd: string, args: string[]): boolean {
  return gitAnswer(cwd, args) !== undefined;
}

/** Git's output, or undefined when the command fails (an unknown ref, not a repository). */
export function gitAnswer(cwd: string, args: string[]): string | undefined {
  try {
    return gitOutput(cwd, args);
  } catch {
    return undefined;
  }
}

/** Git's output; a UsageError naming the command and git's first line of complaint when it fails. */
function gitOutput(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new UsageError(`git ${args[0]} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}

function runGit(cwd: string, args: string[]): string[] {
  return gitOutput(cwd, args)
    .split('\0')
    .filter((name) => name !== '');
}
