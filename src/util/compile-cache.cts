/*
 * require() with a V8 code cache, for the large CommonJS module arch-lint loads: TypeScript's 9 MB take
 * about 0.19 s to compile and 0.07 s from V8's cached data. Node 22 has module.enableCompileCache();
 * Node 20 has not, so this does the same for one module at a time.
 *
 * The cache lives in arch-lint's own package folder, never with the analysed files: whoever can write
 * there can change arch-lint's code, so the cache opens no new way to run code. It cannot change what
 * the module does: a cache file is named by a hash of the source and the Node build, and V8 refuses
 * data of another version or flags; then the module is compiled from source and the cache written anew.
 * A cache that cannot be read or written is skipped.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { writeAtomically } from './atomic-write.cjs';

/** arch-lint's own cache folder: node_modules/.cache/arch-lint-compile in the package (dist/util/ → package root). */
export const COMPILE_CACHE_FOLDER = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'arch-lint-compile');

/** What happened to a module's cached data, for tests and benchmarks. */
export type CodeCacheOutcome = 'used' | 'written' | 'rejected and written' | 'already loaded' | 'not cached';

/**
 * Puts `specifier` (resolved from `from`) into require's cache, compiled with cached data when the cache
 * holds it, so that a later require() of it returns this instance. The data is written at exit when the
 * cache had none that V8 accepted: by then it also holds the functions this run compiled lazily.
 */
export function preloadWithCodeCache(specifier: string, from: string, cacheFolder = COMPILE_CACHE_FOLDER): CodeCacheOutcome {
  const requireFrom = Module.createRequire(from);
  const file = requireFrom.resolve(specifier);
  if (requireFrom.cache[file]) return 'already loaded';
  const bytes = readQuietly(file);
  if (!bytes) return 'not cached'; // the require() that follows reports it
  const cacheFile = path.join(cacheFolder, `${path.basename(file, '.js')}-${cacheKey(file, bytes)}.v8`);
  const cachedData = readQuietly(cacheFile);
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const loaded = new Module(file);
  loaded.filename = file;
  loaded.paths = requireFrom.resolve.paths(specifier) ?? [];
  // The module's code runs as require() would run it: the CommonJS wrapper, its own require and paths.
  (script.runInThisContext() as ModuleWrapper).call(loaded.exports, loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  requireFrom.cache[file] = loaded;
  if (cachedData && !script.cachedDataRejected) return 'used';
  process.once('exit', () => writeAtomically(cacheFile, () => script.createCachedData()));
  return cachedData ? 'rejected and written' : 'written';
}

type ModuleWrapper = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;

/**
 * The source and the Node build in the name: a new TypeScript or Node gets its own file. (V8 checks its
 * version, its flags and the source's length, not the source itself.)
 */
function cacheKey(file: string, source: Buffer): string {
  return crypto.createHash('sha256').update(`${process.version}\0${process.arch}\0${file}\0`).update(source).digest('hex').slice(0, 16);
}

function readQuietly(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
