import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ContractView } from './contracts/view.js';
import type { Diagnostic, Finding, RelatedLocation, SourceLocation, SuppressedFinding } from './model.js';
import { lstatRegularFile, readWalkedBytes } from './discover/read.js';
import { ObservedDisk } from './resolve/disk.js';
import { isDiagnostic, RACY_WINDOW_MS, readCacheFile, writeCacheFile } from './util/cache-file.js';

const CACHE_FORMAT = 'arch-lint-result';
const CACHE_FILE = 'result.json';
/** Files written just before a run are hashed; a fresh checkout would cost more to hash than its stored result saves: none is stored. */
const HASHED_FILES_LIMIT = 256;

/** The part of a lint result that depends on the repository: what the cache keeps. */
export interface StoredResult {
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** How many files were analysed. */
  fileCount: number;
  componentCount: number;
  /** Where the components came from (`pnpm-workspace.yaml`, `Nx project.json files`, …). */
  workspaceSources: string[];
  /** The findings inline `arch-lint-disable…` comments suppressed. */
  suppressed: SuppressedFinding[];
  /** What a run with a base compares contracts from, when the result is reused. */
  contractView?: ContractView;
}

/** A walked file as a run saw it: size and settled mtime, or size and content hash when it was just written. */
type FileState = [size: number, mtimeMsOrHash: number | string];

/**
 * The state of every walked file, taken before anything is read: a result computed after it can only be
 * newer than it, so a later run that finds the same states has the same inputs. Files written less than
 * two seconds before the run may change again within the same mtime tick: they are hashed, here and now.
 */
export class FileSnapshot {
  private readonly stats = new Map<string, fs.Stats | undefined>();
  private readonly hashes = new Map<string, string>();
  /** False when a file could not be taken (gone, too fresh and too large to hash, or too many fresh ones). */
  private storable = true;

  constructor(
    private readonly root: string,
    readonly files: string[],
    private readonly maxFileSize: number,
    startedAt = Date.now(),
  ) {
    for (const file of files) {
      // concatenated, not path.join: it normalises the whole path, ten thousand times a run
      const stat = lstatRegularFile(`${root}${path.sep}${file}`);
      this.stats.set(file, stat);
      if (!stat) this.storable = false;
      else if (stat.mtimeMs >= startedAt - RACY_WINDOW_MS && this.storable) {
        const hash = this.hashes.size < HASHED_FILES_LIMIT ? this.hash(file) : undefined;
        if (hash === undefined) this.storable = false;
        else this.hashes.set(file, hash);
      }
    }
  }

  /** The file's lstat as the snapshot took it (a regular file), else undefined. */
  stat(file: string): fs.Stats | undefined {
    return this.stats.get(file);
  }

  /** The states to store: size and mtime, or size and content hash for the fresh files; undefined when not storable. */
  states(): FileState[] | undefined {
    if (!this.storable) return undefined;
    return this.files.map((file) => {
      const { size, mtimeMs } = this.stats.get(file)!;
      return [size, this.hashes.get(file) ?? mtimeMs];
    });
  }

  /**
   * True when every file is as a stored state says (same size and mtime, or same content). States with
   * more hashes than states() ever writes were not written by arch-lint: in a fresh checkout only hashes
   * could match, so a result file committed to the repository would otherwise be taken for the run's own.
   */
  matches(states: unknown[]): boolean {
    if (states.length !== this.files.length) return false;
    if (states.filter((state) => Array.isArray(state) && typeof state[1] === 'string').length > HASHED_FILES_LIMIT) return false;
    return this.files.every((file, index) => {
      const stat = this.stats.get(file);
      const state = states[index];
      if (!stat || !Array.isArray(state) || state[0] !== stat.size) return false;
      if (typeof state[1] !== 'string') return state[1] === stat.mtimeMs;
      return (this.hashes.get(file) ?? this.hash(file)) === state[1];
    });
  }

  /** The content hash, read as extraction reads (no link followed, within maxFileSize), else undefined. */
  private hash(file: string): string | undefined {
    const bytes = readWalkedBytes(this.root, file, this.maxFileSize);
    return bytes && createHash('sha256').update(bytes).digest('hex');
  }
}

/**
 * The last `lint` result, kept beside the facts cache under the same salt: a run whose configuration,
 * walked files (by state, see FileSnapshot) and module-resolution disk answers are all as they were
 * reports it again without extracting, resolving or running a rule.
 */
export class ResultCache {
  constructor(
    private readonly root: string,
    private readonly location: string,
    private readonly salt: string,
    private readonly maxFileSize: number,
  ) {}

  /** The stored result, if it was computed from these very inputs. */
  load(inputs: string, snapshot: FileSnapshot): StoredResult | undefined {
    const cache = readCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt);
    if (!cache || cache.inputs !== inputs || !Array.isArray(cache.states) || !isAnswers(cache.answers) || !isStoredResult(cache.result)) return undefined;
    if (cache.companions !== this.companionStates()) return undefined;
    if (!snapshot.matches(cache.states)) return undefined;
    return new ObservedDisk(this.root, this.maxFileSize).answersAsRecorded(Object.entries(cache.answers)) ? cache.result : undefined;
  }

  /** Stores a result with what it was computed from; `answers` are the disk's answers module resolution used (ObservedDisk). */
  save(inputs: string, snapshot: FileSnapshot, answers: Map<string, string>, result: StoredResult): void {
    const states = snapshot.states();
    if (!states) return;
    const companions = this.companionStates();
    writeCacheFile(path.join(this.location, CACHE_FILE), CACHE_FORMAT, this.salt, { inputs, states, answers: Object.fromEntries(answers), result, companions });
  }

  /**
   * The other cache files (facts, resolutions) by name, size and mtime, as the run that stored the result
   * left them: when one was spoilt since, the result is not reused, so that the run rewrites it instead
   * of leaving it corrupt until a source file changes.
   */
  private companionStates(): string {
    let names: string[];
    try {
      names = fs.readdirSync(this.location).filter((name) => name !== CACHE_FILE && !name.endsWith('.tmp'));
    } catch {
      return '';
    }
    return JSON.stringify(
      names.sort().map((name) => {
        const stat = lstatRegularFile(path.join(this.location, name));
        return stat ? [name, stat.size, stat.mtimeMs] : [name];
      }),
    );
  }
}

/** The inputs of a result besides the files' contents and the disk's answers: the configuration and what the walk found. */
export function resultInputs(config: unknown, files: string[], walkDiagnostics: Diagnostic[]): string {
  return createHash('sha256').update(JSON.stringify(config)).update('\0').update(files.join('\0')).update('\0').update(JSON.stringify(walkDiagnostics)).digest('hex');
}

function isAnswers(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((answer) => typeof answer === 'string');
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function isLocation(value: unknown): value is SourceLocation {
  return isRecord(value) && typeof value.file === 'string' && typeof value.line === 'number' && typeof value.column === 'number';
}

function isRelated(value: unknown): value is RelatedLocation[] {
  return Array.isArray(value) && value.every((related) => isRecord(related) && isLocation(related.location));
}

function isFinding(value: unknown): value is Finding {
  return (
    isRecord(value) &&
    typeof value.ruleId === 'string' &&
    typeof value.message === 'string' &&
    typeof value.fingerprint === 'string' &&
    (value.severity === 'error' || value.severity === 'warning') &&
    isLocation(value.location) &&
    isRelated(value.related) &&
    isStringArray(value.services) &&
    (value.flow === undefined || isRelated(value.flow))
  );
}

function isSuppressedInSource(value: unknown): value is SuppressedFinding {
  return isFinding(value) && isRecord((value as Partial<SuppressedFinding>).suppression) && (value as SuppressedFinding).suppression.kind === 'inSource';
}

/** The result in a cache file, checked as far as the formatters rely on it: a spoilt file is ignored, never fatal. */
function isStoredResult(value: unknown): value is StoredResult {
  return (
    isRecord(value) &&
    Array.isArray(value.findings) &&
    value.findings.every(isFinding) &&
    Array.isArray(value.diagnostics) &&
    value.diagnostics.every(isDiagnostic) &&
    typeof value.fileCount === 'number' &&
    typeof value.componentCount === 'number' &&
    isStringArray(value.workspaceSources) &&
    Array.isArray(value.suppressed) &&
    value.suppressed.every(isSuppressedInSource) &&
    (value.contractView === undefined || isContractView(value.contractView))
  );
}

function isContractView(value: unknown): value is ContractView {
  const lists = ['components', 'testFiles', 'httpCalls', 'messages', 'specs', 'documents', 'moduleEdges', 'directives'] as const;
  return isRecord(value) && lists.every((key) => Array.isArray(value[key]));
}
