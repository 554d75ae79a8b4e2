import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readRepoFile, type ReadResult } from '../discover/read.js';
import { isInside, relativePosix } from '../util/paths.js';

/** Where a link leads: a repo-relative path, out of the repository, or nowhere. */
export type RealPath = { inside: string } | 'outside' | 'missing';

/**
 * The disk as module resolution sees it beyond the walked files (node_modules, the text of tsconfig and
 * package.json files), with every answer recorded: resolutions cached by one run hold in the next as
 * long as the disk gives the same answers (`answersAsRecorded`). Paths are repo-relative.
 */
export class ObservedDisk {
  /** `kind\0file` → the answer, as a string. */
  readonly answers = new Map<string, string>();
  private readonly reads = new Map<string, ReadResult>();

  constructor(
    private readonly root: string,
    private readonly maxFileSize: number,
  ) {}

  exists(file: string): boolean {
    return this.answer('exists', file) === 'yes';
  }

  /** The file's text (readRepoFile: never outside the root, size-limited), read once, recorded by content hash. */
  read(file: string): ReadResult {
    let result = this.reads.get(file);
    if (!result) {
      this.reads.set(file, (result = readRepoFile(this.root, file, this.maxFileSize)));
      this.answers.set(`read\0${file}`, describeRead(result));
    }
    return result;
  }

  realpath(file: string): RealPath {
    const answer = this.answer('realpath', file);
    return answer === 'outside' || answer === 'missing' ? answer : { inside: answer.slice(1) };
  }

  /** True when the disk still gives every recorded answer (what a stored resolution table depends on). */
  answersAsRecorded(recorded: Iterable<[string, string]>): boolean {
    for (const [key, answer] of recorded) {
      const [kind, file] = key.split('\0');
      if (!file || this.ask(kind, file) !== answer) return false;
    }
    return true;
  }

  private answer(kind: string, file: string): string {
    const key = `${kind}\0${file}`;
    let answer = this.answers.get(key);
    if (answer === undefined) this.answers.set(key, (answer = this.ask(kind, file)));
    return answer;
  }

  private ask(kind: string, file: string): string {
    const absolute = path.join(this.root, file);
    if (!isInside(this.root, absolute)) return 'outside';
    switch (kind) {
      case 'exists':
        return fs.existsSync(absolute) ? 'yes' : 'no';
      case 'read':
        return describeRead(readRepoFile(this.root, file, this.maxFileSize));
      case 'realpath':
        try {
          const real = fs.realpathSync(absolute);
          return isInside(this.root, real) ? `/${relativePosix(this.root, real)}` : 'outside';
        } catch {
          return 'missing';
        }
      default:
        return 'unknown';
    }
  }
}

function describeRead(result: ReadResult): string {
  return 'text' in result ? `text ${createHash('sha1').update(result.text).digest('hex')}` : `refused ${result.diagnostic.code}`;
}
