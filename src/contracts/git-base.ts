import { execFileSync } from 'node:child_process';
import { UsageError } from '../config/types.js';
import { branchPoint, changesOf, gitAnswer, gitPrefix, gitSucceeds, HOW_TO_FETCH, type Changes } from '../changed.js';

/** Git blobs above this size are not read as contracts (a generated spec of megabytes is still far below). */
const MAX_BLOB_BYTES = 16 * 1024 * 1024;

/**
 * The repository as it was at a base ref, read from git objects only (`git cat-file --batch`): never a
 * checkout, never the network. Paths are relative to the analysed root; the root's path below the git
 * top level is prefixed, so that nothing outside the root is ever read.
 */
export class GitBase {
  /** The commit the base ref names (the merge base with HEAD when there is one: what the branch started from). */
  readonly commit: string;
  private readonly prefix: string;
  private readonly texts = new Map<string, string | undefined>();
  private changed: Set<string> | undefined;

  constructor(
    private readonly root: string,
    readonly ref: string,
    /** The files changed against the ref and the commit they were compared with, when the caller has them (`--changed` asked git before the analysis). */
    changes?: Changes,
  ) {
    this.prefix = gitPrefix(root);
    if (changes?.commit !== undefined) {
      // `--changed` checked the repository and the ref already.
      this.commit = changes.commit;
      this.changed = changes.files;
      return;
    }
    if (!gitSucceeds(root, ['rev-parse', '--is-inside-work-tree'])) {
      throw new UsageError(`contracts: ${root} is not in a git repository (or git is not installed), so there is no base "${ref}" to compare with; ${HOW_TO_FETCH}`);
    }
    const named = ref.startsWith('-') ? undefined : gitAnswer(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])?.trim();
    if (!named) throw new UsageError(`contracts: the base "${ref}" is not in this clone (a shallow checkout?); ${HOW_TO_FETCH}`);
    this.commit = branchPoint(root, named);
  }

  /** Root-relative paths of the files that differ between the base and the working tree, untracked files included. */
  changedFiles(): Set<string> {
    this.changed ??= changesOf(this.root, { ref: this.commit }).files;
    return this.changed;
  }

  /** The text of each file at the base (undefined where the base has none), read in one `git cat-file --batch`. */
  read(files: string[]): Map<string, string | undefined> {
    const wanted = [...new Set(files)].filter((file) => !this.texts.has(file));
    for (const file of wanted.filter((f) => !isInsideRoot(f))) this.texts.set(file, undefined);
    const inside = wanted.filter(isInsideRoot);
    if (inside.length > 0) {
      const output = execFileSync('git', ['cat-file', '--batch'], {
        cwd: this.root,
        input: inside.map((file) => `${this.commit}:${this.prefix}${file}\n`).join(''),
        maxBuffer: 1024 * 1024 * 1024,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      parseBatch(output, inside).forEach((text, file) => this.texts.set(file, text));
    }
    return new Map(files.map((file) => [file, this.texts.get(file)]));
  }
}

/** A path the root may hold: relative, posix, never climbing out. */
function isInsideRoot(file: string): boolean {
  return file !== '' && !file.startsWith('/') && !/^[a-z]:/i.test(file) && !file.split('/').some((part) => part === '..' || part === '.git') && !file.includes('\n');
}

/** `<sha> blob <size>\n<content>\n` per object, `<name> missing\n` for the absent ones (in request order). */
function parseBatch(output: Buffer, files: string[]): Map<string, string | undefined> {
  const texts = new Map<string, string | undefined>();
  let at = 0;
  for (const file of files) {
    const newline = output.indexOf(10, at);
    if (newline < 0) break;
    const header = output.subarray(at, newline).toString('utf8');
    at = newline + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) {
      texts.set(file, undefined); // "missing", or "ambiguous"
      continue;
    }
    const size = Number(match[2]);
    texts.set(file, match[1] === 'blob' && size <= MAX_BLOB_BYTES ? output.subarray(at, at + size).toString('utf8') : undefined);
    at += size + 1;
  }
  return texts;
}
