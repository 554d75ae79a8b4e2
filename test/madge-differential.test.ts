import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { fixture, fixturesWithExpectations } from './helpers.js';

/** madge 8 has no type declarations: the part of its API this oracle uses. */
type Madge = (
  dir: string,
  config: Record<string, unknown>,
) => Promise<{ obj(): Record<string, string[]>; warnings(): { skipped: string[] } }>;
const madge = createRequire(import.meta.url)('madge') as Madge;

/**
 * Edges madge finds that arch-lint deliberately leaves out of graph.moduleEdges, with the reason.
 * Keys are `fixture: from -> to`.
 */
const EXPECTED_DIFFERENCES: Record<string, string> = {};

/**
 * Differential test with madge as the oracle: every file-level edge madge finds on a fixture is also an
 * edge of arch-lint's graph. madge has no workspace awareness, so it resolves fewer edges (package names
 * without node_modules are skipped); arch-lint must never resolve fewer.
 */
describe.each(fixturesWithExpectations())('madge oracle on fixture %s', (name) => {
  it('finds every edge madge finds', async () => {
    const root = fixture(name);
    const tsConfig = ['tsconfig.json', 'tsconfig.base.json'].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
    const typeImports = { skipTypeImports: false, mixedImports: true };
    const oracle = await madge(root, {
      baseDir: root,
      fileExtensions: ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'],
      tsConfig,
      detectiveOptions: { ts: typeImports, tsx: typeImports, es6: { mixedImports: true } },
    });
    const result = await analyze({ root });
    const ours = new Set(result.graph.moduleEdges.map((e) => `${e.from} -> ${e.to}`));

    const theirs = Object.entries(oracle.obj()).flatMap(([from, targets]) => targets.map((to) => `${from} -> ${to}`));
    const missing = theirs.filter((edge) => !ours.has(edge) && !(`${name}: ${edge}` in EXPECTED_DIFFERENCES));
    expect(missing).toEqual([]);
    // An allowed difference that no longer occurs is a stale reason: remove it.
    const stale = Object.keys(EXPECTED_DIFFERENCES).filter((key) => key.startsWith(`${name}: `) && ours.has(key.slice(name.length + 2)));
    expect(stale).toEqual([]);
    // Where there are relative imports (which madge resolves), the oracle must have seen some, or the comparison proves nothing.
    const relative = result.graph.moduleEdges.filter((e) => e.reference.specifier.startsWith('.'));
    if (relative.length > 0) expect(theirs.length).toBeGreaterThan(0);
  });
});
