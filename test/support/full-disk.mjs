/**
 * Preloaded with `node --import` by the write tests: the disk under ARCH_LINT_FULL_DISK_DIR is full.
 * writeFileSync there writes the first half of its data, as a full disk leaves it, and fails with ENOSPC.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const full = path.resolve(process.env.ARCH_LINT_FULL_DISK_DIR);
const { writeFileSync } = fs;

fs.writeFileSync = function writeOnFullDisk(file, data, ...rest) {
  if (typeof file !== 'string' || !path.resolve(file).startsWith(full + path.sep)) return writeFileSync.call(this, file, data, ...rest);
  writeFileSync.call(this, file, data.slice(0, Math.floor(data.length / 2)), ...rest);
  throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
};
syncBuiltinESMExports();
