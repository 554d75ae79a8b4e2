/**
 * `npm run prepare`: builds dist/ on install from git. `npm install -g git+…` (how the pre-commit
 * framework installs node hooks) prepares the clone with npm's global flag and prefix still set, so the
 * clone's own dependencies are not installed beside it and `tsc` is not found: install them into the
 * clone first, explicitly not globally and with the clone as the prefix.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const TSC = 'node_modules/typescript/bin/tsc';
const run = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });

if (!fs.existsSync(TSC) || !fs.existsSync('node_modules/@types/node')) {
  run([process.env.npm_execpath, 'install', '--global=false', `--prefix=${process.cwd()}`, '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--include=dev']);
}
run([TSC, '-p', 'tsconfig.build.json']);
