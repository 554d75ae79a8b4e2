import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Tests make their repositories with os.tmpdir(): point it (TMPDIR, inherited by the test workers and
 * the CLI processes they start) at one folder per run, removed when the run ends.
 */
export default function setup(): () => void {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'arch-lint-tests-'));
  process.env.TMPDIR = folder;
  return () => fs.rmSync(folder, { recursive: true, force: true });
}
