/**
 * Preloaded with `node --import` by the hostile-input test: records every read (open, read, readdir)
 * and every write (write, mkdir, rename, remove) whose path or real path lies under ARCH_LINT_TRACE_DIR,
 * one path per line in ARCH_LINT_TRACE_LOG. Metadata calls (stat, realpath) are not recorded.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const traced = fs.realpathSync(process.env.ARCH_LINT_TRACE_DIR);
const log = process.env.ARCH_LINT_TRACE_LOG;
const { realpathSync, appendFileSync } = fs;

function record(target) {
  if (typeof target !== 'string' && !(target instanceof URL) && !Buffer.isBuffer(target)) return; // a file descriptor
  const absolute = path.resolve(target instanceof URL ? target.pathname : String(target));
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // does not exist: the call will fail, but it was still attempted
  }
  for (const candidate of new Set([absolute, real])) {
    if (candidate === traced || candidate.startsWith(traced + path.sep)) appendFileSync(log, `${candidate}\n`);
  }
}

/** Wraps a function whose first `paths` arguments are paths. */
function wrap(owner, name, paths = 1) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function traced(...args) {
    args.slice(0, paths).forEach(record);
    return original.apply(this, args);
  };
}

const reads = ['readFile', 'open', 'readdir', 'opendir'];
const writes = ['writeFile', 'appendFile', 'mkdir', 'rm', 'rmdir', 'unlink', 'truncate'];
const twoPaths = ['rename', 'copyFile', 'cp', 'symlink', 'link'];
for (const name of [...reads, ...writes]) {
  wrap(fs, name);
  wrap(fs, `${name}Sync`);
  wrap(fs.promises, name);
}
for (const name of twoPaths) {
  wrap(fs, name, 2);
  wrap(fs, `${name}Sync`, 2);
  wrap(fs.promises, name, 2);
}
wrap(fs, 'createReadStream');
wrap(fs, 'createWriteStream');
syncBuiltinESMExports();
