/**
 * Preloaded with `node --import` by the hostile-input test: records every content read (open, read,
 * readdir) whose real path lies under ARCH_LINT_TRACE_DIR, one path per line in ARCH_LINT_TRACE_LOG.
 * Metadata calls (stat, realpath) are not reads and are not recorded.
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

function wrap(owner, name) {
  const original = owner[name];
  if (typeof original !== 'function') return;
  owner[name] = function traced(target, ...rest) {
    record(target);
    return original.call(this, target, ...rest);
  };
}

for (const name of ['readFileSync', 'readFile', 'openSync', 'open', 'readdirSync', 'readdir', 'opendirSync', 'opendir', 'createReadStream']) wrap(fs, name);
for (const name of ['readFile', 'open', 'readdir', 'opendir']) wrap(fs.promises, name);
syncBuiltinESMExports();
